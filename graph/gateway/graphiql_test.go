package gateway

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestGraphiQLAssetsAreEmbedded(t *testing.T) {
	h := http.HandlerFunc(graphiqlAsset)
	for _, name := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"} {
		for _, gz := range []bool{true, false} {
			req := httptest.NewRequest("GET", "/graphiql/"+name, nil)
			if gz {
				req.Header.Set("Accept-Encoding", "gzip")
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			body := io.Reader(rec.Body)
			if rec.Header().Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				body = zr
			}
			data, _ := io.ReadAll(body)
			if rec.Code != 200 || len(data) < 1000 || (gz != (rec.Header().Get("Content-Encoding") == "gzip")) {
				t.Errorf("%s gzip=%v: %d, %d bytes, encoding %q", name, gz, rec.Code, len(data), rec.Header().Get("Content-Encoding"))
			}
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/graphiql/nope.js", nil))
	if rec.Code != 404 {
		t.Errorf("unknown asset: %d", rec.Code)
	}
	page := httptest.NewRecorder()
	graphiqlHandler([]Example{{Name: "One", Query: "{ sources { name } }"}}, "k").ServeHTTP(page, httptest.NewRequest("GET", "/", nil))
	if strings.Contains(page.Body.String(), "unpkg") || !strings.Contains(page.Body.String(), "/graphiql/graphiql.min.js") {
		t.Errorf("the page still loads assets from a CDN")
	}
}

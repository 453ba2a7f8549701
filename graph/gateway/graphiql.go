package gateway

import (
	"compress/gzip"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"
)

// GraphiQL 3.8.3 and React 18.3.1, gzipped (see graphiql/README.md).
//
//go:embed graphiql/*.gz
var graphiqlAssets embed.FS

// graphiqlAsset serves /graphiql/<file> from the embedded gzipped bundles:
// as they are to clients that accept gzip, decompressed otherwise.
func graphiqlAsset(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	f, err := graphiqlAssets.Open("graphiql/" + name + ".gz")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = io.Copy(w, f)
		return
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		http.Error(w, "corrupt asset", http.StatusInternalServerError)
		return
	}
	_, _ = io.Copy(w, zr)
}

// Example is one operation preloaded as a GraphiQL tab.
type Example struct {
	Name      string `json:"-"`
	Query     string `json:"query"`
	Variables string `json:"variables,omitempty"`
	Headers   string `json:"headers,omitempty"`
}

var graphiqlPage = template.Must(template.New("graphiql").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Switchboard — GraphiQL</title>
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script nonce="{{.Nonce}}">
  const tabs = {{.Tabs}};
  const headers = {{.Headers}};
  const url = new URL("/graphql", location.href).toString();
  const http = GraphiQL.createFetcher({ url: url });
  // Subscriptions go over SSE with the headers pane's headers (the API key):
  // a WebSocket cannot carry them, and this keeps the key in one place.
  const isSubscription = (params) => {
    const text = params.query.replace(/#[^\n]*/g, "");
    const name = params.operationName;
    return name ? new RegExp("subscription\\s+" + name + "\\b").test(text) : /^\s*subscription\b/.test(text);
  };
  async function* sse(params, opts) {
    const ctrl = new AbortController();
    try {
      const resp = await fetch(url, {
        method: "POST", signal: ctrl.signal, body: JSON.stringify(params),
        headers: Object.assign({ "Content-Type": "application/json", "Accept": "text/event-stream" }, (opts && opts.headers) || {}),
      });
      if (!(resp.headers.get("Content-Type") || "").startsWith("text/event-stream")) {
        yield await resp.json();
        return;
      }
      const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += value;
        let end;
        while ((end = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          let event = "", data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            if (line.startsWith("data:")) data += line.slice(5).trim();
          }
          if (event === "complete") return;
          if (event === "next" && data) yield JSON.parse(data);
        }
      }
    } finally {
      ctrl.abort();
    }
  }
  const fetcher = (params, opts) => isSubscription(params) ? sse(params, opts) : http(params, opts);
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: tabs,
      defaultHeaders: headers,
      shouldPersistHeaders: true,
    })
  );
</script>
</body>
</html>
`))

// graphiqlHandler serves GraphiQL with one tab per example and the demo key
// (sandbox only) filled in the headers pane.
func graphiqlHandler(examples []Example, demoKey string) http.Handler {
	headers := ""
	if demoKey != "" {
		b, _ := json.MarshalIndent(map[string]string{"Authorization": "Bearer " + demoKey}, "", "  ")
		headers = string(b)
	}
	tabs := make([]Example, len(examples))
	for i, e := range examples {
		e.Query = "# " + e.Name + "\n" + e.Query
		tabs[i] = e
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		// A fresh nonce per page lets its one inline script run and no other.
		var b [16]byte
		_, _ = rand.Read(b[:])
		nonce := hex.EncodeToString(b[:])
		data := struct {
			Tabs    []Example
			Headers string
			Nonce   string
		}{tabs, headers, nonce}
		w.Header().Set("Content-Security-Policy", fmt.Sprintf(graphiqlCSP, nonce))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := graphiqlPage.Execute(w, data); err != nil {
			http.Error(w, "template error", http.StatusInternalServerError)
		}
	})
}

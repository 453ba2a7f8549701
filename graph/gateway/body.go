package gateway

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"

	"switchboard/graph/errs"
)

// DefaultMaxBodyBytes bounds a GraphQL request body that is not an upload.
const DefaultMaxBodyBytes = 1 << 20

// limitBody refuses a POST body over its limit with HTTP 413 before anything
// parses it: maxBody for JSON, maxUpload for multipart uploads. It also
// refuses batched operations (a JSON array of requests): gqlgen runs one
// operation per request and would answer an array with a decoding error.
func limitBody(maxBody, maxUpload int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Body == nil {
			next.ServeHTTP(w, r)
			return
		}
		mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mediaType == "multipart/form-data" {
			if r.ContentLength > maxUpload {
				tooLarge(w, maxUpload)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > maxBody {
			tooLarge(w, maxBody)
			return
		}
		// A body of unknown length is read here, up to the limit: the
		// transport reads it whole anyway.
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			writeGraphQLError(w, http.StatusBadRequest, errs.BadUserInput, "could not read the request body")
			return
		}
		if int64(len(body)) > maxBody {
			tooLarge(w, maxBody)
			return
		}
		if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '[' {
			writeGraphQLError(w, http.StatusBadRequest, errs.QueryTooComplex,
				"batched operations (a JSON array of requests) are not accepted: send one operation per request")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func tooLarge(w http.ResponseWriter, limit int64) {
	writeGraphQLError(w, http.StatusRequestEntityTooLarge, errs.QueryTooComplex,
		fmt.Sprintf("request body larger than the limit of %d bytes", limit))
}

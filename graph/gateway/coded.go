package gateway

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"switchboard/graph/errs"
)

// codedErrors makes sure every error answer of next (status 400 and over)
// is a GraphQL error body whose errors carry extensions.code, whatever
// wrote it: gqlgen's multipart transport, its "transport not supported",
// a refused WebSocket upgrade (plain text). Success answers and streams
// pass straight through; only an error answer is held to be rewritten.
func codedErrors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &codingWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		cw.finish()
	})
}

type codingWriter struct {
	http.ResponseWriter
	status  int
	holding bool
	held    bytes.Buffer
}

func (c *codingWriter) WriteHeader(status int) {
	if c.status != 0 {
		return
	}
	c.status = status
	if status >= 400 {
		c.holding = true
		return
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *codingWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	if c.holding {
		return c.held.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

// Flush passes through unless an error answer is being held.
func (c *codingWriter) Flush() {
	if c.holding {
		return
	}
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach Hijack for WebSocket upgrades.
func (c *codingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *codingWriter) finish() {
	if !c.holding {
		return
	}
	code := errs.BadUserInput
	switch {
	case c.status == http.StatusUnauthorized:
		code = errs.Unauthenticated
	case c.status == http.StatusForbidden:
		code = errs.Forbidden
	case c.status == http.StatusRequestEntityTooLarge:
		code = errs.QueryTooComplex
	case c.status == http.StatusTooManyRequests:
		code = errs.RateLimited
	case c.status >= 500:
		code = errs.Internal
	}
	var body struct {
		Errors []map[string]any `json:"errors"`
	}
	if json.Unmarshal(c.held.Bytes(), &body) != nil || len(body.Errors) == 0 {
		body.Errors = []map[string]any{{"message": http.StatusText(c.status)}}
	}
	for _, e := range body.Errors {
		ext, _ := e["extensions"].(map[string]any)
		if ext == nil {
			ext = map[string]any{}
			e["extensions"] = ext
		}
		if _, ok := ext["code"].(string); !ok {
			ext["code"] = code
		}
		if m, ok := e["message"].(string); ok {
			e["message"] = truncate(m, 200)
		}
	}
	out, _ := json.Marshal(map[string]any{"errors": body.Errors})
	h := c.ResponseWriter.Header()
	h.Del("Content-Length")
	if ct := h.Get("Content-Type"); ct != mediaGraphQLResponse {
		h.Set("Content-Type", mediaJSON)
	}
	h.Set("Content-Length", strconv.Itoa(len(out)+1))
	c.ResponseWriter.WriteHeader(c.status)
	_, _ = c.ResponseWriter.Write(append(out, '\n'))
}

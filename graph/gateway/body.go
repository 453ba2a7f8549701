package gateway

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"

	"switchboard/graph/errs"
	"switchboard/graph/idempotency"
)

// DefaultMaxBodyBytes bounds a GraphQL request body that is not an upload.
const DefaultMaxBodyBytes = 1 << 20

// limitBody refuses a POST body over its limit with HTTP 413 before anything
// parses it: maxBody for JSON, maxUpload for multipart uploads. Batched
// operations (a JSON array of requests) are refused unless maxBatch > 0;
// gqlgen runs one operation per request, so a batch is split here (batch).
// A JSON body past the heavy lane's threshold must be admitted by it (nil:
// no lane) before it is read when its length is known, before it is decoded
// otherwise.
func limitBody(maxBody, maxUpload int64, maxBatch int, heavy *heavyLane, next http.Handler) http.Handler {
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
		var release func()
		if heavy != nil && r.ContentLength > heavy.threshold {
			if release = heavy.admit(r.Context(), w); release == nil {
				return
			}
			defer release()
		}
		// The body is read here, up to the limit, once: the POST transport
		// takes these bytes (readBody) rather than copying them again.
		buf := bytes.NewBuffer(make([]byte, 0, max(r.ContentLength, 0)+1))
		_, err := buf.ReadFrom(io.LimitReader(r.Body, maxBody+1))
		body := buf.Bytes()
		if err != nil {
			writeGraphQLError(w, http.StatusBadRequest, errs.BadUserInput, "could not read the request body")
			return
		}
		if int64(len(body)) > maxBody {
			tooLarge(w, maxBody)
			return
		}
		if heavy != nil && release == nil && int64(len(body)) > heavy.threshold {
			if release = heavy.admit(r.Context(), w); release == nil {
				return
			}
			defer release()
		}
		if release != nil {
			r = r.WithContext(withHeavyRelease(r.Context(), release))
		}
		if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '[' {
			if maxBatch == 0 {
				writeGraphQLError(w, http.StatusBadRequest, errs.QueryTooComplex,
					"batched operations (a JSON array of requests) are not accepted: send one operation per request")
				return
			}
			batch(w, r, t, maxBatch, next)
			return
		}
		r.Body = readBody{Reader: bytes.NewReader(body), bytes: body}
		next.ServeHTTP(w, r)
	})
}

// readBody is a request body limitBody has already read.
type readBody struct {
	*bytes.Reader
	bytes []byte
}

func (readBody) Close() error { return nil }

func tooLarge(w http.ResponseWriter, limit int64) {
	writeGraphQLError(w, http.StatusRequestEntityTooLarge, errs.QueryTooComplex,
		fmt.Sprintf("request body larger than the limit of %d bytes", limit))
}

// batch runs each operation of a JSON array through next, one after the
// other (a batch may order mutations), and answers the array of their
// bodies. The batch is one request for the rate limit, hence the cap.
func batch(w http.ResponseWriter, r *http.Request, body []byte, max int, next http.Handler) {
	var ops []json.RawMessage
	if err := json.Unmarshal(body, &ops); err != nil || len(ops) == 0 {
		writeGraphQLError(w, http.StatusBadRequest, errs.BadUserInput, "a batch is a non-empty JSON array of GraphQL requests")
		return
	}
	if len(ops) > max {
		writeGraphQLError(w, http.StatusBadRequest, errs.QueryTooComplex,
			fmt.Sprintf("a batch holds at most %d operations, this one %d", max, len(ops)))
		return
	}
	out := make([]json.RawMessage, len(ops))
	for i, op := range ops {
		ctx := r.Context()
		if len(ops) > 1 {
			ctx = idempotency.InBatch(ctx)
		}
		sub := r.Clone(ctx)
		sub.Body, sub.ContentLength = io.NopCloser(bytes.NewReader(op)), int64(len(op))
		// Each answer is one element of the array: JSON, whatever the
		// client asked for the batch.
		sub.Header.Set("Accept", "application/json")
		rec := &recorder{header: http.Header{}}
		next.ServeHTTP(rec, sub)
		out[i] = bytes.TrimSpace(rec.body.Bytes())
		if !json.Valid(out[i]) {
			out[i] = json.RawMessage(`{"errors":[{"message":"operation failed","extensions":{"code":"INTERNAL"}}]}`)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// recorder keeps one operation's answer of a batch. Its status is dropped:
// the batch answers 200 and each element carries its own errors.
type recorder struct {
	header http.Header
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(int)             {}

package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"

	"github.com/99designs/gqlgen/graphql"

	"switchboard/graph/errs"
)

// DefaultMaxUploads is how many multipart uploads are read at once
// (SWITCHBOARD_MAX_UPLOADS); others wait for a slot within their deadline.
const DefaultMaxUploads = 4

// uploadTransport serves the GraphQL multipart request spec. gqlgen's
// keeps a file in memory whenever the body is under its MaxMemory or of
// unknown length (chunked), and spools the rest to the system temp dir;
// 16 concurrent 19 MiB uploads took 788 MB. Here every file is streamed
// to a temp file under dir (removed when the request ends), the
// `operations` and `map` parts obey the document body limit, and a
// semaphore bounds the uploads being read at once.
type uploadTransport struct {
	dir     string
	maxBody int64
	slots   chan struct{}
}

var _ graphql.Transport = (*uploadTransport)(nil)

func newUploadTransport(dir string, maxBody int64, maxUploads int) *uploadTransport {
	if maxUploads <= 0 {
		maxUploads = DefaultMaxUploads
	}
	return &uploadTransport{dir: dir, maxBody: maxBody, slots: make(chan struct{}, maxUploads)}
}

func (*uploadTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" || r.Method != http.MethodPost {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

func (u *uploadTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ct := responseType(r)
	ctx := r.Context()
	select {
	case u.slots <- struct{}{}:
		defer func() { <-u.slots }()
	case <-ctx.Done():
		w.Header().Set("Retry-After", "5")
		writeTransportError(w, ct, http.StatusServiceUnavailable, errs.RateLimited, "too many uploads in progress; retry later")
		return
	}
	start := graphql.Now()
	params, cleanup, status, err := u.read(r)
	defer cleanup()
	if err != nil {
		code := errs.BadUserInput
		if status == http.StatusRequestEntityTooLarge {
			code = errs.QueryTooComplex
		}
		writeTransportError(w, ct, status, code, err.Error())
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	execute(ctx, w, exec, ct, params, false, nil)
}

// read parses the multipart body into params, with its files in temp
// files that cleanup removes. The status tells the kind of refusal.
func (u *uploadTransport) read(r *http.Request) (params *graphql.RawParams, cleanup func(), status int, err error) {
	var files []*os.File
	cleanup = func() {
		for _, f := range files {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}
	bad := func(format string, args ...any) (*graphql.RawParams, func(), int, error) {
		return nil, cleanup, http.StatusBadRequest, fmt.Errorf(format, args...)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return bad("the body is not multipart/form-data with a boundary")
	}
	small := func(name string, into any) (int, error) {
		part, err := mr.NextPart()
		if err != nil || part.FormName() != name {
			return http.StatusBadRequest, fmt.Errorf("part %q must come here (GraphQL multipart request spec: operations, map, then files)", name)
		}
		b, err := io.ReadAll(io.LimitReader(part, u.maxBody+1))
		if err != nil {
			return http.StatusBadRequest, fmt.Errorf("could not read the %s part", name)
		}
		if int64(len(b)) > u.maxBody {
			return http.StatusRequestEntityTooLarge, fmt.Errorf("the %s part is larger than the limit of %d bytes", name, u.maxBody)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(into); err != nil {
			return http.StatusBadRequest, fmt.Errorf("the %s part is not the JSON the spec asks: %s", name, decodeProblem(err))
		}
		return 0, nil
	}
	params = &graphql.RawParams{}
	if st, err := small("operations", params); err != nil {
		return nil, cleanup, st, err
	}
	uploads := map[string][]string{}
	if st, err := small("map", &uploads); err != nil {
		return nil, cleanup, st, err
	}
	if err := os.MkdirAll(u.dir, 0o700); err != nil {
		return nil, cleanup, http.StatusInternalServerError, errors.New("uploads cannot be stored right now")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, cleanup, http.StatusRequestEntityTooLarge, fmt.Errorf("the upload is larger than the limit of %d bytes", mbe.Limit)
			}
			return bad("a file part could not be read")
		}
		key := part.FormName()
		paths := uploads[key]
		if len(paths) == 0 {
			return bad("file part %q is not in the map", truncate(key, 40))
		}
		delete(uploads, key)
		f, err := os.CreateTemp(u.dir, "upload-*")
		if err != nil {
			return nil, cleanup, http.StatusInternalServerError, errors.New("uploads cannot be stored right now")
		}
		files = append(files, f)
		size, err := io.Copy(f, part)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, cleanup, http.StatusRequestEntityTooLarge, fmt.Errorf("the upload is larger than the limit of %d bytes", mbe.Limit)
			}
			return bad("file part %q could not be read", truncate(key, 40))
		}
		for _, path := range paths {
			// Each use reads the file from its start.
			file := io.NewSectionReader(f, 0, size)
			up := graphql.Upload{File: file, Size: size, Filename: part.FileName(), ContentType: part.Header.Get("Content-Type")}
			if err := params.AddUpload(up, key, path); err != nil {
				return bad("map entry %q: %s", truncate(key, 40), truncate(err.Message, 100))
			}
		}
	}
	for key := range uploads {
		return bad("the map names file part %q, which the body does not hold", truncate(key, 40))
	}
	return params, cleanup, 0, nil
}

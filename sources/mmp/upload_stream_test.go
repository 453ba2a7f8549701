package mmp_test

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"switchboard/sources/mmp"
)

// uploadBytes uploads b from memory.
func uploadBytes(t *testing.T, c *mmp.Client, org, filename string, b []byte) (*mmp.UploadResult, error) {
	t.Helper()
	return c.UploadCustomerInvoices(ctx(t), org, filename, bytes.NewReader(b), int64(len(b)))
}

// countingReaderAt counts the bytes read from a file.
type countingReaderAt struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// The file is streamed from its ReaderAt with an exact Content-Length (not
// chunked), and read again whole when the request is re-authenticated.
func TestUploadStreamsTheFile(t *testing.T) {
	e := newEnv(t)
	big := make([]byte, 3<<20)
	_, _ = rand.Read(big)
	zipped := zipStored(t, "blob.bin", big)
	file := &countingReaderAt{r: bytes.NewReader(zipped)}

	var lengths []string
	var chunked bool
	e.gate.override = func(w http.ResponseWriter, r *http.Request) {
		lengths = append(lengths, strconv.FormatInt(r.ContentLength, 10))
		chunked = chunked || len(r.TransferEncoding) > 0
		e.gate.override = nil
		e.fake.ServeHTTP(w, r)
	}
	e.fake.ExpireTokens() // the first attempt is refused with 401, then resent
	res, err := e.client.UploadCustomerInvoices(ctx(t), "57525", "big.zip", file, int64(len(zipped)))
	if err != nil || !res.Success {
		t.Fatalf("upload: %+v, %v", res, err)
	}
	if chunked || len(lengths) == 0 || lengths[0] == "-1" {
		t.Errorf("Content-Length %v, chunked %v; want an exact length", lengths, chunked)
	}
	ups := e.fake.Uploads()
	last := ups[len(ups)-1]
	if !last.Accepted || last.Size != len(zipped) || last.Filename != "big.zip" {
		t.Fatalf("fake received %+v", last)
	}
	if got := file.n.Load(); got < int64(len(zipped)) {
		t.Errorf("%d bytes read from the file, want at least its %d", got, len(zipped))
	}
}

// zipStored is a ZIP holding data uncompressed as name.
func zipStored(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	if err == nil {
		_, err = w.Write(data)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Package sandbox runs the upstream fakes in-process for `make run` and
// points every unconfigured source at them over real loopback HTTP, so the
// sandbox exercises exactly the code paths the real upstreams do.
package sandbox

import (
	"context"
	"net"
	"net/http"
	"time"
)

// serve starts h on a free loopback port and returns its base URL and a
// function that stops it.
func serve(h http.Handler) (string, func() error, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	// Serve returns only when the listener closes, i.e. on stop.
	go func() { _ = srv.Serve(ln) }()
	stop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}

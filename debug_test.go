package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestLogLevel(t *testing.T) {
	tests := []struct {
		env     string
		want    slog.Level
		wantErr bool
	}{
		{"", slog.LevelInfo, false},
		{"debug", slog.LevelDebug, false},
		{"WARN", slog.LevelWarn, false},
		{" error ", slog.LevelError, false},
		{"loud", 0, true},
	}
	for _, tt := range tests {
		got, err := logLevel(func(string) string { return tt.env })
		if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
			t.Errorf("SWITCHBOARD_LOG_LEVEL=%q: %v %v, want %v (error %v)", tt.env, got, err, tt.want, tt.wantErr)
		}
	}
}

// pprof answers on SWITCHBOARD_DEBUG_ADDR, and stops with its context.
func TestServeDebug(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { serveDebug(ctx, addr, slog.New(slog.NewTextHandler(io.Discard, nil))); close(done) }()
	var resp *http.Response
	for i := 0; ; i++ {
		if resp, err = http.Get("http://" + addr + "/debug/pprof/cmdline"); err == nil {
			break
		}
		if i == 100 {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	cancel()
	<-done
}

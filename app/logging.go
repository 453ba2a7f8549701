package app

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// NewLogger builds the process logger from SWITCHBOARD_LOG_LEVEL (debug,
// info, warn, error; default info) and SWITCHBOARD_LOG_FORMAT (json, the
// default, for log collectors; text for a terminal).
func NewLogger(w io.Writer, getenv func(string) string) (*slog.Logger, error) {
	var level slog.Level
	if v := getenv("SWITCHBOARD_LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			return nil, fmt.Errorf("SWITCHBOARD_LOG_LEVEL=%q: want debug, info, warn or error", v)
		}
	}
	opts := &slog.HandlerOptions{Level: level}
	switch v := strings.ToLower(getenv("SWITCHBOARD_LOG_FORMAT")); v {
	case "", "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("SWITCHBOARD_LOG_FORMAT=%q: want json or text", v)
	}
}

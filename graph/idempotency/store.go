package idempotency

import (
	"context"
	"encoding/json"
	"time"
)

// Outcomes of a recorded mutation.
const (
	Succeeded = "SUCCEEDED"
	Failed    = "FAILED"
	Unknown   = "UNKNOWN"
)

// Record is what the gateway keeps under one key: the request's
// fingerprint and, once the mutation has run, its outcome and answer. A
// record that is not Done is a claim: one request is running it.
type Record struct {
	Fingerprint string `json:"fp"`
	Done        bool   `json:"done,omitempty"`
	Outcome     string `json:"outcome,omitempty"`
	// Answer is the resolver's value (JSON) when the outcome is Succeeded.
	Answer json.RawMessage `json:"answer,omitempty"`
	// Error is the GraphQL error answered otherwise.
	Error *RecordedError `json:"error,omitempty"`
	// Lease is when a claim lapses: a claimer that neither finished nor
	// released by then died, and the outcome of its call is unknown.
	Lease time.Time `json:"lease,omitzero"`
	// Meta is what settles an unknown outcome later (makeCall: user, phone, time).
	Meta map[string]string `json:"meta,omitempty"`
	// Expires is when the record is forgotten.
	Expires time.Time `json:"expires"`
}

// RecordedError is a GraphQL error as it was answered.
type RecordedError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Store keeps records durably; every replica sees the same records when
// they share it. Keys are already scoped by the caller.
type Store interface {
	// Claim stores rec under key unless a live record is there; it returns
	// nil when rec was stored, else the record found.
	Claim(ctx context.Context, key string, rec Record, ttl time.Duration) (*Record, error)
	// Put replaces the record under key.
	Put(ctx context.Context, key string, rec Record, ttl time.Duration) error
	// Delete forgets key (a claim whose call never left the gateway).
	Delete(ctx context.Context, key string) error
	// Get returns the live record under key, or nil.
	Get(ctx context.Context, key string) (*Record, error)
	Close() error
}

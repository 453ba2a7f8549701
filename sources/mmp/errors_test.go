package mmp_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
	"testing"

	"switchboard/sources/mmp"
	"switchboard/sources/upstream"
)

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		kind   upstream.Kind
		msg    string // substring of the error message
	}{
		{"success false with errors object", 200, "application/json",
			`{"success":false,"data":[],"message":"Immatriculation invalide","errors":{"immatriculation":["format incorrect"]}}`,
			upstream.KindRejected, "Immatriculation invalide (immatriculation: format incorrect)"},
		{"success false with empty errors", 200, "application/json",
			`{"success":false,"data":[],"message":"Quota dépassé","errors":{}}`, upstream.KindRejected, "Quota dépassé"},
		{"success false with errors list", 200, "application/json",
			`{"success":false,"data":[],"message":"error message","errors":["a","b"]}`, upstream.KindRejected, "error message (a, b)"},
		{"success false unknown vehicle", 200, "application/json",
			`{"success":false,"data":[],"message":"Véhicule inconnu","errors":[]}`, upstream.KindNotFound, "Véhicule inconnu"},
		{"400 envelope", 400, "application/json",
			`{"success":false,"data":[],"message":"The given data was invalid.","errors":{"immatriculation":["The immatriculation field is required."]}}`,
			upstream.KindRejected, "immatriculation: The immatriculation field is required."},
		{"404 envelope", 404, "application/json",
			`{"success":false,"data":[],"message":"Vehicle not found","errors":{}}`, upstream.KindNotFound, "Vehicle not found"},
		{"422 envelope", 422, "application/json",
			`{"success":false,"data":[],"message":"error message","errors":{"x":"y"}}`, upstream.KindRejected, "x: y"},
		{"HTML page 200", 200, "text/html", "<!DOCTYPE html><html><body>Maintenance</body></html>",
			upstream.KindInvalidResponse, "HTML error page"},
		{"HTML page 502", 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>",
			upstream.KindUnavailable, "HTML error page"},
		{"500 JSON", 500, "application/json", `{"message":"Server Error"}`, upstream.KindUnavailable, "Server Error"},
		{"truncated JSON", 200, "application/json", `{"success":true,"data":{"vehicleInformations":{"monthlyMil`,
			upstream.KindInvalidResponse, "not an MMP envelope"},
		{"empty body", 200, "application/json", "", upstream.KindInvalidResponse, "not an MMP envelope"},
		{"no success flag", 200, "application/json", `{"data":{}}`, upstream.KindInvalidResponse, "not an MMP envelope"},
		{"wrong data shape", 200, "application/json", `{"success":true,"data":"OK","message":"OK","errors":[]}`,
			upstream.KindInvalidResponse, "unexpected data"},
		{"wrong field type", 200, "application/json",
			`{"success":true,"data":{"vehicleInformations":{"vehicleReleaseDate":"30/09/2009"}},"message":"OK","errors":[]}`,
			upstream.KindInvalidResponse, "bad date"},
		{"401 after refresh", 401, "application/json", `{"error":"access_denied","error_description":"denied","message":"Unauthenticated."}`,
			upstream.KindUnauthorized, "Unauthenticated."},
		{"403", 403, "application/json", `{"message":"This action is unauthorized."}`, upstream.KindUnauthorized, "This action is unauthorized."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.gate.override = func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}
			_, err := e.client.Vision360(ctx(t), "ABC123")
			ue := wantKind(t, err, tt.kind)
			if !strings.Contains(ue.Message, tt.msg) || ue.Status != tt.status || ue.Operation != "vision360" {
				t.Fatalf("got status %d message %q, want %d %q", ue.Status, ue.Message, tt.status, tt.msg)
			}
			if tt.status == 401 && e.fake.Knobs.Calls("token") != 2 {
				t.Fatalf("401 should refresh the token once: %d fetches", e.fake.Knobs.Calls("token"))
			}
		})
	}
}

func TestRetries(t *testing.T) {
	t.Run("idempotent read retried after 503", func(t *testing.T) {
		e := newEnv(t)
		e.gate.failNext.Store(1)
		must[*mmp.Vision360](t)(e.client.Vision360(ctx(t), "ABC123"))
		if n := e.gate.Hits("/vision360"); n != 2 {
			t.Fatalf("%d requests, want 2", n)
		}
	})
	t.Run("fake error rate on a read", func(t *testing.T) {
		e := newEnv(t)
		must[[]mmp.Customer](t)(e.client.Clients(ctx(t), "ABC123")) // token first
		e.fake.Knobs.SetErrorRate(1)
		_, err := e.client.Clients(ctx(t), "ABC123")
		wantKind(t, err, upstream.KindUnavailable)
		if n := e.gate.Hits("/client"); n != 1+3 {
			t.Fatalf("%d requests, want 1 + 1 try + 2 retries", n)
		}
	})
	t.Run("upload never retried", func(t *testing.T) {
		e := newEnv(t)
		e.gate.failNext.Store(1)
		_, err := uploadBytes(t, e.client, "57525", "export.zip", zipOf(t, "clients.csv"))
		wantKind(t, err, upstream.KindUnavailable)
		if n := e.gate.Hits("/clients-factures"); n != 1 {
			t.Fatalf("%d requests, want 1", n)
		}
		if len(e.fake.Uploads()) != 0 {
			t.Fatal("the fake saw the failed upload")
		}
	})
	t.Run("upstream down", func(t *testing.T) {
		e := newEnv(t)
		e.fake.Knobs.SetDown(true)
		_, err := e.client.Reminders(ctx(t), "ABC123")
		ue := wantKind(t, err, upstream.KindUnavailable)
		if ue.Operation != "token" {
			t.Fatalf("got %+v", ue)
		}
	})
}

func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("clientDmsId;clientNom\n5678;DUPONT\n"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

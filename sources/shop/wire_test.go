package shop

import (
	"bytes"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTolerantReader reads the same answers under each plausible reading of
// the document: the documented names and types, and the variants wire.go
// lists.
func TestTolerantReader(t *testing.T) {
	created := time.Date(2017, 11, 10, 10, 4, 10, 0, Paris)
	interfaces := []struct{ name, body string }{
		{"document", `{"date_creation":"2017-11-10 10:04:10","statut":2,"url":"https://a.fr","url_administration":"https://a.fr/superadmin/","url_formulaire":"https://f/p","date_suppression":"2018-02-08 10:04:10"}`},
		{"strings and key", `{"cle_interface":"k","date_creation":"2017-11-10T10:04:10","statut":"2","url":"https://a.fr","url_admin":"https://a.fr/superadmin/","form_url":"https://f/p","date_suppression":"2018-02-08 10:04:10"}`},
		{"english", `{"key":"k","created_at":"2017-11-10 10:04:10","status":2,"site_url":"https://a.fr","admin_url":"https://a.fr/superadmin/","form_url":"https://f/p","deletion_date":"2018-02-08T10:04:10+01:00"}`},
	}
	for _, tt := range interfaces {
		t.Run("interface "+tt.name, func(t *testing.T) {
			itf, err := decodeInterface("k", []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			del := time.Date(2018, 2, 8, 10, 4, 10, 0, Paris)
			if !itf.CreatedAt.Equal(created) || itf.Status != StatusDisabled || itf.URL != "https://a.fr" || itf.AdminURL != "https://a.fr/superadmin/" || itf.FormURL != "https://f/p" || !itf.DeletionDate.Equal(del) {
				t.Fatalf("%+v", itf)
			}
		})
	}
	if _, err := decodeInterface("k", []byte(`{"cle_interface":"other","statut":1}`)); err == nil {
		t.Error("an answer about another interface was accepted")
	}

	ordered := []struct{ name, body string }{
		{"document", `[{"code":"OP-PAGE","date_creation":"2018-12-19 11:44:22","resilie":true,"date_resiliation":"2019-01-01 00:00:00","reference_unique":"5c34"}]`},
		{"integers and nulls", `[{"code":"OP-PAGE","date_creation":"2018-12-19 11:44:22","resilie":1,"date_resiliation":"2019-01-01 00:00:00","reference_unique":"5c34","url_formulaire":null}]`},
		{"lone object, english", `{"code_prestation":"OP-PAGE","created_at":"2018-12-19 11:44:22","cancelled":"1","cancelled_at":"2019-01-01","reference":"5c34"}`},
	}
	for _, tt := range ordered {
		t.Run("ordered "+tt.name, func(t *testing.T) {
			got, err := decodeOrdered([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Code != "OP-PAGE" || !got[0].Cancelled || got[0].CancelledAt.IsZero() || got[0].Reference != "5c34" || got[0].CreatedAt.IsZero() {
				t.Fatalf("%+v", got)
			}
		})
	}

	prestations := []struct {
		name, body string
		price      *float64
	}{
		{"document", `{"code":"IN-BTQST-S","nom":"V","descriptif_court":"c","descriptif_long":"<p>l</p>","prix":490,"prestations_associees":["IN-BTQZ-AMM","IN-BTQZ-AMA"]}`, ptr(490)},
		{"no code, string price", `{"nom":"V","descriptif_court":"c","descriptif_long":"<p>l</p>","prix":"490.00","prestations_associees":"IN-BTQZ-AMM, IN-BTQZ-AMA"}`, ptr(490)},
		{"english, decimal comma", `{"name":"V","short_description":"c","long_description":"<p>l</p>","price":"490,00","associated":[{"code":"IN-BTQZ-AMM"},{"code":"IN-BTQZ-AMA"}]}`, ptr(490)},
		{"no price", `{"nom":"V","descriptif_court":"c","descriptif_long":"<p>l</p>","prestations_associees":["IN-BTQZ-AMM","IN-BTQZ-AMA"]}`, nil},
	}
	for _, tt := range prestations {
		t.Run("prestation "+tt.name, func(t *testing.T) {
			p, err := decodePrestation("IN-BTQST-S", []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if p.Code != "IN-BTQST-S" || p.Name != "V" || p.ShortDescription != "c" || p.LongDescription != "<p>l</p>" || !slices.Equal(p.Associated, []string{"IN-BTQZ-AMM", "IN-BTQZ-AMA"}) {
				t.Fatalf("%+v", p)
			}
			if (p.Price == nil) != (tt.price == nil) || (p.Price != nil && *p.Price != *tt.price) {
				t.Fatalf("price %v, want %v (absent is unknown, not 0)", p.Price, tt.price)
			}
		})
	}

	for _, body := range []string{`["a","b"]`, `[{"cle_interface":"a"},{"key":"b"}]`} {
		if got, err := decodeList("interfaces", []byte(body), listItemKeyNames); err != nil || !slices.Equal(got, []string{"a", "b"}) {
			t.Errorf("list %s: %v %v", body, got, err)
		}
	}
	for _, body := range []string{`{"date_reactivation":"2017-11-10 10:04:10"}`, `{"reactivation_date":"2017-11-10T10:04:10"}`} {
		if at, err := decodeDate("reactivate_interface", reactivationNames, []byte(body)); err != nil || !at.Equal(created) {
			t.Errorf("reactivation %s: %v %v", body, at, err)
		}
	}
}

func ptr(f float64) *float64 { return &f }

// TestUnknownFieldLoggedOnce: a field under no known name is logged with its
// route and name, once per process however often it comes.
func TestUnknownFieldLoggedOnce(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(prev)
	for range 3 {
		if _, err := decodeInterface("k", []byte(`{"statut":1,"theme_graphique":"bleu","date_creation":"2017-11-10 10:04:10"}`)); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(buf.String(), "field=theme_graphique"); n != 1 || !strings.Contains(buf.String(), "route=interface") {
		t.Fatalf("logged %d times: %s", n, buf.String())
	}
	if strings.Contains(buf.String(), "date_creation") || strings.Contains(buf.String(), "bleu") {
		t.Fatalf("known field or a value logged: %s", buf.String())
	}
}

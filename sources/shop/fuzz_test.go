package shop

import (
	"testing"
)

func FuzzDecodeInterface(f *testing.F) {
	f.Add([]byte(`{"date_creation": "2017-11-10 10:04:10", "statut": 1, "url": "http:\/\/nomdusite.com", "url_administration": "http:\/\/nomdusite.com\/superadmin\/"}`))
	f.Add([]byte(`{"date_creation":"2024-01-02 03:04:05","statut":"2","date_suppression":"2024-04-01 03:04:05"}`))
	f.Add([]byte(`{"statut":3,"url_formulaire":"https://f.example/p"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		itf, err := decodeInterface("k", body)
		if err != nil {
			return
		}
		if !itf.Status.Valid() || itf.Key != "k" {
			t.Fatalf("accepted %+v", itf)
		}
		if !itf.CreatedAt.IsZero() && itf.CreatedAt.Location() != Paris {
			t.Fatalf("date outside Paris: %v", itf.CreatedAt)
		}
	})
}

func FuzzDecodeOrdered(f *testing.F) {
	f.Add([]byte(`[{"code": "IN-CAISSE-S", "date_creation": "2018-12-19 11:44:22", "resilie": false, "date_resiliation": "", "reference_unique": "5c34c58c2121e"}]`))
	f.Add([]byte(`[{"code":"OP-PAGE","date_creation":"2020-01-01 00:00:00","resilie":1,"date_resiliation":"2021-01-01 00:00:00","reference_unique":"a"},{"code":"OP-PAGE","resilie":"0"}]`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		lines, err := decodeOrdered(body)
		if err != nil {
			return
		}
		for _, l := range lines {
			if l.Code == "" {
				t.Fatalf("accepted a line without code: %+v", l)
			}
		}
	})
}

func FuzzDecodePrestation(f *testing.F) {
	f.Add([]byte(`{"code":"IN-BTQST-S","nom":"Vestibulum","descriptif_court":"c","descriptif_long":"<p>l</p>","prix":490,"prestations_associees":["IN-BTQZ-AMM","IN-BTQZ-AMA"]}`))
	f.Add([]byte(`{"nom":"x","prix":"12.50","prestations_associees":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := decodePrestation("X", body)
		if err != nil {
			return
		}
		if p.Code == "" {
			t.Fatalf("accepted a prestation without code: %+v", p)
		}
	})
}

func FuzzDecodeList(f *testing.F) {
	f.Add([]byte(`["e831c78b-a576-4aad-8d5f-d594b0ccadbe","902dcbe4-04dd-4150-8436-2757fd53ce51"]`))
	f.Add([]byte(`[{"cle_interface":"a"},{"key":"b"},"c"]`))
	f.Add([]byte(`["IN-BTQST-S","IN-BTQZ-AMM","IN-BTQZ-AMM"]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		list, err := decodeList("interfaces", body, listItemKeyNames)
		if err != nil {
			return
		}
		for _, k := range list {
			if k == "" {
				t.Fatalf("accepted an empty entry: %q", list)
			}
		}
	})
}

func FuzzDecodeLinks(f *testing.F) {
	f.Add([]byte(`[{"code":"MO-ARTCRITERES-S","reference_unique":"5c34c58c2121e"}]`))
	f.Add([]byte(`{"code":"MO-ECOM-S","reference":"x","url_formulaire":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		links, err := decodeLinks("add_prestations", body)
		if err != nil {
			return
		}
		for _, l := range links {
			if l.Code == "" && l.Reference == "" {
				t.Fatalf("accepted an empty link: %+v", links)
			}
		}
	})
}

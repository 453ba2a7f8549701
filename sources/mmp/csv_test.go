package mmp_test

import (
	"strings"
	"testing"

	"switchboard/sources/mmp"
)

func TestParseBlacklistCSV(t *testing.T) {
	willis := mmp.BlacklistEntry{ClientID: 58445960, FirstName: "WILLIS", LastName: "EMMANUEL", ReminderSMS: true,
		SyncDmsPhone: true, Privacy: "telephone mobile | email", Mobile: "0630553444", Email: "w.emmanuel@mail.com",
		MemberShortName: "SAS GARAGE", PostalCode: "55200", MemberPoSCode: "417728CZ"}
	full := "clientId;clientPrenom;clientNom;clientRaisonSociale;relanceSms;relanceEmail;synchroDmsTelephone;synchroDmsEmail;viePrivee;clientPortable;clientEmail;adherentNomCourt;clientCodePostal;adherentCodePdv\n" +
		"58445960;WILLIS;EMMANUEL;;1;0;1;0;telephone mobile | email;0630553444;w.emmanuel@mail.com;SAS GARAGE;55200;417728CZ\n"
	tests := []struct {
		name string
		in   string
		want []mmp.BlacklistEntry
		err  string
	}{
		{"semicolons", full, []mmp.BlacklistEntry{willis}, ""},
		{"BOM and CRLF", "\ufeff" + strings.ReplaceAll(full, "\n", "\r\n"), []mmp.BlacklistEntry{willis}, ""},
		{"commas, words, reordered", "adherentCodePdv,clientId,clientNom,clientPrenom,relanceSms,relanceEmail,synchroDmsTelephone,synchroDmsEmail,viePrivee,clientPortable,clientEmail,adherentNomCourt,clientCodePostal,extra\n" +
			`417728CZ,58445960,EMMANUEL,WILLIS,true,false,oui,non,"telephone mobile | email",0630553444,w.emmanuel@mail.com,SAS GARAGE,55200,x` + "\n",
			[]mmp.BlacklistEntry{willis}, ""},
		{"header case and NULL", "CLIENTID;clientnom;clientPortable\n12;NULL;NULL\n", []mmp.BlacklistEntry{{ClientID: 12}}, ""},
		{"header only", "clientId;clientNom\n", nil, ""},
		{"empty", "", nil, "empty"},
		{"no clientId column", "id;nom\n1;A\n", nil, "no clientId column"},
		{"bad id", "clientId;clientNom\nabc;A\n", nil, "clientId: bad number"},
		{"bad boolean", "clientId;relanceSms\n1;peut-être\n", nil, "relanceSms: bad boolean"},
		{"ragged row", "clientId;clientNom\n1;A;B\n", nil, "wrong number of fields"},
		{"truncated quote", "clientId;clientNom\n1;\"DUP", nil, "extraneous or missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mmp.ParseBlacklistCSV(strings.NewReader(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v", got)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %+v\nwant %+v", got[i], tt.want[i])
				}
			}
		})
	}
}

func FuzzParseBlacklistCSV(f *testing.F) {
	// More seeds live in testdata/fuzz/FuzzParseBlacklistCSV.
	f.Add([]byte("clientId;clientNom;relanceSms\n1;DUPONT;1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := mmp.ParseBlacklistCSV(strings.NewReader(string(b)))
		if err != nil && got != nil {
			t.Fatal("entries returned with an error")
		}
		if lines := strings.Count(string(b), "\n") + strings.Count(string(b), "\r") + 1; len(got) > lines {
			t.Fatalf("%d entries from %d lines", len(got), lines)
		}
	})
}

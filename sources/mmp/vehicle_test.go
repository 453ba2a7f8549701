package mmp_test

import (
	"errors"
	"slices"
	"testing"

	"switchboard/sources/mmp"
	"switchboard/sources/upstream"
)

func TestVehicleServicesSeedExample(t *testing.T) {
	for name, r := range readings {
		t.Run(name, func(t *testing.T) { testVehicleServicesSeedExample(t, newEnvReading(t, r)) })
	}
}

func testVehicleServicesSeedExample(t *testing.T, e *env) {
	c, x := e.client, ctx(t)
	tests := []struct {
		name  string
		route string
		check func(t *testing.T)
	}{
		{"ImportClients", "import-client", func(t *testing.T) {
			got := must[[]mmp.RawCustomer](t)(c.ImportClients(x, "ABC123"))
			if len(got) != 1 || got[0].LastName != "DUPONT" || !is(got[0].VehicleLastVisitMileage, 52032) || got[0].FirstName != "PHILLIPE" || got[0].Mobile != "0612345678" || got[0].Civility != "MR" || got[0].City != "SURESNES" || got[0].VehicleBrand != "RENAULT" ||
				got[0].VIN != "" || got[0].ClientDmsID != "5678" || got[0].Plate != "ABC123" {
				t.Fatalf("got %+v", got)
			}
			if !got[0].VehicleNextTechnicalControlDate.IsZero() {
				t.Fatal("null date should decode as zero")
			}
		}},
		{"Clients", "client", func(t *testing.T) {
			got := must[[]mmp.Customer](t)(c.Clients(x, "ABC123"))
			if len(got) != 1 || got[0].LastName != "DUPONT" || got[0].FirstName != "Phillipe" || got[0].Mobile != "0612345678" ||
				got[0].MemberPoSCode != "920150" || !is(got[0].ReminderSMS, true) || !is(got[0].ReminderEmail, false) || got[0].Civility != "M." || got[0].MemberID != 57525 {
				t.Fatalf("got %+v", got)
			}
		}},
		{"Operations", "historiques", func(t *testing.T) {
			got := must[[]mmp.Operation](t)(c.Operations(x, "ABC123"))
			i := slices.IndexFunc(got, func(o mmp.Operation) bool { return o.InvoiceDmsID == "40475" })
			if i < 0 || got[i].PrivateJobLabel != "Plaquettes de frein" || !is(got[i].Mileage, 96753) ||
				got[i].OperationDate.String() != "2020-01-30" {
				t.Fatalf("got %+v", got)
			}
		}},
		{"Forecasts", "previsions", func(t *testing.T) {
			got := must[[]mmp.Forecast](t)(c.Forecasts(x, "ABC123"))
			i := slices.IndexFunc(got, func(f mmp.Forecast) bool { return f.PrivateJobID == 4 })
			if i < 0 {
				t.Fatalf("no Filtre à air in %+v", got)
			}
			f := got[i]
			if f.PrivateJobLabel != "Filtre à air" || f.LastJobDate.String() != "2016-02-23" ||
				f.MileageBasedEstimatedDate.String() != "2032-08-01" || !f.PeriodicBasedEstimatedDate.IsZero() ||
				f.ForecastInformations != nil {
				t.Fatalf("got %+v", f)
			}
		}},
		{"ImportInvoices", "import-factures", func(t *testing.T) {
			got := must[[]mmp.RawInvoiceLine](t)(c.ImportInvoices(x, "ABC123"))
			l := got[0]
			if l.InvoiceID != 35129724 || l.InvoiceDmsID != "26187" || !is(l.InvoiceAmount, 297.79) || !is(l.Mileage, 20544) ||
				l.JobCode != "M1" || !is(l.PartQuantity, 1.4) || l.WorkshopNationalID != "32635721700024" || l.InvoiceDate.String() != "2012-06-20" {
				t.Fatalf("got %+v", l)
			}
		}},
		{"Invoices", "factures", func(t *testing.T) {
			got := must[[]mmp.Invoice](t)(c.Invoices(x, "ABC123"))
			byID := map[string]mmp.Invoice{}
			for _, inv := range got {
				byID[inv.InvoiceDmsID] = inv
			}
			if inv := byID["24177"]; !is(inv.InvoiceAmount, 181.6) || !is(inv.Mileage, 11001) || inv.Lines == nil || len(inv.Lines) != 0 {
				t.Fatalf("24177: %+v", inv)
			}
			inv := byID["40475"]
			if !is(inv.InvoiceAmount, 932.87) || len(inv.Lines) != 1 || inv.Lines[0].PartReference != "425405" ||
				inv.Lines[0].PartBrand != "CITROEN" || inv.Lines[0].PrivateJobID != 14 || inv.MemberID != 0 {
				t.Fatalf("40475: %+v", inv)
			}
		}},
		{"Reminders", "relances", func(t *testing.T) {
			got := must[[]mmp.Reminder](t)(c.Reminders(x, "ABC123"))
			i := slices.IndexFunc(got, func(r mmp.Reminder) bool { return r.CampaignID == 468 })
			if i < 0 {
				t.Fatalf("no campaign 468 in %+v", got)
			}
			r := got[i]
			if r.CampaignLabel != "Décembre 2016" || r.CampaignType != "predictive" || r.MemberTradeName != "H2N AUTOMOBILE" ||
				r.DiffusionDate.String() != "2020-11-18 11:26:01" || r.Diffusions[0] != (mmp.Diffusion{ID: 39, Label: "SMS"}) ||
				r.Operations[0].Label != "Filtre habitacle" || r.Operations[0].MessageDescription != "-10%" || r.ClientDmsID != "" {
				t.Fatalf("got %+v", r)
			}
		}},
		{"Vision360", "vision360", func(t *testing.T) {
			v := must[*mmp.Vision360](t)(c.Vision360(x, "ABC123"))
			vi := v.VehicleInformations
			if vi.VIN != "VF7RDRFJC9L554165" || !is(vi.MonthlyMileageEstimated, 1100) || !is(vi.CurrentMileageEstimated, 0) || vi.ReleaseDate.String() != "2009-09-30" ||
				vi.LastVisitDate.String() != "2020-09-01" || !is(vi.LastVisitMileage, 96753) || vi.LastTechnicalControlDate.String() != "2017-09-30" ||
				!vi.NextTechnicalControlDate.IsZero() {
				t.Fatalf("vehicle %+v", vi)
			}
			if len(v.RawCustomers) != 1 || len(v.Customers) != 1 || len(v.Invoices) != 5 || len(v.RawInvoiceLines) == 0 ||
				len(v.Operations) == 0 || len(v.Forecasts) != 3 || len(v.Reminders) != 2 || string(v.Diagnostic) != "{}" {
				t.Fatalf("lists %+v", v)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.fake.Knobs.Calls(tt.route)
			tt.check(t)
			if n := e.fake.Knobs.Calls(tt.route) - before; n != 1 {
				t.Fatalf("fake counted %d %q calls, want 1", n, tt.route)
			}
		})
	}
}

func TestVision360Fleet(t *testing.T) {
	e := newEnv(t)
	plates := e.fake.Plates()
	if len(plates) != testVehicles+4 || plates[0] != "ABC123" || !slices.Contains(plates, "AB123CD") || !slices.Contains(plates, "DEF123") {
		t.Fatalf("plates: %d, first %v", len(plates), plates[:3])
	}
	for _, p := range append([]string{"AB123CD", "DEF123"}, plates[4:40]...) {
		v, err := e.client.Vision360(ctx(t), p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		vi := v.VehicleInformations
		if len(vi.VIN) != 17 || vi.ReleaseDate.IsZero() || vi.MonthlyMileageEstimated == nil || *vi.MonthlyMileageEstimated <= 0 {
			t.Fatalf("%s: vehicle %+v", p, vi)
		}
		if n := len(v.Customers); n < 1 || n > 3 || len(v.RawCustomers) != n {
			t.Fatalf("%s: %d customers", p, n)
		}
		for _, c := range v.Customers {
			if c.LastName == "" || c.ClientID == 0 || (c.Mobile != "" && c.Mobile[:2] != "06" && c.Mobile[:2] != "07") {
				t.Fatalf("%s: customer %+v", p, c)
			}
		}
		if len(v.Invoices) == 0 || len(v.RawInvoiceLines) == 0 || len(v.Operations) == 0 || len(v.Forecasts) == 0 {
			t.Fatalf("%s: history %+v", p, v)
		}
		last := v.Invoices[len(v.Invoices)-1]
		if !last.InvoiceDate.Equal(vi.LastVisitDate.Time) || *last.Mileage != *vi.LastVisitMileage {
			t.Fatalf("%s: last visit %v/%d vs invoice %v/%d", p, vi.LastVisitDate, vi.LastVisitMileage, last.InvoiceDate, last.Mileage)
		}
		for _, r := range v.RawInvoiceLines {
			if r.Plate != p || r.InvoiceID == 0 {
				t.Fatalf("%s: raw line %+v", p, r)
			}
		}
	}
	if v := must[*mmp.Vision360](t)(e.client.Vision360(ctx(t), "DEF123")); v.Customers[0].LastName != "LEFEBVRE" || v.RawCustomers[0].VehicleModel != "SANDERO" {
		t.Fatalf("DEF123: %+v", v.Customers[0])
	}
}

func TestPlates(t *testing.T) {
	e := newEnv(t)
	if _, err := e.client.Invoices(ctx(t), "ab-123 cd"); err != nil {
		t.Fatalf("normalized plate: %v", err)
	}
	for _, bad := range []string{"", "  ", "AB/123", "ABCDEF", "1234", "AB123CD12345", "DROP TABLE;", "ÉÉ123"} {
		_, err := e.client.Vision360(ctx(t), bad)
		ue := wantKind(t, err, upstream.KindBadInput)
		if !errors.Is(err, mmp.ErrInvalidPlate) || ue.Status != 0 {
			t.Fatalf("%q: %v", bad, err)
		}
	}
	if n := e.fake.Knobs.Calls("vision360"); n != 0 {
		t.Fatalf("invalid plates reached the upstream %d times", n)
	}
}

func TestUnknownPlate(t *testing.T) {
	e := newEnv(t)
	_, err := e.client.Vision360(ctx(t), "ZZ999ZZ")
	ue := wantKind(t, err, upstream.KindNotFound)
	if ue.Status != 404 || ue.Message != "Vehicle not found" {
		t.Fatalf("got %+v", ue)
	}
}

func TestNormalizePlate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"AB-123-CD", "AB123CD", true},
		{"ab 123 cd", "AB123CD", true},
		{" ab.123.cd ", "AB123CD", true},
		{"1234 AB 75", "1234AB75", true},
		{"123-ABC-2A", "123ABC2A", true},
		{"ABC123", "ABC123", true},
		{"WW-123-AB", "WW123AB", true},
		{"A1", "A1", true},
		{"", "", false},
		{"A", "", false},
		{"ABCDEFG", "", false},
		{"1234567", "", false},
		{"AB_123_CD", "", false},
		{"AB123CD/", "", false},
		{"ABCDE123456", "", false},
		{"AB–123–CD", "", false}, // en dashes are not separators a form sends
		{"<script>", "", false},
	}
	for _, tt := range tests {
		got, err := mmp.NormalizePlate(tt.in)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("NormalizePlate(%q) = %q, %v; want %q ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, mmp.ErrInvalidPlate) {
			t.Errorf("%q: error %v is not ErrInvalidPlate", tt.in, err)
		}
	}
}

package mmp

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestDecodeTolerant(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Customer
	}{
		{"document names", `{"clientId":58440117,"clientNom":"DUPONT","clientPrenom":"Phillipe","clientPortable":"0612345678",
			"relanceSms":true,"relanceEmail":false,"memberId":57525}`,
			Customer{ClientID: 58440117, LastName: "DUPONT", FirstName: "Phillipe", Mobile: "0612345678",
				ReminderSMS: ptr(true), ReminderEmail: ptr(false), MemberID: 57525}},
		{"English names, numbers as strings", `{"clientId":"58440117","clientLastName":"DUPONT","clientFirstName":"Phillipe",
			"clientMobile":"0612345678","relanceSms":"1","relanceEmail":0,"adherentId":"57525","adherentCodePdv":"920150"}`,
			Customer{ClientID: 58440117, LastName: "DUPONT", FirstName: "Phillipe", Mobile: "0612345678",
				ReminderSMS: ptr(true), ReminderEmail: ptr(false), MemberID: 57525, MemberPoSCode: "920150"}},
		{"nulls are absent, a number where a string is expected", `{"clientId":null,"clientDmsId":5678,"relanceSms":null,"clientNom":null}`,
			Customer{ClientDmsID: "5678"}},
		{"the first name wins", `{"clientNom":"DUPONT","clientLastName":"OTHER"}`, Customer{LastName: "DUPONT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Customer
			if err := decode([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeZeroIsAValue(t *testing.T) {
	var v VehicleInfo
	if err := decode([]byte(`{"vehicleCurrentMilageEstimated":0,"vehicleLastVisitMileage":"96 753","monthlyMilageEstimated":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.CurrentMileageEstimated == nil || *v.CurrentMileageEstimated != 0 || *v.LastVisitMileage != 96753 || v.MonthlyMileageEstimated != nil {
		t.Fatalf("got %+v", v)
	}
	var l RawInvoiceLine
	if err := decode([]byte(`{"invoiceAmount":"297,79","partQuantity":1.4,"vehicleMileage":20544.0}`), &l); err != nil {
		t.Fatal(err)
	}
	if *l.InvoiceAmount != 297.79 || *l.PartQuantity != 1.4 || *l.Mileage != 20544 {
		t.Fatalf("got %+v", l)
	}
}

func TestDecodePHPShapes(t *testing.T) {
	var v Vision360
	in := `{"vehicleInformations":[],"relanceClientList":{"0":{"clientNom":"A"},"1":{"clientNom":"B"}},"vehiculeDiagnostic":{"x":1}}`
	if err := decode([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Customers) != 2 || v.Customers[1].LastName != "B" || string(v.Diagnostic) != `{"x":1}` {
		t.Fatalf("got %+v", v)
	}
	for _, bad := range []string{`{"clientId":"abc"}`, `{"clientNom":{"x":1}}`, `{"relanceSms":"peut-être"}`, `[1]`} {
		var c Customer
		if err := decode([]byte(bad), &c); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestUnknownFieldsAreLoggedOnce(t *testing.T) {
	for range 2 {
		var c Customer
		if err := decode([]byte(`{"clientNom":"A","clientNickname":"Bob"}`), &c); err != nil {
			t.Fatal(err)
		}
	}
	if got := UnknownFields(); !slices.Contains(got, "Customer.clientNickname") || slices.Contains(got, "Customer.clientNom") {
		t.Fatalf("unknown fields %v", got)
	}
}

// Every value decode takes must survive the caches' own JSON round trip.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"vehicleInformations":{"vehicleCurrentMilageEstimated":0,"vehicleReleaseDate":"2009-09-30"},"clientList":[{"clientNom":"X"}]}`,
		`{"relanceClientList":{"0":{"clientId":"12","relanceSms":"oui"}},"vehiculeFactureList":[{"invoiceAmount":"1,5","invoiceContent":[]}]}`,
		`{"vehiculeHistoriqueList":[{"operationMileage":"12 000","date":"2020-11-18 11:26:01"}],"vehiculeDiagnostic":[]}`,
		`[]`, `null`, `{"vehicleInformations":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v Vision360
		if decode(b, &v) != nil {
			return
		}
		enc, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("decoded value does not encode: %v", err)
		}
		var back Vision360
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Fatalf("cache round trip: %v", err)
		}
	})
}

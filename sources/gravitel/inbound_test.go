package gravitel_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"testing"
	"time"

	"switchboard/sources/gravitel"
	"switchboard/sources/phone"
)

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func TestParseInbound(t *testing.T) {
	const cid = "B10D0EB124F4E64AF4EA-1511"
	for _, tc := range []struct {
		name string
		form url.Values
		want gravitel.Command // nil: ErrInvalidParameters
	}{
		{"users", form("cmd", "users", "crm_token", "x"), gravitel.UsersCommand{}},
		{"users as in the seed example", form("cmd", "user"), gravitel.UsersCommand{}},
		{"no cmd", form("phone", "79101234567"), nil},
		{"unknown cmd", form("cmd", "makeCall"), nil},
		{"contact", form("cmd", "contact", "phone", "79101234567", "callid", cid),
			gravitel.ContactCommand{Phone: "79101234567", CallID: cid}},
		{"contact national phone", form("cmd", "contact", "phone", "06 12 34 56 78", "callid", cid),
			gravitel.ContactCommand{Phone: "33612345678", CallID: cid}},
		{"contact without callid", form("cmd", "contact", "phone", "79101234567"), nil},
		{"contact without phone", form("cmd", "contact", "callid", cid), nil},
		{"contact bad phone", form("cmd", "contact", "phone", "anonymous", "callid", cid), nil},
		{"event", form("cmd", "event", "type", "INCOMING", "phone", "79101234567", "diversion", "74951234567", "user", "krg", "callid", cid),
			gravitel.EventCommand{Type: "INCOMING", Phone: "79101234567", Diversion: "74951234567", User: "krg", CallID: cid}},
		{"event without diversion", form("cmd", "event", "type", "CANCELLED", "phone", "+33612345678", "user", "krg", "callid", cid),
			gravitel.EventCommand{Type: "CANCELLED", Phone: "33612345678", User: "krg", CallID: cid}},
		{"event accepted", form("cmd", "event", "type", "ACCEPTED", "phone", "33612345678", "user", "krg", "callid", cid),
			gravitel.EventCommand{Type: "ACCEPTED", Phone: "33612345678", User: "krg", CallID: cid}},
		{"event completed", form("cmd", "event", "type", "COMPLETED", "phone", "33612345678", "user", "krg", "callid", cid),
			gravitel.EventCommand{Type: "COMPLETED", Phone: "33612345678", User: "krg", CallID: cid}},
		{"event type the seed does not name, read as sent", form("cmd", "event", "type", "ringing", "phone", "79101234567", "user", "krg", "callid", cid),
			gravitel.EventCommand{Type: "RINGING", Phone: "79101234567", User: "krg", CallID: cid}},
		{"event lowercase type", form("cmd", "event", "type", "incoming", "phone", "79101234567", "user", "krg", "callid", cid),
			gravitel.EventCommand{Type: "INCOMING", Phone: "79101234567", User: "krg", CallID: cid}},
		{"event without user", form("cmd", "event", "type", "INCOMING", "phone", "79101234567", "callid", cid), nil},
		{"event without callid", form("cmd", "event", "type", "INCOMING", "phone", "79101234567", "user", "krg"), nil},
		{"event bad diversion", form("cmd", "event", "type", "INCOMING", "phone", "79101234567", "diversion", "x", "user", "krg", "callid", cid), nil},
		{"history in", form("cmd", "history", "type", "in", "phone", "79101234567", "diversion", "74951234567", "user", "krg",
			"duration", "124", "callid", cid, "link", "https://r.example/a.mp3|https://r.example/b.mp3",
			"start", "20240905T113200Z", "status", "Success"),
			gravitel.HistoryCommand{Type: "in", User: "krg", Phone: "79101234567", Diversion: "74951234567", Duration: 124, CallID: cid,
				Link: "https://r.example/a.mp3|https://r.example/b.mp3", Links: []string{"https://r.example/a.mp3", "https://r.example/b.mp3"},
				Start: time.Date(2024, 9, 5, 11, 32, 0, 0, time.UTC), Status: "Success"}},
		{"history out minimal", form("cmd", "history", "type", "out", "phone", "79101234567", "user", "krg", "duration", "0", "callid", cid),
			gravitel.HistoryCommand{Type: "out", User: "krg", Phone: "79101234567", CallID: cid}},
		{"history rfc3339 start", form("cmd", "history", "type", "out", "phone", "79101234567", "user", "krg", "duration", "5", "callid", cid, "start", "2024-09-05T13:32:00+02:00"),
			gravitel.HistoryCommand{Type: "out", User: "krg", Phone: "79101234567", Duration: 5, CallID: cid, Start: time.Date(2024, 9, 5, 11, 32, 0, 0, time.UTC)}},
		{"history bad type", form("cmd", "history", "type", "inbound", "phone", "79101234567", "user", "krg", "duration", "1", "callid", cid), nil},
		{"history type upper case, decimal duration", form("cmd", "history", "type", "OUT", "phone", "+79101234567", "user", "krg", "duration", "12.6", "callid", cid),
			gravitel.HistoryCommand{Type: "out", User: "krg", Phone: "79101234567", Duration: 13, CallID: cid}},
		{"history bad duration", form("cmd", "history", "type", "in", "phone", "79101234567", "user", "krg", "duration", "12s", "callid", cid), nil},
		{"history negative decimal duration", form("cmd", "history", "type", "in", "phone", "79101234567", "user", "krg", "duration", "-0.5", "callid", cid), nil},
		{"history NaN duration", form("cmd", "history", "type", "in", "phone", "79101234567", "user", "krg", "duration", "NaN", "callid", cid), nil},
		{"history negative duration", form("cmd", "history", "type", "in", "phone", "79101234567", "user", "krg", "duration", "-1", "callid", cid), nil},
		{"history without duration", form("cmd", "history", "type", "in", "phone", "79101234567", "user", "krg", "callid", cid), nil},
		{"history bad start", form("cmd", "history", "type", "in", "phone", "79101234567", "user", "krg", "duration", "1", "callid", cid, "start", "yesterday"), nil},
		{"history without phone", form("cmd", "history", "type", "in", "user", "krg", "duration", "1", "callid", cid), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := gravitel.ParseInbound(tc.form)
			if tc.want == nil {
				if !errors.Is(err, gravitel.ErrInvalidParameters) {
					t.Fatalf("got %#v, %v; want ErrInvalidParameters", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %#v\nwant %#v", got, tc.want)
			}
			if got.Cmd() != tc.form.Get("cmd") && !(tc.form.Get("cmd") == "user" && got.Cmd() == "users") {
				t.Fatalf("Cmd() = %q", got.Cmd())
			}
		})
	}
}

func TestCheckToken(t *testing.T) {
	for _, tc := range []struct {
		form     url.Values
		expected string
		ok       bool
	}{
		{form("crm_token", "abc"), "abc", true},
		{form("crm_token", "abd"), "abc", false},
		{form("crm_token", "ab"), "abc", false},
		{form(), "abc", false},
		{form("crm_token", ""), "", false},
		{form("token", "abc"), "abc", false},
	} {
		if got := gravitel.CheckToken(tc.form, tc.expected); got != tc.ok {
			t.Errorf("%v / %q: got %v", tc.form, tc.expected, got)
		}
	}
}

func TestResponseBodies(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{gravitel.UsersResponse{Users: []gravitel.User{{ID: "krg", Name: "Кириллов Роман (Глава)"}, {ID: "petrov", Name: "Пётр Петров"}}},
			`{"users":[{"id":"krg","name":"Кириллов Роман (Глава)"},{"id":"petrov","name":"Пётр Петров"}]}`},
		{gravitel.ContactResponse{ContactName: "Иван Иванов", Responsible: "23"}, `{"contact_name":"Иван Иванов","responsible":23}`},
		{gravitel.ContactResponse{ContactName: "Jean Dupont", Responsible: "krg"}, `{"contact_name":"Jean Dupont","responsible":"krg"}`},
		{gravitel.ContactResponse{ContactName: "X", Responsible: "007"}, `{"contact_name":"X","responsible":"007"}`},
		{gravitel.ContactResponse{}, `{"contact_name":""}`},
		{gravitel.InvalidParametersResponse, `{"error":"Invalid parameters"}`},
		{gravitel.InvalidTokenResponse, `{"error":"Invalid token"}`},
	} {
		b, err := json.Marshal(tc.v)
		if err != nil || string(b) != tc.want {
			t.Errorf("got %s, %v; want %s", b, err, tc.want)
		}
	}
	if gravitel.StatusInvalidParameters != 400 || gravitel.StatusInvalidToken != 401 {
		t.Fatal("statuses")
	}
	for _, body := range []string{`{"contact_name":"A","responsible":23}`, `{"contact_name":"A","responsible":"23"}`} {
		var c gravitel.ContactResponse
		if err := json.Unmarshal([]byte(body), &c); err != nil || c != (gravitel.ContactResponse{ContactName: "A", Responsible: "23"}) {
			t.Errorf("%s: got %+v, %v", body, c, err)
		}
	}
}

func FuzzParseInbound(f *testing.F) {
	for _, s := range []string{
		"cmd=users&crm_token=t",
		"cmd=contact&phone=79101234567&callid=B10D0EB124F4E64AF4EA-1511&crm_token=t",
		"cmd=event&type=INCOMING&phone=79101234567&diversion=74951234567&user=krg&callid=X-1&crm_token=t",
		"cmd=history&type=in&phone=%2B33612345678&user=krg&duration=124&callid=X-1&link=https%3A%2F%2Fr%2Fa.mp3%7Chttps%3A%2F%2Fr%2Fb.mp3&start=20240905T113200Z&status=Success",
		"cmd=history&type=out&phone=06+12+34+56+78&user=a&duration=-3&callid=X",
		"cmd=event&type=%00&phone=%ff",
		"cmd=contact&phone=0033612345678&phone=abc&callid=1",
		"%zz=1&cmd",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		cmd, err := gravitel.ParseInbound(v)
		if err != nil {
			if !errors.Is(err, gravitel.ErrInvalidParameters) || cmd != nil {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		phones := map[string]string{}
		switch c := cmd.(type) {
		case gravitel.UsersCommand:
		case gravitel.ContactCommand:
			phones["phone"] = c.Phone
			if c.CallID == "" {
				t.Fatal("empty callid accepted")
			}
		case gravitel.EventCommand:
			phones["phone"], phones["diversion"] = c.Phone, c.Diversion
			if c.CallID == "" || c.User == "" {
				t.Fatal("empty callid or user accepted")
			}
		case gravitel.HistoryCommand:
			phones["phone"], phones["diversion"] = c.Phone, c.Diversion
			if c.Duration < 0 || (c.Type != "in" && c.Type != "out") {
				t.Fatalf("bad history accepted: %+v", c)
			}
		default:
			t.Fatalf("unknown command %T", cmd)
		}
		for k, p := range phones {
			if p == "" {
				continue
			}
			if n, err := phone.Normalize(p); err != nil || n != p {
				t.Fatalf("%s %q is not normalized (%q, %v)", k, p, n, err)
			}
		}
	})
}

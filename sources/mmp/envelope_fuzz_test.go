package mmp

import (
	"encoding/json"
	"testing"
)

func TestDecodeEnvelope(t *testing.T) {
	tests := []struct {
		body    string
		ok      bool
		success bool
		errs    Errors
		msg     string
	}{
		{`{"success":true,"data":[],"message":"OK","errors":[]}`, true, true, nil, "OK"},
		{`{"success":false,"data":[],"message":"error message","errors":{}}`, true, false, nil, "error message"},
		{`{"success":false,"data":[],"message":"m","errors":{"f":["a","b"],"g":"c","h":null,"i":{"j":1}}}`, true, false,
			Errors{"f": {"a", "b"}, "g": {"c"}, "h": nil, "i": {`{"j":1}`}}, "m"},
		{`{"success":false,"message":["a","b"],"errors":"oops"}`, true, false, Errors{"": {"oops"}}, "a, b"},
		{`{"success":false,"errors":[["x"],{"y":1}]}`, true, false, Errors{"": {"x", `{"y":1}`}}, ""},
		{`{"success":"yes"}`, false, false, nil, ""},
		{`{"data":[]}`, false, false, nil, ""},
		{`[]`, false, false, nil, ""},
		{`<html>`, false, false, nil, ""},
		{`{"success":true,"data":{`, false, false, nil, ""},
	}
	for _, tt := range tests {
		env, err := decodeEnvelope([]byte(tt.body))
		if (err == nil) != tt.ok {
			t.Fatalf("%s: err %v", tt.body, err)
		}
		if err != nil {
			continue
		}
		if env.Success != tt.success || env.Message != tt.msg || len(env.Errors) != len(tt.errs) {
			t.Fatalf("%s: got %+v", tt.body, env)
		}
		for k, v := range tt.errs {
			if got := env.Errors[k]; len(got) != len(v) || (len(v) > 0 && got[0] != v[0]) {
				t.Fatalf("%s: errors[%q] = %q", tt.body, k, got)
			}
		}
	}
}

func FuzzDecodeEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"success":true,"data":[],"message":"OK","errors":[]}`,
		`{"success":false,"data":[],"message":"Vehicle not found","errors":{}}`,
		`{"success":false,"data":[],"message":"x","errors":{"immatriculation":["required"]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := decodeEnvelope(b)
		if err != nil {
			return
		}
		if !json.Valid(b) {
			t.Fatalf("accepted invalid JSON %q", b)
		}
		_ = env.describe()
		if env.describe() == "" || (!env.Success && errorMessage(400, b) == "") {
			t.Fatalf("empty description for %q", b)
		}
	})
}

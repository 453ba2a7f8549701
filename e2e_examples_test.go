package main

import (
	"encoding/json"
	"strings"
	"testing"

	"switchboard/resolvers"
)

// Every GraphiQL example runs without error in the sandbox (subscriptions
// are exercised by the browser test and the WebSocket tests).
func TestExamplesRun(t *testing.T) {
	g := startGateway(t, nil)
	if err := g.gw.Telephony.Login(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, ex := range resolvers.Examples {
		if strings.HasPrefix(strings.TrimSpace(ex.Query), "subscription") {
			continue
		}
		var vars map[string]any
		if ex.Variables != "" {
			if err := json.Unmarshal([]byte(ex.Variables), &vars); err != nil {
				t.Fatalf("%s: variables: %v", ex.Name, err)
			}
		}
		r := g.query(ex.Query, vars)
		if len(r.Errors) != 0 || len(r.Data) == 0 {
			t.Errorf("%s: %v", ex.Name, r.Errors)
		}
	}
}

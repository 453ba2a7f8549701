package e2e

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// Documents that touch no source are answered from a kept answer after the
// first time: a client sees the same status, type and bytes each time, the
// key is still checked, the cost is still reported, and the query is timed.
func TestStaticAnswersRepeat(t *testing.T) {
	g := startGateway(t, nil)
	cases := []struct {
		name, body, accept, key, cost string
		status                        int
		contentType                   string
	}{
		{name: "typename", body: `{"query":"query Ping { __typename }"}`, key: g.key, status: 200, contentType: "application/json"},
		{name: "graphql-response", body: `{"query":"{ t: __typename }"}`, accept: "application/graphql-response+json", key: g.key, status: 200, contentType: "application/graphql-response+json"},
		{name: "introspection", body: `{"query":"{ __type(name: \"Vehicle\") { name } __schema { queryType { name } } }"}`, key: g.key, status: 200, contentType: "application/json"},
		{name: "bad key", body: `{"query":"query Ping { __typename }"}`, key: "wrong", status: 401, contentType: "application/graphql-response+json"},
		{name: "cost asked", body: `{"query":"query Ping { __typename }"}`, key: g.key, cost: "1", status: 200, contentType: "application/json"},
		{name: "unknown field", body: `{"query":"{ __typename nope }"}`, key: g.key, status: 200, contentType: "application/json"},
	}
	post := func(body, accept, key, cost string) (int, string, string) {
		req, _ := http.NewRequest("POST", g.url+"/graphql", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		if cost != "" {
			req.Header.Set("X-Switchboard-Cost", cost)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(raw)
	}
	before := g.scrape()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var first string
			for i := range 3 {
				status, ct, body := post(c.body, c.accept, c.key, c.cost)
				if status != c.status || ct != c.contentType {
					t.Fatalf("answer %d: status %d, type %q; want %d, %q", i, status, ct, c.status, c.contentType)
				}
				if i == 0 {
					first = body
				} else if body != first {
					t.Fatalf("answer %d differs from the first:\n%s\n%s", i, body, first)
				}
			}
			if c.cost != "" && !bytes.Contains([]byte(first), []byte(`"cost"`)) {
				t.Errorf("no extensions.cost: %s", first)
			}
		})
	}
	after := g.scrape()
	hist := "switchboard_graphql_operation_duration_seconds_count"
	b, _ := metric(before, hist, map[string]string{"operation": "Ping", "type": "query"})
	a, _ := metric(after, hist, map[string]string{"operation": "Ping", "type": "query"})
	if a-b != 6 { // typename and cost asked, three times each; the refused key never runs
		t.Errorf("Ping timed %v times, want 6", a-b)
	}
}

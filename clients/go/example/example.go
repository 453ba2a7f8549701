// Package example is a Go client of Switchboard made with genqlient: the
// operations in operations.graphql become typed functions (generated.go)
// checked against the public schema, schema.lock.graphql.
//
//	c := example.NewClient("http://localhost:8080", key)
//	resp, err := example.VehicleByPlate(ctx, c, "AB-123-CD")
package example

import (
	"net/http"
	"strings"

	"github.com/Khan/genqlient/graphql"
)

// NewClient returns a genqlient client of the gateway at baseURL that
// presents key as a bearer token.
func NewClient(baseURL, key string) graphql.Client {
	return NewClientWith(baseURL, key, http.DefaultClient)
}

// NewClientWith is NewClient over hc (timeouts, proxies, transport).
func NewClientWith(baseURL, key string, hc *http.Client) graphql.Client {
	return graphql.NewClient(strings.TrimRight(baseURL, "/")+"/graphql", &bearer{key: key, hc: hc})
}

type bearer struct {
	key string
	hc  *http.Client
}

func (b *bearer) Do(r *http.Request) (*http.Response, error) {
	r.Header.Set("Authorization", "Bearer "+b.key)
	return b.hc.Do(r)
}

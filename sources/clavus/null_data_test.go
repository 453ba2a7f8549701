package clavus

import (
	"errors"
	"testing"

	"github.com/Khan/genqlient/graphql"

	"switchboard/sources/clavus/clavusgql"
)

// A null result beside errors is a failure: decoded as partial data it
// would be a prospect with id "" or a page with totalCount 0.
func TestDecodeNullResultIsFailure(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		partial    bool
	}{
		{"null mutation result", `{"data":{"upsertProspect":null},"errors":[{"message":"boom","path":["upsertProspect"]}]}`, false},
		{"null nested result", `{"data":{"erpEnrAPI":{"getFolders":null}},"errors":[{"message":"boom","path":["erpEnrAPI","getFolders"]}]}`, false},
		{"null namespace", `{"data":{"erpEnrAPI":null},"errors":[{"message":"boom"}]}`, false},
		{"one item null", `{"data":{"erpEnrAPI":{"getValuesByIds":[null,{"id":"x","values":[]}]}},"errors":[{"message":"Folder not found: y"}]}`, true},
		{"empty list is a value", `{"data":{"erpEnrAPI":{"getColumns":[]}},"errors":[{"message":"warn"}]}`, true},
		{"zero is a value", `{"data":{"erpEnrAPI":{"getFolders":{"totalCount":0,"results":[]}}},"errors":[{"message":"warn"}]}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := decodeResponse("Op", []byte(tc.body), &graphql.Response{Data: &clavusgql.GetFoldersResponse{}})
			var pe *PartialError
			if got := errors.As(err, &pe); got != tc.partial || err == nil {
				t.Fatalf("err = %v; partial = %v, want %v", err, got, tc.partial)
			}
		})
	}
}

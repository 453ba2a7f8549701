package clavus

import (
	"errors"
	"testing"

	"github.com/Khan/genqlient/graphql"

	"switchboard/sources/clavus/clavusgql"
	"switchboard/sources/upstream"
)

// FuzzDecodeResponse feeds arbitrary bodies to the response decoder: it must
// never panic, and must either succeed with data, or fail with a typed error.
func FuzzDecodeResponse(f *testing.F) {
	for _, s := range []string{
		`{"data":{"erpEnrAPI":{"getFolders":{"totalCount":2,"results":[{"id":"a","columns":[{"id":"col1","name":"Nom du client","value":"John Doe"}]}]}}}}`,
		`{"data":{"erpEnrAPI":{"getValuesByIds":[null,{"id":"x","values":[]}]}},"errors":[{"message":"Folder not found: y","path":["erpEnrAPI","getValuesByIds",0],"extensions":{"code":"NOT_FOUND"}}]}`,
		`{"data":null,"errors":[{"message":"Unauthorized","extensions":{"code":"UNAUTHENTICATED"}}]}`,
		`{"errors":[{"message":"x","locations":[{"line":1,"column":2}],"path":[1,"a",{}]}]}`,
		`{"errors":[null]}`,
		`{"errors":[]}`,
		`<html>502</html>`,
		`{"data":{"erpEnrAPI":{"getTe`,
		`null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, data := range []any{&clavusgql.GetFoldersResponse{}, &clavusgql.GetValuesByIdsResponse{}} {
			resp := &graphql.Response{Data: data}
			err := decodeResponse("GetFolders", body, resp)
			if err == nil {
				continue
			}
			var pe *PartialError
			if errors.As(err, &pe) && pe.Err == nil {
				t.Fatal("PartialError without cause")
			}
			if _, ok := upstream.AsError(err); !ok {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			_ = err.Error()
		}
		_ = errorMessage(400, body)
	})
}

package msem

import (
	"encoding/json"
	"testing"
)

func FuzzDecodeNotification(f *testing.F) {
	f.Add([]byte(`{"channel":"LBM","operations":[{"type":"CreateCustomer","value":{"id":1581190,"lastname":"Marcone","firstname":"Cédric","email":"cedric.marcone@valraiso.fr"}},{"type":"UpdateCustomer","value":{"id":1581191,"lastname":"Rampon","firstname":"Benjamin","email":"benjamin.rampon@valraiso.fr"}}]}`))
	f.Add([]byte(`{"channel":"LBM","operations":[{"type":"CreateOrder","value":{"id":42,"customerId":"7","total":12.5,"lines":[{"sku":"A"}]}},{"type":"Other","value":[1,2]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var n Notification
		if json.Unmarshal(body, &n) != nil {
			return
		}
		out, err := json.Marshal(n)
		if err != nil {
			t.Fatalf("decoded %+v but cannot encode it: %v", n, err)
		}
		var again Notification
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		if len(again.Operations) != len(n.Operations) {
			t.Fatalf("round trip lost operations: %s", out)
		}
		for i, op := range again.Operations {
			if op.Type != n.Operations[i].Type {
				t.Fatalf("round trip changed type %d: %s", i, out)
			}
		}
	})
}

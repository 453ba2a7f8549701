package notifications_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"switchboard/graph/notifications"
	"switchboard/sources/msem"
	msemfake "switchboard/sources/msem/fake"
	"switchboard/sources/upstream"
)

// TestNotify: a refused operation is an input error naming its field and
// nothing leaves; a valid one is sent once and echoed.
func TestNotify(t *testing.T) {
	f := msemfake.New(msemfake.Options{ClientID: "cid", ClientSecret: "secret"})
	srv := httptest.NewServer(f)
	defer srv.Close()
	c, err := msem.New(msem.Config{AuthURL: srv.URL, ServicesURL: srv.URL, ClientID: "cid", ClientSecret: "secret", Channel: "LBM"})
	if err != nil {
		t.Fatal(err)
	}
	s := notifications.New(c)
	ctx := context.Background()
	_, err = s.Notify(ctx, []msem.Operation{msem.NewCreateCustomer(msem.Customer{ID: 1, Lastname: "Durand", Firstname: "Ana"})})
	var ie *upstream.InputError
	if !errors.As(err, &ie) || ie.Field != "operations[0].value.email" {
		t.Fatalf("no email: %v, want an input error on operations[0].value.email", err)
	}
	if n := f.Knobs.Calls("notification"); n != 0 {
		t.Fatalf("a refused notification was sent %d times", n)
	}
	n, err := s.Notify(ctx, []msem.Operation{msem.NewCreateCustomer(msem.Customer{ID: 1, Lastname: "Durand", Firstname: "Ana", Email: "ana@example.com"})})
	if err != nil || n.Channel != "LBM" || len(n.Operations) != 1 || f.Knobs.Calls("notification") != 1 {
		t.Fatalf("valid: %+v %v (sent %d)", n, err, f.Knobs.Calls("notification"))
	}
}

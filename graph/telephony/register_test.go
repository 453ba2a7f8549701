package telephony_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"switchboard/graph/telephony"
	"switchboard/sources/gravitel"
	"switchboard/sources/gravitel/fake"
)

const webhookURL = "https://gw.example/integrations/gravitel"

// eventually fails the test unless cond holds within a generous bound.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestKeepRegistered(t *testing.T) {
	pbx := fake.New(fake.Options{DownAtStart: true, NoAutoOutbound: true})
	srv := httptest.NewServer(pbx)
	t.Cleanup(func() { srv.Close(); pbx.Close() })
	login, password := pbx.Credentials()
	c, err := gravitel.New(gravitel.Config{URL: srv.URL, Login: login, Password: password, CRMCode: "switchboard",
		CRMToken: "crm-token", WebhookURL: webhookURL, HTTP: srv.Client(), Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	svc := telephony.New(telephony.Options{Client: c, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		RegisterBackoffMin: 5 * time.Millisecond, RegisterBackoffMax: 50 * time.Millisecond, RegisterRecheck: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	registered := make(chan struct{})
	go svc.KeepRegistered(ctx, func() { close(registered) })

	// Down at start: the logins are retried, nobody asking.
	eventually(t, "logins retried while the PBX is down", func() bool { return pbx.Knobs.Calls("login") >= 3 })
	if svc.Registered() {
		t.Fatal("registered with a PBX that is down")
	}
	pbx.Knobs.SetDown(false)
	eventually(t, "registered once the PBX is back", svc.Registered)
	<-registered
	if reg := pbx.Registration(); reg.WebhookURL != webhookURL || reg.CRMToken != "crm-token" {
		t.Fatalf("PBX holds %+v", reg)
	}

	// The PBX forgets us; the periodic check notices (401) and registers again.
	logins := pbx.Knobs.Calls("login")
	pbx.Forget()
	eventually(t, "registered again after the PBX forgot us", func() bool {
		return pbx.Registration().WebhookURL == webhookURL && pbx.Knobs.Calls("login") > logins
	})

}

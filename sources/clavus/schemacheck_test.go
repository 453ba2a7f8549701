package clavus_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchboard/sources/clavus"
	"switchboard/sources/clavus/fake"
	"switchboard/sources/upstream"
)

// readings are the two readings of the guide the fake can serve.
var readings = []struct {
	name string
	opts fake.Options
}{
	{"documented", fake.Options{}},
	{"other", fake.Options{Typing: fake.TypingStringInt, Keys: fake.KeysDotted, PhoneForms: true}},
}

func setupWith(t *testing.T, opts fake.Options) (*clavus.Client, *fake.Server) {
	t.Helper()
	opts.APIKey, opts.Seed = "test-key", 42
	f := fake.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := clavus.New(clavus.Config{URL: srv.URL + "/api/external/graphql", APIKey: "test-key", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c, f
}

func TestSchemaCheckReadings(t *testing.T) {
	for _, r := range readings {
		t.Run(r.name, func(t *testing.T) {
			c, f := setupWith(t, r.opts)
			rep := c.CheckSchema(context.Background())
			if rep.Refused != nil || rep.Err() != nil {
				t.Fatalf("report: refused %v, err %v", rep.Refused, rep.Err())
			}
			if r.opts.Typing == fake.TypingStringInt && len(rep.Adapted) == 0 {
				t.Fatalf("nothing adapted under String/Int typing")
			}
			t.Log(rep.Summary())
			ctx := context.Background()
			id := f.Folders()[0].ID
			if v, err := c.ValuesByIDs(ctx, []string{id}); err != nil || len(v[id]) == 0 {
				t.Fatalf("values: %v %v", v, err)
			}
			if u, err := c.Users(ctx, "1"); err != nil || len(u) == 0 {
				t.Fatalf("users: %v %v", u, err)
			}
			name, power := "Jeanne", 300.0
			p, err := c.UpsertProspect(ctx, clavus.ProspectInput{FirstName: &name, PowerKWc: &power})
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			note := "rappeler"
			if _, err := c.UpsertProspect(ctx, clavus.ProspectInput{ID: p.ID, CommercialNote: &note}); err != nil {
				t.Fatalf("update: %v", err)
			}
			half := 6.5
			_, err = c.UpsertProspect(ctx, clavus.ProspectInput{ID: p.ID, PowerKWc: &half})
			if r.opts.Typing == fake.TypingStringInt {
				if ue, ok := upstream.AsError(err); !ok || ue.Kind != upstream.KindBadInput || !strings.Contains(err.Error(), "powerKWc") {
					t.Fatalf("6.5 kWc to an Int Clavus: %v", err)
				}
			} else if err != nil {
				t.Fatalf("6.5 kWc: %v", err)
			}
		})
	}
}

func TestSchemaCheckMismatch(t *testing.T) {
	c, f := setupWith(t, fake.Options{ArgTypes: map[string]string{"getUsers.teamId": "Int"}})
	rep := c.CheckSchema(context.Background())
	err := rep.Err()
	if err == nil || !strings.Contains(err.Error(), "GetUsers argument teamId: ours ID, Clavus's Int") {
		t.Fatalf("err %v", err)
	}
	before := len(f.Received())
	if _, err := c.Users(context.Background(), "1"); err == nil || !strings.Contains(err.Error(), "teamId") {
		t.Fatalf("users: %v", err)
	}
	if len(f.Received()) != before {
		t.Error("a request the live schema refuses was sent")
	}
}

func TestSchemaCheckIntrospectionRefused(t *testing.T) {
	c, _ := setupWith(t, fake.Options{NoIntrospection: true})
	rep := c.CheckSchema(context.Background())
	if rep.Refused == nil || rep.Err() != nil || !strings.Contains(rep.Summary(), "introspection refused") {
		t.Fatalf("report %+v: %s", rep, rep.Summary())
	}
	if _, err := c.Teams(context.Background()); err != nil {
		t.Fatalf("declared operations still run: %v", err)
	}
}

package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	clavusfake "switchboard/sources/clavus/fake"
	gravitelfake "switchboard/sources/gravitel/fake"
	mmpfake "switchboard/sources/mmp/fake"
	msemfake "switchboard/sources/msem/fake"
	shopfake "switchboard/sources/shop/fake"
)

// upstreams are the five fakes, shared by every gateway of a test, so a
// side effect is counted once whichever gateway caused it. The PBX's
// makeCall and MseM's notification can be slowed down: the fake then acts
// after the gateway gave up, as a slow upstream does.
type upstreams struct {
	shop   *shopfake.Server
	msem   *msemfake.Server
	mmp    *mmpfake.Server
	clavus *clavusfake.Server
	pbx    *gravitelfake.Server
	env    map[string]string

	slowMakeCall, slowNotify atomic.Int64 // nanoseconds
}

const idemCRMToken = "idem-crm-token"

func startUpstreams(t *testing.T) *upstreams {
	t.Helper()
	u := &upstreams{
		shop:   shopfake.New(shopfake.Options{ClientID: "shop-id", ClientSecret: "shop-secret", Seed: 5, Interfaces: 80}),
		msem:   msemfake.New(msemfake.Options{ClientID: "msem-id", ClientSecret: "msem-secret"}),
		mmp:    mmpfake.New(mmpfake.Options{ClientID: "cid", ClientSecret: "csecret", Username: "u@example.com", Password: "pw", Version: "v2", Network: "trif", Seed: 7, Vehicles: 10}),
		clavus: clavusfake.New(clavusfake.Options{APIKey: "clavus-key", Seed: 7}),
		pbx:    gravitelfake.New(gravitelfake.Options{Login: "admin", Password: "pbx-pass", Seed: 3, NoAutoOutbound: true}),
	}
	serve := func(h http.Handler) string {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	shopURL, mmpURL, clavusURL := serve(u.shop), serve(u.mmp), serve(u.clavus)
	msemURL := serve(u.delayed(u.msem, &u.slowNotify, func(r *http.Request, _ []byte) bool { return r.URL.Path == msemfake.NotificationPath }))
	pbxURL := serve(u.delayed(u.pbx, &u.slowMakeCall, func(_ *http.Request, body []byte) bool {
		form, _ := url.ParseQuery(string(body))
		return form.Get("cmd") == "makeCall"
	}))
	t.Cleanup(u.pbx.Close)
	u.env = map[string]string{
		"SWITCHBOARD_SANDBOX": "", "SWITCHBOARD_RATE_LIMIT": "0", // tests send bursts
		"SHOP_BASE_URL": shopURL, "SHOP_CLIENT_ID": "shop-id", "SHOP_CLIENT_SECRET": "shop-secret",
		"MSEM_AUTH_URL": msemURL, "MSEM_SERVICES_URL": msemURL, "MSEM_CLIENT_ID": "msem-id", "MSEM_CLIENT_SECRET": "msem-secret", "MSEM_CHANNEL": "LBM",
		"MMP_BASE_URL": mmpURL, "MMP_API_VERSION": "v2", "MMP_NETWORK": "trif",
		"MMP_CLIENT_ID": "cid", "MMP_CLIENT_SECRET": "csecret", "MMP_USERNAME": "u@example.com", "MMP_PASSWORD": "pw",
		"CLAVUS_URL": clavusURL + "/api/external/graphql", "CLAVUS_API_KEY": "clavus-key",
		"GRAVITEL_URL": pbxURL, "GRAVITEL_LOGIN": "admin", "GRAVITEL_PASSWORD": "pbx-pass",
		"GRAVITEL_CRM_CODE": "switchboard", "GRAVITEL_CRM_TOKEN": idemCRMToken,
	}
	return u
}

// delayed serves next, first waiting *delay for the requests slow picks;
// the request is then applied even though its client has gone.
func (u *upstreams) delayed(next http.Handler, delay *atomic.Int64, slow func(*http.Request, []byte) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		d := time.Duration(delay.Load())
		if d <= 0 || !slow(r, body) {
			next.ServeHTTP(w, r)
			return
		}
		time.Sleep(d)
		next.ServeHTTP(w, r.WithContext(context.WithoutCancel(r.Context())))
	})
}

// env is u.env with extra on top.
func (u *upstreams) with(extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range u.env {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// eventually waits (generously) until cond holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
	}
}

func randomKey(t *testing.T) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return strings.ReplaceAll(t.Name(), "/", "-") + "-" + hex.EncodeToString(b)
}

// sideEffect is one mutation with an upstream effect: request builds its
// i-th distinct request (a different target each time), effects counts
// what the fake applied.
type sideEffect struct {
	name    string
	request func(t *testing.T, g *testGateway, u *upstreams, i int) (query string, vars map[string]any)
	effects func(u *upstreams) int
	upload  bool // vars["f"] is sent as a file
}

var sideEffects = []sideEffect{
	{
		name: "createInterface",
		request: func(t *testing.T, _ *testGateway, _ *upstreams, i int) (string, map[string]any) {
			return `mutation ($g: String!, $k: String) { createInterface(input: {guid: $g, prestations: ["IN-ECO-S", "IN-ECO-AMM"], client: {company: "Garage Martin", email: "contact@garage-martin.fr"}}, idempotencyKey: $k) { key } }`,
				map[string]any{"g": randomKey(t)}
		},
		effects: func(u *upstreams) int { return u.shop.Knobs.Calls("create_interface") },
	},
	{
		name: "deleteInterface",
		request: func(_ *testing.T, _ *testGateway, u *upstreams, i int) (string, map[string]any) {
			return `mutation ($x: ID!, $k: String) { deleteInterface(key: $x, idempotencyKey: $k) { key status } }`,
				map[string]any{"x": u.shop.Keys(1)[i]}
		},
		effects: func(u *upstreams) int { return u.shop.Knobs.Calls("delete_interface") },
	},
	{
		name: "reactivateInterface",
		request: func(_ *testing.T, _ *testGateway, u *upstreams, i int) (string, map[string]any) {
			return `mutation ($x: ID!, $k: String) { reactivateInterface(key: $x, idempotencyKey: $k) { key status } }`,
				map[string]any{"x": u.shop.Keys(2)[i]}
		},
		effects: func(u *upstreams) int { return u.shop.Knobs.Calls("reactivate_interface") },
	},
	{
		name: "addPrestations",
		request: func(_ *testing.T, _ *testGateway, u *upstreams, i int) (string, map[string]any) {
			return `mutation ($x: ID!, $k: String) { addPrestations(key: $x, codes: ["MO-ECOM-S", "MO-ECOM-AMM"], idempotencyKey: $k) { code } }`,
				map[string]any{"x": u.shop.Keys(1)[20+i]}
		},
		effects: func(u *upstreams) int { return u.shop.Knobs.Calls("add_prestations") },
	},
	{
		name: "cancelPrestation",
		request: func(t *testing.T, g *testGateway, u *upstreams, i int) (string, map[string]any) {
			key := u.shop.Keys(1)[40+i]
			r := g.query(`query ($x: ID!) { interface(key: $x) { prestations { code cancelled } } }`, map[string]any{"x": key})
			code, _ := r.at("interface.prestations.0.code").(string)
			if code == "" {
				t.Fatalf("interface %s: %v %v", key, r.Errors, r.Data)
			}
			return `mutation ($x: ID!, $c: String!, $k: String) { cancelPrestation(key: $x, codeOrReference: $c, idempotencyKey: $k) { code } }`,
				map[string]any{"x": key, "c": code}
		},
		effects: func(u *upstreams) int { return u.shop.Knobs.Calls("cancel_prestation") },
	},
	{
		name: "makeCall",
		request: func(_ *testing.T, _ *testGateway, _ *upstreams, i int) (string, map[string]any) {
			return `mutation ($p: String!, $k: String) { makeCall(phone: $p, user: "user1", idempotencyKey: $k) { phone user requestedAt } }`,
				map[string]any{"p": fmt.Sprintf("+336123456%02d", i)}
		},
		effects: func(u *upstreams) int { return len(u.pbx.MakeCalls()) },
	},
	{
		name: "uploadCustomerInvoices",
		request: func(_ *testing.T, _ *testGateway, _ *upstreams, i int) (string, map[string]any) {
			return `mutation ($f: Upload!, $k: String) { uploadCustomerInvoices(organizationId: "57525", file: $f, idempotencyKey: $k) { success message } }`,
				map[string]any{"f": zipWith(fmt.Sprintf("clients-%d.csv", i))}
		},
		effects: func(u *upstreams) int { return len(u.mmp.Uploads()) },
		upload:  true,
	},
	{
		name: "notifyMsem",
		request: func(_ *testing.T, _ *testGateway, _ *upstreams, i int) (string, map[string]any) {
			return `mutation ($o: ID!, $k: String) { notifyMsem(operations: [{type: CreateOrder, order: {id: $o, customerId: "1581190"}}], idempotencyKey: $k) { channel operations { type } } }`,
				map[string]any{"o": fmt.Sprintf("A-%d", i)}
		},
		effects: func(u *upstreams) int { return u.msem.Knobs.Calls("notification") },
	},
	{
		name: "pushCustomerToMsem",
		request: func(_ *testing.T, _ *testGateway, _ *upstreams, i int) (string, map[string]any) {
			return `mutation ($id: ID!, $k: String) { pushCustomerToMsem(customer: {id: $id, lastName: "Marcone", firstName: "Cédric", email: "cedric.marcone@valraiso.fr"}, idempotencyKey: $k) { channel } }`,
				map[string]any{"id": fmt.Sprint(1000 + i)}
		},
		effects: func(u *upstreams) int { return u.msem.Knobs.Calls("notification") },
	},
	{
		name: "upsertProspect",
		request: func(_ *testing.T, _ *testGateway, _ *upstreams, i int) (string, map[string]any) {
			return `mutation ($n: String!, $k: String) { upsertProspect(input: {lastName: $n}, idempotencyKey: $k) { id lastName } }`,
				map[string]any{"n": fmt.Sprintf("Prospect %d", i)}
		},
		effects: func(u *upstreams) int { return u.clavus.Knobs.Calls("upsertProspect") },
	},
}

// zipWith is a small ZIP holding one file (MMP takes ZIPs only).
func zipWith(name string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	_, _ = io.WriteString(w, "id;nom\n1;Martin\n")
	_ = zw.Close()
	return buf.Bytes()
}

// send runs query on g with the key as argument (key) or header (header).
func send(t *testing.T, g *testGateway, query string, vars map[string]any, key, header string, upload bool) gqlResponse {
	t.Helper()
	v := map[string]any{}
	for k, x := range vars {
		v[k] = x
	}
	if key != "" {
		v["k"] = key
	}
	var req *http.Request
	if upload {
		data := v["f"].([]byte)
		v["f"] = nil
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		ops, _ := json.Marshal(map[string]any{"query": query, "variables": v})
		_ = mw.WriteField("operations", string(ops))
		_ = mw.WriteField("map", `{"0": ["variables.f"]}`)
		fw, _ := mw.CreateFormFile("0", "export.zip")
		_, _ = fw.Write(data)
		_ = mw.Close()
		req, _ = http.NewRequest("POST", g.url+"/graphql", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
	} else {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": v})
		req, _ = http.NewRequest("POST", g.url+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/graphql-response+json")
	req.Header.Set("Authorization", "Bearer "+g.key)
	if header != "" {
		req.Header.Set("Idempotency-Key", header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return gqlResponse{}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Errorf("not JSON (%d): %s", resp.StatusCode, raw)
	}
	out.Status = resp.StatusCode
	return out
}

func replayed(r gqlResponse) bool { return r.Extensions["idempotentReplay"] == true }

// checkOnce asserts that first and again answered the same data without
// errors, again as a replay, and that the fake applied one effect.
func checkOnce(t *testing.T, se sideEffect, u *upstreams, before int, first, again gqlResponse) {
	t.Helper()
	if len(first.Errors) != 0 || len(again.Errors) != 0 {
		t.Fatalf("%s: errors %v / %v", se.name, first.Errors, again.Errors)
	}
	if !reflect.DeepEqual(first.Data, again.Data) || first.Data[se.name] == nil {
		t.Fatalf("%s: answers differ: %v / %v", se.name, first.Data, again.Data)
	}
	if replayed(first) || !replayed(again) {
		t.Fatalf("%s: idempotentReplay %v then %v", se.name, first.Extensions, again.Extensions)
	}
	if n := se.effects(u) - before; n != 1 {
		t.Fatalf("%s: %d upstream effects, want 1", se.name, n)
	}
}

func TestIdempotentMutationsTwiceAndConcurrent(t *testing.T) {
	u := startUpstreams(t)
	g := startGateway(t, u.env)
	for _, se := range sideEffects {
		t.Run(se.name, func(t *testing.T) {
			q, vars := se.request(t, g, u, 0)
			key := randomKey(t)
			before := se.effects(u)
			first := send(t, g, q, vars, key, "", se.upload)
			// The same key as a header this time: one key, one effect.
			again := send(t, g, q, vars, "", key, se.upload)
			checkOnce(t, se, u, before, first, again)

			// The same key with another request is refused, and not sent.
			q2, vars2 := se.request(t, g, u, 1)
			before = se.effects(u)
			if r := send(t, g, q2, vars2, key, "", se.upload); strings.Join(r.codes(), ",") != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "idempotencyKey" {
				t.Fatalf("key reused for another request: %v", r.Errors)
			}
			if se.effects(u) != before {
				t.Fatal("a refused key reached the upstream")
			}

			// Ten at once with one key: one effect, ten equal answers.
			key = randomKey(t)
			var wg sync.WaitGroup
			answers := make([]gqlResponse, 10)
			for i := range answers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					answers[i] = send(t, g, q2, vars2, key, "", se.upload)
				}()
			}
			wg.Wait()
			replays := 0
			for _, a := range answers {
				if len(a.Errors) != 0 || !reflect.DeepEqual(a.Data, answers[0].Data) {
					t.Fatalf("concurrent answers differ: %v %v / %v", a.Errors, a.Data, answers[0].Data)
				}
				if replayed(a) {
					replays++
				}
			}
			if n := se.effects(u) - before; n != 1 || replays != 9 {
				t.Fatalf("10 concurrent: %d effects, %d replays; want 1 and 9", n, replays)
			}
		})
	}
}

func TestIdempotencySurvivesRestart(t *testing.T) {
	u := startUpstreams(t)
	env := u.with(map[string]string{"SWITCHBOARD_DATA_DIR": t.TempDir()})
	a := startGateway(t, env)
	type sent struct {
		q     string
		vars  map[string]any
		key   string
		first gqlResponse
	}
	var firsts []sent
	for _, se := range sideEffects {
		q, vars := se.request(t, a, u, 2)
		s := sent{q: q, vars: vars, key: randomKey(t)}
		before := se.effects(u)
		s.first = send(t, a, q, vars, s.key, "", se.upload)
		if n := se.effects(u) - before; n != 1 || len(s.first.Errors) != 0 {
			t.Fatalf("%s: %d effects, errors %v", se.name, n, s.first.Errors)
		}
		firsts = append(firsts, s)
	}
	a.close()
	b := startGateway(t, env)
	for i, se := range sideEffects {
		s := firsts[i]
		before := se.effects(u)
		again := send(t, b, s.q, s.vars, s.key, "", se.upload)
		// The first request's effect is counted already: none more.
		checkOnce(t, se, u, before-1, s.first, again)
	}
}

func TestIdempotencyAcrossReplicas(t *testing.T) {
	redisURL, _ := startRedis(t)
	u := startUpstreams(t)
	env := u.with(map[string]string{"REDIS_URL": redisURL})
	a, b := startGateway(t, env), startGateway(t, env)
	for _, se := range sideEffects {
		t.Run(se.name, func(t *testing.T) {
			q, vars := se.request(t, a, u, 3)
			key := randomKey(t)
			before := se.effects(u)
			first := send(t, a, q, vars, key, "", se.upload)
			again := send(t, b, q, vars, key, "", se.upload)
			checkOnce(t, se, u, before, first, again)

			// Concurrent duplicates spread over both replicas.
			q, vars = se.request(t, a, u, 4)
			key = randomKey(t)
			before = se.effects(u)
			var wg sync.WaitGroup
			for i := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					g := a
					if i%2 == 1 {
						g = b
					}
					if r := send(t, g, q, vars, key, "", se.upload); len(r.Errors) != 0 {
						t.Errorf("replica %d: %v", i%2, r.Errors)
					}
				}()
			}
			wg.Wait()
			if n := se.effects(u) - before; n != 1 {
				t.Fatalf("6 concurrent over 2 replicas: %d effects, want 1", n)
			}
		})
	}
}

// A PBX slower than the request's deadline places the call after the
// gateway gave up: the answer says the outcome is unknown, a retry with the
// same key does not dial again, and once the PBX's history of the call
// arrives the retry answers the call.
func TestMakeCallUnknownOutcomeSettledByHistory(t *testing.T) {
	t.Run("embedded store", func(t *testing.T) {
		u := startUpstreams(t)
		g := startGateway(t, u.with(map[string]string{"SWITCHBOARD_REQUEST_TIMEOUT": "600ms"}))
		unknownThenSettled(t, u, g, g)
	})
	t.Run("two replicas on Redis", func(t *testing.T) {
		redisURL, _ := startRedis(t)
		u := startUpstreams(t)
		env := u.with(map[string]string{"SWITCHBOARD_REQUEST_TIMEOUT": "600ms", "REDIS_URL": redisURL})
		unknownThenSettled(t, u, startGateway(t, env), startGateway(t, env))
	})
}

// unknownThenSettled dials through a, then retries through b.
func unknownThenSettled(t *testing.T, u *upstreams, a, b *testGateway) {
	const q = `mutation ($k: String) { makeCall(phone: "06 12 34 56 99", user: "user1", idempotencyKey: $k) { phone user requestedAt } }`
	for _, g := range []*testGateway{b, a} { // logs in: the PBX calls back the last one
		if r := g.query(`{ pbxAccounts { name } }`, nil); len(r.Errors) != 0 {
			t.Fatal(r.Errors)
		}
	}
	u.slowMakeCall.Store(int64(2 * time.Second))
	key := randomKey(t)
	r := send(t, a, q, nil, key, "", false)
	if strings.Join(r.codes(), ",") != "UPSTREAM_TIMEOUT@gravitel" || r.Errors[0].Extensions["outcome"] != "UNKNOWN" {
		t.Fatalf("slow PBX: %v", r.Errors)
	}
	eventually(t, "the PBX places the call late", func() bool { return len(u.pbx.MakeCalls()) == 1 })
	u.slowMakeCall.Store(0)
	if n := len(u.pbx.MakeCalls()); n != 1 {
		t.Fatalf("PBX dialled %d times", n)
	}
	r = send(t, b, q, nil, key, "", false)
	if strings.Join(r.codes(), ",") != "UPSTREAM_TIMEOUT@gravitel" || r.Errors[0].Extensions["outcome"] != "UNKNOWN" || !replayed(r) {
		t.Fatalf("same key before the history: %v %v", r.Errors, r.Extensions)
	}
	if _, err := u.pbx.PlayOutbound(t.Context(), "33612345699", "user1", true); err != nil {
		t.Fatal(err)
	}
	r = send(t, b, q, nil, key, "", false)
	if len(r.Errors) != 0 || r.at("makeCall.phone") != "33612345699" || r.at("makeCall.user") != "user1" || !replayed(r) {
		t.Fatalf("same key after the history: %v %v", r.Errors, r.Data)
	}
	if n := len(u.pbx.MakeCalls()); n != 1 {
		t.Fatalf("PBX dialled %d times", n)
	}
}

// The same (phone, user) again within 30 s is a double click: refused
// without a key, placed with a new one.
func TestMakeCallDuplicateRule(t *testing.T) {
	u := startUpstreams(t)
	g := startGateway(t, u.env)
	const q = `mutation ($k: String) { makeCall(phone: "0612345698", user: "user1", idempotencyKey: $k) { phone } }`
	if r := send(t, g, q, nil, "", "", false); len(r.Errors) != 0 {
		t.Fatal(r.Errors)
	}
	r := send(t, g, q, nil, "", "", false)
	if strings.Join(r.codes(), ",") != "BAD_USER_INPUT" || r.Errors[0].Extensions["rule"] != "duplicate_call" {
		t.Fatalf("double click: %v", r.Errors)
	}
	if r := send(t, g, q, nil, randomKey(t), "", false); len(r.Errors) != 0 {
		t.Fatalf("with a new key: %v", r.Errors)
	}
	if r := g.query(`mutation { makeCall(phone: "0612345698", user: "user2") { phone } }`, nil); len(r.Errors) != 0 {
		t.Fatalf("another user: %v", r.Errors)
	}
	if n := len(u.pbx.MakeCalls()); n != 3 {
		t.Fatalf("PBX dialled %d times, want 3", n)
	}
}

// MseM failing or slow receives exactly one notification per mutation:
// nothing is resent, and a retry with the same key replays the outcome.
func TestMsemNotifiedOnceWhenFailingOrSlow(t *testing.T) {
	u := startUpstreams(t)
	g := startGateway(t, u.with(map[string]string{"SWITCHBOARD_REQUEST_TIMEOUT": "600ms"}))
	const q = `mutation ($k: String) { pushCustomerToMsem(customer: {id: "77", lastName: "Durand", firstName: "Léa", email: "lea@durand.fr"}, idempotencyKey: $k) { channel } }`
	calls := func() int { return u.msem.Knobs.Calls("notification") }

	u.msem.FailNext(1)
	if r := send(t, g, q, nil, "", "", false); strings.Join(r.codes(), ",") != "UPSTREAM_UNAVAILABLE@msem" || calls() != 1 {
		t.Fatalf("500 without a key: %v, %d notifications", r.Errors, calls())
	}
	u.msem.FailNext(1)
	key := randomKey(t)
	first := send(t, g, q, nil, key, "", false)
	again := send(t, g, q, nil, key, "", false)
	if first.codes()[0] != "UPSTREAM_UNAVAILABLE@msem" || !replayed(again) || again.Errors[0].Message != first.Errors[0].Message || calls() != 2 {
		t.Fatalf("500 with a key: %v / %v, %d notifications", first.Errors, again.Errors, calls())
	}

	u.slowNotify.Store(int64(2 * time.Second))
	key = randomKey(t)
	r := send(t, g, q, nil, key, "", false)
	if strings.Join(r.codes(), ",") != "UPSTREAM_TIMEOUT@msem" || r.Errors[0].Extensions["outcome"] != "UNKNOWN" {
		t.Fatalf("slow MseM: %v", r.Errors)
	}
	eventually(t, "MseM applies the notification late", func() bool { return len(u.msem.Received()) == 1 })
	u.slowNotify.Store(0)
	r = send(t, g, q, nil, key, "", false)
	if r.Errors[0].Extensions["outcome"] != "UNKNOWN" || !replayed(r) {
		t.Fatalf("same key after a timeout: %v", r.Errors)
	}
	if calls() != 3 || len(u.msem.Received()) != 1 {
		t.Fatalf("%d notifications sent, %d applied; want 3 and 1", calls(), len(u.msem.Received()))
	}
}

func TestIdempotencyKeyRules(t *testing.T) {
	u := startUpstreams(t)
	g := startGateway(t, u.with(map[string]string{"SWITCHBOARD_MAX_BATCH": "5"}))
	notify := `mutation ($k: String) { notifyMsem(operations: [{type: UpdateOrder, order: {id: "B-1"}}], idempotencyKey: $k) { channel } }`
	two := `mutation { a: notifyMsem(operations: [{type: UpdateOrder, order: {id: "B-2"}}]) { channel } b: notifyMsem(operations: [{type: UpdateOrder, order: {id: "B-3"}}]) { channel } }`
	cases := []struct {
		name, query, key, header, field string
	}{
		{"blank key", notify, " ", "", "idempotencyKey"},
		{"key too long", notify, strings.Repeat("k", 256), "", "idempotencyKey"},
		{"argument and header differ", notify, "k-1", "k-2", "idempotencyKey"},
		{"header on two mutations", two, "", "k-3", "Idempotency-Key"},
	}
	for _, c := range cases {
		r := send(t, g, c.query, nil, c.key, c.header, false)
		if len(r.Errors) == 0 {
			t.Fatalf("%s: accepted", c.name)
		}
		for _, e := range r.Errors {
			if e.Extensions["code"] != "BAD_USER_INPUT" || e.Extensions["field"] != c.field {
				t.Errorf("%s: %v", c.name, r.Errors)
			}
		}
	}
	// A batch of several operations cannot share the header either.
	op := `{"query": "mutation { notifyMsem(operations: [{type: UpdateOrder, order: {id: \"B-4\"}}]) { channel } }"}`
	req, _ := http.NewRequest("POST", g.url+"/graphql", strings.NewReader("["+op+","+op+"]"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+g.key)
	req.Header.Set("Idempotency-Key", "k-4")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var batch []gqlResponse
	err = json.NewDecoder(resp.Body).Decode(&batch)
	resp.Body.Close()
	if err != nil || len(batch) != 2 {
		t.Fatalf("batch: %v %v", batch, err)
	}
	for _, r := range batch {
		if len(r.Errors) != 1 || r.Errors[0].Extensions["field"] != "Idempotency-Key" {
			t.Errorf("batch with the header: %v", r.Errors)
		}
	}
	if n := u.msem.Knobs.Calls("notification"); n != 0 {
		t.Fatalf("refused keys sent %d notifications", n)
	}
	// Two mutations each with its own key are fine.
	r := send(t, g, `mutation { a: notifyMsem(operations: [{type: UpdateOrder, order: {id: "B-2"}}], idempotencyKey: "ka") { channel } b: notifyMsem(operations: [{type: UpdateOrder, order: {id: "B-3"}}], idempotencyKey: "kb") { channel } }`, nil, "", "", false)
	if len(r.Errors) != 0 || u.msem.Knobs.Calls("notification") != 2 {
		t.Fatalf("two keyed mutations: %v", r.Errors)
	}
}

// Shop's guid orders once: the same order again answers the first
// interface, another order with that guid is refused.
func TestShopGuidNaturalKey(t *testing.T) {
	u := startUpstreams(t)
	g := startGateway(t, u.env)
	const q = `mutation ($g: String!, $c: [String!]!) { createInterface(input: {guid: $g, prestations: $c, client: {company: "Garage Martin", email: "contact@garage-martin.fr"}}) { key } }`
	guid := randomKey(t)
	first := g.query(q, map[string]any{"g": guid, "c": []any{"IN-ECO-S", "IN-ECO-AMM"}})
	again := g.query(q, map[string]any{"g": guid, "c": []any{"IN-ECO-S", "IN-ECO-AMM"}})
	if len(first.Errors) != 0 || !reflect.DeepEqual(first.Data, again.Data) || !replayed(again) {
		t.Fatalf("same order: %v %v / %v %v", first.Errors, first.Data, again.Errors, again.Data)
	}
	r := g.query(q, map[string]any{"g": guid, "c": []any{"IN-PRO-S", "IN-PRO-AMM"}})
	if strings.Join(r.codes(), ",") != "BAD_USER_INPUT" || r.Errors[0].Extensions["rule"] != "guid_reused" || r.Errors[0].Extensions["field"] != "input.guid" {
		t.Fatalf("another order, same guid: %v", r.Errors)
	}
	if n := len(u.shop.Creations()); n != 1 {
		t.Fatalf("Shop created %d interfaces, want 1", n)
	}
}

// An empty or blank id that selects what a mutation changes is refused
// before any upstream is called.
func TestBlankIDsRefused(t *testing.T) {
	u := startUpstreams(t)
	g := startGateway(t, u.env)
	cases := []struct{ query, field string }{
		{`mutation { deleteInterface(key: " ") { key } }`, "key"},
		{`mutation { reactivateInterface(key: "") { key } }`, "key"},
		{`mutation { addPrestations(key: " ", codes: ["MO-ECOM-S"]) { code } }`, "key"},
		{`mutation { cancelPrestation(key: "", codeOrReference: "IN-ECO-AMM") { code } }`, "key"},
		{`mutation { upsertProspect(input: {id: "", lastName: "X"}) { id } }`, "input.id"},
		{`mutation { upsertProspect(input: {id: "  ", lastName: "X"}) { id } }`, "input.id"},
	}
	for _, c := range cases {
		r := g.query(c.query, nil)
		if strings.Join(r.codes(), ",") != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != c.field {
			t.Errorf("%s: %v", c.query, r.Errors)
		}
	}
	r := send(t, g, `mutation ($f: Upload!) { uploadCustomerInvoices(organizationId: " ", file: $f) { success } }`, map[string]any{"f": zipWith("a.csv")}, "", "", true)
	if strings.Join(r.codes(), ",") != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "organizationId" {
		t.Errorf("blank organizationId: %v", r.Errors)
	}
	if u.shop.Knobs.Calls("delete_interface")+u.shop.Knobs.Calls("reactivate_interface")+u.shop.Knobs.Calls("add_prestations")+
		u.shop.Knobs.Calls("cancel_prestation")+u.clavus.Knobs.Calls("upsertProspect")+len(u.mmp.Uploads()) != 0 {
		t.Fatal("a blank id reached an upstream")
	}
}

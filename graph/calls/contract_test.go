package calls

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"switchboard/graph/internal/redistest"
)

var t0 = time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)

// runContract checks what every Store promises. open returns a fresh,
// empty store.
func runContract(t *testing.T, open func(t *testing.T) Store) {
	ctx := context.Background()

	t.Run("incoming call lifecycle", func(t *testing.T) {
		s := open(t)
		patch := CallPatch{Direction: DirectionIn, Phone: "33612345678", Diversion: "33184808080", User: "daria"}
		c, err := s.RecordEvent(ctx, "C1", Event{Type: EventIncoming, At: t0, User: "daria"}, patch)
		if err != nil || c.Status != StatusRinging || !c.StartedAt.Equal(t0) || c.Phone != "33612345678" {
			t.Fatalf("%+v %v", c, err)
		}
		mustEvent(t, s, "C1", EventAccepted, t0.Add(5*time.Second), "daria", patch)
		if c := mustGet(t, s, "C1"); c.Status != StatusAnswered {
			t.Fatalf("status %s", c.Status)
		}
		c = mustEvent(t, s, "C1", EventCompleted, t0.Add(65*time.Second), "daria", patch)
		if c.Status != StatusCompleted || len(c.Events) != 3 || !c.EndedAt.Equal(t0.Add(65*time.Second)) || c.Finished {
			t.Fatalf("%+v", c)
		}
		h := History{CallID: "C1", Direction: DirectionIn, Phone: "33612345678", Diversion: "33184808080", User: "daria",
			DurationSeconds: 65, RecordingURLs: []string{"https://r.example/c1.mp3", "https://r.example/c1b.mp3"}, StartedAt: t0.Add(-time.Second), Status: StatusCompleted, ReceivedAt: t0.Add(70 * time.Second)}
		c, err = s.RecordHistory(ctx, h)
		if err != nil || !c.Finished || c.DurationSeconds != 65 || c.RecordingURL != "https://r.example/c1.mp3" ||
			!slices.Equal(c.Recordings(), h.RecordingURLs) || !c.StartedAt.Equal(t0.Add(-time.Second)) ||
			!c.EndedAt.Equal(t0.Add(64*time.Second)) || len(c.Events) != 3 {
			t.Fatalf("%+v %v", c, err)
		}
		h.ReceivedAt = h.ReceivedAt.Add(time.Minute)
		again, err := s.RecordHistory(ctx, h)
		if err != nil || !reflect.DeepEqual(again, c) || !reflect.DeepEqual(mustGet(t, s, "C1"), c) {
			t.Fatalf("resent history changed the call:\n%+v\n%+v", again, c)
		}
		// a late, resent event changes nothing of the final summary
		late := mustEvent(t, s, "C1", EventCancelled, t0.Add(2*time.Minute), "andy", CallPatch{User: "andy"})
		if late.Status != StatusCompleted || late.User != "daria" || len(late.Events) != 4 {
			t.Fatalf("%+v", late)
		}
	})

	t.Run("resent events are not duplicated", func(t *testing.T) {
		s := open(t)
		for i := range 3 {
			mustEvent(t, s, "C2", EventIncoming, t0.Add(time.Duration(i)*time.Second), "daria", CallPatch{Phone: "79101234567", User: "daria"})
		}
		c := mustGet(t, s, "C2")
		if len(c.Events) != 1 || !c.Events[0].At.Equal(t0) {
			t.Fatalf("%+v", c.Events)
		}
	})

	t.Run("group call", func(t *testing.T) {
		s := open(t)
		p := func(u string) CallPatch { return CallPatch{Phone: "79101234567", User: u} }
		mustEvent(t, s, "G", EventIncoming, t0, "daria", p("daria"))
		mustEvent(t, s, "G", EventIncoming, t0, "andy", p("andy"))
		mustEvent(t, s, "G", EventAccepted, t0.Add(3*time.Second), "andy", p("andy"))
		c := mustEvent(t, s, "G", EventCancelled, t0.Add(3*time.Second), "daria", p("daria"))
		if c.Status != StatusAnswered || c.User != "andy" || len(c.Events) != 4 {
			t.Fatalf("%+v", c)
		}
	})

	t.Run("missed call and outbound without events", func(t *testing.T) {
		s := open(t)
		mustEvent(t, s, "M", EventIncoming, t0, "daria", CallPatch{Phone: "79101234567", User: "daria"})
		c := mustEvent(t, s, "M", EventCancelled, t0.Add(9*time.Second), "daria", CallPatch{})
		if c.Status != StatusMissed {
			t.Fatalf("%+v", c)
		}
		c, err := s.RecordHistory(ctx, History{CallID: "M", Direction: DirectionIn, Phone: "79101234567", User: "daria", DurationSeconds: 9})
		if err != nil || c.Status != StatusMissed || !c.StartedAt.Equal(t0) {
			t.Fatalf("%+v %v", c, err)
		}
		recv := t0.Add(time.Hour)
		c, err = s.RecordHistory(ctx, History{CallID: "O", Direction: DirectionOut, Phone: "74951234567", User: "andy", DurationSeconds: 40,
			RecordingURLs: []string{"https://r.example/o.mp3"}, ReceivedAt: recv})
		if err != nil || c.Status != StatusCompleted || c.Direction != DirectionOut || !c.StartedAt.Equal(recv.Add(-40*time.Second)) || len(c.Events) != 0 {
			t.Fatalf("%+v %v", c, err)
		}
		if _, found, err := s.Get(ctx, "nope"); found || err != nil {
			t.Fatalf("unknown call found: %v", err)
		}
		if _, err := s.RecordEvent(ctx, "", Event{Type: EventIncoming}, CallPatch{}); err == nil {
			t.Fatal("empty call id accepted")
		}
	})

	t.Run("pagination and filters", func(t *testing.T) {
		s := open(t)
		phones := []string{"33612345678", "79101234567", "74951234567"}
		users := []string{"daria", "andy"}
		var want []string // newest first
		for i := range 30 {
			id := fmt.Sprintf("P%02d", i)
			at := t0.Add(time.Duration(i/2) * time.Minute) // pairs share a start time
			mustEvent(t, s, id, EventIncoming, at, users[i%2], CallPatch{Phone: phones[i%3], User: users[i%2]})
			want = append([]string{id}, want...)
		}
		// P(2k) and P(2k+1) tie on time: the id breaks the tie, ascending
		for i := 0; i+1 < len(want); i += 2 {
			if want[i] > want[i+1] {
				want[i], want[i+1] = want[i+1], want[i]
			}
		}
		got := collect(t, s, Filter{First: 7})
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("order\n got %v\nwant %v", got, want)
		}
		page, err := s.List(ctx, Filter{})
		if err != nil || len(page.Calls) != DefaultPageSize || !page.HasNextPage || page.TotalCount != 30 {
			t.Fatalf("default page: %d calls, next %v, total %d, %v", len(page.Calls), page.HasNextPage, page.TotalCount, err)
		}
		for _, f := range []Filter{
			{Phone: "79101234567"},
			{User: "andy"},
			{Phone: "33612345678", User: "daria"},
			{Since: t0.Add(5 * time.Minute)},
			{Until: t0.Add(5 * time.Minute)},
			{Since: t0.Add(3 * time.Minute), Until: t0.Add(11 * time.Minute), User: "daria"},
			{Since: t0.Add(3 * time.Minute), Until: t0.Add(11 * time.Minute), Phone: "74951234567", User: "andy"},
			{Phone: "0000"},
		} {
			var exp []string
			for _, id := range want {
				c := mustGet(t, s, id)
				if matches(c, f) {
					exp = append(exp, id)
				}
			}
			f.First = 3
			if got := collect(t, s, f); !reflect.DeepEqual(got, exp) {
				t.Errorf("filter %+v\n got %v\nwant %v", f, got, exp)
			}
		}
		if _, err := s.List(ctx, Filter{After: "not a cursor"}); !errors.Is(err, ErrInvalidCursor) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("cursor survives a moved call", func(t *testing.T) {
		s := open(t)
		for i := range 6 {
			mustEvent(t, s, fmt.Sprintf("K%d", i), EventIncoming, t0.Add(time.Duration(i)*time.Minute), "u", CallPatch{Phone: "33612345678"})
		}
		p1, err := s.List(ctx, Filter{First: 3}) // K5 K4 K3
		if err != nil || len(p1.Calls) != 3 {
			t.Fatal(err)
		}
		// K4's history moves its start to before everything
		if _, err := s.RecordHistory(ctx, History{CallID: "K4", Direction: DirectionIn, DurationSeconds: 1, StartedAt: t0.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		p2, err := s.List(ctx, Filter{First: 10, After: p1.EndCursor})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(p2.Calls); !reflect.DeepEqual(got, []string{"K2", "K1", "K0", "K4"}) {
			t.Fatalf("got %v", got)
		}
	})

	t.Run("live events: resends and older states are not news", func(t *testing.T) {
		s := open(t)
		p := CallPatch{Phone: "33612345678"}
		steps := []struct {
			typ, user string
			live      bool
		}{
			{EventIncoming, "daria", true},
			{EventIncoming, "andy", true},
			{EventIncoming, "daria", false}, // resent
			{EventAccepted, "daria", true},
			{EventIncoming, "serg", true}, // a third member rung late, the call still goes on
			{EventCancelled, "andy", true},
			{EventAccepted, "andy", false}, // older than andy's CANCELLED
			{EventCompleted, "daria", true},
			{EventIncoming, "mike", false},   // the conversation is over
			{EventCancelled, "serg", true},   // an end is still news
			{EventCompleted, "daria", false}, // replayed
		}
		for i, st := range steps {
			ev := Event{Type: st.typ, At: t0.Add(time.Duration(i) * time.Second), User: st.user}
			c, err := s.RecordEvent(ctx, "L", ev, p)
			if err != nil {
				t.Fatal(err)
			}
			if got := Live(c, ev); got != st.live {
				t.Errorf("step %d %s/%s: live %v, want %v", i, st.typ, st.user, got, st.live)
			}
		}
		if _, err := s.RecordHistory(ctx, History{CallID: "L", DurationSeconds: 30}); err != nil {
			t.Fatal(err)
		}
		ev := Event{Type: EventIncoming, At: t0.Add(time.Hour), User: "claire"}
		if c, err := s.RecordEvent(ctx, "L", ev, p); err != nil || Live(c, ev) {
			t.Errorf("an INCOMING after the history is live: %v", err)
		}
	})

	t.Run("one live copy of an event sent many times at once", func(t *testing.T) {
		s := open(t)
		var wg sync.WaitGroup
		var mu sync.Mutex
		live := 0
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ev := Event{Type: EventIncoming, At: t0.Add(time.Duration(i) * time.Millisecond), User: "daria"}
				c, err := s.RecordEvent(ctx, "D", ev, CallPatch{Phone: "33612345678"})
				if err != nil {
					t.Error(err)
					return
				}
				if Live(c, ev) {
					mu.Lock()
					live++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if live != 1 {
			t.Fatalf("%d copies of one event were live, want 1", live)
		}
	})

	t.Run("concurrent writers of one call", func(t *testing.T) {
		s := open(t)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 20 {
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, err := s.RecordEvent(ctx, "X", Event{Type: EventIncoming, At: t0.Add(time.Duration(i) * time.Millisecond), User: fmt.Sprintf("u%02d", i)},
					CallPatch{Phone: "33612345678"})
				errs <- err
			}()
			go func() {
				defer wg.Done()
				_, err := s.RecordEvent(ctx, "X", Event{Type: EventCancelled, At: t0.Add(time.Second), User: fmt.Sprintf("u%02d", i)}, CallPatch{})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		c := mustGet(t, s, "X")
		if len(c.Events) != 40 || !c.StartedAt.Equal(t0) || c.Status != StatusMissed {
			t.Fatalf("%d events, start %v, status %s", len(c.Events), c.StartedAt, c.Status)
		}
		page, err := s.List(ctx, Filter{Phone: "33612345678"})
		if err != nil || page.TotalCount != 1 {
			t.Fatalf("index has %d entries for one call: %v", page.TotalCount, err)
		}
	})
}

func mustEvent(t *testing.T, s Store, id, typ string, at time.Time, user string, p CallPatch) Call {
	t.Helper()
	c, err := s.RecordEvent(context.Background(), id, Event{Type: typ, At: at, User: user}, p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustGet(t *testing.T, s Store, id string) Call {
	t.Helper()
	c, found, err := s.Get(context.Background(), id)
	if err != nil || !found {
		t.Fatalf("get %s: %v %v", id, found, err)
	}
	return c
}

func ids(cs []Call) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// collect pages through f and checks every page's bookkeeping.
func collect(t *testing.T, s Store, f Filter) []string {
	t.Helper()
	var out []string
	total := -1
	for range 100 {
		p, err := s.List(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		if total >= 0 && p.TotalCount != total {
			t.Fatalf("total changed %d → %d", total, p.TotalCount)
		}
		total = p.TotalCount
		if len(p.Calls) > f.First {
			t.Fatalf("page of %d > %d", len(p.Calls), f.First)
		}
		out = append(out, ids(p.Calls)...)
		if !p.HasNextPage {
			if len(out) != total {
				t.Fatalf("collected %d, total %d", len(out), total)
			}
			return out
		}
		if p.EndCursor == "" {
			t.Fatal("next page without a cursor")
		}
		f.After = p.EndCursor
	}
	t.Fatal("pagination does not end")
	return nil
}

func TestBoltContract(t *testing.T) {
	runContract(t, func(t *testing.T) Store {
		s, err := OpenBolt(filepath.Join(t.TempDir(), "calls.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestBoltSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "calls.db")
	s, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	want := mustEvent(t, s, "R1", EventIncoming, t0, "daria", CallPatch{Phone: "33612345678", User: "daria"})
	// A second opener (a restart overlapping the stop) waits for the file.
	opened := make(chan error, 1)
	var s2 *Bolt
	go func() {
		var err error
		s2, err = OpenBolt(path)
		opened <- err
	}()
	select {
	case err := <-opened:
		t.Fatalf("a second opener got the file while it was held: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-opened; err != nil {
		t.Fatalf("the second opener did not get the released file: %v", err)
	}
	s = s2
	defer s.Close()
	if got := mustGet(t, s, "R1"); !reflect.DeepEqual(got, want) {
		t.Fatalf("after reopen %+v, want %+v", got, want)
	}
	if p, err := s.List(context.Background(), Filter{User: "daria"}); err != nil || p.TotalCount != 1 {
		t.Fatalf("index lost: %+v %v", p, err)
	}
}

func redisClient(t *testing.T) *redis.Client {
	c, _ := redistest.Client(t)
	return c
}

func testPrefix(t *testing.T, rdb *redis.Client) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "test:calls:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
	})
	return prefix
}

func TestRedisContract(t *testing.T) {
	rdb := redisClient(t)
	runContract(t, func(t *testing.T) Store {
		return NewRedis(rdb, testPrefix(t, rdb))
	})
}

func TestRedisReplicasShare(t *testing.T) {
	a, b := redisClient(t), redisClient(t)
	prefix := testPrefix(t, a)
	s1, s2 := NewRedis(a, prefix), NewRedis(b, prefix)
	ctx := context.Background()
	mustEvent(t, s1, "S", EventIncoming, t0, "daria", CallPatch{Phone: "33612345678", User: "daria"})
	if c := mustEvent(t, s2, "S", EventAccepted, t0.Add(time.Second), "daria", CallPatch{}); len(c.Events) != 2 {
		t.Fatalf("replica 2 did not see replica 1's event: %+v", c)
	}
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := []Store{s1, s2}[i%2]
			if _, err := s.RecordEvent(ctx, "S", Event{Type: EventIncoming, At: t0, User: fmt.Sprintf("u%d", i)}, CallPatch{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if c := mustGet(t, s1, "S"); len(c.Events) != 32 {
		t.Fatalf("%d events, want 32", len(c.Events))
	}
	p, err := s2.List(ctx, Filter{User: "daria"})
	if err != nil || p.TotalCount != 1 || p.Calls[0].ID != "S" {
		t.Fatalf("%+v %v", p, err)
	}
}

package telephony

import (
	"context"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"switchboard/graph/calls"
	"switchboard/sources/gravitel"
)

var t0 = time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)

func TestFromGravitel(t *testing.T) {
	s, err := calls.OpenBolt(filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	parse := func(kv ...string) gravitel.Command {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		c, err := gravitel.ParseInbound(v)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ev := parse("cmd", "event", "type", "INCOMING", "phone", "79101234567", "diversion", "33184808080", "user", "krg", "callid", "CID-1").(gravitel.EventCommand)
	id, e, p := fromEvent(ev, t0)
	if _, err := s.RecordEvent(ctx, id, e, p); err != nil {
		t.Fatal(err)
	}
	h := parse("cmd", "history", "type", "in", "phone", "79101234567", "user", "krg", "duration", "30", "callid", "CID-1",
		"link", "https://r/a.mp3|https://r/b.mp3", "start", "20250314T090000Z", "status", "Success").(gravitel.HistoryCommand)
	c, err := s.RecordHistory(ctx, fromHistory(h, t0.Add(time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "CID-1" || c.Direction != calls.DirectionIn || c.Diversion != "33184808080" || c.RecordingURL != "https://r/a.mp3" ||
		!slices.Equal(c.Recordings(), []string{"https://r/a.mp3", "https://r/b.mp3"}) ||
		c.Status != calls.StatusCompleted || c.DurationSeconds != 30 || !c.StartedAt.Equal(t0) || len(c.Events) != 1 {
		t.Fatalf("%+v", c)
	}
	for in, want := range map[string]string{"Success": calls.StatusCompleted, "missed": calls.StatusMissed, "Busy": calls.StatusBusy,
		"NotAvailable": calls.StatusFailed, "": "", "weird": ""} {
		if got := historyStatus(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

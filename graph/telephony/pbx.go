package telephony

import (
	"strings"
	"time"

	"switchboard/graph/calls"
	"switchboard/sources/gravitel"
)

// fromEvent turns a parsed cmd=event (of a calls.KnownEvent type),
// received at at, into the store's RecordEvent arguments.
func fromEvent(e gravitel.EventCommand, at time.Time) (callID string, ev calls.Event, patch calls.CallPatch) {
	return e.CallID,
		calls.Event{Type: e.Type, At: at, User: e.User},
		calls.CallPatch{Direction: calls.DirectionIn, Phone: e.Phone, Diversion: e.Diversion, User: e.User}
}

// fromHistory turns a parsed cmd=history, received at receivedAt, into a
// calls.History, keeping every recording link.
func fromHistory(h gravitel.HistoryCommand, receivedAt time.Time) calls.History {
	return calls.History{
		CallID:          h.CallID,
		Direction:       h.Type,
		Phone:           h.Phone,
		Diversion:       h.Diversion,
		User:            h.User,
		DurationSeconds: h.Duration,
		StartedAt:       h.Start,
		Status:          historyStatus(h.Status),
		RecordingURLs:   h.Links,
		ReceivedAt:      receivedAt,
	}
}

// historyStatus maps the PBX's history status onto the store's; unknown or
// empty gives "" (RecordHistory then derives it from the call's events).
func historyStatus(s string) string {
	switch strings.ToLower(s) {
	case "success", "answered", "completed":
		return calls.StatusCompleted
	case "missed", "cancel", "cancelled", "noanswer":
		return calls.StatusMissed
	case "busy":
		return calls.StatusBusy
	case "notavailable", "notallowed", "notfound", "failed":
		return calls.StatusFailed
	}
	return ""
}

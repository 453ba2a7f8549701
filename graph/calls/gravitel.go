package calls

import (
	"strings"
	"time"

	"switchboard/sources/gravitel"
)

// FromEvent turns a parsed cmd=event, received at at, into RecordEvent's
// arguments.
func FromEvent(e gravitel.EventCommand, at time.Time) (callID string, ev Event, patch CallPatch) {
	return e.CallID,
		Event{Type: e.Type, At: at, User: e.User},
		CallPatch{Direction: DirectionIn, Phone: e.Phone, Diversion: e.Diversion, User: e.User}
}

// FromHistory turns a parsed cmd=history, received at receivedAt, into a
// History, keeping every recording link.
func FromHistory(h gravitel.HistoryCommand, receivedAt time.Time) History {
	out := History{
		CallID:          h.CallID,
		Direction:       h.Type,
		Phone:           h.Phone,
		Diversion:       h.Diversion,
		User:            h.User,
		DurationSeconds: h.Duration,
		StartedAt:       h.Start,
		Status:          HistoryStatus(h.Status),
		RecordingURLs:   h.Links,
		ReceivedAt:      receivedAt,
	}
	return out
}

// HistoryStatus maps the PBX's history status onto ours; unknown or empty
// gives "" (RecordHistory then derives it from the call's events).
func HistoryStatus(s string) string {
	switch strings.ToLower(s) {
	case "success", "answered", "completed":
		return StatusCompleted
	case "missed", "cancel", "cancelled", "noanswer":
		return StatusMissed
	case "busy":
		return StatusBusy
	case "notavailable", "notallowed", "notfound", "failed":
		return StatusFailed
	}
	return ""
}

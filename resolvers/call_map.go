package resolvers

import (
	"strings"
	"time"

	"switchboard/generated"
	"switchboard/graph/calls"
	"switchboard/graph/errs"
	"switchboard/graph/model"
	"switchboard/graph/telephony"
)

func (r *Resolver) telephony() (*telephony.Service, error) {
	if r.Telephony == nil {
		return nil, errs.NotConfiguredErr("gravitel")
	}
	return r.Telephony, nil
}

func callOut(c calls.Call) *generated.Call {
	out := &generated.Call{
		ID: c.ID, Direction: generated.CallDirection(strings.ToUpper(c.Direction)), Phone: c.Phone,
		Diversion: str(c.Diversion), User: str(c.User), DurationSeconds: c.DurationSeconds,
		RecordingURL: str(c.RecordingURL), RecordingUrls: c.Recordings(), StartedAt: c.StartedAt, EndedAt: tm(c.EndedAt),
		Status: generated.CallStatus(c.Status), Finished: c.Finished,
		Events: make([]*generated.CallEventRecord, len(c.Events)),
	}
	if out.Direction == "" {
		out.Direction = generated.CallDirectionIn
	}
	for i, e := range c.Events {
		out.Events[i] = &generated.CallEventRecord{Type: generated.CallEventType(e.Type), At: e.At, User: str(e.User)}
	}
	return out
}

func callEventOut(e telephony.Event) *generated.CallEvent {
	return &generated.CallEvent{
		CallID: e.CallID, Type: generated.CallEventType(e.Type), Phone: e.Phone,
		Diversion: str(e.Diversion), User: str(e.User), At: e.At, Call: callOut(e.Call),
	}
}

// callFilter checks and normalizes Query.calls's arguments.
func callFilter(phone, user *string, since, until *time.Time, first *int, after *string) (calls.Filter, error) {
	f := calls.Filter{User: strings.TrimSpace(deref(user)), After: deref(after)}
	if phone != nil {
		p, err := telephony.NormalizePhone("phone", *phone)
		if err != nil {
			return f, err
		}
		f.Phone = p
	}
	if since != nil {
		f.Since = *since
	}
	if until != nil {
		f.Until = *until
	}
	if first != nil {
		if *first < 1 || *first > calls.MaxPageSize {
			return f, errs.BadInput("first", "first: must be between 1 and %d", calls.MaxPageSize)
		}
		f.First = *first
	}
	return f, nil
}

func connection(p calls.Page) *generated.CallConnection {
	out := &generated.CallConnection{
		Edges: make([]*generated.CallEdge, len(p.Calls)), Nodes: make([]*generated.Call, len(p.Calls)),
		PageInfo: &generated.PageInfo{EndCursor: str(p.EndCursor), HasNextPage: p.HasNextPage}, TotalCount: p.TotalCount,
	}
	for i, c := range p.Calls {
		out.Nodes[i] = callOut(c)
		out.Edges[i] = &generated.CallEdge{Cursor: calls.Cursor(c), Node: out.Nodes[i]}
	}
	return out
}

func contactOut(c telephony.Contact) *generated.Contact {
	return &generated.Contact{Phone: c.Phone, Name: c.Name, Responsible: str(c.Responsible), Source: model.CustomerSource(c.Source), RecordID: c.RecordID}
}

func customerPhones(c *model.Customer) []string {
	var out []string
	for _, p := range []*string{c.Phone, c.Mobile} {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}

package resolvers

import (
	"strings"
	"time"

	"switchboard/graph/calls"
	"switchboard/graph/errs"
	"switchboard/graph/model"
	"switchboard/graph/telephony"
)

func (r *Resolver) telephony() (*telephony.Service, error) {
	if r.Telephony == nil {
		return nil, errs.NotConfiguredErr(telephony.Source)
	}
	return r.Telephony, nil
}

func callOut(c calls.Call) *model.Call {
	out := &model.Call{
		ID: c.ID, Direction: model.CallDirection(strings.ToUpper(c.Direction)), Phone: c.Phone,
		Diversion: str(c.Diversion), User: str(c.User), DurationSeconds: c.DurationSeconds,
		RecordingURL: str(c.RecordingURL), RecordingUrls: c.Recordings(), StartedAt: c.StartedAt, EndedAt: tm(c.EndedAt),
		Status: model.CallStatus(c.Status), Finished: c.Finished,
		Events: make([]*model.CallEventRecord, len(c.Events)),
	}
	if out.Direction == "" {
		out.Direction = model.CallDirectionIn
	}
	for i, e := range c.Events {
		out.Events[i] = &model.CallEventRecord{Type: model.CallEventType(e.Type), At: e.At, User: str(e.User)}
	}
	return out
}

func callEventOut(e telephony.Event) *model.CallEvent {
	return &model.CallEvent{
		CallID: e.CallID, Type: model.CallEventType(e.Type), Phone: e.Phone,
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

func connection(p calls.Page) *model.CallConnection {
	out := &model.CallConnection{
		Edges: make([]*model.CallEdge, len(p.Calls)), Nodes: make([]*model.Call, len(p.Calls)),
		PageInfo: &model.PageInfo{EndCursor: str(p.EndCursor), HasNextPage: p.HasNextPage}, TotalCount: p.TotalCount,
	}
	for i, c := range p.Calls {
		out.Nodes[i] = callOut(c)
		out.Edges[i] = &model.CallEdge{Cursor: calls.Cursor(c), Node: out.Nodes[i]}
	}
	return out
}

func contactOut(c telephony.Contact) *model.Contact {
	return &model.Contact{Phone: c.Phone, Name: c.Name, Responsible: str(c.Responsible), Source: model.CustomerSource(c.Source), RecordID: c.RecordID}
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

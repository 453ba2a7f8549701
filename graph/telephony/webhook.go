package telephony

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"switchboard/graph/calls"
	"switchboard/sources/gravitel"
)

// MaxWebhookBody bounds one PBX request: its largest (a history with a few
// recording links) is well under a kilobyte.
const MaxWebhookBody = 64 << 10

// Webhook serves POST /integrations/gravitel as the seed describes: 200 with
// JSON or an empty body, 400 {"error":"Invalid parameters"}, 401
// {"error":"Invalid token"}.
func (s *Service) Webhook() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, err := readForm(w, r)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeJSON(w, http.StatusRequestEntityTooLarge, gravitel.ErrorResponse{Error: "Request too large"})
				return
			}
			writeJSON(w, gravitel.StatusInvalidParameters, gravitel.InvalidParametersResponse)
			return
		}
		// The token counts only from the body: proxies and access logs
		// keep URLs.
		if !gravitel.CheckToken(r.PostForm, s.o.CRMToken) {
			writeJSON(w, gravitel.StatusInvalidToken, gravitel.InvalidTokenResponse)
			return
		}
		cmd, err := gravitel.ParseInbound(form)
		if err != nil {
			writeJSON(w, gravitel.StatusInvalidParameters, gravitel.InvalidParametersResponse)
			return
		}
		ctx := r.Context()
		switch c := cmd.(type) {
		case gravitel.UsersCommand:
			if s.o.Users == nil {
				writeJSON(w, http.StatusOK, gravitel.UsersResponse{Users: []gravitel.User{}})
				return
			}
			users, err := s.o.Users(ctx)
			if err != nil {
				s.o.Logger.Warn("cmd=users: CRM users unavailable", "err", err)
				writeJSON(w, http.StatusBadGateway, gravitel.ErrorResponse{Error: "Users unavailable"})
				return
			}
			if users == nil {
				users = []gravitel.User{}
			}
			writeJSON(w, http.StatusOK, gravitel.UsersResponse{Users: users})
		case gravitel.ContactCommand:
			contact, _ := s.Contact(ctx, c.Phone)
			writeJSON(w, http.StatusOK, gravitel.ContactResponse{ContactName: contact.Name, Responsible: contact.Responsible})
		case gravitel.EventCommand:
			if !calls.KnownEvent(c.Type) {
				writeJSON(w, gravitel.StatusInvalidParameters, gravitel.InvalidParametersResponse)
				return
			}
			s.stored(w, s.recordEvent(ctx, c))
		case gravitel.HistoryCommand:
			s.stored(w, s.recordHistory(ctx, c))
		}
	})
}

// stored answers a write: 200 only once it is durable; 503 otherwise, which
// the PBX takes as "try again later" and resends.
func (s *Service) stored(w http.ResponseWriter, err error) {
	if err != nil {
		s.o.Logger.Error("PBX webhook: call not stored; the PBX will resend", "err", err)
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusServiceUnavailable, gravitel.ErrorResponse{Error: "Storage unavailable"})
		return
	}
	w.WriteHeader(http.StatusOK)
}

// readForm reads a size-limited form body (query parameters too: the seed
// does not forbid them and some PBX versions send cmd in the URL).
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxWebhookBody)
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	return r.Form, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"switchboard/graph/auth"
	"switchboard/graph/errs"
)

// DefaultWSInitTimeout is how long a WebSocket may stay open without
// connection_init (SWITCHBOARD_WS_INIT_TIMEOUT).
const DefaultWSInitTimeout = 3 * time.Second

const (
	subprotocolTransportWS = "graphql-transport-ws"
	wsReadLimit            = 1 << 20
	wsWriteTimeout         = 10 * time.Second
	wsPingInterval         = 15 * time.Second
)

// Close codes of graphql-transport-ws (its PROTOCOL.md).
const (
	wsInvalidMessage = 4400
	wsUnauthorized   = 4401
	wsForbidden      = 4403
	wsInitTimeout    = 4408
	wsDuplicateID    = 4409
	wsTooManyInits   = 4429
)

// wsTransport serves graphql-transport-ws as its PROTOCOL.md has it, which
// gqlgen's transport does not: no connection_init within the timeout closes
// 4408, a bad key 4403, a second init 4429, a subscribe before the ack
// 4401, a reused operation id 4409, anything unreadable 4400; a document
// refused before execution answers `error` (and nothing after it); the ack
// carries no payload (the client's held its key). It is the only WebSocket
// protocol served: an upgrade without it is refused (400, coded), as the
// legacy graphql-ws protocol answered uncoded frames.
type wsTransport struct {
	keys        *auth.Keyring
	initTimeout time.Duration
	// opTimeout bounds a query or mutation sent over the socket, like the
	// same over HTTP; subscriptions live as long as the socket.
	opTimeout time.Duration
}

var _ graphql.Transport = wsTransport{}

func (wsTransport) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") != ""
}

// offered tells whether the client offers graphql-transport-ws.
func offered(r *http.Request) bool {
	for _, h := range r.Header.Values("Sec-WebSocket-Protocol") {
		for p := range strings.SplitSeq(h, ",") {
			if strings.TrimSpace(p) == subprotocolTransportWS {
				return true
			}
		}
	}
	return false
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func (t wsTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") || !offered(r) {
		writeTransportError(w, mediaJSON, http.StatusBadRequest, errs.BadUserInput,
			"a WebSocket to /graphql speaks graphql-transport-ws: offer it in Sec-WebSocket-Protocol")
		return
	}
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{subprotocolTransportWS}})
	if err != nil {
		return // Accept answered the client (codedErrors codes it)
	}
	defer func() { _ = c.CloseNow() }() // after a protocol close, a no-op
	c.SetReadLimit(wsReadLimit)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	s := &wsSession{wsTransport: t, conn: c, exec: exec, ctx: ctx, ops: map[string]*wsOp{}, headers: r.Header}
	s.serve()
}

type wsSession struct {
	wsTransport
	conn    *websocket.Conn
	exec    graphql.GraphExecutor
	ctx     context.Context
	headers http.Header

	mu     sync.Mutex
	inited bool
	acked  bool
	ops    map[string]*wsOp
}

// wsOp is one running operation; run removes its own entry only, not a
// later operation that reused the id.
type wsOp struct{ cancel context.CancelFunc }

// closeWith ends the connection with a protocol close code.
func (s *wsSession) closeWith(code int, reason string) {
	_ = s.conn.Close(websocket.StatusCode(code), reason)
}

func (s *wsSession) send(m wsMessage) {
	ctx, cancel := context.WithTimeout(s.ctx, wsWriteTimeout)
	defer cancel()
	b, _ := json.Marshal(m)
	_ = s.conn.Write(ctx, websocket.MessageText, b)
}

func (s *wsSession) serve() {
	timeout := s.initTimeout
	if timeout == 0 {
		timeout = DefaultWSInitTimeout
	}
	initTimer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		inited := s.inited
		s.mu.Unlock()
		if !inited {
			s.closeWith(wsInitTimeout, "Connection initialisation timeout")
		}
	})
	defer initTimer.Stop()
	defer func() {
		s.mu.Lock()
		for _, op := range s.ops {
			op.cancel()
		}
		s.mu.Unlock()
	}()
	for {
		typ, data, err := s.conn.Read(s.ctx)
		if err != nil {
			return
		}
		var m wsMessage
		if typ != websocket.MessageText || json.Unmarshal(data, &m) != nil || m.Type == "" {
			s.closeWith(wsInvalidMessage, "Invalid message received")
			return
		}
		if !s.handle(m) {
			return
		}
	}
}

// handle acts on one client message; false ends the connection.
func (s *wsSession) handle(m wsMessage) bool {
	switch m.Type {
	case "connection_init":
		s.mu.Lock()
		again := s.inited
		s.inited = true
		s.mu.Unlock()
		if again {
			s.closeWith(wsTooManyInits, "Too many initialisation requests")
			return false
		}
		var payload transport.InitPayload
		if len(m.Payload) > 0 && !bytes.Equal(m.Payload, []byte("null")) && json.Unmarshal(m.Payload, &payload) != nil {
			s.closeWith(wsInvalidMessage, "Invalid message received")
			return false
		}
		if s.keys != nil {
			p, ok := s.keys.Authenticate(auth.BearerSecret(payload.Authorization()))
			if !ok {
				s.closeWith(wsForbidden, "Forbidden: missing or invalid API key in connection_init payload (Authorization)")
				return false
			}
			s.ctx = auth.WithPrincipal(s.ctx, p)
		}
		s.mu.Lock()
		s.acked = true
		s.mu.Unlock()
		s.send(wsMessage{Type: "connection_ack"})
		go s.keepAlive()
	case "ping":
		s.send(wsMessage{Type: "pong"})
	case "pong":
	case "subscribe":
		return s.subscribe(m)
	case "complete":
		s.mu.Lock()
		op := s.ops[m.ID]
		delete(s.ops, m.ID)
		s.mu.Unlock()
		if op != nil {
			op.cancel()
		}
	default:
		s.closeWith(wsInvalidMessage, "Invalid message received")
		return false
	}
	return true
}

// keepAlive pings the client (which must pong): idle proxies keep the
// socket and a dead peer is noticed.
func (s *wsSession) keepAlive() {
	tick := time.NewTicker(wsPingInterval)
	defer tick.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-tick.C:
			s.send(wsMessage{Type: "ping"})
		}
	}
}

func (s *wsSession) subscribe(m wsMessage) bool {
	s.mu.Lock()
	acked, dup := s.acked, s.ops[m.ID] != nil
	s.mu.Unlock()
	switch {
	case !acked:
		s.closeWith(wsUnauthorized, "Unauthorized")
		return false
	case m.ID == "":
		s.closeWith(wsInvalidMessage, "Invalid message received")
		return false
	case dup:
		s.closeWith(wsDuplicateID, "Subscriber for "+truncate(m.ID, 40)+" already exists")
		return false
	}
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader(m.Payload))
	dec.UseNumber()
	if dec.Decode(params) != nil {
		s.closeWith(wsInvalidMessage, "Invalid message received")
		return false
	}
	start := graphql.Now()
	params.ReadTime = graphql.TraceTiming{Start: start, End: start}
	params.Headers = s.headers
	ctx := graphql.StartOperationTrace(s.ctx)
	oc, list := s.exec.CreateOperationContext(ctx, params)
	if list != nil {
		resp := s.exec.DispatchError(graphql.WithOperationContext(ctx, oc), list)
		payload, _ := json.Marshal(resp.Errors)
		s.send(wsMessage{ID: m.ID, Type: "error", Payload: payload})
		return true
	}
	var cancel context.CancelFunc
	if oc.Operation.Operation != ast.Subscription && s.opTimeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, s.opTimeout)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	op := &wsOp{cancel: cancel}
	s.mu.Lock()
	s.ops[m.ID] = op
	s.mu.Unlock()
	go s.run(ctx, op, m.ID, oc)
	return true
}

// run streams one operation's results as `next` messages, then `complete`
// unless the client completed it first.
func (s *wsSession) run(ctx context.Context, op *wsOp, id string, oc *graphql.OperationContext) {
	defer op.cancel()
	responses, ctx := s.exec.DispatchOperation(ctx, oc)
	for {
		resp := responses(ctx)
		if resp == nil {
			break
		}
		payload, _ := json.Marshal(resp)
		s.send(wsMessage{ID: id, Type: "next", Payload: payload})
	}
	s.mu.Lock()
	mine := s.ops[id] == op
	if mine {
		delete(s.ops, id)
	}
	s.mu.Unlock()
	if mine && s.ctx.Err() == nil {
		s.send(wsMessage{ID: id, Type: "complete"})
	}
}

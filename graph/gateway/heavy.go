package gateway

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"golang.org/x/time/rate"

	"switchboard/graph/errs"
)

// DefaultHeavyBodyBytes is the body size past which a JSON GraphQL request
// takes the heavy lane (SWITCHBOARD_HEAVY_BODY_BYTES); DefaultHeavyRate is
// how many such requests the process admits per second
// (SWITCHBOARD_HEAVY_RATE).
const (
	DefaultHeavyBodyBytes = 32 << 10
	DefaultHeavyRate      = 20
)

// A heavy request waits at most heavyMaxWait for its turn, and at most
// heavyWaitingRoom of them wait at once; past either it is refused.
const (
	heavyMaxWait     = 2 * time.Second
	heavyWaitingRoom = 32
)

// heavyLane admits large documents at a bounded rate, one parse at a time,
// process-wide. Even refused by the token limit, a 220 KB document costs
// ~30 ordinary requests of decoding and lexing: a few clients looping such
// documents would otherwise starve everyone else, whatever their keys.
//
// A request over the rate waits its turn, body unread, rather than being
// refused at once: a legitimate large document is served a little later,
// and a client looping such documents is slowed to the lane's rate by its
// own waiting instead of spinning on instant refusals, whose bodies it
// would keep pushing over the network (the heavy lane's goal is to keep
// the CPU for everyone else). Only a full waiting room or a turn further
// than heavyMaxWait is refused, and a refusal closes the connection so the
// unread body is never drained (net/http reads up to 256 KiB of it to keep
// a connection alive).
type heavyLane struct {
	threshold int64
	limiter   *rate.Limiter
	maxWait   time.Duration
	// waiting holds a token per request waiting for its turn or parsing.
	waiting chan struct{}
	// parsing holds one token while an admitted heavy request is decoded,
	// parsed and validated.
	parsing chan struct{}
}

func newHeavyLane(threshold int64, perSecond int, maxWait time.Duration) *heavyLane {
	if threshold <= 0 {
		threshold = DefaultHeavyBodyBytes
	}
	if perSecond <= 0 {
		perSecond = DefaultHeavyRate
	}
	return &heavyLane{
		threshold: threshold, limiter: rate.NewLimiter(rate.Limit(perSecond), perSecond), maxWait: maxWait,
		waiting: make(chan struct{}, heavyWaitingRoom), parsing: make(chan struct{}, 1),
	}
}

// admit waits for a token and the parse slot, or answers 429 and returns
// nil (also when the client leaves while waiting). The release it returns
// is idempotent: the operation middleware calls it once the document is
// parsed and validated, limitBody at the latest when the request ends.
func (h *heavyLane) admit(ctx context.Context, w http.ResponseWriter) (release func()) {
	select {
	case h.waiting <- struct{}{}:
	default:
		refuseHeavy(w, time.Second)
		return nil
	}
	leave := func() { <-h.waiting }
	res := h.limiter.Reserve()
	if d := res.Delay(); d > h.maxWait {
		// A refused request must not spend the next admitted one's token.
		res.Cancel()
		leave()
		refuseHeavy(w, d)
		return nil
	} else if d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			res.Cancel()
			leave()
			return nil
		}
	}
	release = sync.OnceFunc(func() { <-h.parsing; leave() })
	select {
	case h.parsing <- struct{}{}:
		return release
	default:
	}
	t := time.NewTimer(h.maxWait)
	defer t.Stop()
	select {
	case h.parsing <- struct{}{}:
	case <-t.C:
		leave()
		refuseHeavy(w, time.Second)
		return nil
	case <-ctx.Done():
		leave()
		return nil
	}
	return release
}

func refuseHeavy(w http.ResponseWriter, after time.Duration) {
	secs := max(int(math.Ceil(after.Seconds())), 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("Connection", "close")
	writeGraphQLError(w, http.StatusTooManyRequests, errs.RateLimited,
		"large documents are admitted at a bounded rate and this one was refused; retry after "+strconv.Itoa(secs)+
			" s, or send a persisted query (its hash) instead of the whole document")
}

type heavyReleaseKey struct{}

func withHeavyRelease(ctx context.Context, release func()) context.Context {
	return context.WithValue(ctx, heavyReleaseKey{}, release)
}

// releaseHeavy frees the heavy lane's parse slot once the document is
// parsed and validated: the operation's execution (upstream calls) does not
// hold it.
func releaseHeavy(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if release, ok := ctx.Value(heavyReleaseKey{}).(func()); ok {
		release()
	}
	return next(ctx)
}

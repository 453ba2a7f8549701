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

// heavyLane admits large documents at a bounded rate, one parse at a time,
// process-wide. Even refused by the token limit, a 220 KB document costs
// ~30 ordinary requests of decoding and lexing: a few clients looping such
// documents would otherwise starve everyone else, whatever their keys.
type heavyLane struct {
	threshold int64
	limiter   *rate.Limiter
	// parsing holds one token while an admitted heavy request is decoded,
	// parsed and validated; a second one is refused, not queued.
	parsing chan struct{}
}

func newHeavyLane(threshold int64, perSecond int) *heavyLane {
	if threshold <= 0 {
		threshold = DefaultHeavyBodyBytes
	}
	if perSecond <= 0 {
		perSecond = DefaultHeavyRate
	}
	return &heavyLane{threshold: threshold, limiter: rate.NewLimiter(rate.Limit(perSecond), perSecond), parsing: make(chan struct{}, 1)}
}

// admit takes the parse slot and a token, or answers 429 and returns nil.
// The release it returns is idempotent: the operation middleware calls it
// once the document is parsed and validated, limitBody at the latest when
// the request ends.
func (h *heavyLane) admit(w http.ResponseWriter) (release func()) {
	select {
	case h.parsing <- struct{}{}:
	default:
		refuseHeavy(w, time.Second)
		return nil
	}
	release = sync.OnceFunc(func() { <-h.parsing })
	res := h.limiter.Reserve()
	if d := res.Delay(); d > 0 {
		// A refused request must not spend the next admitted one's token.
		res.Cancel()
		release()
		refuseHeavy(w, d)
		return nil
	}
	return release
}

func refuseHeavy(w http.ResponseWriter, after time.Duration) {
	secs := max(int(math.Ceil(after.Seconds())), 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
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

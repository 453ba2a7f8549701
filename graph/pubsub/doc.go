// Package pubsub fans events out to GraphQL subscriptions (e.g. call events
// pushed by the PBX webhook to Subscription.callEvents).
//
// A Bus publishes byte payloads on named topics. Subscribe returns a channel
// that is closed when the subscriber's context is done (or the bus is
// closed). Delivery is best-effort and at-most-once: events published before
// Subscribe returns are not replayed.
//
// Slow subscribers never block publishers: each subscriber has a buffer of
// BufferSize events and, when it is full, the oldest event is dropped to make
// room for the newest (a live view of calls values recent state over
// history). Drops are counted in switchboard_pubsub_dropped_total{bus}.
// Payloads are copied once on Publish and shared by all subscribers, who must
// not modify them.
//
// Memory is the in-process bus (sandbox mode, single replica). Unsubscribing
// uses context.AfterFunc, so a subscription costs no goroutine.
//
// Redis (REDIS_URL set) uses Redis PUBLISH/SUBSCRIBE on channels named
// prefix+topic, so an event published on one replica reaches subscribers on
// all of them, the publishing replica included (its own events also travel
// through Redis, keeping one order for everyone). All subscribers of one bus
// share a single Redis subscription connection: a topic is SUBSCRIBEd when it
// gets its first local subscriber and UNSUBSCRIBEd when it loses its last,
// and the connection (with its reader goroutine) is closed when no topic is
// left. Subscribe returns only after Redis has acknowledged the SUBSCRIBE
// (acknowledgements arrive in command order and are matched FIFO per
// channel), so an event published after Subscribe returns is delivered.
// go-redis resubscribes after a reconnect; events published while the
// connection was down are lost, which subscriptions tolerate.
package pubsub

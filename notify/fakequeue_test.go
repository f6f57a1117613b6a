package notify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// States of a MemEntry.
const (
	StatePending = "pending"
	StateSent    = "sent"
	StateGivenUp = "given_up"
)

// MemQueue is an in-memory Queue with the semantics a database outbox must
// have, for this package's tests (a _test file: it is not in the binary).
// The zero value is empty and
// ready; it is safe for concurrent use.
//
// Sent and GiveUp check the lease against the now they are given; Retry,
// which has no now, checks it against Now.
type MemQueue struct {
	Now func() time.Time // for Retry's lease check; time.Now if nil

	mu      sync.Mutex
	entries map[int64]*MemEntry
	lastID  int64
	sent    []int64
}

// MemEntry is the stored state of one message of a MemQueue.
type MemEntry struct {
	Message    Message   // Attempts counts the outcome writes so far
	State      string    // StatePending, StateSent or StateGivenUp
	Next       time.Time // when a pending message is due; zero: at once
	Owner      string    // holder of the current or last lease; "" once released
	LeaseUntil time.Time // end of that lease
	Reason     string    // of the last Retry or GiveUp
	DoneAt     time.Time // when sent or given up
}

// Add enqueues m as pending and due at once, and returns its ID: m.ID, or
// the next free ID if m.ID is 0. It panics if the ID is already taken.
func (q *MemQueue) Add(m Message) int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.entries == nil {
		q.entries = make(map[int64]*MemEntry)
	}
	if m.ID == 0 {
		m.ID = q.lastID + 1
	}
	if _, dup := q.entries[m.ID]; dup {
		panic(fmt.Sprintf("notify: MemQueue.Add: duplicate message ID %d", m.ID))
	}
	q.lastID = max(q.lastID, m.ID)
	q.entries[m.ID] = &MemEntry{Message: m, State: StatePending}
	return m.ID
}

// Claim implements Queue: it leases up to limit pending messages with
// Next <= now whose lease has expired (LeaseUntil <= now), oldest due first.
func (q *MemQueue) Claim(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	var due []*MemEntry
	for _, e := range q.entries {
		if e.State == StatePending && !e.Next.After(now) && !e.LeaseUntil.After(now) {
			due = append(due, e)
		}
	}
	slices.SortFunc(due, func(a, b *MemEntry) int {
		if c := a.Next.Compare(b.Next); c != 0 {
			return c
		}
		return cmp.Compare(a.Message.ID, b.Message.ID)
	})
	if limit >= 0 && len(due) > limit {
		due = due[:limit]
	}
	out := make([]Message, 0, len(due))
	for _, e := range due {
		e.Owner, e.LeaseUntil = owner, now.Add(lease)
		out = append(out, e.Message)
	}
	return out, nil
}

// Sent implements Queue.
func (q *MemQueue) Sent(ctx context.Context, id int64, owner string, now time.Time) error {
	return q.finish(ctx, id, owner, now, func(e *MemEntry) {
		e.State, e.DoneAt = StateSent, now
		q.sent = append(q.sent, id)
	})
}

// Retry implements Queue, checking the lease against q.Now.
func (q *MemQueue) Retry(ctx context.Context, id int64, owner string, next time.Time, reason string) error {
	now := time.Now
	if q.Now != nil {
		now = q.Now
	}
	return q.finish(ctx, id, owner, now(), func(e *MemEntry) {
		e.Next, e.Reason = next, reason
	})
}

// GiveUp implements Queue.
func (q *MemQueue) GiveUp(ctx context.Context, id int64, owner string, now time.Time, reason string) error {
	return q.finish(ctx, id, owner, now, func(e *MemEntry) {
		e.State, e.DoneAt, e.Reason = StateGivenUp, now, reason
	})
}

// finish applies an outcome write if owner holds a lease on id valid at now:
// it counts the attempt, releases the lease and calls apply.
func (q *MemQueue) finish(ctx context.Context, id int64, owner string, now time.Time, apply func(*MemEntry)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	e := q.entries[id]
	if e == nil || e.State != StatePending || e.Owner == "" || e.Owner != owner || !now.Before(e.LeaseUntil) {
		return fmt.Errorf("%w: message %d, owner %q", ErrLeaseLost, id, owner)
	}
	e.Message.Attempts++
	e.Owner, e.LeaseUntil = "", time.Time{}
	apply(e)
	return nil
}

// Pending returns the messages neither sent nor given up (leased or not),
// by ID.
func (q *MemQueue) Pending() []Message {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []Message
	for _, e := range q.entries {
		if e.State == StatePending {
			out = append(out, e.Message)
		}
	}
	slices.SortFunc(out, func(a, b Message) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// SentIDs returns the IDs of the sent messages in the order they were sent.
func (q *MemQueue) SentIDs() []int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.sent)
}

// GivenUp returns the reason of each given-up message, by ID.
func (q *MemQueue) GivenUp() map[int64]string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make(map[int64]string)
	for id, e := range q.entries {
		if e.State == StateGivenUp {
			out[id] = e.Reason
		}
	}
	return out
}

// Entry returns a copy of the stored state of message id.
func (q *MemQueue) Entry(id int64) (MemEntry, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	e := q.entries[id]
	if e == nil {
		return MemEntry{}, false
	}
	return *e, true
}

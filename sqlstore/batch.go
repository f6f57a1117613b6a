package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// maxBatch bounds the writes committed together.
const maxBatch = 64

// SQLite has one writer. When many requests write at once — two hundred
// phones reporting clues, staff acknowledging them — each transaction
// would rewrite the same index pages and append them to the WAL again.
// Instead, writes that queue up while one commits are run one after the
// other in a single transaction, each within its own savepoint, and
// committed together (group commit): a write that fails is rolled back to
// its savepoint alone, and no caller hears "done" before the commit that
// holds its write has succeeded. The first caller in the queue leads: it
// runs the queue, then hands over to the next caller waiting, so no
// goroutine serves others forever.
type batcher struct {
	mu      sync.Mutex
	queue   []*writeReq
	leading bool
}

type writeReq struct {
	ctx  context.Context
	fn   func(*tx) error
	done chan writeResult // buffered: the leader never waits on it
	lead chan struct{}    // closed when this caller is to lead
}

type writeResult struct {
	err   error
	panic any
}

// writeBatched runs fn as part of the next group commit on the SQLite
// writer.
func (s *Store) writeBatched(ctx context.Context, fn func(*tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan writeResult, 1), lead: make(chan struct{})}
	b := &s.batch
	b.mu.Lock()
	b.queue = append(b.queue, req)
	lead := !b.leading
	b.leading = true
	b.mu.Unlock()
	if !lead {
		select {
		case res := <-req.done:
			return res.unwrap()
		case <-req.lead:
		}
	}
	// Lead one batch — it holds this request, first in the queue — then
	// pass the lead to whoever waits next.
	b.mu.Lock()
	n := min(len(b.queue), maxBatch)
	batch := make([]*writeReq, n)
	copy(batch, b.queue)
	// Drop the queue's hold on the requests taken: their closures may hold
	// a whole import.
	clear(b.queue[:n])
	if b.queue = b.queue[n:]; len(b.queue) == 0 {
		b.queue = nil
	}
	b.mu.Unlock()
	s.runBatch(batch)
	s.ckpt.restartLog(s.w)
	b.mu.Lock()
	if len(b.queue) > 0 {
		close(b.queue[0].lead)
	} else {
		b.leading = false
	}
	b.mu.Unlock()
	return (<-req.done).unwrap()
}

func (r writeResult) unwrap() error {
	if r.panic != nil {
		panic(r.panic) // in the caller's goroutine, as without batching
	}
	return r.err
}

// runBatch runs the writes of batch in one transaction and answers each.
func (s *Store) runBatch(batch []*writeReq) {
	results := make([]writeResult, len(batch))
	answer := func() {
		for i, r := range batch {
			r.done <- results[i]
		}
	}
	bg := context.Background()
	t, err := s.w.BeginTx(bg, nil)
	if err != nil {
		for i := range results {
			results[i].err = fmt.Errorf("sqlstore: begin: %w", err)
		}
		answer()
		return
	}
	x := &tx{Tx: t, d: s.d, cache: s.wstmts}
	defer func() { s.wstmts.add(bg, x.missed) }()
	// fail ends the transaction after an error that leaves it unusable:
	// every write of the batch fails, none is half-kept.
	fail := func(err error) {
		_ = t.Rollback()
		for i := range results {
			if results[i].err == nil && results[i].panic == nil {
				results[i].err = err
			}
		}
		answer()
	}
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i].err = err // gave up while queued: never run
			continue
		}
		// A statement cancelled half-way would make SQLite abort the whole
		// transaction, the other writes with it: once started, a write runs
		// to its end, whatever becomes of its caller.
		x.ctx = context.WithoutCancel(r.ctx)
		if _, err := x.exec(bg, "SAVEPOINT w"); err != nil {
			fail(fmt.Errorf("sqlstore: savepoint: %w", err))
			return
		}
		results[i] = runOne(r.fn, x)
		if results[i].err != nil || results[i].panic != nil {
			if _, err := x.exec(bg, "ROLLBACK TO w"); err != nil {
				fail(fmt.Errorf("sqlstore: write failed (%v) and could not be undone: %w", results[i].err, err))
				return
			}
		}
		if _, err := x.exec(bg, "RELEASE w"); err != nil {
			fail(fmt.Errorf("sqlstore: release savepoint: %w", err))
			return
		}
	}
	x.ctx = nil
	if err := t.Commit(); err != nil {
		// The connection may still be inside the transaction (SQLite keeps
		// it open when, say, a deferred key fails): end it before another
		// write takes the connection.
		_, _ = s.w.ExecContext(bg, "ROLLBACK")
		fail(fmt.Errorf("sqlstore: commit: %w", err))
		return
	}
	s.ckpt.written()
	answer()
}

// runOne runs fn, turning a panic into a result to re-raise in its caller.
func runOne(fn func(*tx) error, x *tx) (res writeResult) {
	defer func() {
		if p := recover(); p != nil {
			res = writeResult{panic: p, err: errors.New("sqlstore: write panicked")}
		}
	}()
	return writeResult{err: fn(x)}
}

package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
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
//
// The write path's contract — what the closure fn given to Store.write
// may do — holds on both databases, though only SQLite punishes a breach:
//
//   - fn reads and writes through its *tx only. It may call unexported
//     (ctx, tx) helpers, never an exported Store method nor s.write, s.read
//     or s.r: they open another transaction. A nested write would wait for
//     the writer fn itself holds — on SQLite it deadlocks the whole store
//     (its leader waits for itself), on PostgreSQL it commits apart from
//     fn's transaction, breaking all-or-nothing. Store.write refuses one
//     with ErrNestedWrite on both databases (see writers); a read through
//     s.read would not see fn's uncommitted writes.
//   - fn may run in another goroutine than its caller's (the leader's),
//     after other callers' writes of the batch, or not at all: a caller
//     whose context ends while queued gets its context's error.
//   - fn is short: everyone's writes wait for it. Work that needs no
//     transaction (parsing, hashing, encrypting, building rows) is done
//     before calling write. fn waits for nothing but the database: no
//     channel, lock or network call another write could be holding up.
//   - fn returns an error to undo its own writes (its savepoint), not the
//     batch's; a panic is re-raised in the caller. Statements in fn are
//     not cancelled half-way by the caller's context (SQLite would abort
//     the whole batch): once started, fn runs to its end.
//   - fn may be run once only, and its result is final: no retry loop
//     inside, since a retry would hold the writer.
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
		s.writers.enter(r.ctx)
		results[i] = runOne(r.fn, x)
		s.writers.leave(r.ctx)
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
	return writeResult{err: runClosure(fn, x)}
}

// ErrNestedWrite is the error of a write issued from inside a write
// closure (see batcher): it would deadlock SQLite's single writer, and on
// PostgreSQL commit apart from the transaction it was meant to be part of.
var ErrNestedWrite = errors.New("sqlstore: a write was issued from inside a write transaction; use the transaction's (ctx, tx) helpers instead")

// writers finds writes issued from inside a write closure. The closures
// are given a *tx, not a context, and issue a nested write with the
// context they captured: the one their write was called with. So the
// contexts of the closures running now are kept, and a write with one of
// them — or, in tests, any write while a closure runs — looks for a
// closure runner (runClosure) on its own goroutine's stack: only there is
// it nested. In production a nested write with another context than its
// closure's (one derived from it, or Background) is not caught; the test
// runs, which exercise every write on both databases, catch it.
type writers struct {
	n    atomic.Int32 // closures running now; 0 skips every check
	mu   sync.Mutex
	ctxs map[context.Context]int // contexts of the closures running now
}

// checkAll is true in tests: every write is checked while a closure runs.
var checkAll = testing.Testing()

// enter records that a closure of a write called with ctx runs.
func (w *writers) enter(ctx context.Context) {
	w.n.Add(1)
	if !comparable(ctx) {
		return
	}
	w.mu.Lock()
	if w.ctxs == nil {
		w.ctxs = map[context.Context]int{}
	}
	w.ctxs[ctx]++
	w.mu.Unlock()
}

// leave undoes enter.
func (w *writers) leave(ctx context.Context) {
	if comparable(ctx) {
		w.mu.Lock()
		if w.ctxs[ctx]--; w.ctxs[ctx] <= 0 {
			delete(w.ctxs, ctx)
		}
		w.mu.Unlock()
	}
	w.n.Add(-1)
}

// comparable reports whether ctx may be a map key (a context type holding
// a slice, say, may not).
func comparable(ctx context.Context) bool {
	return ctx != nil && reflect.TypeOf(ctx).Comparable()
}

// refuseNested returns ErrNestedWrite for a write with ctx issued from
// inside a write closure.
func (w *writers) refuseNested(ctx context.Context) error {
	if w.n.Load() == 0 {
		return nil
	}
	if !checkAll {
		if !comparable(ctx) {
			return nil
		}
		w.mu.Lock()
		_, running := w.ctxs[ctx]
		w.mu.Unlock()
		if !running {
			return nil
		}
	}
	if insideClosure() {
		return ErrNestedWrite
	}
	return nil
}

// wrap runs fn through runClosure, recording ctx while it runs.
func (w *writers) wrap(ctx context.Context, fn func(*tx) error) func(*tx) error {
	return func(x *tx) error {
		w.enter(ctx)
		defer w.leave(ctx)
		return runClosure(fn, x)
	}
}

// runClosure runs a write closure: its frame on a goroutine's stack is
// what marks the goroutine as inside one.
//
//go:noinline
func runClosure(fn func(*tx) error, x *tx) error { return fn(x) }

// runClosureName is runClosure's name in stack frames.
var runClosureName = runtime.FuncForPC(reflect.ValueOf(runClosure).Pointer()).Name()

// insideClosure reports whether runClosure is on the current goroutine's
// stack (within the 256 newest frames).
func insideClosure() bool {
	var pcs [256]uintptr
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs[:])])
	for {
		f, more := frames.Next()
		if f.Function == runClosureName {
			return true
		}
		if !more {
			return false
		}
	}
}

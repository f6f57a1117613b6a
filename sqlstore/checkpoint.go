package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite in WAL mode appends every commit to the log file and copies the
// log back into the database now and then (a checkpoint). By default the
// commit that crosses 1,000 pages does the copying itself, and every write
// queued behind it waits. Here the writer does not copy: a goroutine of
// the store does, on a connection of its own, shortly after writes, while
// the writer goes on.
//
// Copying is not enough under a steady load: the log starts over from its
// beginning only at a moment when no reader is using it, and with readers
// always at work that moment may not come, so the log would grow without
// end. When it holds more than restartFrames pages, the writer itself —
// between two group commits, when nothing else could write anyway — asks
// for the log to start over, waiting a moment for the readers of the
// moment to finish.

// restartFrames is the log length (in pages) past which the writer
// restarts the log: 64 MB of 4 KB pages.
const restartFrames = 16 << 10

// checkpointer copies the log back into the database after writes.
type checkpointer struct {
	db      *sql.DB // a connection of its own
	mu      sync.Mutex
	poke    chan struct{} // a write has committed
	stop    chan struct{}
	done    chan struct{}
	restart atomic.Bool // the log is long: the writer should restart it
}

func newCheckpointer(db *sql.DB) *checkpointer {
	c := &checkpointer{db: db, poke: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

// written tells the checkpointer that a write has committed.
func (c *checkpointer) written() {
	if c == nil {
		return
	}
	select {
	case c.poke <- struct{}{}:
	default:
	}
}

func (c *checkpointer) loop() {
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		case <-c.poke:
		}
		// Let the writes of a busy moment gather before copying them.
		select {
		case <-c.stop:
			return
		case <-time.After(100 * time.Millisecond):
		}
		c.mu.Lock()
		_, log, _ := checkpoint(c.db, "PASSIVE")
		c.mu.Unlock()
		if log > restartFrames {
			c.restart.Store(true)
		}
	}
}

// checkpoint runs a checkpoint of mode on db and returns what SQLite
// reports: whether it was blocked, the pages in the log, the pages copied.
func checkpoint(q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, mode string) (busy, log, copied int) {
	if err := q.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &log, &copied); err != nil {
		return 1, 0, 0
	}
	return busy, log, copied
}

// restartLog, run by the writer between commits, copies what is left of
// the log and makes it start over, waiting at most 50 ms for readers.
func (c *checkpointer) restartLog(w *sql.DB) {
	if c == nil || !c.restart.Load() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx := context.Background()
	conn, err := w.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 50"); err != nil {
		return
	}
	if busy, _, _ := checkpoint(conn, "RESTART"); busy == 0 {
		c.restart.Store(false)
	}
	_, _ = conn.ExecContext(ctx, "PRAGMA busy_timeout = 10000")
}

// close stops the loop and leaves the log empty.
func (c *checkpointer) close() {
	if c == nil {
		return
	}
	close(c.stop)
	<-c.done
	checkpoint(c.db, "TRUNCATE")
	c.db.Close()
}

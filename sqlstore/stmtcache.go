package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// maxCachedStmts bounds the statements kept across transactions: the
// store's fixed queries fit with room to spare.
const maxCachedStmts = 400

// keepable says whether q is worth keeping across transactions: not the
// queries built with long lists of values (an export's chunks, an
// import's lookups), which come in many lengths, each prepared statement
// a sizeable program on every connection that runs it.
func keepable(q string) bool {
	return len(q) <= 4096 && strings.Count(q, "?") <= 24 || strings.HasPrefix(q, bulkKept)
}

// stmtCache keeps SQLite statements prepared across transactions, so
// that a request does not parse its SQL again: a transaction uses the
// statement already prepared on its connection (sql.Tx.StmtContext).
// Statements first met inside a transaction are prepared there and added
// after it ends, when the connection is free. PostgreSQL needs none of
// this: pgx keeps its own per-connection cache.
type stmtCache struct {
	db *sql.DB
	d  dialect
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB, d dialect) *stmtCache {
	return &stmtCache{db: db, d: d, m: map[string]*sql.Stmt{}}
}

// lookup returns the statement of q, or nil if it is not kept (yet).
func (c *stmtCache) lookup(q string) *sql.Stmt {
	if c == nil || !keepable(q) {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[q]
}

// add prepares and keeps the queries not kept yet, within the bound.
func (c *stmtCache) add(ctx context.Context, qs []string) {
	if c == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	for _, q := range qs {
		if !keepable(q) {
			continue
		}
		c.mu.RLock()
		_, ok := c.m[q]
		full := len(c.m) >= maxCachedStmts
		c.mu.RUnlock()
		if ok || full {
			continue
		}
		st, err := c.db.PrepareContext(ctx, c.d.rebind(q))
		if err != nil {
			continue // the transaction that met it has reported the error
		}
		c.mu.Lock()
		if _, ok := c.m[q]; ok || len(c.m) >= maxCachedStmts {
			c.mu.Unlock()
			st.Close()
			continue
		}
		c.m[q] = st
		c.mu.Unlock()
	}
}

// close closes the kept statements.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// queryRow runs a one-row query on the reader pool outside a transaction,
// with a kept statement on SQLite.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := s.keptReader(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.r.QueryRowContext(ctx, s.d.rebind(q), args...)
}

// query runs a query on the reader pool outside a transaction, with a kept
// statement on SQLite.
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := s.keptReader(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.r.QueryContext(ctx, s.d.rebind(q), args...)
}

func (s *Store) keptReader(ctx context.Context, q string) *sql.Stmt {
	if s.rstmts == nil {
		return nil
	}
	if st := s.rstmts.lookup(q); st != nil {
		return st
	}
	s.rstmts.add(ctx, []string{q})
	return s.rstmts.lookup(q)
}

// Package sqlstore keeps safetynet's data in SQLite (the embedded default)
// or PostgreSQL, with one set of hand-written portable SQL.
//
// Rules of the package:
//   - SQL is written once with '?' placeholders; the PostgreSQL dialect
//     rewrites them to $n. Migrations use two words, AUTOID and BLOB, that
//     the dialect expands; a migration may add a dialect-specific file
//     (NNNN_name.sqlite.sql, NNNN_name.postgres.sql) for triggers and
//     indexes that cannot be written portably. Migrations are numbered per
//     capability, in migrations/<capability>/ (see migrate.go).
//   - Times are stored as BIGINT milliseconds since the Unix epoch (UTC),
//     flags as INTEGER 0/1.
//   - Exported methods check the actor's permission, open the transaction
//     and call unexported helpers taking a *tx. Every change writes its
//     audit entry in the same transaction, so a change is never saved
//     without its record.
//   - Decisions are not made here: who acts next, deadlines, recipients,
//     approval levels (package relay), move, merge and category rules
//     (package register) are asked of the domain packages inside the
//     transaction, and this package persists what they return. Files are
//     named <capability>_*.go.
//   - A write closure reads and writes through its *tx only and never
//     issues another write (see batcher in batch.go); a nested write is
//     refused with ErrNestedWrite.
//   - Scope is applied in the query (scopeClause): a record outside the
//     actor's scope is indistinguishable from a missing one.
//   - On SQLite every write goes through a single connection, so writers
//     queue in Go instead of failing with "database is locked"; readers
//     use a separate read-only pool and are not blocked (WAL).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"safetynet/auth"
	"safetynet/fieldcrypt"
)

// Options tune a Store.
type Options struct {
	// Now returns the current time; tests drive the clock with it.
	Now func() time.Time
	// PasswordParams are the argon2id parameters for new password hashes.
	PasswordParams auth.Params
	// Keys encrypt ID and phone numbers; the register needs them.
	Keys *fieldcrypt.Keys
	// Channels are the outbox channels every notification is also sent
	// on ("log" if none); their senders are configured by the server.
	Channels []string
}

// Store is the database.
type Store struct {
	w        *sql.DB // writes (and reads inside writes)
	r        *sql.DB // reads; the same pool as w on PostgreSQL
	d        dialect
	now      func() time.Time
	pwParam  auth.Params
	keys     *fieldcrypt.Keys
	channels []string
	// SQLite statements kept across transactions, per pool.
	wstmts, rstmts *stmtCache
	batch          batcher
	ckpt           *checkpointer // SQLite: copies the log back off the write path

	// writers are the goroutines inside a write closure, to refuse nested writes.
	writers writers
}

// Open connects to dsn: a postgres:// or postgresql:// URL selects
// PostgreSQL, anything else is a SQLite file path (created if missing).
// Open does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	s := &Store{now: opt.Now, pwParam: opt.PasswordParams, keys: opt.Keys, channels: opt.Channels}
	if len(s.channels) == 0 {
		s.channels = []string{"log"}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.pwParam.Time == 0 {
		s.pwParam = auth.DefaultParams
	}
	var err error
	if IsPostgresDSN(dsn) {
		err = s.openPostgres(dsn)
	} else {
		err = s.openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// IsPostgresDSN reports whether dsn names a PostgreSQL database.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func (s *Store) openPostgres(dsn string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.w, s.r, s.d = db, db, postgres
	return nil
}

func (s *Store) openSQLite(path string) error {
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return errors.New("sqlstore: empty database path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("sqlstore: create database directory: %w", err)
		}
	}
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" +
		"_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-16000)"
	w, err := sql.Open("sqlite", base+"&_txlock=immediate&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	// One writer connection: writes queue here rather than in SQLite's lock.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	n := max(4, 2*runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.w, s.r, s.d = w, r, sqlite
	s.wstmts, s.rstmts = newStmtCache(w, sqlite), newStmtCache(r, sqlite)
	// Touch the writer so the file and WAL mode exist before readers open.
	if _, err := w.Exec("SELECT 1"); err != nil {
		s.Close()
		return fmt.Errorf("sqlstore: open sqlite %s: %w", path, err)
	}
	// The checkpointer copies pages without its page cache: keep it small.
	ck, err := sql.Open("sqlite", strings.Replace(base, "cache_size(-16000)", "cache_size(-1000)", 1))
	if err != nil {
		s.Close()
		return fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	ck.SetMaxOpenConns(1)
	s.ckpt = newCheckpointer(ck)
	return nil
}

// Close closes the connection pools.
func (s *Store) Close() error {
	s.wstmts.close()
	s.rstmts.close()
	s.ckpt.close()
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlstore: ping: %w", err)
	}
	return nil
}

// Stats returns the pool statistics of the writer and reader pools.
func (s *Store) Stats() (w, r sql.DBStats) { return s.w.Stats(), s.r.Stats() }

// Now returns the store's current time.
func (s *Store) Now() time.Time { return s.now() }

// tx is a transaction that rewrites placeholders for its dialect and
// prepares each distinct statement once: a bulk import runs the same
// statements thousands of times, and parsing SQL would dominate.
type tx struct {
	*sql.Tx
	d      dialect
	stmts  map[string]*sql.Stmt
	cache  *stmtCache // SQLite: statements kept across transactions
	missed []string   // statements to add to the cache when this ends
	// ctx, if set, replaces the context statements are given: in a group
	// commit, one caller's cancellation must not abort the others' writes.
	ctx context.Context
	// conn holds a PostgreSQL write transaction, for COPY (see insertRows).
	conn *sql.Conn
	// keysOf caches the search keys of places (see scopeKeys).
	keysOf map[string][]string
}

// stmt returns the prepared form of q; the transaction closes it.
func (t *tx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if t.ctx != nil {
		ctx = t.ctx
	}
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if kept := t.cache.lookup(q); kept != nil {
		st = t.StmtContext(ctx, kept)
	} else {
		var err error
		if st, err = t.PrepareContext(ctx, t.d.rebind(q)); err != nil {
			return nil, err
		}
		if t.cache != nil && keepable(q) {
			t.missed = append(t.missed, q)
		}
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[q] = st
	return st, nil
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if t.ctx != nil {
		ctx = t.ctx
	}
	if t.d.name == "postgres" {
		return t.ExecContext(ctx, t.d.rebind(q), args...) // pgx prepares and caches
	}
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if t.ctx != nil {
		ctx = t.ctx
	}
	if t.d.name == "postgres" {
		return t.QueryContext(ctx, t.d.rebind(q), args...)
	}
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow prepares like query; a preparation error surfaces from Scan.
func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if t.ctx != nil {
		ctx = t.ctx
	}
	if t.d.name == "postgres" {
		return t.QueryRowContext(ctx, t.d.rebind(q), args...)
	}
	st, err := t.stmt(ctx, q)
	if err != nil {
		return t.QueryRowContext(ctx, t.d.rebind(q), args...) // reports the same error on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

// write runs fn in a read-write transaction and commits if fn returns nil.
// On SQLite, writes that arrive together commit together (see batcher,
// whose comment is the contract of fn). A write issued from inside fn is
// refused with ErrNestedWrite on both databases.
func (s *Store) write(ctx context.Context, fn func(*tx) error) error {
	if err := s.writers.refuseNested(ctx); err != nil {
		return err
	}
	if s.d.name == "sqlite" {
		return s.writeBatched(ctx, fn)
	}
	return s.inTx(ctx, s.w, false, s.writers.wrap(ctx, fn))
}

// read runs fn in a read-only transaction, a consistent snapshot.
func (s *Store) read(ctx context.Context, fn func(*tx) error) error {
	return s.inTx(ctx, s.r, true, fn)
}

// snapshot runs fn in a read-only transaction that sees one state of the
// database throughout, however long it runs (PostgreSQL: repeatable read;
// SQLite: a read transaction on the read pool, never the writer).
func (s *Store) snapshot(ctx context.Context, fn func(*tx) error) error {
	if s.d.name == "postgres" {
		return s.inTxOpts(ctx, s.r, true, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}, fn)
	}
	return s.inTx(ctx, s.r, true, fn)
}

func (s *Store) inTx(ctx context.Context, db *sql.DB, readOnly bool, fn func(*tx) error) error {
	var opts *sql.TxOptions
	if readOnly && s.d.name == "postgres" {
		opts = &sql.TxOptions{ReadOnly: true}
	}
	return s.inTxOpts(ctx, db, readOnly, opts, fn)
}

func (s *Store) inTxOpts(ctx context.Context, db *sql.DB, readOnly bool, opts *sql.TxOptions, fn func(*tx) error) error {
	var conn *sql.Conn
	if !readOnly && s.d.name == "postgres" {
		// A connection of its own, so that bulk writes can reach pgx's COPY
		// on the connection that holds the transaction.
		c, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("sqlstore: connect: %w", err)
		}
		defer c.Close()
		conn, db = c, nil
	}
	var t *sql.Tx
	var err error
	if conn != nil {
		t, err = conn.BeginTx(ctx, opts)
	} else {
		t, err = db.BeginTx(ctx, opts)
	}
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	var cache *stmtCache
	switch db {
	case s.w:
		cache = s.wstmts
	case s.r:
		cache = s.rstmts
	}
	x := &tx{Tx: t, d: s.d, cache: cache, conn: conn}
	defer func() { cache.add(ctx, x.missed) }()
	if err := fn(x); err != nil {
		_ = t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Package storetest opens fresh stores for tests: a SQLite file in a
// temporary directory and, when SAFETYNET_TEST_POSTGRES names a server, a
// PostgreSQL schema of its own that is dropped afterwards.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"safetynet/auth"
	"safetynet/fieldcrypt"
	"safetynet/sqlstore"
)

// PostgresEnv names the environment variable holding the PostgreSQL URL
// for tests, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const PostgresEnv = "SAFETYNET_TEST_POSTGRES"

// FastPasswords are cheap argon2id parameters for tests.
var FastPasswords = auth.Params{Time: 1, Memory: 1024, Threads: 1}

// Keys are the field-encryption keys of every test store: one random key
// per test binary.
var Keys = func() *fieldcrypt.Keys {
	b := make([]byte, fieldcrypt.KeySize)
	_, _ = rand.Read(b)
	k, err := fieldcrypt.New(b)
	if err != nil {
		panic(err)
	}
	return k
}()

// Clock is a settable clock for tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Options are the store options tests use: fast password hashing and, if
// clock is not nil, its time.
func Options(clock *Clock) sqlstore.Options {
	o := sqlstore.Options{PasswordParams: FastPasswords, Keys: Keys}
	if clock != nil {
		o.Now = clock.Now
	}
	return o
}

// Each runs fn once per configured database: always SQLite, and
// PostgreSQL when PostgresEnv is set.
func Each(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Helper()
	EachWith(t, nil, fn)
}

// EachWith is Each with a clock driving the store's time.
func EachWith(t *testing.T, clock *Clock, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t, clock)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t, clock)) })
}

// SQLite returns a migrated store on a new SQLite file.
func SQLite(tb testing.TB, clock *Clock) *sqlstore.Store {
	tb.Helper()
	return open(tb, filepath.Join(tb.TempDir(), "test.db"), clock)
}

// Postgres returns a migrated store in a new PostgreSQL schema, or skips
// the test when no server is configured.
func Postgres(tb testing.TB, clock *Clock) *sqlstore.Store {
	tb.Helper()
	return open(tb, PostgresDSN(tb), clock)
}

// PostgresDSN creates a new schema and returns a URL whose connections use
// it. The schema is dropped when the test ends. Without PostgresEnv the
// test is skipped.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		tb.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run them", PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open %s: %v", PostgresEnv, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema on %s: %v", PostgresEnv, err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens and migrates the store at dsn and closes it when the test ends.
func Open(tb testing.TB, dsn string, clock *Clock) *sqlstore.Store {
	tb.Helper()
	return open(tb, dsn, clock)
}

func open(tb testing.TB, dsn string, clock *Clock) *sqlstore.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn, Options(clock))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return s
}

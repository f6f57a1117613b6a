package main

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"

	"safetynet/fieldcrypt"
	"safetynet/sqlstore"
)

// openFreshBenchStore opens and migrates the throw-away database at dsn
// that a bench suite fills itself, with a random key of its own: nothing
// it encrypts outlives the run.
func openFreshBenchStore(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	master := make([]byte, fieldcrypt.KeySize)
	if _, err := rand.Read(master); err != nil {
		return nil, err
	}
	keys, err := fieldcrypt.New(master)
	if err != nil {
		return nil, err
	}
	s, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Keys: keys})
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// freshBenchDatabases names the throw-away databases a suite runs on, one
// after the other: a SQLite file in a new temporary directory and, when
// postgres names a server, a new schema there. cleanup removes both.
func freshBenchDatabases(ctx context.Context, suite, postgres string) (dsns []string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "safetynet-bench-"+suite+"-")
	if err != nil {
		return nil, nil, err
	}
	cleanup = func() { _ = os.RemoveAll(dir) }
	dsns = []string{filepath.Join(dir, "bench-"+suite+".db")}
	if postgres != "" {
		dsn, drop, err := freshSchema(ctx, postgres, false)
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		removeDir := cleanup
		cleanup = func() { drop(); removeDir() }
		dsns = append(dsns, dsn)
	}
	return dsns, cleanup, nil
}

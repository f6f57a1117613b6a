package main

import (
	"context"
	"crypto/rand"

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

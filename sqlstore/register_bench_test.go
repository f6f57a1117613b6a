package sqlstore_test

import (
	"testing"
	"time"

	"safetynet/access"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
	"safetynet/synth"
)

// BenchmarkImportLedger imports 1,000 synthetic households (about 3,500
// persons) per iteration into one growing SQLite register.
func BenchmarkImportLedger(b *testing.B) {
	benchImport(b, storetest.SQLite(b, nil))
}

// BenchmarkImportLedgerPostgres is the same on PostgreSQL (skipped unless
// SAFETYNET_TEST_POSTGRES names a server).
func BenchmarkImportLedgerPostgres(b *testing.B) {
	benchImport(b, storetest.Open(b, storetest.PostgresDSN(b), nil))
}

func benchImport(b *testing.B, s *sqlstore.Store) {
	mustImportB(b, s)
	g := synth.New(1, []synth.Place{{Code: "530325002009", Name: "腰站社区", County: "530325"}}, time.Now())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		batch := g.Batch(1000)
		b.StartTimer()
		if rep, err := s.ImportLedger(ctx, access.System(), batch, sqlstore.LedgerOptions{}); err != nil {
			b.Fatal(err, rep.Errors)
		}
	}
}

func mustImportB(b *testing.B, s *sqlstore.Store) {
	b.Helper()
	rows := smallTree
	if _, err := importCSV(s, rows); err != nil {
		b.Fatal(err)
	}
}

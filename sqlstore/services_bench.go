package sqlstore

import "context"

// The baseline of the services benchmark: the plainest one-row INSERT a
// recorded service could be, into the scratch table bench_service_rows
// made by ServiceBaselinePrepare in a benchmark's copy of a database.

// ServiceBaselinePrepare makes the scratch table of the baseline.
func (s *Store) ServiceBaselinePrepare(ctx context.Context) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `CREATE TABLE IF NOT EXISTS bench_service_rows (client_id TEXT NOT NULL, household_id BIGINT NOT NULL,
			service_type TEXT NOT NULL, started_at BIGINT NOT NULL, price_fen BIGINT NOT NULL)`)
		return err
	})
}

// ServiceBaselineInsertOne inserts one row into the scratch table.
func (s *Store) ServiceBaselineInsertOne(ctx context.Context, clientID string, householdID, startedAt int64) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO bench_service_rows (client_id, household_id, service_type, started_at, price_fen) VALUES (?, ?, 'cleaning', ?, 3000)`,
			clientID, householdID, startedAt)
		return err
	})
}

package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Bulk writes. A ledger import, the demo generator and the bulk paths to
// come (department batches, screening results) write tens of thousands
// of rows in one transaction. Row by row, PostgreSQL spends a network
// round trip on each statement; SQLite runs its statement machinery once
// per row. insertRows writes many rows of one table at once, inside the
// caller's transaction so that they commit or roll back with the rest of
// the change (and its audit entry):
//   - PostgreSQL: COPY FROM STDIN through pgx, on the transaction's own
//     connection;
//   - SQLite: multi-row INSERT … VALUES (…), (…) statements, prepared
//     once per chunk size on the single writer (group commit unchanged).
//
// Rows that other rows refer to get their IDs first from allocIDs.

// bulkChunkParams bounds the parameters of one SQLite statement (SQLite
// allows 32766).
const bulkChunkParams = 16000

// bulkKept marks the statements of full chunks: their text depends only
// on the table and columns, so they are kept prepared across transactions
// on the writer (stmtCache, keepable) instead of prepared again in each;
// the last, shorter chunk of a call is prepared in its transaction.
const bulkKept = "/* bulk */ "

// insertRows inserts rows (each a value per column of cols) into table.
func (t *tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if t.ctx != nil {
		ctx = t.ctx
	}
	if t.d.name == "postgres" {
		return t.copyRows(ctx, table, cols, rows)
	}
	per := max(1, min(500, bulkChunkParams/len(cols)))
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	args := make([]any, 0, per*len(cols))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			if len(r) != len(cols) {
				return fmt.Errorf("sqlstore: bulk %s: %d values for %d columns", table, len(r), len(cols))
			}
			args = append(args, r...)
		}
		q := head + strings.TrimSuffix(strings.Repeat(one+", ", len(chunk)), ", ")
		if len(chunk) == per {
			q = bulkKept + q // a full chunk: the same statement in every transaction
		}
		st, err := t.stmt(ctx, q)
		if err != nil {
			return fmt.Errorf("sqlstore: bulk %s: %w", table, err)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("sqlstore: bulk %s: %w", table, err)
		}
	}
	return nil
}

// copyRows runs COPY on the connection that holds the transaction.
func (t *tx) copyRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	if t.conn == nil {
		return errors.New("sqlstore: bulk write outside a write transaction")
	}
	return t.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("sqlstore: bulk %s: driver connection %T is not pgx", table, dc)
		}
		n, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err != nil {
			return fmt.Errorf("sqlstore: copy into %s: %w", table, err)
		}
		if int(n) != len(rows) {
			return fmt.Errorf("sqlstore: copy into %s: %d of %d rows", table, n, len(rows))
		}
		return nil
	})
}

// allocIDs reserves n new IDs of table's id column, in ascending order,
// for rows written by insertRows that other rows refer to. On SQLite the
// caller holds the single writer, so the IDs after the largest are free
// until it inserts them; on PostgreSQL they come from the identity's
// sequence, which concurrent writers share safely.
func (t *tx) allocIDs(ctx context.Context, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, n)
	if t.d.name == "postgres" {
		rows, err := t.query(ctx, `SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) FROM generate_series(1, ?)`, n)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: reserve %s IDs: %w", table, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlstore: reserve %s IDs: %w", table, err)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		return ids, nil
	}
	var last int64
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&last); err != nil {
		return nil, fmt.Errorf("sqlstore: reserve %s IDs: %w", table, err)
	}
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	return ids, nil
}

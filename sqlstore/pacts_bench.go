package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"safetynet/pacts"
)

// SeedPactsForBench writes n pacts in bulk for `safetynet bench --suite
// pacts`: kept by steward, over persons spread across the register (every
// k-th; a person may hold several when the register is smaller), with the
// default terms and ladder, begun at since, made by "bench" (see
// RemoveBenchPacts); all but missed of them get a sign on day before its
// deadline. It returns the ids of the pacts without a sign.
func (s *Store) SeedPactsForBench(ctx context.Context, steward int64, n, missed int, day string, since time.Time) ([]int64, error) {
	var without []int64
	err := s.write(ctx, func(t *tx) error {
		var total int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM persons`).Scan(&total); err != nil {
			return err
		}
		step := max(1, total/n)
		rows, err := t.query(ctx, `SELECT id, place_code FROM persons WHERE id % ? = 0 ORDER BY id LIMIT ?`, step, n)
		if err != nil {
			return err
		}
		type person struct {
			id    int64
			place string
		}
		var people []person
		for rows.Next() {
			var p person
			if err := rows.Scan(&p.id, &p.place); err != nil {
				rows.Close()
				return err
			}
			people = append(people, p)
		}
		rows.Close()
		if len(people) == 0 {
			return fmt.Errorf("sqlstore: bench pacts: the register is empty")
		}
		ids, err := t.allocIDs(ctx, "pacts", n)
		if err != nil {
			return err
		}
		loc, _ := pacts.Location("")
		due, _ := pacts.DueOn(day, pacts.DefaultDeadline, loc)
		at := ms(since)
		pactRows := make([][]any, n)
		var rungRows, dayRows [][]any
		for i, id := range ids {
			p := people[i%len(people)]
			last := day
			if i >= n-missed {
				last = ""
			}
			pactRows[i] = []any{id, p.id, p.place, steward, pacts.DefaultDeadline, pacts.DefaultZone, pacts.DefaultWaitMin,
				pacts.LadderString(pacts.DefaultLadder), len(pacts.DefaultLadder), "", "active", 1, "bench", at, at, last}
			rungRows = append(rungRows, []any{id, 0, string(pacts.RungSteward), ""})
			if i < n-missed {
				dayRows = append(dayRows, []any{id, day, p.place, "kept", ms(due), ms(due.Add(-time.Hour)), pacts.SourceRound})
			} else {
				without = append(without, id)
			}
		}
		if err := t.insertRows(ctx, "pacts", []string{"id", "person_id", "place_code", "steward_id", "deadline_min", "zone", "wait_min",
			"ladder", "rungs", "token_hash", "status", "version", "created_by", "created_at", "updated_at", "last_day"}, pactRows); err != nil {
			return err
		}
		if err := t.insertRows(ctx, "pact_rungs", []string{"pact_id", "rung", "kind", "owner_place"}, rungRows); err != nil {
			return err
		}
		// The backups' places, looked up once per place of the persons.
		owners := map[string]map[string]string{}
		rows, err = t.query(ctx, `SELECT pt.descendant, pl.level, pt.ancestor FROM place_tree pt JOIN places pl ON pl.code = pt.ancestor
			WHERE pl.level IN ('grid', 'village', 'town')`)
		if err != nil {
			return fmt.Errorf("sqlstore: bench ladder: %w", err)
		}
		for rows.Next() {
			var place, level, anc string
			if err := rows.Scan(&place, &level, &anc); err != nil {
				rows.Close()
				return err
			}
			if owners[place] == nil {
				owners[place] = map[string]string{}
			}
			owners[place][level] = anc
		}
		rows.Close()
		rungRows = rungRows[:0]
		for i, id := range ids {
			place := people[i%len(people)].place
			for j, r := range pacts.DefaultLadder[1:] {
				rungRows = append(rungRows, []any{id, j + 1, string(r), owners[place][string(rungLevels[r])]})
			}
		}
		if err := t.insertRows(ctx, "pact_rungs", []string{"pact_id", "rung", "kind", "owner_place"}, rungRows); err != nil {
			return err
		}
		return t.insertRows(ctx, "pact_days", []string{"pact_id", "day", "place_code", "status", "due_at", "sign_at", "sign_source"}, dayRows)
	})
	return without, err
}

// PactAlertBaselineForBench writes, with one plain INSERT per row in one
// transaction, the rows an 08:00 sweep writes for the pacts given: a
// missed day (on day), its alert, the steward's notification and a
// message per outbox channel. It is the baseline the sweep is compared to.
func (s *Store) PactAlertBaselineForBench(ctx context.Context, ids []int64, day string) error {
	return s.write(ctx, func(t *tx) error {
		now := ms(s.now())
		for _, id := range ids {
			var dayID, steward int64
			var place, username string
			if err := t.queryRow(ctx, `SELECT p.place_code, p.steward_id, u.username FROM pacts p JOIN users u ON u.id = p.steward_id WHERE p.id = ?`, id).
				Scan(&place, &steward, &username); err != nil {
				return err
			}
			if err := t.queryRow(ctx, `INSERT INTO pact_days (pact_id, day, place_code, status, due_at, rung, next_at) VALUES (?, ?, ?, 'resolved', ?, 0, 0)
				RETURNING id`, id, day, place, now).Scan(&dayID); err != nil {
				return err
			}
			if _, err := t.exec(ctx, `INSERT INTO pact_alerts (pact_day_id, rung, at) VALUES (?, 0, ?)`, dayID, now); err != nil {
				return err
			}
			if _, err := t.exec(ctx, `INSERT INTO notifications (user_id, created_at, kind, detail, link, clue_id, case_id) VALUES (?, ?, ?, ?, ?, 0, 0)`,
				steward, now, NoticePactMissed, `{"step":"steward"}`, fmt.Sprintf("/pacts/days/%d", dayID)); err != nil {
				return err
			}
			for _, ch := range s.channels {
				if _, err := t.exec(ctx, `INSERT INTO outbox (channel, recipient, subject, body, link, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
					ch, username, pactSubject, "baseline", fmt.Sprintf("/pacts/days/%d", dayID), now, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// PactAlertCounts counts, for the bench's check, the alerts of a day of
// the pacts given (by their ids' range): rows of pact_alerts, days alerted
// twice at one step, and the steward's notifications of those days.
func (s *Store) PactAlertCounts(ctx context.Context, day string, ids []int64) (alerts, duplicates, notes int, err error) {
	if len(ids) == 0 {
		return
	}
	lo, hi := ids[0], ids[len(ids)-1]
	if err = s.queryRow(ctx, `SELECT COUNT(*) FROM pact_alerts a JOIN pact_days d ON d.id = a.pact_day_id
		WHERE d.day = ? AND d.pact_id BETWEEN ? AND ?`, day, lo, hi).Scan(&alerts); err != nil {
		return
	}
	if err = s.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT d.id FROM pact_days d JOIN pact_alerts a ON a.pact_day_id = d.id
		WHERE d.day = ? AND d.pact_id BETWEEN ? AND ? GROUP BY d.id, a.rung HAVING COUNT(*) > 1) x`, day, lo, hi).Scan(&duplicates); err != nil {
		return
	}
	err = s.queryRow(ctx, `SELECT COUNT(*) FROM notifications n JOIN pact_days d ON n.link = '/pacts/days/' || d.id
		WHERE n.kind = ? AND d.day = ? AND d.pact_id BETWEEN ? AND ?`, NoticePactMissed, day, lo, hi).Scan(&notes)
	return
}

// PactAlertBulkBaselineForBench writes the same rows as an 08:00 sweep for
// the pacts given (on day) the fastest raw way the database has: one read
// of the pacts, then multi-row INSERTs on SQLite and COPY on PostgreSQL,
// in one transaction. It is the floor the sweep is compared to.
func (s *Store) PactAlertBulkBaselineForBench(ctx context.Context, ids []int64, day string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.write(ctx, func(t *tx) error {
		now := ms(s.now())
		type pact struct {
			place, username string
			steward         int64
		}
		got := map[int64]pact{}
		rows, err := t.query(ctx, `SELECT p.id, p.place_code, p.steward_id, u.username FROM pacts p JOIN users u ON u.id = p.steward_id
			WHERE p.id BETWEEN ? AND ?`, ids[0], ids[len(ids)-1])
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var p pact
			if err := rows.Scan(&id, &p.place, &p.steward, &p.username); err != nil {
				rows.Close()
				return err
			}
			got[id] = p
		}
		rows.Close()
		dayIDs, err := t.allocIDs(ctx, "pact_days", len(ids))
		if err != nil {
			return err
		}
		var days, alerts, notes, out [][]any
		for i, id := range ids {
			p, d := got[id], dayIDs[i]
			link := fmt.Sprintf("/pacts/days/%d", d)
			days = append(days, []any{d, id, day, p.place, "resolved", now, 0, 0})
			alerts = append(alerts, []any{d, 0, now})
			notes = append(notes, []any{p.steward, now, NoticePactMissed, `{"step":"steward"}`, link, 0, 0})
			for _, ch := range s.channels {
				out = append(out, []any{ch, p.username, pactSubject, "baseline", link, now, now})
			}
		}
		if err := t.insertRows(ctx, "pact_days", []string{"id", "pact_id", "day", "place_code", "status", "due_at", "rung", "next_at"}, days); err != nil {
			return err
		}
		if err := t.insertRows(ctx, "pact_alerts", []string{"pact_day_id", "rung", "at"}, alerts); err != nil {
			return err
		}
		if err := t.insertRows(ctx, "notifications", []string{"user_id", "created_at", "kind", "detail", "link", "clue_id", "case_id"}, notes); err != nil {
			return err
		}
		return t.insertRows(ctx, "outbox", []string{"channel", "recipient", "subject", "body", "link", "created_at", "next_attempt_at"}, out)
	})
}

// removeBenchDays deletes the days of the bench's pacts (made by
// "bench") matching cond (on pact_days d) with their alerts,
// notifications and messages. The ids are read first and the rows deleted
// by chunks of known ids: a join of notifications (no index on link) with
// a subquery is at the planner's mercy on a database nobody analyzed.
func (s *Store) removeBenchDays(ctx context.Context, t *tx, cond string, args ...any) error {
	found, err := queryIDs(ctx, t, `SELECT d.id FROM pact_days d JOIN pacts p ON p.id = d.pact_id WHERE p.created_by = 'bench'`+cond, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: remove bench pacts: %w", err)
	}
	ids := make([]any, len(found))
	for i, id := range found {
		ids[i] = id
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		links := make([]any, len(chunk))
		for i, id := range chunk {
			links[i] = fmt.Sprintf("/pacts/days/%d", id)
		}
		in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ") + ")"
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`DELETE FROM notifications WHERE kind = '` + NoticePactMissed + `' AND link IN ` + in, links},
			{`DELETE FROM outbox WHERE subject = '` + pactSubject + `' AND link IN ` + in, links},
			{`DELETE FROM pact_alerts WHERE pact_day_id IN ` + in, chunk},
			{`DELETE FROM pact_days WHERE id IN ` + in, chunk},
		} {
			if _, err := t.exec(ctx, q.sql, q.args...); err != nil {
				return fmt.Errorf("sqlstore: remove bench pacts: %w", err)
			}
		}
	}
	return nil
}

// RemoveBenchPactDays removes the bench's rows of the days given (the
// baselines' rows, before the sweep is timed).
func (s *Store) RemoveBenchPactDays(ctx context.Context, days []string) error {
	return s.write(ctx, func(t *tx) error {
		for _, day := range days {
			if err := s.removeBenchDays(ctx, t, ` AND d.day = ?`, day); err != nil {
				return err
			}
		}
		return nil
	})
}

// RemoveBenchPacts removes the pacts SeedPactsForBench wrote and all their
// rows, so that an existing register can be measured again.
func (s *Store) RemoveBenchPacts(ctx context.Context) error {
	return s.write(ctx, func(t *tx) error {
		if err := s.removeBenchDays(ctx, t, ""); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM pact_rungs WHERE pact_id IN (SELECT id FROM pacts WHERE created_by = 'bench')`,
			`DELETE FROM pacts WHERE created_by = 'bench'`,
		} {
			if _, err := t.exec(ctx, q); err != nil {
				return fmt.Errorf("sqlstore: remove bench pacts: %w", err)
			}
		}
		return nil
	})
}

// AnalyzeForBench refreshes the planner's statistics of the pact tables
// after the bulk load (PostgreSQL runs here with autovacuum off).
func (s *Store) AnalyzeForBench(ctx context.Context) error {
	for _, table := range []string{"pacts", "pact_days", "pact_rungs", "pact_alerts", "pact_away"} {
		if _, err := s.w.ExecContext(ctx, `ANALYZE `+table); err != nil {
			return fmt.Errorf("sqlstore: analyze %s: %w", table, err)
		}
	}
	return nil
}

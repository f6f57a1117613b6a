package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet/dashboards"
)

// DashboardBaseline is the raw baseline of the dashboards' benchmark: a
// plain SELECT COUNT(*) over each table's rows that the dashboard of place
// reads for the period and the previous one (the same filters, no join,
// no grouping; the measures without their cases' places), summed.
func (s *Store) DashboardBaseline(ctx context.Context, place string, p dashboards.Period) (int64, error) {
	var total int64
	err := s.read(ctx, func(t *tx) error {
		under := func(col string) (string, []any) {
			return ` AND ` + col + ` IN (SELECT descendant FROM place_tree WHERE ancestor = ?)`, []any{place}
		}
		type q struct {
			sql  string
			args []any
		}
		for _, per := range [][2]time.Time{{p.From, p.To}, {p.PrevFrom, p.PrevTo}} {
			f, e := ms(per[0]), ms(per[1])
			fd, ed := per[0].Format("2006-01-02"), per[1].Format("2006-01-02")
			last := per[1].AddDate(0, 0, -1).Format("2006-01-02")
			var qs []q
			add := func(sql, col string, args ...any) {
				if col == "" {
					qs = append(qs, q{sql, args})
					return
				}
				c, a := under(col)
				qs = append(qs, q{sql + c, append(args, a...)})
			}
			add(`SELECT COUNT(*) FROM clues c WHERE c.reported_at >= ? AND c.reported_at < ?`, "c.place_code", f, e)
			add(`SELECT COUNT(*) FROM cases k WHERE k.closed_at >= ? AND k.closed_at < ?`, "k.place_code", f, e)
			add(`SELECT COUNT(*) FROM dash_categories dc WHERE dc.n <> 0`, "dc.place_code")
			add(`SELECT COUNT(*) FROM assignments a WHERE a.start_date > ? AND (a.end_date || '') = ''`, "(a.place_code || '')", last)
			add(`SELECT COUNT(*) FROM assignments a WHERE a.end_date <> '' AND a.end_date > ? AND (a.start_date || '') <= ?`, "(a.place_code || '')", last, last)
			add(`SELECT COUNT(*) FROM deadlines d WHERE d.status = 'open' AND d.kind <> 'visit.due'`, "d.place_code")
			add(`SELECT COUNT(*) FROM household_colours hc WHERE hc.colour <> ''`, "hc.place_code")
			add(`SELECT COUNT(*) FROM case_measures m WHERE m.status IN ('approved', 'done') AND m.measure <> ''`, "")
			add(`SELECT COUNT(*) FROM monitoring_processes mp WHERE mp.ended_at >= ? AND mp.ended_at < ?`, "mp.place_code", f, e)
			add(`SELECT COUNT(*) FROM visit_records v WHERE v.made_date >= ? AND v.made_date < ?`, "v.place_code", fd, ed)
			add(`SELECT COUNT(*) FROM pact_days pd WHERE pd.day >= ? AND pd.day < ?`, "pd.place_code", fd, ed)
			add(`SELECT COUNT(*) FROM service_records sr WHERE sr.started_at >= ? AND sr.started_at < ?`, "sr.place_code", per[0].Unix(), per[1].Unix())
			add(`SELECT COUNT(*) FROM volunteer_takes vt WHERE vt.starts_at >= ? AND vt.starts_at < ?`, "vt.village_code", f, e)
			add(`SELECT COUNT(*) FROM fund_entries fe WHERE fe.on_date >= ? AND fe.on_date < ?`, "fe.place_code", fd, ed)
			for _, x := range qs {
				var n int64
				if err := t.queryRow(ctx, x.sql, x.args...).Scan(&n); err != nil {
					return fmt.Errorf("sqlstore: dashboard baseline: %w", err)
				}
				total += n
			}
		}
		return nil
	})
	return total, err
}

// DashboardBusiest returns the place one level below parent with the most
// clues reported since from: the town (or village) the benchmark reads.
func (s *Store) DashboardBusiest(ctx context.Context, parent string, from time.Time) (string, int64, error) {
	var code string
	var n int64
	err := s.queryRow(ctx, `SELECT c.code, COUNT(*) FROM clues cl JOIN place_tree pt ON pt.descendant = cl.place_code
		JOIN places c ON c.code = pt.ancestor AND c.parent_code = ? WHERE cl.reported_at >= ? GROUP BY c.code ORDER BY COUNT(*) DESC, c.code LIMIT 1`,
		parent, ms(from)).Scan(&code, &n)
	if err != nil {
		return "", 0, fmt.Errorf("sqlstore: busiest place under %s: %w", parent, err)
	}
	return code, n, nil
}

package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/monitoring"
)

// MonitoredHousehold is a household holding a monitored category, with
// what package monitoring judges of it.
type MonitoredHousehold struct {
	HouseholdID   int64
	HeadName      string
	PlaceCode     string
	VillageName   string
	Category      string
	Since         time.Time
	LastAssessed  time.Time // zero if never
	PerCapitaFen  int64     // of the latest assessment
	LineFen       int64
	OpenProcessID int64
	Judgement     monitoring.Judgement
	OverdueReview bool
	MonthsSince   int // since the last assessment (or monitoring)
}

// Lists of monitored households.
const (
	MonitoredAll     = "monitored"
	MonitoredReady   = "ready"   // look ready for risk elimination
	MonitoredOverdue = "overdue" // overdue for review
)

// MonitoredHouseholds lists the monitored households of the actor's area
// (or of place): all of them, those that look ready for elimination, or
// those overdue for review, each with the reasons in Judgement.
func (s *Store) MonitoredHouseholds(ctx context.Context, a access.Actor, place, list string) ([]MonitoredHousehold, error) {
	if err := a.Require(access.MonitoringView); err != nil {
		return nil, err
	}
	switch list {
	case "":
		list = MonitoredAll
	case MonitoredAll, MonitoredReady, MonitoredOverdue:
	default:
		return nil, safetynet.Invalid("list", "名单无效", "unknown list %q", list)
	}
	where, args := scopeClause(a.Scope(access.Register), "x.place_code")
	cond := "x.subject = 'household' AND x.end_date = '' AND x.source <> 'case' AND x.category IN (?, ?, ?) AND " + where
	args = append([]any{safetynet.CatMonitorUnstable, safetynet.CatMonitorMarginal, safetynet.CatMonitorSudden}, args...)
	if place != "" {
		cond, args = cond+" AND x.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)", append(args, place)
	}
	settings, err := s.MonitoringSettings(ctx)
	if err != nil {
		return nil, err
	}
	today := s.now()
	var out []MonitoredHousehold
	err = s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT x.household_id, COALESCE(hp.name, ''), h.place_code,
			COALESCE((SELECT vp.name FROM place_tree pt JOIN places vp ON vp.code = pt.ancestor WHERE pt.descendant = h.place_code AND vp.level = 'village' ORDER BY pt.depth LIMIT 1), ''),
			x.category, x.start_date,
			(SELECT COUNT(*) FROM clues c WHERE c.household_id = x.household_id AND c.status IN ('reported', 'acknowledged')) +
			(SELECT COUNT(*) FROM cases k WHERE k.household_id = x.household_id AND k.status = 'open'),
			COALESCE((SELECT m.id FROM monitoring_processes m WHERE m.household_id = x.household_id AND m.status = 'open'), 0)
			FROM assignments x JOIN households h ON h.id = x.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id
			WHERE `+cond+` ORDER BY x.start_date, x.household_id LIMIT 5000`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: monitored households: %w", err)
		}
		open := map[int64]int{}
		for rows.Next() {
			var m MonitoredHousehold
			var since string
			var work int
			if err := rows.Scan(&m.HouseholdID, &m.HeadName, &m.PlaceCode, &m.VillageName, &m.Category, &since, &work, &m.OpenProcessID); err != nil {
				rows.Close()
				return err
			}
			m.Since = parseDate(since)
			open[m.HouseholdID] = work
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		assessed, err := s.assessmentsOf(ctx, t, cond, args)
		if err != nil {
			return err
		}
		lines := map[string]int64{}
		for i := range out {
			m := &out[i]
			line, ok := lines[m.PlaceCode]
			if !ok {
				line, err = s.monitoringLine(ctx, t, m.PlaceCode, today.Year())
				if err != nil {
					return err
				}
				lines[m.PlaceCode] = line
			}
			st := monitoring.Standing{MonitoredSince: m.Since, Assessments: assessed[m.HouseholdID], LineFen: line,
				OpenWork: open[m.HouseholdID], OpenProcess: m.OpenProcessID != 0}
			m.LineFen = line
			for _, x := range st.Assessments {
				if !x.On.Before(m.LastAssessed) {
					m.LastAssessed, m.PerCapitaFen = x.On, x.PerCapitaFen
				}
			}
			m.Judgement = monitoring.Ready(st, settings, today)
			m.OverdueReview, m.MonthsSince = monitoring.OverdueReview(st, settings, today)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	keep := out[:0]
	for _, m := range out {
		if list == MonitoredAll || list == MonitoredReady && m.Judgement.Ready || list == MonitoredOverdue && m.OverdueReview {
			keep = append(keep, m)
		}
	}
	if list == MonitoredOverdue {
		sort.SliceStable(keep, func(i, j int) bool { return keep[i].MonthsSince > keep[j].MonthsSince })
	}
	return keep, nil
}

// assessmentsOf loads the income assessments of the households the
// assignments condition selects.
func (s *Store) assessmentsOf(ctx context.Context, t *tx, cond string, args []any) (map[int64][]monitoring.Assessment, error) {
	rows, err := t.query(ctx, `SELECT s.household_id, s.on_date, s.per_capita_fen FROM monitoring_assessments s
		WHERE s.household_id IN (SELECT x.household_id FROM assignments x JOIN households h ON h.id = x.household_id WHERE `+cond+`)
		ORDER BY s.household_id, s.on_date`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: assessments: %w", err)
	}
	defer rows.Close()
	out := map[int64][]monitoring.Assessment{}
	for rows.Next() {
		var id, pc int64
		var on string
		if err := rows.Scan(&id, &on, &pc); err != nil {
			return nil, err
		}
		out[id] = append(out[id], monitoring.Assessment{On: parseDate(on), PerCapitaFen: pc})
	}
	return out, rows.Err()
}

// monitoringLine is the county's params.monitoring_line of year (yuan per
// person and year) in fen; 0 when not set.
func (s *Store) monitoringLine(ctx context.Context, t *tx, place string, year int) (int64, error) {
	params, err := s.paramValues(ctx, t, place, year)
	if err != nil {
		return 0, err
	}
	switch v := params["monitoring_line"].(type) {
	case float64:
		return int64(v*100 + 0.5), nil
	case int64:
		return v * 100, nil
	}
	return 0, nil
}

// HouseholdMonitoring is the 监测 block of a household's page.
type HouseholdMonitoring struct {
	Held      *safetynet.Assignment // the active monitored category
	Open      *MonitoringProcess
	Past      []MonitoringProcess // ended processes, newest first
	Judgement *monitoring.Judgement
	LineFen   int64
	Now       time.Time // the store's clock, for deadlines
}

// HouseholdMonitoringView returns the monitoring status of a household of
// the actor's area.
func (s *Store) HouseholdMonitoringView(ctx context.Context, a access.Actor, householdID int64) (HouseholdMonitoring, error) {
	v := HouseholdMonitoring{Now: s.now()}
	if err := a.Require(access.MonitoringView); err != nil {
		return v, err
	}
	settings, err := s.MonitoringSettings(ctx)
	if err != nil {
		return v, err
	}
	err = s.read(ctx, func(t *tx) error {
		h, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false)
		if err != nil {
			return err
		}
		held, err := s.monitoredAssignment(ctx, t, householdID)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, processSelect+`WHERE m.household_id = ? ORDER BY m.id DESC LIMIT 10`, householdID)
		if err != nil {
			return fmt.Errorf("sqlstore: household monitoring: %w", err)
		}
		for rows.Next() {
			p, err := s.scanProcess(rows)
			if err != nil {
				rows.Close()
				return err
			}
			if p.Status == monitoring.StatusOpen {
				v.Open = &p
			} else {
				v.Past = append(v.Past, p)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if held.ID == 0 {
			return nil
		}
		v.Held = &held
		cond := "x.id = ?"
		assessed, err := s.assessmentsOf(ctx, t, cond, []any{held.ID})
		if err != nil {
			return err
		}
		if v.LineFen, err = s.monitoringLine(ctx, t, h.PlaceCode, s.now().Year()); err != nil {
			return err
		}
		var work int
		if err := t.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM clues c WHERE c.household_id = ? AND c.status IN ('reported', 'acknowledged')) +
			(SELECT COUNT(*) FROM cases k WHERE k.household_id = ? AND k.status = 'open')`, householdID, householdID).Scan(&work); err != nil {
			return err
		}
		j := monitoring.Ready(monitoring.Standing{MonitoredSince: held.Start, Assessments: assessed[householdID], LineFen: v.LineFen,
			OpenWork: work, OpenProcess: v.Open != nil}, settings, s.now())
		v.Judgement = &j
		return nil
	})
	return v, err
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/visits"
)

// CoverageFigures are the visit figures of a place and period.
type CoverageFigures struct {
	Due         int `json:"due"`          // visits due in the period
	OnTime      int `json:"on_time"`      // of those, made by their due time
	Overdue     int `json:"overdue"`      // of those, still open past their due time
	Percent     int `json:"percent"`      // on time per due, in per cent (0 when none due)
	Visits      int `json:"visits"`       // visits made in the period
	CadreVisits int `json:"cadre_visits"` // of those, by town and village cadres paired with the household
	// The visits made by kind: home visit, phone call, seen in passing.
	Home    int `json:"home"`
	Call    int `json:"call"`
	Passing int `json:"passing"`
	// The visits made by the visitor's level (三级遍访 and 邻里互助): the
	// visitor's pairing with the household, else their role (a grid
	// worker, village or town staff, a volunteer as neighbour).
	ByGrid      int `json:"by_grid"`
	ByVillage   int `json:"by_village"`
	ByTown      int `json:"by_town"`
	ByNeighbour int `json:"by_neighbour"`
	ByOther     int `json:"by_other"`
	// Survival certifications (for those who may see them): recorded in
	// the period, and due in the period but not done by their due date.
	Certified  int `json:"certified"`
	CertMissed int `json:"cert_missed"`
}

// CoverageRow is a place below the one asked about, with its figures in
// the period and the previous one, and its households waiting that were
// not visited for the given days.
type CoverageRow struct {
	PlaceCode  string          `json:"place_code"`
	PlaceName  string          `json:"place_name"`
	Level      string          `json:"level"`
	Now        CoverageFigures `json:"now"`
	Previous   CoverageFigures `json:"previous"`
	NotVisited int             `json:"not_visited"`
	// CertOverdue are the survival certifications overdue now.
	CertOverdue int `json:"cert_overdue"`
}

// Waiting is a household with an open due visit not visited for days.
type Waiting struct {
	HouseholdID int64  `json:"household_id"`
	Name        string `json:"name"`
	PlaceName   string `json:"place_name"`
	LastVisit   string `json:"last_visit"` // local date, '' when never
}

// Coverage is the visit coverage below a place.
type Coverage struct {
	PlaceCode  string        `json:"place_code"`
	PlaceName  string        `json:"place_name"`
	From       string        `json:"from"` // local dates, to exclusive
	To         string        `json:"to"`
	PrevFrom   string        `json:"prev_from"`
	Days       int           `json:"days"` // not visited for this many days
	Total      CoverageRow   `json:"total"`
	Rows       []CoverageRow `json:"rows"`
	NotVisited []Waiting     `json:"not_visited"` // the list to act on (at most 200)
}

// VisitCoverage returns the coverage of the places below place (the
// actor's place when "") for the local dates [from, to), with the period
// of the same length before it beside, and the households of open due
// visits not visited for days.
func (s *Store) VisitCoverage(ctx context.Context, a access.Actor, place string, from, to time.Time, days int) (Coverage, error) {
	if err := a.Require(access.FiguresView); err != nil {
		return Coverage{}, err
	}
	if place == "" {
		place = a.Place
	}
	if !to.After(from) || to.Sub(from) > 366*24*time.Hour {
		return Coverage{}, safetynet.Invalid("to", "结束日期应晚于开始日期，且不超过一年", "to must be after from, within a year")
	}
	if days < 1 || days > 365 {
		return Coverage{}, safetynet.Invalid("days", "未走访天数应在1至365之间", "days must be from 1 to 365")
	}
	prev := from.Add(-to.Sub(from))
	c := Coverage{PlaceCode: place, From: from.Format(visits.DateLayout), To: to.Format(visits.DateLayout),
		PrevFrom: prev.Format(visits.DateLayout), Days: days, Rows: []CoverageRow{}, NotVisited: []Waiting{}}
	now := s.now()
	cut := visits.LocalDate(now, visitZone).AddDate(0, 0, -days).Format(visits.DateLayout)
	err := s.read(ctx, func(t *tx) error {
		where, args := scopeCheck(a.Scope(access.Work), "p.code")
		err := t.queryRow(ctx, `SELECT p.name FROM places p WHERE p.code = ? AND `+where, append([]any{place}, args...)...).Scan(&c.PlaceName)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.Invalid("place", "地区不存在或不在您负责的范围内", "the place does not exist or is outside your area")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: coverage place: %w", err)
		}
		idx := map[string]int{}
		rows, err := t.query(ctx, `SELECT code, name, level FROM places WHERE parent_code = ? ORDER BY code`, place)
		if err != nil {
			return fmt.Errorf("sqlstore: coverage places: %w", err)
		}
		for rows.Next() {
			var r CoverageRow
			if err := rows.Scan(&r.PlaceCode, &r.PlaceName, &r.Level); err != nil {
				rows.Close()
				return err
			}
			idx[r.PlaceCode] = len(c.Rows)
			c.Rows = append(c.Rows, r)
		}
		rows.Close()
		below := ` FROM places c JOIN place_tree pt ON pt.ancestor = c.code `
		for i, period := range [][2]string{{c.PrevFrom, c.From}, {c.From, c.To}} {
			pick := func(r *CoverageRow) *CoverageFigures {
				if i == 0 {
					return &r.Previous
				}
				return &r.Now
			}
			if err := s.coverageRows(ctx, t, `SELECT c.code, COUNT(*), SUM(CASE WHEN d.status = 'done' AND d.done_at <= d.due_at THEN 1 ELSE 0 END),
				SUM(CASE WHEN d.status = 'open' AND d.due_at < ? THEN 1 ELSE 0 END)`+below+`JOIN visit_due d ON d.place_code = pt.descendant
				WHERE c.parent_code = ? AND d.due_date >= ? AND d.due_date < ? AND d.status <> 'cancelled' GROUP BY c.code`,
				[]any{ms(now), place, period[0], period[1]}, func(code string, n []int) {
					if j, ok := idx[code]; ok {
						f := pick(&c.Rows[j])
						f.Due, f.OnTime, f.Overdue = n[0], n[1], n[2]
					}
				}); err != nil {
				return err
			}
			if err := s.coverageRows(ctx, t, `SELECT c.code, COUNT(*), SUM(CASE WHEN v.visitor_level IN ('town', 'village') THEN 1 ELSE 0 END), 0`+
				below+`JOIN visit_records v ON v.place_code = pt.descendant
				WHERE c.parent_code = ? AND v.made_date >= ? AND v.made_date < ? GROUP BY c.code`,
				[]any{place, period[0], period[1]}, func(code string, n []int) {
					if j, ok := idx[code]; ok {
						f := pick(&c.Rows[j])
						f.Visits, f.CadreVisits = n[0], n[1]
					}
				}); err != nil {
				return err
			}
		}
		if err := s.coverageMore(ctx, t, a, place, c.From, c.To, c.PrevFrom, idx, c.Rows); err != nil {
			return err
		}
		if err := s.coverageRows(ctx, t, `SELECT c.code, COUNT(DISTINCT d.household_id), 0, 0`+below+`JOIN visit_due d ON d.place_code = pt.descendant
			LEFT JOIN visit_last l ON l.household_id = d.household_id AND l.need = 'any'
			WHERE c.parent_code = ? AND d.status = 'open' AND (l.last_date IS NULL OR l.last_date < ?) GROUP BY c.code`,
			[]any{place, cut}, func(code string, n []int) {
				if j, ok := idx[code]; ok {
					c.Rows[j].NotVisited = n[0]
				}
			}); err != nil {
			return err
		}
		for _, r := range c.Rows {
			c.Total.Now, c.Total.Previous = addFigures(c.Total.Now, r.Now), addFigures(c.Total.Previous, r.Previous)
			c.Total.NotVisited += r.NotVisited
			c.Total.CertOverdue += r.CertOverdue
		}
		for i := range c.Rows {
			c.Rows[i].Now.Percent, c.Rows[i].Previous.Percent = percent(c.Rows[i].Now), percent(c.Rows[i].Previous)
		}
		c.Total.PlaceCode, c.Total.PlaceName = place, c.PlaceName
		c.Total.Now.Percent, c.Total.Previous.Percent = percent(c.Total.Now), percent(c.Total.Previous)
		wr, err := t.query(ctx, `SELECT d.household_id, COALESCE(hp.name, ''), p.name, COALESCE(MAX(l.last_date), '')
			FROM visit_due d JOIN households h ON h.id = d.household_id JOIN places p ON p.code = d.place_code
			LEFT JOIN persons hp ON hp.id = h.head_person_id
			LEFT JOIN visit_last l ON l.household_id = d.household_id AND l.need = 'any'
			WHERE d.status = 'open' AND d.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)
				AND (l.last_date IS NULL OR l.last_date < ?)
			GROUP BY d.household_id, hp.name, p.name ORDER BY COALESCE(MAX(l.last_date), ''), d.household_id LIMIT 200`, place, cut)
		if err != nil {
			return fmt.Errorf("sqlstore: not visited: %w", err)
		}
		defer wr.Close()
		for wr.Next() {
			var w Waiting
			if err := wr.Scan(&w.HouseholdID, &w.Name, &w.PlaceName, &w.LastVisit); err != nil {
				return err
			}
			c.NotVisited = append(c.NotVisited, w)
		}
		return wr.Err()
	})
	return c, err
}

func (s *Store) coverageRows(ctx context.Context, t *tx, q string, args []any, put func(code string, n []int)) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: coverage: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		n := make([]int, 3)
		var a, b, c sql.NullInt64
		if err := rows.Scan(&code, &a, &b, &c); err != nil {
			return err
		}
		n[0], n[1], n[2] = int(a.Int64), int(b.Int64), int(c.Int64)
		put(code, n)
	}
	return rows.Err()
}

func addFigures(a, b CoverageFigures) CoverageFigures {
	return CoverageFigures{Due: a.Due + b.Due, OnTime: a.OnTime + b.OnTime, Overdue: a.Overdue + b.Overdue,
		Visits: a.Visits + b.Visits, CadreVisits: a.CadreVisits + b.CadreVisits,
		Home: a.Home + b.Home, Call: a.Call + b.Call, Passing: a.Passing + b.Passing,
		ByGrid: a.ByGrid + b.ByGrid, ByVillage: a.ByVillage + b.ByVillage, ByTown: a.ByTown + b.ByTown,
		ByNeighbour: a.ByNeighbour + b.ByNeighbour, ByOther: a.ByOther + b.ByOther,
		Certified: a.Certified + b.Certified, CertMissed: a.CertMissed + b.CertMissed}
}

// visitorLevelSQL is the level a visit counts for: the visitor's pairing
// with the household, else the visitor's role.
const visitorLevelSQL = `CASE WHEN v.visitor_level <> '' THEN v.visitor_level ELSE CASE u.role
	WHEN 'grid_worker' THEN 'grid' WHEN 'village_staff' THEN 'village' WHEN 'town_officer' THEN 'town'
	WHEN 'volunteer' THEN 'neighbour' ELSE 'other' END END`

// coverageMore adds to each child row the visits by kind and level in
// the period [from, to) and the one before [prevFrom, from), and — when
// the actor may see them — the survival certifications recorded, missed
// and overdue now.
func (s *Store) coverageMore(ctx context.Context, t *tx, a access.Actor, place, from, to, prevFrom string, idx map[string]int, rows []CoverageRow) error {
	below := ` FROM places c JOIN place_tree pt ON pt.ancestor = c.code `
	today := visits.LocalDate(s.now(), visitZone).Format(visits.DateLayout)
	at := func(code string) *CoverageRow {
		if j, ok := idx[code]; ok {
			return &rows[j]
		}
		return nil
	}
	for i, period := range [][2]string{{prevFrom, from}, {from, to}} {
		pick := func(r *CoverageRow) *CoverageFigures {
			if i == 0 {
				return &r.Previous
			}
			return &r.Now
		}
		if err := s.coverageKeys(ctx, t, `SELECT c.code, 'kind:' || v.kind, COUNT(*)`+below+`JOIN visit_records v ON v.place_code = pt.descendant
			WHERE c.parent_code = ? AND v.made_date >= ? AND v.made_date < ? GROUP BY c.code, v.kind
			UNION ALL
			SELECT c.code, 'level:' || `+visitorLevelSQL+`, COUNT(*)`+below+`JOIN visit_records v ON v.place_code = pt.descendant
			LEFT JOIN users u ON u.id = v.visitor_id
			WHERE c.parent_code = ? AND v.made_date >= ? AND v.made_date < ? GROUP BY c.code, `+visitorLevelSQL,
			[]any{place, period[0], period[1], place, period[0], period[1]}, func(code, key string, n int) {
				r := at(code)
				if r == nil {
					return
				}
				f := pick(r)
				switch key {
				case "kind:" + visits.KindHome:
					f.Home += n
				case "kind:" + visits.KindCall:
					f.Call += n
				case "kind:" + visits.KindPassing:
					f.Passing += n
				case "level:grid":
					f.ByGrid += n
				case "level:village":
					f.ByVillage += n
				case "level:town":
					f.ByTown += n
				case "level:neighbour":
					f.ByNeighbour += n
				default:
					f.ByOther += n
				}
			}); err != nil {
			return err
		}
		if !a.Can(access.CertificationView) {
			continue
		}
		// Certified: by the day certified. Missed: due in the period and
		// done late, or still not done now that the due date has passed.
		if err := s.coverageKeys(ctx, t, `SELECT c.code, 'done', COUNT(*)`+below+`JOIN certification_records r ON r.place_code = pt.descendant
			WHERE c.parent_code = ? AND r.on_date >= ? AND r.on_date < ? GROUP BY c.code
			UNION ALL
			SELECT c.code, 'missed', COUNT(*)`+below+`JOIN (
				SELECT r.place_code FROM certification_records r WHERE r.late = 1 AND r.due_date >= ? AND r.due_date < ?
				UNION ALL
				SELECT cd.place_code FROM certification_dues cd WHERE cd.active = 1 AND cd.due_date >= ? AND cd.due_date < ? AND cd.due_date < ?
			) x ON x.place_code = pt.descendant WHERE c.parent_code = ? GROUP BY c.code`,
			[]any{place, period[0], period[1], period[0], period[1], period[0], period[1], today, place}, func(code, key string, n int) {
				if r := at(code); r != nil {
					if key == "done" {
						pick(r).Certified += n
					} else {
						pick(r).CertMissed += n
					}
				}
			}); err != nil {
			return err
		}
	}
	if !a.Can(access.CertificationView) {
		return nil
	}
	return s.coverageKeys(ctx, t, `SELECT c.code, 'overdue', COUNT(*)`+below+`JOIN certification_dues cd ON cd.place_code = pt.descendant
		WHERE c.parent_code = ? AND cd.active = 1 AND cd.due_date < ? GROUP BY c.code`, []any{place, today}, func(code, _ string, n int) {
		if r := at(code); r != nil {
			r.CertOverdue += n
		}
	})
}

// coverageKeys runs a query of (place, key, count) rows.
func (s *Store) coverageKeys(ctx context.Context, t *tx, q string, args []any, put func(code, key string, n int)) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: coverage: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, key string
		var n int
		if err := rows.Scan(&code, &key, &n); err != nil {
			return err
		}
		put(code, key, n)
	}
	return rows.Err()
}

func percent(f CoverageFigures) int {
	if f.Due == 0 {
		return 0
	}
	return f.OnTime * 100 / f.Due
}

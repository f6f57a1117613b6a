package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/dashboards"
)

// DashboardRow is a place's figures for the period and the one before.
type DashboardRow struct {
	Place       safetynet.Place
	Cur, Prev   dashboards.Values
	CurT, PrevT dashboards.Times
}

// Dashboard is the dashboard of a place (数据看板): its figures, those of
// each place one level below, and those kept at the place itself (funds
// owned by a town, say), so that Total = Own + the sum of Children for
// every value.
type Dashboard struct {
	Period     dashboards.Period
	Total      DashboardRow
	Own        DashboardRow // records kept at the place itself, not at a place below
	Children   []DashboardRow
	ChildLevel safetynet.Level
	Path       []safetynet.Place // from the actor's place down to the place, for the way back up
	AsOf       time.Time         // when open and overdue work and the colours were counted
}

func newDashRow(p safetynet.Place) *DashboardRow {
	return &DashboardRow{Place: p, Cur: dashboards.Values{}, Prev: dashboards.Values{}}
}

// Dashboard computes the dashboard of place (the actor's place if empty)
// for the period p, from the records themselves: every figure is a
// GROUP BY of one table over the place's subtree, so that a level's
// figures are the sum of its places'. Medians (time to help, to decide an
// application) are computed per row from the durations.
func (s *Store) Dashboard(ctx context.Context, a access.Actor, place string, p dashboards.Period) (Dashboard, error) {
	d := Dashboard{Period: p}
	if err := a.Require(access.FiguresView); err != nil {
		return d, err
	}
	if place == "" {
		place = a.Place
	}
	err := s.read(ctx, func(t *tx) error {
		pl, err := s.placeInScope(ctx, t, a.Scope(access.Places), place)
		if err != nil {
			return err
		}
		d.Path, err = s.dashPath(ctx, t, a.Scope(access.Places), a.Place, pl)
		if err != nil {
			return err
		}
		// Drill-down stops at the village: its groups and grids are not
		// levels of the dashboards.
		var kids []safetynet.Place
		if pl.Level != safetynet.LevelVillage && pl.Level != safetynet.LevelGroup && pl.Level != safetynet.LevelGrid {
			if kids, err = s.childPlaces(ctx, t, place); err != nil {
				return err
			}
		}
		childOf := map[string]string{}
		if len(kids) > 0 {
			rows, err := t.query(ctx, `SELECT pt.descendant, pt.ancestor FROM place_tree pt JOIN places c ON c.code = pt.ancestor
				WHERE c.parent_code = ?`, place)
			if err != nil {
				return fmt.Errorf("sqlstore: dashboard: %w", err)
			}
			for rows.Next() {
				var dc, c string
				if err := rows.Scan(&dc, &c); err != nil {
					rows.Close()
					return err
				}
				childOf[dc] = c
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		own := newDashRow(pl)
		byChild := map[string]*DashboardRow{}
		for _, k := range kids {
			byChild[k.Code] = newDashRow(k)
			d.ChildLevel = k.Level
		}
		rowOf := func(code string) *DashboardRow {
			if r := byChild[childOf[code]]; r != nil {
				return r
			}
			return own
		}
		d.AsOf = s.now()
		lc := dashLive{s: s, t: t, place: place, rowOf: rowOf}
		if err := lc.fill(ctx, p, d.AsOf); err != nil {
			return err
		}
		d.Own = *own
		d.Total = *newDashRow(pl)
		var help, apply, phelp, papply []time.Duration
		for _, r := range append([]*DashboardRow{own}, mapRows(kids, byChild)...) {
			d.Total.Cur.Add(r.Cur)
			d.Total.Prev.Add(r.Prev)
		}
		for _, r := range append([]*DashboardRow{own}, mapRows(kids, byChild)...) {
			help, apply = append(help, lc.help[0][r]...), append(apply, lc.apply[0][r]...)
			phelp, papply = append(phelp, lc.help[1][r]...), append(papply, lc.apply[1][r]...)
			r.CurT = dashboards.Times{ToHelp: dashboards.Summarise(lc.help[0][r]), Apply: dashboards.Summarise(lc.apply[0][r])}
			r.PrevT = dashboards.Times{ToHelp: dashboards.Summarise(lc.help[1][r]), Apply: dashboards.Summarise(lc.apply[1][r])}
		}
		d.Own.CurT, d.Own.PrevT = own.CurT, own.PrevT
		d.Total.CurT = dashboards.Times{ToHelp: dashboards.Summarise(help), Apply: dashboards.Summarise(apply)}
		d.Total.PrevT = dashboards.Times{ToHelp: dashboards.Summarise(phelp), Apply: dashboards.Summarise(papply)}
		for _, k := range kids {
			d.Children = append(d.Children, *byChild[k.Code])
		}
		return nil
	})
	return d, err
}

func mapRows(kids []safetynet.Place, by map[string]*DashboardRow) []*DashboardRow {
	out := make([]*DashboardRow, 0, len(kids))
	for _, k := range kids {
		out = append(out, by[k.Code])
	}
	return out
}

// dashPath returns the places from the actor's place down to p.
func (s *Store) dashPath(ctx context.Context, t *tx, sc access.Scope, top string, p safetynet.Place) ([]safetynet.Place, error) {
	path := []safetynet.Place{p}
	for cur := p; cur.Code != top && cur.ParentCode != ""; {
		var err error
		cur, err = s.placeInScope(ctx, t, sc, cur.ParentCode)
		if err != nil {
			return nil, err
		}
		path = append([]safetynet.Place{cur}, path...)
		if len(path) > 10 {
			break
		}
	}
	return path, nil
}

// dashLive computes the figures from the records.
type dashLive struct {
	s     *Store
	t     *tx
	place string
	rowOf func(code string) *DashboardRow
	help  [2]map[*DashboardRow][]time.Duration
	apply [2]map[*DashboardRow][]time.Duration
}

// under is the condition that col is a place of the subtree, and its
// argument; nothing at the root, where every place is.
func (l *dashLive) under(col string) (string, []any) {
	if l.place == safetynet.RootPlaceCode {
		return "", nil
	}
	return ` AND ` + col + ` IN (SELECT descendant FROM place_tree WHERE ancestor = ?)`, []any{l.place}
}

// sum runs q, whose rows are (place code, key, n…), and adds each n to
// the values of the place's row under keys[i] (a key ending in "." is
// followed by the row's key column).
func (l *dashLive) sum(ctx context.Context, q string, args []any, prev bool, keys ...string) error {
	rows, err := l.t.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: dashboard: %w", err)
	}
	defer rows.Close()
	ns := make([]int64, len(keys))
	dest := make([]any, 0, len(keys)+2)
	var code, key string
	dest = append(dest, &code, &key)
	for i := range ns {
		dest = append(dest, &ns[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		r := l.rowOf(code)
		v := r.Cur
		if prev {
			v = r.Prev
		}
		for i, k := range keys {
			if k == "" || ns[i] == 0 {
				continue
			}
			if k[len(k)-1] == '.' {
				k += key
			}
			v[k] += ns[i]
		}
	}
	return rows.Err()
}

func (l *dashLive) durations(ctx context.Context, q string, args []any, into map[*DashboardRow][]time.Duration) error {
	rows, err := l.t.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: dashboard: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var msd int64
		if err := rows.Scan(&code, &msd); err != nil {
			return err
		}
		r := l.rowOf(code)
		into[r] = append(into[r], time.Duration(msd)*time.Millisecond)
	}
	return rows.Err()
}

func (l *dashLive) fill(ctx context.Context, p dashboards.Period, now time.Time) error {
	for i, per := range [][2]time.Time{{p.From, p.To}, {p.PrevFrom, p.PrevTo}} {
		l.help[i], l.apply[i] = map[*DashboardRow][]time.Duration{}, map[*DashboardRow][]time.Duration{}
		if err := l.period(ctx, per[0], per[1], i == 1, l.help[i], l.apply[i]); err != nil {
			return err
		}
	}
	// Now: open and overdue work, and the households' risk colours.
	c, args := l.under("d.place_code")
	if err := l.sum(ctx, `SELECT d.place_code, '', COUNT(*), SUM(CASE WHEN d.due_at <= ? THEN 1 ELSE 0 END) FROM deadlines d
		WHERE d.status = 'open' AND d.kind <> 'visit.due'`+c+` GROUP BY d.place_code`, append([]any{ms(now)}, args...), false,
		dashboards.KeyOpen, dashboards.KeyOverdue); err != nil {
		return err
	}
	c, args = l.under("hc.place_code")
	return l.sum(ctx, `SELECT hc.place_code, hc.colour, COUNT(*) FROM household_colours hc WHERE hc.colour <> ''`+c+`
		GROUP BY hc.place_code, hc.colour`, args, false, dashboards.KeyColour)
}

// period adds the figures of [from, to) to the rows' current or previous
// values.
func (l *dashLive) period(ctx context.Context, from, to time.Time, prev bool, help, apply map[*DashboardRow][]time.Duration) error {
	f, e := ms(from), ms(to)
	fd, ed := from.Format("2006-01-02"), to.Format("2006-01-02")
	last := to.AddDate(0, 0, -1).Format("2006-01-02")
	with := func(col string, a ...any) (string, []any) {
		c, args := l.under(col)
		return c, append(a, args...)
	}
	c, args := with("c.place_code", f, e)
	if err := l.sum(ctx, `SELECT c.place_code, '', COUNT(*), SUM(CASE WHEN c.source IN ('grid', 'visit', 'department') THEN 1 ELSE 0 END)
		FROM clues c WHERE c.reported_at >= ? AND c.reported_at < ?`+c+` GROUP BY c.place_code`, args, prev,
		dashboards.KeyClues, dashboards.KeyCluesActive); err != nil {
		return err
	}
	if err := l.sum(ctx, `SELECT c.place_code, '', COUNT(DISTINCT c.household_id) FROM clues c JOIN cases k ON k.id = c.case_id
		WHERE c.reported_at >= ? AND c.reported_at < ? AND c.source IN ('grid', 'visit', 'department') AND c.household_id <> 0
		AND k.first_help_at > 0`+c+` GROUP BY c.place_code`, args, prev, dashboards.KeyHelped); err != nil {
		return err
	}
	if err := l.durations(ctx, `SELECT c.place_code, k.first_help_at - c.reported_at FROM clues c JOIN cases k ON k.id = c.case_id
		WHERE c.reported_at >= ? AND c.reported_at < ? AND k.first_help_at > 0`+c, args, help); err != nil {
		return err
	}
	c, args = with("k.place_code", f, e)
	if err := l.sum(ctx, `SELECT k.place_code, '', COUNT(*) FROM cases k WHERE k.status = 'closed' AND k.closed_at >= ? AND k.closed_at < ?`+c+`
		GROUP BY k.place_code`, args, prev, dashboards.KeyResolved); err != nil {
		return err
	}
	if err := l.durations(ctx, `SELECT k.place_code, m.decided_at - m.created_at FROM case_measures m JOIN cases k ON k.id = m.case_id
		WHERE m.kind = 'application' AND m.decided_at >= ? AND m.decided_at < ?`+c, args, apply); err != nil {
		return err
	}
	// Measures in force on the period's last day: those held for a period
	// covering it, and those given once (no period) within the period.
	c, args = with("k.place_code", last, last, f, e)
	if err := l.sum(ctx, `SELECT k.place_code, m.measure, COUNT(*), SUM(m.amount_fen) FROM case_measures m JOIN cases k ON k.id = m.case_id
		WHERE m.status IN ('approved', 'done') AND m.measure <> '' AND (
			(m.period_start <> '' AND m.period_start <= ? AND (m.period_end = '' OR m.period_end >= ?))
			OR (m.period_start = '' AND COALESCE(NULLIF(m.decided_at, 0), m.done_at) >= ? AND COALESCE(NULLIF(m.decided_at, 0), m.done_at) < ?))`+c+`
		GROUP BY k.place_code, m.measure`, args, prev, dashboards.KeyMeasureN, dashboards.KeyMeasureFen); err != nil {
		return err
	}
	if err := l.categories(ctx, last, prev, false); err != nil {
		return err
	}
	c, args = with("mp.place_code", f, e)
	if err := l.sum(ctx, `SELECT mp.place_code, '', SUM(CASE WHEN mp.kind = 'include' THEN 1 ELSE 0 END), SUM(CASE WHEN mp.kind = 'eliminate' THEN 1 ELSE 0 END)
		FROM monitoring_processes mp WHERE mp.status = 'confirmed' AND mp.ended_at >= ? AND mp.ended_at < ?`+c+` GROUP BY mp.place_code`, args, prev,
		dashboards.KeyInclude, dashboards.KeyEliminate); err != nil {
		return err
	}
	c, args = with("v.place_code", fd, ed)
	if err := l.sum(ctx, `SELECT v.place_code, '', COUNT(*), COUNT(DISTINCT v.household_id) FROM visit_records v
		WHERE v.made_date >= ? AND v.made_date < ?`+c+` GROUP BY v.place_code`, args, prev, dashboards.KeyVisits, dashboards.KeyVisitedHH); err != nil {
		return err
	}
	c, args = with("pd.place_code", fd, ed)
	if err := l.sum(ctx, `SELECT pd.place_code, '', COUNT(*), SUM(CASE WHEN pd.status = 'kept' THEN 1 ELSE 0 END) FROM pact_days pd
		WHERE pd.day >= ? AND pd.day < ?`+c+` GROUP BY pd.place_code`, args, prev, dashboards.KeyPactDays, dashboards.KeyPactKept); err != nil {
		return err
	}
	c, args = with("sr.place_code", from.Unix(), to.Unix())
	if err := l.sum(ctx, `SELECT sr.place_code, '', COUNT(*), COUNT(DISTINCT sr.household_id) FROM service_records sr
		WHERE sr.started_at >= ? AND sr.started_at < ? AND sr.review_status <> 'rejected'`+c+` GROUP BY sr.place_code`, args, prev,
		dashboards.KeySvcTimes, dashboards.KeySvcHH); err != nil {
		return err
	}
	c, args = with("vt.village_code", f, e)
	if err := l.sum(ctx, `SELECT vt.village_code, '', COUNT(*), SUM(vt.minutes) FROM volunteer_takes vt
		WHERE vt.status = 'done' AND vt.starts_at >= ? AND vt.starts_at < ?`+c+` GROUP BY vt.village_code`, args, prev,
		dashboards.KeyVolTimes, dashboards.KeyVolMinutes); err != nil {
		return err
	}
	c, args = with("fe.place_code", fd, ed)
	return l.sum(ctx, `SELECT fe.place_code, '', SUM(CASE WHEN fe.kind = 'receipt' THEN fe.amount_fen ELSE 0 END),
		SUM(CASE WHEN fe.kind = 'spend' THEN fe.amount_fen ELSE 0 END) FROM fund_entries fe
		WHERE fe.on_date >= ? AND fe.on_date < ? AND fe.kind IN ('receipt', 'spend')`+c+` GROUP BY fe.place_code`, args, prev,
		dashboards.KeyFundReceived, dashboards.KeyFundSpent)
}

// categories adds the register's categories held on the local day day
// (YYYY-MM-DD): with live, by counting the assignments in force; else from
// dash_categories (the open assignments, kept by triggers) less the open
// ones started after day plus those started by day and ended after it.
// Both give the same numbers (TestDashboardCategoriesKept).
func (l *dashLive) categories(ctx context.Context, day string, prev, live bool) error {
	c, args := l.under("a.place_code")
	if live {
		return l.sum(ctx, `SELECT a.place_code, a.category, COUNT(*) FROM assignments a
			WHERE a.start_date <= ? AND (a.end_date = '' OR a.end_date > ?)`+c+` GROUP BY a.place_code, a.category`,
			append([]any{day, day}, args...), prev, dashboards.KeyCategory)
	}
	dc, dargs := l.under("dc.place_code")
	if err := l.sum(ctx, `SELECT dc.place_code, dc.category, dc.n FROM dash_categories dc WHERE dc.n <> 0`+dc, dargs, prev,
		dashboards.KeyCategory); err != nil {
		return err
	}
	// The changes since day are few: read them by the day's index alone.
	// (x || '') keeps SQLite, which has no histogram of the days, from
	// taking the index of the open assignments of every category instead.
	c, args = l.under("(a.place_code || '')")
	if err := l.sum(ctx, `SELECT a.place_code, a.category, -COUNT(*) FROM assignments a
		WHERE a.start_date > ? AND (a.end_date || '') = ''`+c+` GROUP BY a.place_code, a.category`, append([]any{day}, args...), prev,
		dashboards.KeyCategory); err != nil {
		return err
	}
	return l.sum(ctx, `SELECT a.place_code, a.category, COUNT(*) FROM assignments a
		WHERE a.end_date <> '' AND a.end_date > ? AND (a.start_date || '') <= ?`+c+` GROUP BY a.place_code, a.category`,
		append([]any{day, day}, args...), prev, dashboards.KeyCategory)
}

// DashboardCategories returns the register's categories held on day under
// place, per place of the subtree: counted live from the assignments, or
// from dash_categories and the changes since day. For the test that proves
// the two equal.
func (s *Store) DashboardCategories(ctx context.Context, place string, day time.Time, live bool) (map[string]dashboards.Values, error) {
	out := map[string]dashboards.Values{}
	rows := map[string]*DashboardRow{}
	err := s.read(ctx, func(t *tx) error {
		l := dashLive{s: s, t: t, place: place, rowOf: func(code string) *DashboardRow {
			r := rows[code]
			if r == nil {
				r = &DashboardRow{Cur: dashboards.Values{}}
				rows[code] = r
			}
			return r
		}}
		return l.categories(ctx, day.Format("2006-01-02"), false, live)
	})
	for code, r := range rows {
		v := dashboards.Values{}
		for k, n := range r.Cur {
			if n != 0 {
				v[k] = n
			}
		}
		if len(v) > 0 {
			out[code] = v
		}
	}
	return out, err
}

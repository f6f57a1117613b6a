package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet/campaigns"
	"safetynet/visits"
)

// goalDef is a goal of a campaign.
type goalDef struct {
	ID      int64  `json:"id"`
	ItemID  int64  `json:"item_id"`
	Seq     int    `json:"seq"`
	Title   string `json:"title"`
	Metric  string `json:"metric"`
	Group   string `json:"group_code"`
	Measure string `json:"measure"`
	Target  int64  `json:"target"`
}

// goalUnit is a member of a goal's group: a person (person > 0) or a
// household.
type goalUnit struct {
	person, household int64
}

// goalData is what a goal's figures and lists are made of, per village:
// the group's units (persons for measure_share, households for the other
// shares) with the ones reached, or the counts of a count metric.
type goalData struct {
	units  map[string][]goalUnit // village → the group's units
	done   map[goalUnit]bool
	tagged map[goalUnit]bool
	count  map[string][2]int64 // village → count and, for activities, participants
}

func (s *Store) goalDefs(ctx context.Context, t *tx, campaignID int64) ([]goalDef, error) {
	rows, err := t.query(ctx, `SELECT id, item_id, seq, title, metric, group_code, measure, target
		FROM campaign_goals WHERE campaign_id = ? ORDER BY seq`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: campaign goals: %w", err)
	}
	defer rows.Close()
	var out []goalDef
	for rows.Next() {
		var d goalDef
		if err := rows.Scan(&d.ID, &d.ItemID, &d.Seq, &d.Title, &d.Metric, &d.Group, &d.Measure, &d.Target); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// periodMS is the campaign's period as unix milliseconds [from, to).
func periodBounds(c GoalCampaign) (from, to time.Time) {
	zone := visitZone
	f, _ := time.ParseInLocation(visits.DateLayout, c.StartsOn, zone)
	e, _ := time.ParseInLocation(visits.DateLayout, c.EndsOn, zone)
	return f, e.AddDate(0, 0, 1)
}

// villageSQL limits a place column to the campaign's implementing villages.
const villageSQL = `(SELECT pt.descendant FROM place_tree pt JOIN campaign_villages cv ON cv.village_code = pt.ancestor WHERE cv.campaign_id = ?)`

// goalGroup loads the units of a group per village: registered members
// where the village registered any of the group, the register's holders
// of the category otherwise. persons asks for persons (measure_share);
// households are returned otherwise.
func (s *Store) goalGroup(ctx context.Context, t *tx, c GoalCampaign, group string, persons bool) (map[string][]goalUnit, error) {
	out := map[string][]goalUnit{}
	seen := map[string]map[goalUnit]bool{}
	add := func(v string, u goalUnit) {
		if !persons {
			u.person = 0
		}
		if seen[v] == nil {
			seen[v] = map[goalUnit]bool{}
		}
		if !seen[v][u] {
			seen[v][u] = true
			out[v] = append(out[v], u)
		}
	}
	rows, err := t.query(ctx, `SELECT village_code, person_id, household_id FROM campaign_members
		WHERE campaign_id = ? AND group_code = ? AND removed_at = 0 ORDER BY id`, c.ID, group)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: goal members: %w", err)
	}
	for rows.Next() {
		var v string
		var u goalUnit
		if err := rows.Scan(&v, &u.person, &u.household); err != nil {
			rows.Close()
			return nil, err
		}
		add(v, u)
	}
	rows.Close()
	registered := map[string]bool{}
	for v := range out {
		registered[v] = true
	}
	rows, err = t.query(ctx, `SELECT cv.village_code, a.subject, a.subject_id, a.household_id FROM assignments a
		JOIN place_tree pt ON pt.descendant = a.place_code JOIN campaign_villages cv ON cv.village_code = pt.ancestor
		JOIN households h ON h.id = a.household_id
		WHERE cv.campaign_id = ? AND a.category = ? AND a.start_date <= ? AND (a.end_date = '' OR a.end_date >= ?) AND h.status = 'active'
		ORDER BY a.household_id, a.id`, c.ID, group, c.EndsOn, c.StartsOn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: goal group: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v, subject string
		var id, hh int64
		if err := rows.Scan(&v, &subject, &id, &hh); err != nil {
			return nil, err
		}
		if registered[v] {
			continue
		}
		u := goalUnit{household: hh}
		if subject == "person" {
			u.person = id
		}
		add(v, u)
	}
	return out, rows.Err()
}

// goalLoad gathers a goal's data over the campaign's villages.
func (s *Store) goalLoad(ctx context.Context, t *tx, c GoalCampaign, d goalDef, today string) (goalData, error) {
	g := goalData{done: map[goalUnit]bool{}, tagged: map[goalUnit]bool{}, count: map[string][2]int64{}}
	from, to := periodBounds(c)
	hits := func(q string, args ...any) (map[int64]bool, map[int64]bool, error) {
		all, tagged := map[int64]bool{}, map[int64]bool{}
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("sqlstore: goal %s: %w", d.Metric, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var tag int
			if err := rows.Scan(&id, &tag); err != nil {
				return nil, nil, err
			}
			all[id] = true
			if tag > 0 {
				tagged[id] = true
			}
		}
		return all, tagged, rows.Err()
	}
	mark := func(all, tagged map[int64]bool) {
		for _, us := range g.units {
			for _, u := range us {
				if all[u.household] {
					g.done[u] = true
				}
				if tagged[u.household] {
					g.tagged[u] = true
				}
			}
		}
	}
	var err error
	switch d.Metric {
	case campaigns.MetricVisitedShare, campaigns.MetricServedShare, campaigns.MetricMeasureShare, campaigns.MetricCasesHelped:
		if g.units, err = s.goalGroup(ctx, t, c, d.Group, d.Metric == campaigns.MetricMeasureShare); err != nil {
			return g, err
		}
	}
	switch d.Metric {
	case campaigns.MetricRegistered:
		err = s.goalCounts(ctx, t, g.count, `SELECT village_code, COUNT(DISTINCT person_id), 0 FROM campaign_members
			WHERE campaign_id = ? AND group_code = ? AND removed_at = 0 GROUP BY village_code`, c.ID, d.Group)
	case campaigns.MetricVisitedShare:
		all, tagged, e := hits(`SELECT household_id, MAX(CASE WHEN campaign_id = ? THEN 1 ELSE 0 END) FROM visit_records
			WHERE made_date >= ? AND made_date <= ? AND place_code IN `+villageSQL+` GROUP BY household_id`, c.ID, c.StartsOn, c.EndsOn, c.ID)
		err = e
		mark(all, tagged)
	case campaigns.MetricServedShare:
		all, tagged, e := hits(`SELECT household_id, MAX(CASE WHEN campaign_id = ? THEN 1 ELSE 0 END) FROM service_records
			WHERE started_at >= ? AND started_at < ? AND review_status <> 'rejected' AND place_code IN `+villageSQL+` GROUP BY household_id`,
			c.ID, from.Unix(), to.Unix(), c.ID)
		err = e
		mark(all, tagged)
	case campaigns.MetricMeasureShare:
		day := today
		if day > c.EndsOn {
			day = c.EndsOn
		}
		all, _, e := hits(`SELECT DISTINCT k.household_id, 0 FROM case_measures m JOIN cases k ON k.id = m.case_id
			WHERE m.measure = ? AND m.status IN ('approved', 'done') AND (m.period_start = '' OR m.period_start <= ?)
				AND (m.period_end = '' OR m.period_end >= ?) AND k.place_code IN `+villageSQL, d.Measure, day, day, c.ID)
		err = e
		mark(all, nil)
	case campaigns.MetricActivities, campaigns.MetricParticipants:
		err = s.goalCounts(ctx, t, g.count, `SELECT village_code, COUNT(*), COALESCE(SUM(participants), 0) FROM campaign_activities
			WHERE campaign_id = ? AND (? = 0 OR item_id = ?) GROUP BY village_code`, c.ID, d.ItemID, d.ItemID)
	case campaigns.MetricScreenedShare:
		g.units = map[string][]goalUnit{}
		rows, e := t.query(ctx, `SELECT cv.village_code, h.id FROM households h JOIN place_tree pt ON pt.descendant = h.place_code
			JOIN campaign_villages cv ON cv.village_code = pt.ancestor WHERE cv.campaign_id = ? AND h.status = 'active' ORDER BY h.id`, c.ID)
		if e != nil {
			return g, fmt.Errorf("sqlstore: goal households: %w", e)
		}
		for rows.Next() {
			var v string
			var u goalUnit
			if err := rows.Scan(&v, &u.household); err != nil {
				rows.Close()
				return g, err
			}
			g.units[v] = append(g.units[v], u)
		}
		rows.Close()
		all, _, e := hits(`SELECT household_id, 0 FROM screening_records WHERE campaign_id = ?`, c.ID)
		err = e
		mark(all, nil)
	case campaigns.MetricCasesHelped:
		hh := map[string]map[int64]bool{}
		for v, us := range g.units {
			hh[v] = map[int64]bool{}
			for _, u := range us {
				hh[v][u.household] = true
			}
		}
		rows, e := t.query(ctx, `SELECT k.household_id, cv.village_code FROM cases k JOIN place_tree pt ON pt.descendant = k.place_code
			JOIN campaign_villages cv ON cv.village_code = pt.ancestor
			WHERE cv.campaign_id = ? AND k.first_help_at >= ? AND k.first_help_at < ?`, c.ID, ms(from), ms(to))
		if e != nil {
			return g, fmt.Errorf("sqlstore: goal cases: %w", e)
		}
		defer rows.Close()
		for rows.Next() {
			var h int64
			var v string
			if err := rows.Scan(&h, &v); err != nil {
				return g, err
			}
			if hh[v][h] {
				n := g.count[v]
				n[0]++
				g.count[v] = n
			}
		}
		err = rows.Err()
	default:
		err = fmt.Errorf("sqlstore: goal %d: unknown metric %q", d.ID, d.Metric)
	}
	return g, err
}

func (s *Store) goalCounts(ctx context.Context, t *tx, into map[string][2]int64, q string, args ...any) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: goal counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		var n [2]int64
		if err := rows.Scan(&v, &n[0], &n[1]); err != nil {
			return err
		}
		into[v] = n
	}
	return rows.Err()
}

// figure is a village's figure of a goal.
func (g goalData) figure(d goalDef, village string) campaigns.Figure {
	f := campaigns.Figure{Target: campaigns.PlaceTarget(d.Metric, d.Target, 1)}
	switch {
	case campaigns.ShareMetric(d.Metric):
		for _, u := range g.units[village] {
			f.Den++
			if g.done[u] {
				f.Num++
			}
			if g.tagged[u] {
				f.Tagged++
			}
		}
	case d.Metric == campaigns.MetricParticipants:
		f.Num = g.count[village][1]
	default:
		f.Num = g.count[village][0]
	}
	return f
}

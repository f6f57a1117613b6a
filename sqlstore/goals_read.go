package sqlstore

import (
	"context"
	"fmt"
	"sort"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/visits"
)

// GoalPlaceRow is one place's figure of a goal: a town or a village below
// the place asked about, or that place's total.
type GoalPlaceRow struct {
	PlaceCode string           `json:"place_code"`
	PlaceName string           `json:"place_name"`
	Level     string           `json:"level"`
	Villages  int              `json:"villages"`
	Figure    campaigns.Figure `json:"figure"`
	Value     int64            `json:"value"`   // per mille for a share, the count otherwise
	Reached   int64            `json:"reached"` // per mille of the target reached
	Missing   int64            `json:"missing"` // units still needed for the target
	Status    string           `json:"status"`  // campaigns.GoalStatuses
}

// GoalProgress is a goal with its figures at the place asked about and
// at each place below it.
type GoalProgress struct {
	ID         int64          `json:"id"`
	Seq        int            `json:"seq"`
	Title      string         `json:"title"`
	Metric     string         `json:"metric"`
	Share      bool           `json:"share"`
	GroupCode  string         `json:"group_code"`
	GroupName  string         `json:"group_name"`
	Measure    string         `json:"measure"`
	ItemID     int64          `json:"item_id"`
	ItemTitle  string         `json:"item_title"`
	Target     int64          `json:"target"` // as set: per mille for a share, per village for a count
	Total      GoalPlaceRow   `json:"total"`
	Rows       []GoalPlaceRow `json:"rows"`
	BehindRows int            `json:"behind_rows"`
}

// GoalPlace is a place of the drill-down's trail.
type GoalPlace struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// CampaignGoals is the goals page of a campaign at one place.
type CampaignGoals struct {
	Campaign  GoalCampaign   `json:"campaign"`
	PlaceCode string         `json:"place_code"`
	PlaceName string         `json:"place_name"`
	Level     string         `json:"level"`
	Trail     []GoalPlace    `json:"trail"` // from the campaign's place down to the place's parent
	Today     string         `json:"today"`
	Elapsed   int64          `json:"elapsed"` // per mille of the period elapsed
	Goals     []GoalProgress `json:"goals"`
}

// GoalsOf returns the progress of every goal of a campaign at place (""
// is the campaign's place, or the actor's own when the campaign's place is
// outside their area), with the places below it, recomputed from records.
func (s *Store) GoalsOf(ctx context.Context, a access.Actor, campaignID int64, place string) (CampaignGoals, error) {
	var out CampaignGoals
	err := s.read(ctx, func(t *tx) error {
		g, err := s.goalCampaignScope(ctx, t, a, campaignID)
		if err != nil {
			return err
		}
		l, err := s.goalLevelOf(ctx, t, a, g, place)
		if err != nil {
			return err
		}
		if out, err = s.goalsAt(ctx, t, g, l); err != nil {
			return err
		}
		trail := out.Trail[:0]
		for _, p := range out.Trail {
			if ok, err := s.goalInArea(ctx, t, a, p.Code); err != nil {
				return err
			} else if ok {
				trail = append(trail, p)
			}
		}
		out.Trail = trail
		return nil
	})
	return out, err
}

// goalsAt computes every goal at level l.
func (s *Store) goalsAt(ctx context.Context, t *tx, g goalScope, l goalLevel) (CampaignGoals, error) {
	today := visits.LocalDate(s.now(), visitZone).Format(visits.DateLayout)
	out := CampaignGoals{Campaign: g.c, PlaceCode: l.code, PlaceName: l.name, Level: l.level, Today: today,
		Elapsed: campaigns.Elapsed(g.c.StartsOn, g.c.EndsOn, today), Goals: []GoalProgress{}, Trail: []GoalPlace{}}
	if l.code != g.c.PlaceCode {
		out.Trail = append(out.Trail, GoalPlace{g.c.PlaceCode, g.c.PlaceName})
		if len(l.villages) > 0 && l.villages[0].code == l.code && l.villages[0].town != g.c.PlaceCode {
			out.Trail = append(out.Trail, GoalPlace{l.villages[0].town, l.villages[0].townName})
		}
	}
	defs, err := s.goalDefs(ctx, t, g.c.ID)
	if err != nil {
		return out, err
	}
	items, err := s.goalItems(ctx, t, g.c.ID)
	if err != nil {
		return out, err
	}
	for _, d := range defs {
		data, err := s.goalLoad(ctx, t, g.c, d, today)
		if err != nil {
			return out, err
		}
		out.Goals = append(out.Goals, goalProgressAt(g, l, d, data, out.Elapsed, items))
	}
	return out, nil
}

// goalProgressAt sums a goal's village figures into the rows below l and
// l's total: the rows are towns when l is the campaign's county, the
// villages of l otherwise.
func goalProgressAt(g goalScope, l goalLevel, d goalDef, data goalData, elapsed int64, items map[int64]string) GoalProgress {
	share := campaigns.ShareMetric(d.Metric)
	p := GoalProgress{ID: d.ID, Seq: d.Seq, Title: d.Title, Metric: d.Metric, Share: share, GroupCode: d.Group,
		GroupName: safetynet.CategoryLabel(d.Group, "zh"), Measure: d.Measure, ItemID: d.ItemID, ItemTitle: items[d.ItemID],
		Target: d.Target, Rows: []GoalPlaceRow{}}
	byTown := l.level != string(safetynet.LevelTown) && l.level != string(safetynet.LevelVillage)
	idx := map[string]int{}
	p.Total = GoalPlaceRow{PlaceCode: l.code, PlaceName: l.name, Level: l.level}
	for _, v := range l.villages {
		f := data.figure(d, v.code)
		p.Total.Figure = p.Total.Figure.Add(f)
		p.Total.Villages++
		if l.level == string(safetynet.LevelVillage) {
			continue
		}
		code, name, level := v.code, v.name, string(safetynet.LevelVillage)
		if byTown {
			code, name, level = v.town, v.townName, string(safetynet.LevelTown)
		}
		i, ok := idx[code]
		if !ok {
			i = len(p.Rows)
			idx[code] = i
			p.Rows = append(p.Rows, GoalPlaceRow{PlaceCode: code, PlaceName: name, Level: level})
		}
		p.Rows[i].Figure = p.Rows[i].Figure.Add(f)
		p.Rows[i].Villages++
	}
	finish := func(r *GoalPlaceRow) {
		r.Figure.Target = campaigns.PlaceTarget(d.Metric, d.Target, r.Villages)
		r.Value, r.Reached = r.Figure.Value(share), r.Figure.Reached(share)
		r.Missing, r.Status = r.Figure.Missing(share), r.Figure.Status(share, elapsed)
	}
	finish(&p.Total)
	for i := range p.Rows {
		finish(&p.Rows[i])
		if p.Rows[i].Status == campaigns.GoalBehind {
			p.BehindRows++
		}
	}
	sort.SliceStable(p.Rows, func(i, j int) bool { return p.Rows[i].PlaceCode < p.Rows[j].PlaceCode })
	return p
}

func (s *Store) goalItems(ctx context.Context, t *tx, campaignID int64) (map[int64]string, error) {
	rows, err := t.query(ctx, `SELECT id, title FROM campaign_items WHERE campaign_id = ?`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: campaign items: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, err
		}
		out[id] = title
	}
	return out, rows.Err()
}

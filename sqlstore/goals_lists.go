package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/visits"
)

// GoalListLimit is how many lines a list behind a figure shows.
const GoalListLimit = 500

// GoalListRow is a line of the list behind a goal's figure: a household
// or person of the group (reached or not), a registered member, an
// activity or a case helped. Named, never coded.
type GoalListRow struct {
	HouseholdID int64  `json:"household_id,omitempty"`
	PersonID    int64  `json:"person_id,omitempty"`
	CaseID      int64  `json:"case_id,omitempty"`
	Name        string `json:"name"`       // the person, the household's head, or the activity's title
	PlaceName   string `json:"place_name"` // the village
	Done        bool   `json:"done"`       // reached (visited, served, in force, screened)
	Tagged      bool   `json:"tagged"`     // reached under the campaign's tag
	Date        string `json:"date,omitempty"`
	Count       int64  `json:"count,omitempty"` // an activity's participants
}

// GoalList is the list behind a figure of a goal at a place.
type GoalList struct {
	Campaign  GoalCampaign  `json:"campaign"`
	Goal      GoalProgress  `json:"goal"`
	PlaceCode string        `json:"place_code"`
	PlaceName string        `json:"place_name"`
	Which     string        `json:"which"` // pending, done or all
	Rows      []GoalListRow `json:"rows"`
	More      bool          `json:"more"` // cut at GoalListLimit
}

// GoalListOf returns the list behind a goal's figure at place: for a
// share the group's households (persons for measure_share) not reached
// yet (which "pending"), reached ("done") or all; for a count the
// registered members, the activities or the cases helped.
func (s *Store) GoalListOf(ctx context.Context, a access.Actor, campaignID, goalID int64, place, which string) (GoalList, error) {
	if which == "" {
		which = "pending"
	}
	if which != "pending" && which != "done" && which != "all" {
		return GoalList{}, safetynet.Invalid("which", "列表应为未完成、已完成或全部", "which must be pending, done or all")
	}
	out := GoalList{Which: which, Rows: []GoalListRow{}}
	err := s.read(ctx, func(t *tx) error {
		g, err := s.goalCampaignScope(ctx, t, a, campaignID)
		if err != nil {
			return err
		}
		l, err := s.goalLevelOf(ctx, t, a, g, place)
		if err != nil {
			return err
		}
		defs, err := s.goalDefs(ctx, t, g.c.ID)
		if err != nil {
			return err
		}
		var d goalDef
		for _, x := range defs {
			if x.ID == goalID {
				d = x
			}
		}
		if d.ID == 0 {
			return safetynet.NotFound("目标", "goal")
		}
		items, err := s.goalItems(ctx, t, g.c.ID)
		if err != nil {
			return err
		}
		today := visits.LocalDate(s.now(), visitZone).Format(visits.DateLayout)
		data, err := s.goalLoad(ctx, t, g.c, d, today)
		if err != nil {
			return err
		}
		out.Campaign, out.PlaceCode, out.PlaceName = g.c, l.code, l.name
		out.Goal = goalProgressAt(g, l, d, data, campaigns.Elapsed(g.c.StartsOn, g.c.EndsOn, today), items)
		return s.goalListRows(ctx, t, g.c, d, data, l, &out)
	})
	return out, err
}

func (s *Store) goalListRows(ctx context.Context, t *tx, c GoalCampaign, d goalDef, data goalData, l goalLevel, out *GoalList) error {
	names := map[string]string{}
	var codes []any
	for _, v := range l.villages {
		names[v.code] = v.name
		codes = append(codes, v.code)
	}
	if len(codes) == 0 {
		return nil
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(codes)), ", ") + ")"
	add := func(r GoalListRow) bool {
		if len(out.Rows) >= GoalListLimit {
			out.More = true
			return false
		}
		out.Rows = append(out.Rows, r)
		return true
	}
	if campaigns.ShareMetric(d.Metric) {
		var units []GoalListRow
		var hh, ps []int64
		for _, v := range l.villages {
			for _, u := range data.units[v.code] {
				done := data.done[u]
				if (out.Which == "pending" && done) || (out.Which == "done" && !done) {
					continue
				}
				units = append(units, GoalListRow{HouseholdID: u.household, PersonID: u.person, PlaceName: v.name, Done: done, Tagged: data.tagged[u]})
				hh, ps = append(hh, u.household), append(ps, u.person)
			}
		}
		n, err := s.goalNames(ctx, t, hh, ps)
		if err != nil {
			return err
		}
		for _, r := range units {
			r.Name = n.household[r.HouseholdID]
			if r.PersonID > 0 {
				r.Name = n.person[r.PersonID]
			}
			if !add(r) {
				break
			}
		}
		return nil
	}
	var q string
	args := []any{c.ID}
	switch d.Metric {
	case campaigns.MetricRegistered:
		q = `SELECT m.household_id, m.person_id, 0, p.name, m.village_code, '', 0 FROM campaign_members m JOIN persons p ON p.id = m.person_id
			WHERE m.campaign_id = ? AND m.group_code = ? AND m.removed_at = 0 AND m.village_code IN ` + in + ` ORDER BY m.village_code, m.id`
		args = append(args, d.Group)
	case campaigns.MetricActivities, campaigns.MetricParticipants:
		q = `SELECT 0, 0, 0, a.title, a.village_code, a.held_on, a.participants FROM campaign_activities a
			WHERE a.campaign_id = ? AND (? = 0 OR a.item_id = ?) AND a.village_code IN ` + in + ` ORDER BY a.held_on DESC, a.id`
		args = append(args, d.ItemID, d.ItemID)
	case campaigns.MetricCasesHelped:
		from, to := periodBounds(c)
		q = `SELECT k.household_id, 0, k.id, COALESCE(hp.name, ''), cv.village_code, '', k.first_help_at FROM cases k
			JOIN households h ON h.id = k.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id
			JOIN place_tree pt ON pt.descendant = k.place_code JOIN campaign_villages cv ON cv.village_code = pt.ancestor AND cv.campaign_id = ?
			WHERE k.first_help_at >= ? AND k.first_help_at < ? AND cv.village_code IN ` + in + ` ORDER BY k.first_help_at, k.id`
		args = append(args, ms(from), ms(to))
	default:
		return fmt.Errorf("sqlstore: goal list: unknown metric %q", d.Metric)
	}
	rows, err := t.query(ctx, q, append(args, codes...)...)
	if err != nil {
		return fmt.Errorf("sqlstore: goal list: %w", err)
	}
	defer rows.Close()
	hhOf := map[string]map[int64]bool{}
	for v, us := range data.units {
		hhOf[v] = map[int64]bool{}
		for _, u := range us {
			hhOf[v][u.household] = true
		}
	}
	for rows.Next() {
		var r GoalListRow
		var village string
		if err := rows.Scan(&r.HouseholdID, &r.PersonID, &r.CaseID, &r.Name, &village, &r.Date, &r.Count); err != nil {
			return err
		}
		r.PlaceName, r.Done = names[village], true
		if d.Metric == campaigns.MetricCasesHelped {
			if !hhOf[village][r.HouseholdID] {
				continue // a case of a household outside the group
			}
			r.Date, r.Count = visits.LocalDate(fromMS(r.Count), visitZone).Format(visits.DateLayout), 0
		}
		if !add(r) {
			break
		}
	}
	return rows.Err()
}

// goalNamesOf are the names of households (their heads) and persons.
type goalNamesOf struct {
	household, person map[int64]string
}

func (s *Store) goalNames(ctx context.Context, t *tx, hh, ps []int64) (goalNamesOf, error) {
	n := goalNamesOf{household: map[int64]string{}, person: map[int64]string{}}
	for _, part := range []struct {
		ids []int64
		q   string
		to  map[int64]string
	}{
		{hh, `SELECT h.id, COALESCE(p.name, '') FROM households h LEFT JOIN persons p ON p.id = h.head_person_id WHERE h.id IN `, n.household},
		{ps, `SELECT id, name FROM persons WHERE id IN `, n.person},
	} {
		var ids []any
		seen := map[int64]bool{}
		for _, id := range part.ids {
			if id > 0 && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		for len(ids) > 0 {
			chunk := ids[:min(len(ids), 500)]
			ids = ids[len(chunk):]
			rows, err := t.query(ctx, part.q+"("+strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+")", chunk...)
			if err != nil {
				return n, fmt.Errorf("sqlstore: goal names: %w", err)
			}
			for rows.Next() {
				var id int64
				var name string
				if err := rows.Scan(&id, &name); err != nil {
					rows.Close()
					return n, err
				}
				part.to[id] = name
			}
			rows.Close()
		}
	}
	return n, nil
}

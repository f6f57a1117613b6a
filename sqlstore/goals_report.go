package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/visits"
)

// ReportFigures are a campaign's work figures in the actor's area.
type ReportFigures struct {
	Activities     int64          `json:"activities"`
	Participants   int64          `json:"participants"`
	VisitsTagged   int64          `json:"visits_tagged"`   // visits recorded for the campaign
	ServicesTagged int64          `json:"services_tagged"` // services recorded for the campaign (not rejected)
	Registered     []GroupCount   `json:"registered"`      // members registered per group
	Items          []ItemActivity `json:"items"`           // activities per work item
}

// GroupCount is the members registered of a group.
type GroupCount struct {
	GroupCode string `json:"group_code"`
	GroupName string `json:"group_name"`
	Members   int64  `json:"members"`
}

// ItemActivity is the activities of a work item.
type ItemActivity struct {
	ItemID       int64  `json:"item_id"`
	Title        string `json:"title"`
	Activities   int64  `json:"activities"`
	Participants int64  `json:"participants"`
}

// LateVillage is a village late with a stage: not submitted after the
// stage's end, or submitted after it.
type LateVillage struct {
	VillageCode string `json:"village_code"`
	VillageName string `json:"village_name"`
	TownName    string `json:"town_name"`
	StageTitle  string `json:"stage_title"`
	StageEnd    string `json:"stage_end"`
	Submitted   string `json:"submitted"` // local date submitted, '' when not yet
	DaysLate    int    `json:"days_late"`
}

// CampaignReport is the campaign's report (总结报告): goals with
// progress, figures, late villages and examples, for the actor's area.
type CampaignReport struct {
	Goals    CampaignGoals     `json:"goals"`
	Figures  ReportFigures     `json:"figures"`
	Late     []LateVillage     `json:"late"`
	Examples []CampaignExample `json:"examples"`
	Made     time.Time         `json:"made"`
}

// CampaignReportOf makes the report of a campaign at the highest place of
// it in the actor's area.
func (s *Store) CampaignReportOf(ctx context.Context, a access.Actor, campaignID int64) (CampaignReport, error) {
	var r CampaignReport
	err := s.read(ctx, func(t *tx) error {
		g, err := s.goalCampaignScope(ctx, t, a, campaignID)
		if err != nil {
			return err
		}
		l, err := s.goalLevelOf(ctx, t, a, g, "")
		if err != nil {
			return err
		}
		if r.Goals, err = s.goalsAt(ctx, t, g, l); err != nil {
			return err
		}
		if r.Figures, err = s.reportFigures(ctx, t, g, l); err != nil {
			return err
		}
		if r.Late, err = s.lateVillages(ctx, t, g, l); err != nil {
			return err
		}
		r.Examples, err = s.goalExamples(ctx, t, a, g)
		r.Made = s.now()
		return err
	})
	return r, err
}

func (s *Store) reportFigures(ctx context.Context, t *tx, g goalScope, l goalLevel) (ReportFigures, error) {
	f := ReportFigures{Registered: []GroupCount{}, Items: []ItemActivity{}}
	in := map[string]bool{}
	for _, v := range l.villages {
		in[v.code] = true
	}
	items := map[int64]int{}
	rows, err := t.query(ctx, `SELECT id, title FROM campaign_items WHERE campaign_id = ? ORDER BY seq`, g.c.ID)
	if err != nil {
		return f, fmt.Errorf("sqlstore: report items: %w", err)
	}
	for rows.Next() {
		var it ItemActivity
		if err := rows.Scan(&it.ItemID, &it.Title); err != nil {
			rows.Close()
			return f, err
		}
		items[it.ItemID] = len(f.Items)
		f.Items = append(f.Items, it)
	}
	rows.Close()
	from, to := periodBounds(g.c)
	type part struct {
		q    string
		args []any
		put  func(v, key string, id, n, m int64)
	}
	groups := map[string]int{}
	for _, p := range []part{
		{`SELECT village_code, '', item_id, COUNT(*), COALESCE(SUM(participants), 0) FROM campaign_activities WHERE campaign_id = ?
			GROUP BY village_code, item_id`, nil, func(v, _ string, id, n, m int64) {
			f.Activities, f.Participants = f.Activities+n, f.Participants+m
			if i, ok := items[id]; ok {
				f.Items[i].Activities, f.Items[i].Participants = f.Items[i].Activities+n, f.Items[i].Participants+m
			}
		}},
		{`SELECT cv.village_code, '', 0, COUNT(*), 0 FROM visit_records r JOIN place_tree pt ON pt.descendant = r.place_code
			JOIN campaign_villages cv ON cv.village_code = pt.ancestor AND cv.campaign_id = r.campaign_id
			WHERE r.campaign_id = ? AND r.made_date >= ? AND r.made_date <= ? GROUP BY cv.village_code`, []any{g.c.StartsOn, g.c.EndsOn}, func(_, _ string, _, n, _ int64) { f.VisitsTagged += n }},
		{`SELECT cv.village_code, '', 0, COUNT(*), 0 FROM service_records r JOIN place_tree pt ON pt.descendant = r.place_code
			JOIN campaign_villages cv ON cv.village_code = pt.ancestor AND cv.campaign_id = r.campaign_id
			WHERE r.campaign_id = ? AND r.started_at >= ? AND r.started_at < ? AND r.review_status <> 'rejected' GROUP BY cv.village_code`, []any{from.Unix(), to.Unix()}, func(_, _ string, _, n, _ int64) { f.ServicesTagged += n }},
		{`SELECT village_code, group_code, 0, COUNT(DISTINCT person_id), 0 FROM campaign_members WHERE campaign_id = ? AND removed_at = 0
			GROUP BY village_code, group_code ORDER BY group_code`, nil, func(_, key string, _, n, _ int64) {
			i, ok := groups[key]
			if !ok {
				i = len(f.Registered)
				groups[key] = i
				f.Registered = append(f.Registered, GroupCount{GroupCode: key, GroupName: safetynet.CategoryLabel(key, "zh")})
			}
			f.Registered[i].Members += n
		}},
	} {
		rows, err := t.query(ctx, p.q, append([]any{g.c.ID}, p.args...)...)
		if err != nil {
			return f, fmt.Errorf("sqlstore: report figures: %w", err)
		}
		for rows.Next() {
			var v, key string
			var id, n, m int64
			if err := rows.Scan(&v, &key, &id, &n, &m); err != nil {
				rows.Close()
				return f, err
			}
			if in[v] {
				p.put(v, key, id, n, m)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return f, err
		}
	}
	return f, nil
}

// lateVillages lists the villages late with a stage: for every stage
// whose end has passed, the villages of l that have not submitted it,
// and those that submitted after its end.
func (s *Store) lateVillages(ctx context.Context, t *tx, g goalScope, l goalLevel) ([]LateVillage, error) {
	today := visits.LocalDate(s.now(), visitZone)
	out := []LateVillage{}
	rows, err := t.query(ctx, `SELECT st.id, st.title, st.ends_on FROM campaign_stages st WHERE st.campaign_id = ? AND st.ends_on < ? ORDER BY st.seq`,
		g.c.ID, today.Format(visits.DateLayout))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: late stages: %w", err)
	}
	type stage struct {
		id         int64
		title, end string
	}
	var stages []stage
	for rows.Next() {
		var st stage
		if err := rows.Scan(&st.id, &st.title, &st.end); err != nil {
			rows.Close()
			return nil, err
		}
		stages = append(stages, st)
	}
	rows.Close()
	for _, st := range stages {
		sub := map[string]int64{}
		rows, err := t.query(ctx, `SELECT village_code, submitted_at FROM campaign_village_stages WHERE stage_id = ? AND status = ?`,
			st.id, campaigns.VillageSubmitted)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: late villages: %w", err)
		}
		for rows.Next() {
			var v string
			var at int64
			if err := rows.Scan(&v, &at); err != nil {
				rows.Close()
				return nil, err
			}
			sub[v] = at
		}
		rows.Close()
		end, _ := time.ParseInLocation(visits.DateLayout, st.end, visitZone)
		due := end.AddDate(0, 0, 1) // the end day is still in time
		for _, v := range l.villages {
			lv := LateVillage{VillageCode: v.code, VillageName: v.name, TownName: v.townName, StageTitle: st.title, StageEnd: st.end}
			at, done := sub[v.code]
			switch {
			case !done:
				lv.DaysLate = int(today.Sub(end).Hours() / 24)
			case at > due.Unix(): // unix seconds, as the campaigns' times are
				day := visits.LocalDate(time.Unix(at, 0), visitZone)
				lv.Submitted, lv.DaysLate = day.Format(visits.DateLayout), int(day.Sub(end).Hours()/24)
			default:
				continue
			}
			out = append(out, lv)
		}
	}
	return out, nil
}

package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
)

// VillageStage is one stage of a campaign as a village sees it: the
// stage's dates and the village's status, late derived from the local
// date.
type VillageStage struct {
	campaigns.Stage
	Status      string `json:"status"`        // campaigns.VillageStatuses, late included
	Stored      string `json:"stored_status"` // the stored status (not_started, in_progress, submitted)
	SubmittedAt int64  `json:"submitted_at"`
	SubmittedBy string `json:"submitted_by"` // display name
	Current     bool   `json:"current"`
}

// campaignVillage checks that village implements the running or ended
// campaign c and that the actor sees it: the village in the actor's area
// or the actor's place in the village.
func (s *Store) campaignVillage(ctx context.Context, t *tx, a access.Actor, id int64, village string) (CampaignVillage, error) {
	v := CampaignVillage{Code: village}
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(p.name), ''), COALESCE(MAX(cv.town_code), ''), COALESCE(MAX(tw.name), '')
		FROM campaign_villages cv JOIN places p ON p.code = cv.village_code LEFT JOIN places tw ON tw.code = cv.town_code
		WHERE cv.campaign_id = ? AND cv.village_code = ? AND (EXISTS (SELECT 1 FROM place_tree x WHERE x.ancestor = ? AND x.descendant = cv.village_code)
			OR EXISTS (SELECT 1 FROM place_tree y WHERE y.ancestor = cv.village_code AND y.descendant = ?))`,
		id, village, a.Place, a.Place).Scan(&n, &v.Name, &v.Town, &v.TownName)
	if err != nil {
		return v, fmt.Errorf("sqlstore: campaign village: %w", err)
	}
	if n == 0 {
		return v, safetynet.NotFound("这个村不是本行动的实施村，或不在您的管辖范围内", "the village does not implement this campaign or is outside your area")
	}
	return v, nil
}

// CampaignVillageStages returns a running or ended campaign's stages with
// the village's status in each.
func (s *Store) CampaignVillageStages(ctx context.Context, a access.Actor, id int64, village string) (campaigns.Campaign, CampaignVillage, []VillageStage, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return campaigns.Campaign{}, CampaignVillage{}, nil, err
	}
	var c campaigns.Campaign
	var v CampaignVillage
	var out []VillageStage
	today := campaigns.Today(s.now())
	err := s.read(ctx, func(t *tx) error {
		var err error
		if c, err = s.campaignFull(ctx, t, a, id); err != nil {
			return err
		}
		if v, err = s.campaignVillage(ctx, t, a, id, village); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT stage_id, status, submitted_at, submitted_by FROM campaign_village_stages WHERE campaign_id = ? AND village_code = ?`, id, village)
		if err != nil {
			return fmt.Errorf("sqlstore: village stages: %w", err)
		}
		defer rows.Close()
		type row struct {
			status string
			at     int64
			by     string
		}
		got := map[int64]row{}
		for rows.Next() {
			var id int64
			var r row
			if err := rows.Scan(&id, &r.status, &r.at, &r.by); err != nil {
				return err
			}
			got[id] = r
		}
		if err := rows.Err(); err != nil {
			return err
		}
		cur := campaigns.CurrentStage(c.Stages, today)
		for i, st := range c.Stages {
			r, ok := got[st.ID]
			if !ok {
				r.status = campaigns.VillageNotStarted
			}
			out = append(out, VillageStage{Stage: st, Stored: r.status, Status: campaigns.VillageStatus(st.Kind, r.status, st.EndsOn, today),
				SubmittedAt: r.at, SubmittedBy: s.displayNameOf(ctx, t, r.by), Current: i == cur})
		}
		return nil
	})
	return c, v, out, err
}

// CampaignTask is a running campaign a village implements, with its
// current stage and the village's status in it.
type CampaignTask struct {
	Campaign    campaigns.Campaign `json:"campaign"`
	VillageCode string             `json:"village_code"`
	VillageName string             `json:"village_name"`
	Stage       *VillageStage      `json:"stage"` // the current stage, null between stages
	Next        *campaigns.Stage   `json:"next"`
	Late        int                `json:"late"` // stages of the village late
}

// MyCampaignTasks lists the running campaigns implemented by the actor's
// village (or the villages in the actor's area, for those below a town:
// at most 200), with the stage under way and what is due.
func (s *Store) MyCampaignTasks(ctx context.Context, a access.Actor) ([]CampaignTask, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return nil, err
	}
	today := campaigns.Today(s.now())
	var out []CampaignTask
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT cv.campaign_id, cv.village_code, COALESCE(p.name, '') FROM campaign_villages cv
			JOIN campaigns c ON c.id = cv.campaign_id AND c.status = 'running' JOIN places p ON p.code = cv.village_code
			WHERE EXISTS (SELECT 1 FROM place_tree x WHERE x.ancestor = ? AND x.descendant = cv.village_code)
				OR EXISTS (SELECT 1 FROM place_tree y WHERE y.ancestor = cv.village_code AND y.descendant = ?)
			ORDER BY c.starts_on DESC, cv.campaign_id, cv.village_code LIMIT 200`, a.Place, a.Place)
		if err != nil {
			return fmt.Errorf("sqlstore: my campaigns: %w", err)
		}
		type key struct {
			id         int64
			code, name string
		}
		var keys []key
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.id, &k.code, &k.name); err != nil {
				rows.Close()
				return err
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		full := map[int64]campaigns.Campaign{}
		for _, k := range keys {
			c, ok := full[k.id]
			if !ok {
				if c, err = s.campaignFull(ctx, t, a, k.id); err != nil {
					return err
				}
				full[k.id] = c
			}
			task := CampaignTask{Campaign: c, VillageCode: k.code, VillageName: k.name}
			st := map[int64]string{}
			r, err := t.query(ctx, `SELECT stage_id, status FROM campaign_village_stages WHERE campaign_id = ? AND village_code = ?`, k.id, k.code)
			if err != nil {
				return fmt.Errorf("sqlstore: my campaign stages: %w", err)
			}
			for r.Next() {
				var id int64
				var s string
				if err := r.Scan(&id, &s); err != nil {
					r.Close()
					return err
				}
				st[id] = s
			}
			r.Close()
			cur := campaigns.CurrentStage(c.Stages, today)
			for i, x := range c.Stages {
				stored := st[x.ID]
				if stored == "" {
					stored = campaigns.VillageNotStarted
				}
				status := campaigns.VillageStatus(x.Kind, stored, x.EndsOn, today)
				if status == campaigns.VillageLate {
					task.Late++
				}
				if i == cur {
					task.Stage = &VillageStage{Stage: x, Stored: stored, Status: status, Current: true}
				}
				if x.StartsOn > today && task.Next == nil {
					nx := x
					task.Next = &nx
				}
			}
			out = append(out, task)
		}
		return nil
	})
	return out, err
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
)

// CreateCampaign creates a draft campaign owned by c.PlaceCode (a county
// or town the actor manages; the actor's place when empty). Its
// implementing villages are c.Villages, each under the owning place, or
// every village under it when none are named. Sending the same client ID
// again returns the campaign already made (created false).
func (s *Store) CreateCampaign(ctx context.Context, a access.Actor, c campaigns.Campaign) (campaigns.Campaign, bool, error) {
	if err := a.Require(access.CampaignManage); err != nil {
		return c, false, err
	}
	c.ClientID = strings.TrimSpace(c.ClientID)
	if c.ClientID == "" || len(c.ClientID) > 100 {
		return c, false, safetynet.Invalid("client_id", "缺少表单编号，请刷新页面后再提交", "client_id is required (at most 100 characters)")
	}
	if c.PlaceCode == "" {
		c.PlaceCode = a.Place
	}
	c, err := campaigns.Check(c)
	if err != nil {
		return c, false, err
	}
	var id int64
	created := false
	err = s.write(ctx, func(t *tx) error {
		var by string
		err := t.queryRow(ctx, `SELECT id, created_by FROM campaigns WHERE client_id = ?`, c.ClientID).Scan(&id, &by)
		switch {
		case err == nil && by != a.Username:
			return safetynet.Conflict("client_id", "表单编号已被使用", "this client_id belongs to another campaign")
		case err == nil:
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("sqlstore: campaign lookup: %w", err)
		}
		if err := s.unitPlace(ctx, t, a, c.PlaceCode); err != nil {
			return err
		}
		if c.CopiedFrom != 0 {
			if _, err := s.campaignRow(ctx, t, a, c.CopiedFrom); err != nil {
				return safetynet.Invalid("copied_from", "没有可复制的原行动", "no such campaign to copy")
			}
		}
		now := s.now().Unix()
		if err := t.queryRow(ctx, `INSERT INTO campaigns (client_id, kind, title, doc_no, place_code, starts_on, ends_on, aims, status, copied_from,
			version, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, 1, ?, ?, ?) RETURNING id`,
			c.ClientID, c.Kind, c.Title, c.DocNo, c.PlaceCode, c.StartsOn, c.EndsOn, c.Aims, c.CopiedFrom, a.Username, now, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: insert campaign: %w", err)
		}
		if err := s.writeCampaignParts(ctx, t, id, c); err != nil {
			return err
		}
		created = true
		return s.audit(ctx, t, a, auditRec{action: "campaign.create", objType: "campaign", objID: fmt.Sprint(id), place: c.PlaceCode,
			detail: map[string]any{"title": c.Title, "campaign_kind": c.Kind, "items": len(c.Items), "goals": len(c.Goals), "stages": len(c.Stages), "copied_from": c.CopiedFrom}})
	})
	if err != nil {
		return c, false, err
	}
	out, err := s.Campaign(ctx, a, id)
	return out, created, err
}

// UpdateCampaign replaces a draft's fields and parts. version is the
// version the editor read: a campaign changed since is a conflict that
// names who changed it.
func (s *Store) UpdateCampaign(ctx context.Context, a access.Actor, id int64, version int, c campaigns.Campaign) (campaigns.Campaign, error) {
	if err := a.Require(access.CampaignManage); err != nil {
		return c, err
	}
	err := s.write(ctx, func(t *tx) error {
		old, err := s.campaignRow(ctx, t, a, id)
		if err != nil {
			return err
		}
		if err := s.campaignOwns(ctx, t, a, old.PlaceCode); err != nil {
			return err
		}
		if old.Version != version {
			return s.conflict(ctx, t, "campaign", fmt.Sprint(id))
		}
		if old.Status != campaigns.StatusDraft {
			return safetynet.Conflict("status", "行动已启动，不能再修改", "the campaign has started and can no longer be edited")
		}
		c.PlaceCode, c.Kind = old.PlaceCode, orDefault(c.Kind, old.Kind)
		if c, err = campaigns.Check(c); err != nil {
			return err
		}
		r, err := t.exec(ctx, `UPDATE campaigns SET kind = ?, title = ?, doc_no = ?, starts_on = ?, ends_on = ?, aims = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, c.Kind, c.Title, c.DocNo, c.StartsOn, c.EndsOn, c.Aims, s.now().Unix(), id, version)
		if err != nil {
			return fmt.Errorf("sqlstore: update campaign: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return s.conflict(ctx, t, "campaign", fmt.Sprint(id))
		}
		for _, q := range []string{
			`DELETE FROM campaign_item_units WHERE item_id IN (SELECT id FROM campaign_items WHERE campaign_id = ?)`,
			`DELETE FROM campaign_goals WHERE campaign_id = ?`,
			`DELETE FROM campaign_items WHERE campaign_id = ?`,
			`DELETE FROM campaign_stages WHERE campaign_id = ?`,
			`DELETE FROM campaign_villages WHERE campaign_id = ?`,
		} {
			if _, err := t.exec(ctx, q, id); err != nil {
				return fmt.Errorf("sqlstore: replace campaign parts: %w", err)
			}
		}
		if err := s.writeCampaignParts(ctx, t, id, c); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "campaign.update", objType: "campaign", objID: fmt.Sprint(id), place: old.PlaceCode,
			detail: map[string]any{"title": c.Title, "items": len(c.Items), "goals": len(c.Goals), "stages": len(c.Stages), "villages": len(c.Villages)}})
	})
	if err != nil {
		return c, err
	}
	return s.Campaign(ctx, a, id)
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

// writeCampaignParts inserts a checked campaign's items with their units,
// goals, stages and villages.
func (s *Store) writeCampaignParts(ctx context.Context, t *tx, id int64, c campaigns.Campaign) error {
	itemIDs := make([]int64, len(c.Items))
	for i, it := range c.Items {
		if err := t.queryRow(ctx, `INSERT INTO campaign_items (campaign_id, seq, title, groups, description) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			id, it.Seq, it.Title, strings.Join(it.Groups, ","), it.Description).Scan(&itemIDs[i]); err != nil {
			return fmt.Errorf("sqlstore: insert campaign item: %w", err)
		}
		for _, u := range it.Units {
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM org_units WHERE id = ? AND active = 1 AND EXISTS (SELECT 1 FROM place_tree
				WHERE ancestor = org_units.place_code AND descendant = ?)`, u.UnitID, c.PlaceCode).Scan(&n); err != nil {
				return fmt.Errorf("sqlstore: campaign unit: %w", err)
			}
			if n == 0 {
				return safetynet.Invalid("items", "第 %d 项工作内容：站所不存在或不属于本地", "work item %d: the unit does not exist or is not of this place or above", it.Seq)
			}
			if _, err := t.exec(ctx, `INSERT INTO campaign_item_units (item_id, unit_id, role) VALUES (?, ?, ?)`, itemIDs[i], u.UnitID, u.Role); err != nil {
				return fmt.Errorf("sqlstore: insert item unit: %w", err)
			}
		}
	}
	for _, g := range c.Goals {
		var item int64
		if g.ItemSeq > 0 {
			item = itemIDs[g.ItemSeq-1]
		}
		if g.Measure != "" {
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM measure_catalogue WHERE code = ?`, g.Measure).Scan(&n); err != nil {
				return fmt.Errorf("sqlstore: goal measure: %w", err)
			}
			if n == 0 {
				return safetynet.Invalid("goals", "第 %d 个目标：帮扶措施不存在", "goal %d: no such measure", g.Seq)
			}
		}
		if _, err := t.exec(ctx, `INSERT INTO campaign_goals (campaign_id, item_id, seq, title, metric, group_code, measure, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			id, item, g.Seq, g.Title, g.Metric, g.Group, g.Measure, g.Target); err != nil {
			return fmt.Errorf("sqlstore: insert campaign goal: %w", err)
		}
	}
	for _, st := range c.Stages {
		if _, err := t.exec(ctx, `INSERT INTO campaign_stages (campaign_id, seq, kind, title, starts_on, ends_on) VALUES (?, ?, ?, ?, ?, ?)`,
			id, st.Seq, st.Kind, st.Title, st.StartsOn, st.EndsOn); err != nil {
			return fmt.Errorf("sqlstore: insert campaign stage: %w", err)
		}
	}
	villages, err := s.campaignVillagesOf(ctx, t, c.PlaceCode, c.Villages)
	if err != nil {
		return err
	}
	for _, v := range villages {
		if _, err := t.exec(ctx, `INSERT INTO campaign_villages (campaign_id, village_code, town_code) VALUES (?, ?, ?)`, id, v.Code, v.Town); err != nil {
			return fmt.Errorf("sqlstore: insert campaign village: %w", err)
		}
	}
	return nil
}

// CampaignVillage is an implementing village with its town.
type CampaignVillage struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Town     string `json:"town_code"`
	TownName string `json:"town_name"`
}

// campaignVillagesOf returns the villages named (each must be a village
// under place), or every village under place when none are.
func (s *Store) campaignVillagesOf(ctx context.Context, t *tx, place string, codes []string) ([]CampaignVillage, error) {
	all, err := s.villagesUnder(ctx, t, place)
	if err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		return all, nil
	}
	byCode := map[string]CampaignVillage{}
	for _, v := range all {
		byCode[v.Code] = v
	}
	out := make([]CampaignVillage, 0, len(codes))
	for _, c := range codes {
		v, ok := byCode[c]
		if !ok {
			return nil, safetynet.Invalid("villages", "实施村 %s 不是本地的村", "village %s is not a village of the campaign's place", c)
		}
		out = append(out, v)
	}
	return out, nil
}

// villagesUnder lists the villages under place with their towns, by town
// and code.
func (s *Store) villagesUnder(ctx context.Context, t *tx, place string) ([]CampaignVillage, error) {
	rows, err := t.query(ctx, `SELECT v.code, v.name, COALESCE(tw.code, ''), COALESCE(tw.name, '') FROM place_tree pt
		JOIN places v ON v.code = pt.descendant AND v.level = 'village'
		LEFT JOIN place_tree tt ON tt.descendant = v.code AND tt.depth = 1
		LEFT JOIN places tw ON tw.code = tt.ancestor AND tw.level = 'town'
		WHERE pt.ancestor = ? ORDER BY tw.code, v.code`, place)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: villages under place: %w", err)
	}
	defer rows.Close()
	var out []CampaignVillage
	for rows.Next() {
		var v CampaignVillage
		if err := rows.Scan(&v.Code, &v.Name, &v.Town, &v.TownName); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CampaignPlaceVillages lists the villages a campaign owned by place
// could be implemented by: every village under it, with its town.
func (s *Store) CampaignPlaceVillages(ctx context.Context, a access.Actor, place string) ([]CampaignVillage, error) {
	var out []CampaignVillage
	err := s.read(ctx, func(t *tx) error {
		if err := s.unitPlace(ctx, t, a, place); err != nil {
			return err
		}
		var err error
		out, err = s.villagesUnder(ctx, t, place)
		return err
	})
	return out, err
}

// StartCampaign starts a draft (version as read): its implementing
// villages are fixed with their towns, and every village gets a row per
// stage, not started.
func (s *Store) StartCampaign(ctx context.Context, a access.Actor, id int64, version int) (campaigns.Campaign, error) {
	return s.moveCampaign(ctx, a, id, version, campaigns.StatusRunning)
}

// EndCampaign ends a running campaign (version as read); it is then
// read-only and may be copied as a template.
func (s *Store) EndCampaign(ctx context.Context, a access.Actor, id int64, version int) (campaigns.Campaign, error) {
	return s.moveCampaign(ctx, a, id, version, campaigns.StatusEnded)
}

func (s *Store) moveCampaign(ctx context.Context, a access.Actor, id int64, version int, to string) (campaigns.Campaign, error) {
	if err := a.Require(access.CampaignManage); err != nil {
		return campaigns.Campaign{}, err
	}
	err := s.write(ctx, func(t *tx) error {
		c, err := s.campaignFull(ctx, t, a, id)
		if err != nil {
			return err
		}
		if err := s.campaignOwns(ctx, t, a, c.PlaceCode); err != nil {
			return err
		}
		if c.Status == to {
			return nil // a resend of the same step
		}
		if c.Version != version {
			return s.conflict(ctx, t, "campaign", fmt.Sprint(id))
		}
		if err := campaigns.CheckTransition(c.Status, to); err != nil {
			return err
		}
		detail := map[string]any{"campaign_status": to}
		if to == campaigns.StatusRunning {
			if err := campaigns.CheckStart(c); err != nil {
				return err
			}
			// Fix the villages as they are now: a village moved since the
			// draft was saved keeps the campaign only if still under it.
			villages, err := s.campaignVillagesOf(ctx, t, c.PlaceCode, nil)
			if err != nil {
				return err
			}
			under := map[string]CampaignVillage{}
			for _, v := range villages {
				under[v.Code] = v
			}
			if _, err := t.exec(ctx, `DELETE FROM campaign_villages WHERE campaign_id = ?`, id); err != nil {
				return fmt.Errorf("sqlstore: campaign villages: %w", err)
			}
			n := 0
			for _, code := range c.Villages {
				v, ok := under[code]
				if !ok {
					continue
				}
				n++
				if _, err := t.exec(ctx, `INSERT INTO campaign_villages (campaign_id, village_code, town_code) VALUES (?, ?, ?)`, id, v.Code, v.Town); err != nil {
					return fmt.Errorf("sqlstore: campaign village: %w", err)
				}
				for _, st := range c.Stages {
					if _, err := t.exec(ctx, `INSERT INTO campaign_village_stages (campaign_id, stage_id, village_code, status) VALUES (?, ?, ?, 'not_started')
						ON CONFLICT (stage_id, village_code) DO NOTHING`, id, st.ID, v.Code); err != nil {
						return fmt.Errorf("sqlstore: village stage: %w", err)
					}
				}
			}
			if n == 0 {
				return safetynet.Invalid("villages", "没有实施村，不能启动", "there are no implementing villages")
			}
			detail["villages"] = n
		}
		r, err := t.exec(ctx, `UPDATE campaigns SET status = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, to, s.now().Unix(), id, version)
		if err != nil {
			return fmt.Errorf("sqlstore: campaign status: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return s.conflict(ctx, t, "campaign", fmt.Sprint(id))
		}
		action := "campaign.start"
		if to == campaigns.StatusEnded {
			action = "campaign.end"
		}
		return s.audit(ctx, t, a, auditRec{action: action, objType: "campaign", objID: fmt.Sprint(id), place: c.PlaceCode, detail: detail})
	})
	if err != nil {
		return campaigns.Campaign{}, err
	}
	return s.Campaign(ctx, a, id)
}

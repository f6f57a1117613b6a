package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
)

// campaignVisible is the condition that the actor sees campaign c (alias
// columns c.id, c.place_code, c.status): its owning place is in the
// actor's area, or it is under way or ended and one of its villages is in
// the actor's area or holds the actor's place (a village, a grid).
func campaignVisible(a access.Actor, c string) (string, []any) {
	if a.Place == "" || !a.Can(access.CampaignView) {
		return "1 = 0", nil
	}
	if a.Place == safetynet.RootPlaceCode {
		return "1 = 1", nil
	}
	return `(EXISTS (SELECT 1 FROM place_tree vpt WHERE vpt.ancestor = ? AND vpt.descendant = ` + c + `.place_code)
		OR (` + c + `.status <> 'draft' AND EXISTS (SELECT 1 FROM campaign_villages vcv JOIN place_tree vpt
			ON (vpt.ancestor = ? AND vpt.descendant = vcv.village_code) OR (vpt.ancestor = vcv.village_code AND vpt.descendant = ?)
			WHERE vcv.campaign_id = ` + c + `.id)))`, []any{a.Place, a.Place, a.Place}
}

const campaignCols = `c.id, c.client_id, c.kind, c.title, c.doc_no, c.place_code, COALESCE(p.name, ''), c.starts_on, c.ends_on, c.aims, c.status,
	c.copied_from, c.version, c.created_by, c.created_at, c.updated_at`

func scanCampaign(sc interface{ Scan(...any) error }) (campaigns.Campaign, error) {
	var c campaigns.Campaign
	err := sc.Scan(&c.ID, &c.ClientID, &c.Kind, &c.Title, &c.DocNo, &c.PlaceCode, &c.PlaceName, &c.StartsOn, &c.EndsOn, &c.Aims, &c.Status,
		&c.CopiedFrom, &c.Version, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

// campaignRow reads a campaign the actor sees, without its parts.
func (s *Store) campaignRow(ctx context.Context, t *tx, a access.Actor, id int64) (campaigns.Campaign, error) {
	vis, args := campaignVisible(a, "c")
	c, err := scanCampaign(t.queryRow(ctx, `SELECT `+campaignCols+` FROM campaigns c LEFT JOIN places p ON p.code = c.place_code
		WHERE c.id = ? AND `+vis, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return c, safetynet.NotFound("没有这个专项行动", "no such campaign")
	}
	if err != nil {
		return c, fmt.Errorf("sqlstore: campaign: %w", err)
	}
	return c, nil
}

// campaignFull reads a campaign the actor sees with its items (and
// units), goals, stages and villages.
func (s *Store) campaignFull(ctx context.Context, t *tx, a access.Actor, id int64) (campaigns.Campaign, error) {
	c, err := s.campaignRow(ctx, t, a, id)
	if err != nil {
		return c, err
	}
	return c, s.campaignParts(ctx, t, &c)
}

func (s *Store) campaignParts(ctx context.Context, t *tx, c *campaigns.Campaign) error {
	rows, err := t.query(ctx, `SELECT id, seq, title, groups, description FROM campaign_items WHERE campaign_id = ? ORDER BY seq`, c.ID)
	if err != nil {
		return fmt.Errorf("sqlstore: campaign items: %w", err)
	}
	c.Items = []campaigns.Item{}
	seqOf := map[int64]int{}
	for rows.Next() {
		var it campaigns.Item
		var groups string
		if err := rows.Scan(&it.ID, &it.Seq, &it.Title, &groups, &it.Description); err != nil {
			rows.Close()
			return err
		}
		it.Groups = append([]string{}, splitCodes(groups)...)
		it.Units = []campaigns.ItemUnit{}
		seqOf[it.ID] = it.Seq
		c.Items = append(c.Items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = t.query(ctx, `SELECT iu.item_id, iu.unit_id, u.name, iu.role FROM campaign_item_units iu JOIN org_units u ON u.id = iu.unit_id
		JOIN campaign_items i ON i.id = iu.item_id WHERE i.campaign_id = ? ORDER BY iu.item_id, CASE iu.role WHEN 'lead' THEN 0 ELSE 1 END, u.name`, c.ID)
	if err != nil {
		return fmt.Errorf("sqlstore: campaign item units: %w", err)
	}
	for rows.Next() {
		var item int64
		var u campaigns.ItemUnit
		if err := rows.Scan(&item, &u.UnitID, &u.Name, &u.Role); err != nil {
			rows.Close()
			return err
		}
		if n := seqOf[item]; n > 0 && n <= len(c.Items) {
			c.Items[n-1].Units = append(c.Items[n-1].Units, u)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = t.query(ctx, `SELECT id, seq, item_id, title, metric, group_code, measure, target FROM campaign_goals WHERE campaign_id = ? ORDER BY seq`, c.ID)
	if err != nil {
		return fmt.Errorf("sqlstore: campaign goals: %w", err)
	}
	c.Goals = []campaigns.Goal{}
	for rows.Next() {
		var g campaigns.Goal
		if err := rows.Scan(&g.ID, &g.Seq, &g.ItemID, &g.Title, &g.Metric, &g.Group, &g.Measure, &g.Target); err != nil {
			rows.Close()
			return err
		}
		g.ItemSeq = seqOf[g.ItemID]
		c.Goals = append(c.Goals, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = t.query(ctx, `SELECT id, seq, kind, title, starts_on, ends_on FROM campaign_stages WHERE campaign_id = ? ORDER BY seq`, c.ID)
	if err != nil {
		return fmt.Errorf("sqlstore: campaign stages: %w", err)
	}
	c.Stages = []campaigns.Stage{}
	for rows.Next() {
		var st campaigns.Stage
		if err := rows.Scan(&st.ID, &st.Seq, &st.Kind, &st.Title, &st.StartsOn, &st.EndsOn); err != nil {
			rows.Close()
			return err
		}
		c.Stages = append(c.Stages, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = t.query(ctx, `SELECT village_code FROM campaign_villages WHERE campaign_id = ? ORDER BY town_code, village_code`, c.ID)
	if err != nil {
		return fmt.Errorf("sqlstore: campaign villages: %w", err)
	}
	defer rows.Close()
	c.Villages = []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		c.Villages = append(c.Villages, v)
	}
	return rows.Err()
}

// Campaign returns a campaign the actor sees with all its parts: a draft
// only to its owning place and above, a running or ended one also to its
// villages and the places between. Anything else is not found.
func (s *Store) Campaign(ctx context.Context, a access.Actor, id int64) (campaigns.Campaign, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return campaigns.Campaign{}, err
	}
	var c campaigns.Campaign
	err := s.read(ctx, func(t *tx) error {
		var err error
		c, err = s.campaignFull(ctx, t, a, id)
		return err
	})
	return c, err
}

// CampaignFilter narrows the campaign list.
type CampaignFilter struct {
	Status string // a campaigns.Statuses code, or "" for all
	Kind   string
	Limit  int // 200 when 0
}

// CampaignListRow is a campaign in a list, with the count of its
// implementing villages and of its stages.
type CampaignListRow struct {
	campaigns.Campaign
	VillageCount int `json:"village_count"`
	StageCount   int `json:"stage_count"`
}

// Campaigns lists the campaigns the actor sees, under way first, newest
// start first.
func (s *Store) Campaigns(ctx context.Context, a access.Actor, f CampaignFilter) ([]CampaignListRow, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	var out []CampaignListRow
	err := s.read(ctx, func(t *tx) error {
		vis, args := campaignVisible(a, "c")
		q := `SELECT ` + campaignCols + `, (SELECT COUNT(*) FROM campaign_villages cv WHERE cv.campaign_id = c.id),
			(SELECT COUNT(*) FROM campaign_stages cs WHERE cs.campaign_id = c.id)
			FROM campaigns c LEFT JOIN places p ON p.code = c.place_code WHERE ` + vis
		if f.Status != "" {
			q += ` AND c.status = ?`
			args = append(args, f.Status)
		}
		if f.Kind != "" {
			q += ` AND c.kind = ?`
			args = append(args, f.Kind)
		}
		q += ` ORDER BY CASE c.status WHEN 'running' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, c.starts_on DESC, c.id DESC LIMIT ?`
		rows, err := t.query(ctx, q, append(args, f.Limit)...)
		if err != nil {
			return fmt.Errorf("sqlstore: campaigns: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r CampaignListRow
			var c campaigns.Campaign
			err := rows.Scan(&c.ID, &c.ClientID, &c.Kind, &c.Title, &c.DocNo, &c.PlaceCode, &c.PlaceName, &c.StartsOn, &c.EndsOn, &c.Aims, &c.Status,
				&c.CopiedFrom, &c.Version, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &r.VillageCount, &r.StageCount)
			if err != nil {
				return err
			}
			c.Goals, c.Items, c.Stages, c.Villages = []campaigns.Goal{}, []campaigns.Item{}, []campaigns.Stage{}, []string{}
			r.Campaign = c
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// CampaignVillages lists a campaign's implementing villages the actor
// sees, with their towns' names: all of them to its owners, one's own to
// a village.
func (s *Store) CampaignVillages(ctx context.Context, a access.Actor, id int64) ([]CampaignVillage, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return nil, err
	}
	var out []CampaignVillage
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.campaignRow(ctx, t, a, id); err != nil {
			return err
		}
		sc, args := scopeClause(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "cv.village_code")
		rows, err := t.query(ctx, `SELECT cv.village_code, COALESCE(v.name, ''), cv.town_code, COALESCE(tw.name, '') FROM campaign_villages cv
			LEFT JOIN places v ON v.code = cv.village_code LEFT JOIN places tw ON tw.code = cv.town_code
			WHERE cv.campaign_id = ? AND (`+sc+` OR EXISTS (SELECT 1 FROM place_tree own WHERE own.ancestor = cv.village_code AND own.descendant = ?))
			ORDER BY cv.town_code, cv.village_code`, append(append([]any{id}, args...), a.Place)...)
		if err != nil {
			return fmt.Errorf("sqlstore: campaign villages: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var v CampaignVillage
			if err := rows.Scan(&v.Code, &v.Name, &v.Town, &v.TownName); err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

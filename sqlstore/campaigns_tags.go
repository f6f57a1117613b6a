package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/access"
)

// CampaignRef is a campaign offered by title.
type CampaignRef struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// campaignCoversClause is the condition that the running campaign ? has
// among its villages the one holding place column col.
func campaignCoversClause(col string) string {
	return `EXISTS (SELECT 1 FROM campaigns tc JOIN campaign_villages tcv ON tcv.campaign_id = tc.id
		JOIN place_tree tpt ON tpt.ancestor = tcv.village_code AND tpt.descendant = ` + col + `
		WHERE tc.id = ? AND tc.status = 'running')`
}

// checkCampaignTag refuses a tag of a visit or service record with a
// campaign that is not under way or does not cover the place (the
// household's). 0 is no tag.
func (s *Store) checkCampaignTag(ctx context.Context, t *tx, campaignID int64, place string) error {
	if campaignID == 0 {
		return nil
	}
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM places p WHERE p.code = ? AND `+campaignCoversClause("p.code"), place, campaignID).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: campaign tag: %w", err)
	}
	if n == 0 {
		return safetynet.Invalid("campaign_id", "所选专项行动不在进行中，或不包括这户所在的村", "the campaign is not under way or does not cover the household's village")
	}
	return nil
}

// TaggableCampaigns lists the running campaigns that cover the village of
// a household the actor sees, by title: the choice offered when a visit
// or a service is recorded for it.
func (s *Store) TaggableCampaigns(ctx context.Context, a access.Actor, householdID int64) ([]CampaignRef, error) {
	var out []CampaignRef
	err := s.read(ctx, func(t *tx) error {
		var place string
		if err := t.queryRow(ctx, `SELECT place_code FROM households WHERE id = ?`, householdID).Scan(&place); err != nil {
			return nil // no such household: nothing to offer
		}
		var err error
		out, err = s.taggableAt(ctx, t, place)
		return err
	})
	return out, err
}

func (s *Store) taggableAt(ctx context.Context, t *tx, place string) ([]CampaignRef, error) {
	rows, err := t.query(ctx, `SELECT c.id, c.title FROM campaigns c WHERE c.status = 'running' AND EXISTS (SELECT 1 FROM campaign_villages cv
		JOIN place_tree pt ON pt.ancestor = cv.village_code AND pt.descendant = ? WHERE cv.campaign_id = c.id) ORDER BY c.starts_on DESC, c.id DESC LIMIT 50`, place)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: taggable campaigns: %w", err)
	}
	defer rows.Close()
	var out []CampaignRef
	for rows.Next() {
		var r CampaignRef
		if err := rows.Scan(&r.ID, &r.Title); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TaggedCount is what visits and services tagged with a campaign add up
// to in one village: records and distinct households.
type TaggedCount struct {
	Visits            int `json:"visits"`
	VisitHouseholds   int `json:"visit_households"`
	Services          int `json:"services"`
	ServiceHouseholds int `json:"service_households"`
}

// CampaignTaggedCounts counts, per implementing village of campaign id,
// the visits and service records tagged with it (a tag is accepted
// only while the campaign is under way) and the distinct households they reached. It reads
// without an actor: callers have already checked that the actor sees the
// campaign (Campaign). Villages without any are absent from the map.
func (s *Store) CampaignTaggedCounts(ctx context.Context, id int64) (map[string]TaggedCount, error) {
	out := map[string]TaggedCount{}
	err := s.read(ctx, func(t *tx) error {
		for _, q := range []struct {
			sql    string
			visits bool
		}{
			{`SELECT cv.village_code, COUNT(*), COUNT(DISTINCT r.household_id) FROM visit_records r
				JOIN place_tree pt ON pt.descendant = r.place_code JOIN campaign_villages cv ON cv.village_code = pt.ancestor AND cv.campaign_id = r.campaign_id
				WHERE r.campaign_id = ? GROUP BY cv.village_code`, true},
			{`SELECT cv.village_code, COUNT(*), COUNT(DISTINCT r.household_id) FROM service_records r
				JOIN place_tree pt ON pt.descendant = r.place_code JOIN campaign_villages cv ON cv.village_code = pt.ancestor AND cv.campaign_id = r.campaign_id
				WHERE r.campaign_id = ? GROUP BY cv.village_code`, false},
		} {
			rows, err := t.query(ctx, q.sql, id)
			if err != nil {
				return fmt.Errorf("sqlstore: tagged counts: %w", err)
			}
			for rows.Next() {
				var v string
				var n, h int
				if err := rows.Scan(&v, &n, &h); err != nil {
					rows.Close()
					return err
				}
				c := out[v]
				if q.visits {
					c.Visits, c.VisitHouseholds = n, h
				} else {
					c.Services, c.ServiceHouseholds = n, h
				}
				out[v] = c
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// checkHouseholdCampaignTag is checkCampaignTag for the household's place
// (an unknown household is left to the caller's own check).
func (s *Store) checkHouseholdCampaignTag(ctx context.Context, t *tx, campaignID, householdID int64) error {
	if campaignID == 0 {
		return nil
	}
	var place string
	if err := t.queryRow(ctx, `SELECT place_code FROM households WHERE id = ?`, householdID).Scan(&place); err != nil {
		return safetynet.Invalid("household_id", "家庭不存在", "no such household")
	}
	return s.checkCampaignTag(ctx, t, campaignID, place)
}

// tagRecord sets the campaign of a visit or service record just written
// (table is visit_records or service_records); 0 leaves it untagged.
func (s *Store) tagRecord(ctx context.Context, t *tx, table string, id, campaignID int64, out *int64) error {
	if campaignID == 0 {
		return nil
	}
	if table != "visit_records" && table != "service_records" {
		return fmt.Errorf("sqlstore: tag record: table %q", table)
	}
	if _, err := t.exec(ctx, `UPDATE `+table+` SET campaign_id = ? WHERE id = ?`, campaignID, id); err != nil {
		return fmt.Errorf("sqlstore: tag record: %w", err)
	}
	*out = campaignID
	return nil
}

// TaggableCampaignsFor is TaggableCampaigns for many households at once
// (a day's list of visits or services), by household; households under
// no running campaign are absent. The caller lists only households the
// actor sees.
func (s *Store) TaggableCampaignsFor(ctx context.Context, households []int64) (map[int64][]CampaignRef, error) {
	out := map[int64][]CampaignRef{}
	if len(households) == 0 {
		return out, nil
	}
	if len(households) > 1000 {
		households = households[:1000]
	}
	args := make([]any, len(households))
	for i, h := range households {
		args[i] = h
	}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT h.id, c.id, c.title FROM households h JOIN place_tree pt ON pt.descendant = h.place_code
			JOIN campaign_villages cv ON cv.village_code = pt.ancestor JOIN campaigns c ON c.id = cv.campaign_id AND c.status = 'running'
			WHERE h.id IN (`+placeholders(len(args))+`) ORDER BY h.id, c.starts_on DESC, c.id DESC`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: taggable campaigns: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var h int64
			var r CampaignRef
			if err := rows.Scan(&h, &r.ID, &r.Title); err != nil {
				return err
			}
			out[h] = append(out[h], r)
		}
		return rows.Err()
	})
	return out, err
}

package sqlstore

import (
	"context"
	"fmt"

	"safetynet/campaigns"
)

// EnrolSeed describes a running campaign written as rows, for the
// campaigns benchmark and tests that need a campaign without the
// campaign forms: work items with their groups (and, optionally, a lead
// unit with members), stages, and the implementing villages with their
// stage rows, all not started.
type EnrolSeed struct {
	ClientID  string
	Title     string
	Place     string // the owning county or town
	StartsOn  string
	EndsOn    string
	Items     []EnrolSeedItem
	Stages    []EnrolSeedStage
	Villages  [][2]string // village code, town code
	CreatedBy string
}

// EnrolSeedItem is a work item with its target groups and lead unit.
type EnrolSeedItem struct {
	Title     string
	Groups    []string
	LeadUnit  string  // a unit of Place, made if missing; "" for none
	LeadUsers []int64 // its members
}

// EnrolSeedStage is a stage with its dates.
type EnrolSeedStage struct {
	Kind, Title, StartsOn, EndsOn string
}

// SeedEnrolCampaign writes the campaign and returns its id.
func (s *Store) SeedEnrolCampaign(ctx context.Context, in EnrolSeed) (int64, error) {
	var id int64
	now := ms(s.now())
	err := s.write(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `INSERT INTO campaigns (client_id, kind, title, place_code, starts_on, ends_on, status, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.ClientID, campaigns.KindCare, in.Title, in.Place, in.StartsOn, in.EndsOn,
			campaigns.StatusRunning, in.CreatedBy, now, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: seed campaign: %w", err)
		}
		for i, it := range in.Items {
			var item int64
			groups := ""
			for j, g := range it.Groups {
				if j > 0 {
					groups += ","
				}
				groups += g
			}
			if err := t.queryRow(ctx, `INSERT INTO campaign_items (campaign_id, seq, title, groups) VALUES (?, ?, ?, ?) RETURNING id`,
				id, i+1, it.Title, groups).Scan(&item); err != nil {
				return fmt.Errorf("sqlstore: seed item: %w", err)
			}
			if it.LeadUnit == "" {
				continue
			}
			var unit int64
			if err := t.queryRow(ctx, `SELECT id FROM org_units WHERE place_code = ? AND name = ?`, in.Place, it.LeadUnit).Scan(&unit); err != nil {
				if err := t.queryRow(ctx, `INSERT INTO org_units (place_code, name, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
					in.Place, it.LeadUnit, in.CreatedBy, now).Scan(&unit); err != nil {
					return fmt.Errorf("sqlstore: seed unit: %w", err)
				}
				for _, u := range it.LeadUsers {
					if _, err := t.exec(ctx, `INSERT INTO org_unit_members (unit_id, user_id) VALUES (?, ?)`, unit, u); err != nil {
						return fmt.Errorf("sqlstore: seed unit member: %w", err)
					}
				}
			}
			if _, err := t.exec(ctx, `INSERT INTO campaign_item_units (item_id, unit_id, role) VALUES (?, ?, ?)`, item, unit, campaigns.RoleLead); err != nil {
				return fmt.Errorf("sqlstore: seed item unit: %w", err)
			}
		}
		var stages []int64
		for i, st := range in.Stages {
			var sid int64
			if err := t.queryRow(ctx, `INSERT INTO campaign_stages (campaign_id, seq, kind, title, starts_on, ends_on) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
				id, i+1, st.Kind, st.Title, st.StartsOn, st.EndsOn).Scan(&sid); err != nil {
				return fmt.Errorf("sqlstore: seed stage: %w", err)
			}
			stages = append(stages, sid)
		}
		var villages, rows [][]any
		for _, v := range in.Villages {
			villages = append(villages, []any{id, v[0], v[1]})
			for _, sid := range stages {
				rows = append(rows, []any{id, sid, v[0]})
			}
		}
		if err := t.insertRows(ctx, "campaign_villages", []string{"campaign_id", "village_code", "town_code"}, villages); err != nil {
			return err
		}
		return t.insertRows(ctx, "campaign_village_stages", []string{"campaign_id", "stage_id", "village_code"}, rows)
	})
	return id, err
}

// BackdateEnrolSubmission moves a village's submitted register stage to
// at, for demonstration data made after the stage's end that must show
// villages which submitted in time. It changes nothing else.
func (s *Store) BackdateEnrolSubmission(ctx context.Context, campaignID int64, village string, at int64) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `UPDATE campaign_village_stages SET submitted_at = ?, started_at = CASE WHEN started_at > ? THEN ? ELSE started_at END
			WHERE campaign_id = ? AND village_code = ? AND status = ?
			AND stage_id IN (SELECT id FROM campaign_stages WHERE campaign_id = ? AND kind = ?)`,
			at, at, at, campaignID, village, campaigns.VillageSubmitted, campaignID, campaigns.StageRegister)
		return err
	})
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"safetynet"
	"safetynet/campaigns"
)

// EnrolBench is the campaign the campaigns benchmark made: a synthetic
// county with its towns and villages, a running campaign over every
// village with its register stage ended, stage rows in mixed statuses and
// members listed.
type EnrolBench struct {
	CampaignID int64
	StageID    int64
	County     string
	Towns      []string
	Villages   int
	Members    int
}

// EnrolBenchSetup makes (or finds, when made before) the benchmark's
// county "bench-county" under an existing prefecture, with towns × the
// villages it needs, and its campaign: five stages, the register stage
// ending in three days; of the villages' register rows 45% submitted, 30%
// in progress, 25% not started; perVillage members
// per village over four groups, taken from the register's persons (the
// progress page reads only the list's rows).
func (s *Store) EnrolBenchSetup(ctx context.Context, towns, villages, perVillage int) (EnrolBench, error) {
	b := EnrolBench{County: "bench-county"}
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT c.id, st.id FROM campaigns c JOIN campaign_stages st ON st.campaign_id = c.id AND st.kind = ?
			WHERE c.client_id = 'bench-campaign'`, campaigns.StageRegister).Scan(&b.CampaignID, &b.StageID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		// Made before: what it holds.
		rows, err := t.query(ctx, `SELECT code FROM places WHERE parent_code = ? ORDER BY code`, b.County)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				return err
			}
			b.Towns = append(b.Towns, c)
		}
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM campaign_villages WHERE campaign_id = ?`, b.CampaignID).Scan(&b.Villages); err != nil {
			return err
		}
		return t.queryRow(ctx, `SELECT COUNT(*) FROM campaign_members WHERE campaign_id = ? AND removed_at = 0`, b.CampaignID).Scan(&b.Members)
	})
	if err != nil || b.CampaignID != 0 {
		return b, err
	}
	var prefecture string
	if err := s.queryRow(ctx, `SELECT code FROM places WHERE level = ? ORDER BY code LIMIT 1`, string(safetynet.LevelPrefecture)).Scan(&prefecture); err != nil {
		return b, fmt.Errorf("sqlstore: bench: a prefecture to hang the county on: %w", err)
	}
	var vs [][2]string
	err = s.write(ctx, func(t *tx) error {
		if err := s.insertPlace(ctx, t, safetynet.PlaceInput{Code: b.County, Name: "基准县", Level: safetynet.LevelCounty, ParentCode: prefecture}); err != nil {
			return err
		}
		per := (villages + towns - 1) / towns
		for i := 0; i < towns; i++ {
			town := fmt.Sprintf("%s-t%02d", b.County, i+1)
			if err := s.insertPlace(ctx, t, safetynet.PlaceInput{Code: town, Name: fmt.Sprintf("基准第%d镇", i+1), Level: safetynet.LevelTown,
				ParentCode: b.County}); err != nil {
				return err
			}
			b.Towns = append(b.Towns, town)
			for j := 0; j < per && len(vs) < villages; j++ {
				v := fmt.Sprintf("%s-v%03d", town, j+1)
				if err := s.insertPlace(ctx, t, safetynet.PlaceInput{Code: v, Name: fmt.Sprintf("基准%d镇%d村", i+1, j+1), Level: safetynet.LevelVillage,
					ParentCode: town}); err != nil {
					return err
				}
				vs = append(vs, [2]string{v, town})
			}
		}
		return nil
	})
	if err != nil {
		return b, err
	}
	b.Villages = len(vs)
	groups := []string{"left_behind_elderly", "left_behind_woman", "left_behind_child", "tekun_person"}
	items := make([]EnrolSeedItem, len(groups))
	for i, g := range groups {
		items[i] = EnrolSeedItem{Title: "关爱" + safetynet.CategoryLabel(g, "zh"), Groups: []string{g}}
	}
	today := s.now().In(campaigns.Zone)
	day := func(d int) string { return today.AddDate(0, 0, d).Format(campaigns.DateLayout) }
	if b.CampaignID, err = s.SeedEnrolCampaign(ctx, EnrolSeed{ClientID: "bench-campaign", Title: "基准县关爱服务行动", Place: b.County,
		StartsOn: day(-60), EndsOn: day(300), CreatedBy: "bench", Items: items, Villages: vs,
		Stages: []EnrolSeedStage{{campaigns.StageMobilise, "动员部署", day(-60), day(-41)}, {campaigns.StageRegister, "调查摸底", day(-40), day(3)},
			{campaigns.StageCarryOut, "工作开展", day(4), day(150)}, {campaigns.StageSumUp, "归纳总结", day(151), day(220)},
			{campaigns.StageConsolidate, "巩固拓展", day(221), day(300)}}}); err != nil {
		return b, err
	}
	err = s.write(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT id FROM campaign_stages WHERE campaign_id = ? AND kind = ?`, b.CampaignID, campaigns.StageRegister).Scan(&b.StageID); err != nil {
			return err
		}
		ids, err := queryIDs(ctx, t, `SELECT id FROM campaign_village_stages WHERE stage_id = ? ORDER BY village_code`, b.StageID)
		if err != nil {
			return err
		}
		at := ms(today.AddDate(0, 0, -2))
		for i, id := range ids {
			status, submitted := campaigns.VillageNotStarted, int64(0)
			switch {
			case i%20 < 9:
				status, submitted = campaigns.VillageSubmitted, at
			case i%20 < 15:
				status = campaigns.VillageInProgress
			}
			if _, err := t.exec(ctx, `UPDATE campaign_village_stages SET status = ?, submitted_at = ?, started_at = ? WHERE id = ?`,
				status, submitted, boolInt(status != campaigns.VillageNotStarted)*int(at-86400000*5), id); err != nil {
				return fmt.Errorf("sqlstore: bench stage rows: %w", err)
			}
		}
		persons, err := queryIDs(ctx, t, fmt.Sprintf(`SELECT id FROM persons ORDER BY id LIMIT %d`, len(vs)*perVillage))
		if err != nil {
			return err
		}
		var rows [][]any
		for i, p := range persons {
			v := vs[i/perVillage][0]
			rows = append(rows, []any{b.CampaignID, v, groups[i%len(groups)], p, 0, "bench", int64(1635000000000)})
		}
		b.Members = len(rows)
		return t.insertRows(ctx, "campaign_members", []string{"campaign_id", "village_code", "group_code", "person_id", "household_id", "added_by", "added_at"}, rows)
	})
	if err != nil {
		return b, err
	}
	analyze := "ANALYZE "
	if s.d.name == "postgres" {
		analyze = "VACUUM ANALYZE " // the visibility map too, for index-only scans
	}
	for _, table := range []string{"campaign_members", "campaign_village_stages", "campaign_villages", "places", "place_tree"} {
		if _, err := s.w.ExecContext(ctx, analyze+table); err != nil {
			return b, fmt.Errorf("sqlstore: bench: analyze %s: %w", table, err)
		}
	}
	return b, nil
}

// EnrolBenchBaseline is the raw baseline of the progress page: plain
// COUNTs over the same rows the page aggregates (the stage's village rows
// by status, the campaign's current members), without places or groups.
func (s *Store) EnrolBenchBaseline(ctx context.Context, campaignID, stageID int64) (int, error) {
	var n, m int
	err := s.read(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM campaign_village_stages WHERE stage_id = ? AND status = 'submitted'`, stageID).Scan(&n); err != nil {
			return err
		}
		return t.queryRow(ctx, `SELECT COUNT(*) FROM campaign_members WHERE campaign_id = ? AND removed_at = 0`, campaignID).Scan(&m)
	})
	return n + m, err
}

package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/campaigns"
)

// EnrolReminderResult says what a reminder run did.
type EnrolReminderResult struct {
	Reminded int // villages told their register stage ends soon
	Late     int // villages whose stage ended unsubmitted: a deadline opened
	Skipped  bool
}

// enrolStagesDue selects the register stages of running campaigns whose
// end date is within [from, to].
const enrolStagesDue = `SELECT st.id FROM campaign_stages st JOIN campaigns c ON c.id = st.campaign_id
	WHERE st.kind = ? AND c.status = ? AND st.ends_on >= ? AND st.ends_on <= ?`

// EnrolReminders sends the survey-and-register stage's reminders: a few
// days before the stage's end, to the staff of each village not yet
// submitted; after its end, a deadline on the relay's clocks owned by the
// village (escalating to the town and county through the sweep), shown in
// the work list, with a message to the village's staff and one per
// campaign to the members of its work items' lead units. Each reminder is
// sent once per stage row (marked on the row, a reopened stage is late
// again): several processes may run it at once (SQLite has one writer; on
// PostgreSQL an advisory lock lets one run at a time).
func (s *Store) EnrolReminders(ctx context.Context) (EnrolReminderResult, error) {
	var res EnrolReminderResult
	now := s.now()
	today := campaigns.Today(now)
	soon := campaigns.Today(now.Add(campaigns.RemindAhead))
	yesterday := campaigns.Today(now.AddDate(0, 0, -1))
	err := s.write(ctx, func(t *tx) error {
		res = EnrolReminderResult{}
		if s.d.name == "postgres" {
			var got bool
			if err := t.queryRow(ctx, `SELECT pg_try_advisory_xact_lock(7215060117)`).Scan(&got); err != nil {
				return fmt.Errorf("sqlstore: enrol reminders lock: %w", err)
			}
			if !got {
				res.Skipped = true
				return nil
			}
		}
		stamp := ms(now)
		// A few days before the end.
		r, err := t.exec(ctx, `UPDATE campaign_village_stages SET reminded_at = ? WHERE reminded_at = 0 AND status <> ?
			AND stage_id IN (`+enrolStagesDue+`)`, stamp, campaigns.VillageSubmitted,
			campaigns.StageRegister, campaigns.StatusRunning, today, soon)
		if err != nil {
			return fmt.Errorf("sqlstore: enrol reminders: %w", err)
		}
		n, _ := r.RowsAffected()
		res.Reminded = int(n)
		if n > 0 {
			if err := s.enrolTellVillages(ctx, t, "reminded_at", stamp, campaigns.NoticeStageSoon); err != nil {
				return err
			}
		}
		// After the end: late.
		r, err = t.exec(ctx, `UPDATE campaign_village_stages SET late_at = ? WHERE late_at = 0 AND status <> ?
			AND stage_id IN (`+enrolStagesDue+`)`, stamp, campaigns.VillageSubmitted,
			campaigns.StageRegister, campaigns.StatusRunning, "0000-00-00", yesterday)
		if err != nil {
			return fmt.Errorf("sqlstore: enrol late: %w", err)
		}
		n, _ = r.RowsAffected()
		res.Late = int(n)
		if n == 0 {
			return nil
		}
		if _, err := t.exec(ctx, `INSERT INTO deadlines (kind, clue_id, case_id, item_id, place_code, level, owner_place, due_at, interval_ms, status, created_at)
			SELECT ?, 0, 0, cvs.id, cvs.village_code, ?, cvs.village_code, ?, ?, 'open', ? FROM campaign_village_stages cvs
			WHERE cvs.late_at = ? AND NOT EXISTS (SELECT 1 FROM deadlines d WHERE d.kind = ? AND d.item_id = cvs.id AND d.status = 'open')`,
			campaigns.DeadlineStage, string(safetynet.LevelVillage), stamp+campaigns.StageInterval.Milliseconds(), campaigns.StageInterval.Milliseconds(),
			stamp, stamp, campaigns.DeadlineStage); err != nil {
			return fmt.Errorf("sqlstore: enrol deadlines: %w", err)
		}
		if err := s.enrolTellVillages(ctx, t, "late_at", stamp, campaigns.NoticeStageLate); err != nil {
			return err
		}
		// The lead units' members: one message per campaign, with how many villages are late.
		if _, err := t.exec(ctx, `INSERT INTO notifications (user_id, created_at, kind, detail, link)
			SELECT x.user_id, ?, ?, '{"campaign":' || x.campaign_id || ',"count":' || x.n || '}', '/campaigns/' || x.campaign_id || '/progress?status=late'
			FROM (SELECT m.user_id, l.campaign_id, l.n FROM
					(SELECT campaign_id, COUNT(*) AS n FROM campaign_village_stages WHERE late_at = ? GROUP BY campaign_id) l
				JOIN (SELECT DISTINCT ci.campaign_id, oum.user_id FROM campaign_items ci JOIN campaign_item_units iu ON iu.item_id = ci.id AND iu.role = ?
					JOIN org_unit_members oum ON oum.unit_id = iu.unit_id) m ON m.campaign_id = l.campaign_id
				JOIN users u ON u.id = m.user_id AND u.disabled = 0) x`,
			stamp, campaigns.NoticeStageLate, stamp, campaigns.RoleLead); err != nil {
			return fmt.Errorf("sqlstore: enrol lead units: %w", err)
		}
		return nil
	})
	return res, err
}

// enrolTellVillages tells the staff of the villages whose stage rows were
// just marked (column = stamp), with a link to their list.
func (s *Store) enrolTellVillages(ctx context.Context, t *tx, column string, stamp int64, kind string) error {
	if _, err := t.exec(ctx, `INSERT INTO notifications (user_id, created_at, kind, detail, link)
		SELECT u.id, ?, ?, '{"campaign":' || cvs.campaign_id || ',"village":"' || cvs.village_code || '","ends":"' || st.ends_on || '"}',
			'/campaigns/' || cvs.campaign_id || '/villages/' || cvs.village_code || '/register'
		FROM campaign_village_stages cvs JOIN campaign_stages st ON st.id = cvs.stage_id
		JOIN users u ON u.place_code = cvs.village_code AND u.disabled = 0 AND u.role = ?
		WHERE cvs.`+column+` = ?`, stamp, kind, string(safetynet.RoleVillageStaff), stamp); err != nil {
		return fmt.Errorf("sqlstore: enrol notices: %w", err)
	}
	return nil
}

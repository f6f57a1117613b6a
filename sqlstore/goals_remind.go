package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/relay"
	"safetynet/visits"
)

// GoalRemindResult says what a review of the goals did.
type GoalRemindResult struct {
	Reviewed int // campaigns whose goals were reviewed for new reminders
	Opened   int // reminders opened (a goal behind in a village)
	Closed   int // reminders closed because the goal is met, or the campaign ended
	Skipped  bool
}

// goalReviewSetting names the setting holding a campaign's last review
// (unix milliseconds).
func goalReviewSetting(id int64) string { return "campaign.goal_review." + strconv.FormatInt(id, 10) }

// RemindGoals reviews the running campaigns' goals. A village where a
// goal is behind gets a reminder on the relay's clocks (deadline kind
// campaigns.DeadlineGoal, item_id the goal, place the village), opened
// once a week or when a stage has ended since the last review, and told
// to the village's staff and to the members of the lead units of the
// goal's work item; the relay's sweep escalates it village → town →
// county. A reminder closes as soon as the goal is met in the village, and
// is cancelled when the campaign is no longer running. Several processes
// may run it: the whole review is one write transaction (SQLite has one
// writer; on PostgreSQL an advisory lock lets one review run at a time),
// and a village never holds two open reminders of one goal.
func (s *Store) RemindGoals(ctx context.Context) (GoalRemindResult, error) {
	var res GoalRemindResult
	now := s.now()
	err := s.write(ctx, func(t *tx) error {
		res = GoalRemindResult{}
		if s.d.name == "postgres" {
			var got bool
			if err := t.queryRow(ctx, `SELECT pg_try_advisory_xact_lock(7215061201)`).Scan(&got); err != nil {
				return fmt.Errorf("sqlstore: goal review lock: %w", err)
			}
			if !got {
				res.Skipped = true
				return nil
			}
		}
		r, err := t.exec(ctx, `UPDATE deadlines SET status = 'cancelled', done_at = ? WHERE kind = ? AND status = 'open'
			AND item_id IN (SELECT g.id FROM campaign_goals g JOIN campaigns c ON c.id = g.campaign_id WHERE c.status <> ?)`,
			ms(now), campaigns.DeadlineGoal, campaigns.StatusRunning)
		if err != nil {
			return fmt.Errorf("sqlstore: goal reminders of ended campaigns: %w", err)
		}
		n, _ := r.RowsAffected()
		res.Closed += int(n)
		ids, err := queryIDs(ctx, t, `SELECT id FROM campaigns WHERE status = ? ORDER BY id`, campaigns.StatusRunning)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := s.remindCampaignGoals(ctx, t, id, now, &res); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

func (s *Store) remindCampaignGoals(ctx context.Context, t *tx, id int64, now time.Time, res *GoalRemindResult) error {
	g, err := s.goalCampaignScope(ctx, t, access.System(), id)
	if err != nil {
		return err
	}
	var last time.Time
	var v string
	err = t.queryRow(ctx, `SELECT value FROM settings WHERE name = ?`, goalReviewSetting(id)).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqlstore: goal review: %w", err)
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		last = fromMS(n)
	}
	var ends []time.Time
	rows, err := t.query(ctx, `SELECT ends_on FROM campaign_stages WHERE campaign_id = ?`, id)
	if err != nil {
		return fmt.Errorf("sqlstore: goal review stages: %w", err)
	}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			rows.Close()
			return err
		}
		if d, err := time.ParseInLocation(visits.DateLayout, e, visitZone); err == nil {
			ends = append(ends, d.AddDate(0, 0, 1)) // a stage ends at the end of its last day
		}
	}
	rows.Close()
	today := visits.LocalDate(now, visitZone).Format(visits.DateLayout)
	review := campaigns.GoalReviewDue(last, now, ends) && today >= g.c.StartsOn
	elapsed := campaigns.Elapsed(g.c.StartsOn, g.c.EndsOn, today)
	defs, err := s.goalDefs(ctx, t, id)
	if err != nil {
		return err
	}
	for _, d := range defs {
		open := map[string]bool{}
		rows, err := t.query(ctx, `SELECT place_code FROM deadlines WHERE kind = ? AND item_id = ? AND status = 'open'`, campaigns.DeadlineGoal, d.ID)
		if err != nil {
			return fmt.Errorf("sqlstore: goal reminders: %w", err)
		}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				rows.Close()
				return err
			}
			open[p] = true
		}
		rows.Close()
		if !review && len(open) == 0 {
			continue
		}
		data, err := s.goalLoad(ctx, t, g.c, d, today)
		if err != nil {
			return err
		}
		share := campaigns.ShareMetric(d.Metric)
		for _, vl := range g.villages {
			f := data.figure(d, vl.code)
			status := f.Status(share, elapsed)
			switch {
			case open[vl.code] && status != campaigns.GoalBehind && status != campaigns.GoalOnTrack:
				r, err := t.exec(ctx, `UPDATE deadlines SET status = 'done', done_at = ? WHERE kind = ? AND item_id = ? AND place_code = ? AND status = 'open'`,
					ms(now), campaigns.DeadlineGoal, d.ID, vl.code)
				if err != nil {
					return fmt.Errorf("sqlstore: close goal reminder: %w", err)
				}
				n, _ := r.RowsAffected()
				res.Closed += int(n)
			case !open[vl.code] && review && status == campaigns.GoalBehind:
				if err := s.openGoalReminder(ctx, t, g, d, vl, f, now); err != nil {
					return err
				}
				res.Opened++
			}
		}
	}
	if review {
		res.Reviewed++
		if _, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
			goalReviewSetting(id), strconv.FormatInt(ms(now), 10)); err != nil {
			return fmt.Errorf("sqlstore: goal review mark: %w", err)
		}
	}
	return nil
}

// openGoalReminder opens a village's reminder for a goal behind and tells
// the village's staff and the lead units' members.
func (s *Store) openGoalReminder(ctx context.Context, t *tx, g goalScope, d goalDef, v goalVillage, f campaigns.Figure, now time.Time) error {
	level, owner, err := s.openDeadline(ctx, t, deadline{Opening: relay.Opening{Kind: campaigns.DeadlineGoal, Level: safetynet.LevelVillage,
		Due: now.Add(campaigns.GoalReminderInterval), Interval: campaigns.GoalReminderInterval}, itemID: d.ID, place: v.code})
	if err != nil {
		return err
	}
	share := campaigns.ShareMetric(d.Metric)
	value := strconv.FormatInt(f.Value(share), 10)
	target := strconv.FormatInt(f.Target, 10)
	if share {
		value, target = campaigns.PerMille(f.Value(share)), campaigns.PerMille(f.Target)
	}
	n := note{Kind: campaigns.DeadlineGoal, Link: "/campaigns/" + strconv.FormatInt(g.c.ID, 10) + "/goals?place=" + v.code,
		Detail:  map[string]any{"campaign": g.c.Title, "goal": d.Title, "village": v.name, "value": value, "target": target},
		Subject: "专项行动目标进度滞后：" + g.c.Title,
		Body:    v.name + "「" + d.Title + "」目前 " + value + "，目标 " + target + "，请抓紧推进。"}
	if err := s.notifyLevel(ctx, t, level, owner, n); err != nil {
		return err
	}
	return s.notifyUsers(ctx, t, n, `SELECT DISTINCT u.id, u.username FROM campaign_item_units iu JOIN campaign_items i ON i.id = iu.item_id
		JOIN org_unit_members m ON m.unit_id = iu.unit_id JOIN users u ON u.id = m.user_id
		WHERE i.campaign_id = ? AND (? = 0 OR i.id = ?) AND iu.role = ? AND u.disabled = 0 ORDER BY u.id`,
		g.c.ID, d.ItemID, d.ItemID, campaigns.RoleLead)
}

package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/relay"
	"safetynet/rules"
)

// OutreachTask is a policy outreach task (惠民政策宣传): tell a household of
// a 应享未享 line about the measure.
type OutreachTask struct {
	ID                   int64
	LineID               int64
	HouseholdID          int64
	Name                 string // the head's name
	PlaceCode, PlaceName string
	Owner                string // grid (or village) that owns the task
	Measure              string
	MeasureZH, MeasureEN string
	PlainZH, PlainEN     string
	Status               string // pending, done (cancelled ones, whose line was handled, are not listed)
	Told, WantsApply     bool
	Note                 string
	ToldAt               time.Time
	By                   string
	Version              int
}

// NoticeOutreachWantsApply is the inbox kind telling village staff that a
// household wants to apply after outreach.
const NoticeOutreachWantsApply = "outreach.wants_apply"

const outreachCols = `o.id, o.line_id, o.household_id, COALESCE(hp.name, ''), o.place_code, p.name, o.owner_place, o.measure,
	COALESCE(m.zh, o.measure), COALESCE(m.en, o.measure), l.explain_zh, l.explain_en, o.status, o.told, o.wants_apply, o.note,
	o.told_at, o.told_by, o.version`

const outreachFrom = ` FROM outreach_tasks o JOIN screening_lines l ON l.id = o.line_id AND l.active = 1
	JOIN places p ON p.code = o.place_code JOIN households h ON h.id = o.household_id
	LEFT JOIN persons hp ON hp.id = h.head_person_id LEFT JOIN measure_catalogue m ON m.code = o.measure`

func scanOutreach(r scanner) (OutreachTask, error) {
	var o OutreachTask
	var whyZH, whyEN string
	var told, wants int
	var at int64
	err := r.Scan(&o.ID, &o.LineID, &o.HouseholdID, &o.Name, &o.PlaceCode, &o.PlaceName, &o.Owner, &o.Measure, &o.MeasureZH,
		&o.MeasureEN, &whyZH, &whyEN, &o.Status, &told, &wants, &o.Note, &at, &o.By, &o.Version)
	o.Told, o.WantsApply, o.ToldAt = told == 1, wants == 1, fromMS(at)
	o.PlainZH, o.PlainEN = rules.OutreachText(o.MeasureZH, o.MeasureEN, whyZH, whyEN)
	return o, err
}

// OutreachTasks lists the outreach tasks of the households in the
// actor's scope (a grid worker's: those of the grid); status "pending",
// "done" or "" for both.
func (s *Store) OutreachTasks(ctx context.Context, a access.Actor, status string) ([]OutreachTask, error) {
	if err := a.Require(access.OutreachRecord); err != nil {
		return nil, err
	}
	if status != "" && status != "pending" && status != "done" {
		return nil, safetynet.Invalid("status", "状态须为待宣传或已宣传", "status must be pending or done")
	}
	cond, args := scopeClause(a.Scope(access.Register), "o.place_code")
	q := `SELECT ` + outreachCols + outreachFrom + ` WHERE ` + cond
	if status != "" {
		q += ` AND o.status = ?`
		args = append(args, status)
	} else {
		q += ` AND o.status <> 'cancelled'`
	}
	var out []OutreachTask
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, q+` ORDER BY o.status DESC, o.place_code, o.household_id LIMIT 500`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: outreach tasks: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			o, err := scanOutreach(rows)
			if err != nil {
				return fmt.Errorf("sqlstore: outreach tasks: %w", err)
			}
			out = append(out, o)
		}
		return rows.Err()
	})
	return out, err
}

// RecordOutreach records that a household was told of the measure (told)
// and whether it wants to apply, which tells the village staff.
func (s *Store) RecordOutreach(ctx context.Context, a access.Actor, taskID int64, told, wantsApply bool, note string, version int) error {
	if err := a.Require(access.OutreachRecord); err != nil {
		return err
	}
	note, err := safetynet.CheckReason("note", note, !told)
	if err != nil {
		return err
	}
	if wantsApply && !told {
		return safetynet.Invalid("wants_apply", "未告知的家庭不能登记申请意愿", "a household not told cannot want to apply")
	}
	return s.write(ctx, func(t *tx) error {
		cond, args := scopeCheck(a.Scope(access.Register), "o.place_code")
		o, err := scanOutreach(t.queryRow(ctx, `SELECT `+outreachCols+outreachFrom+` WHERE o.id = ? AND `+cond, append([]any{taskID}, args...)...))
		if err != nil {
			return safetynet.NotFound("宣传任务", "outreach task")
		}
		if version != 0 && version != o.Version {
			return s.conflict(ctx, t, "outreach", fmt.Sprint(taskID))
		}
		if o.Status != "pending" {
			return safetynet.Conflict("status", "该宣传已由 %s 登记", "this outreach was already recorded by %s", o.By)
		}
		now := s.now()
		res, err := t.exec(ctx, `UPDATE outreach_tasks SET status = 'done', told = ?, wants_apply = ?, note = ?, told_at = ?, told_by = ?,
			version = version + 1 WHERE id = ? AND status = 'pending'`, boolInt(told), boolInt(wantsApply), note, ms(now), a.Username, taskID)
		if err != nil {
			return fmt.Errorf("sqlstore: outreach: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return s.conflict(ctx, t, "outreach", fmt.Sprint(taskID))
		}
		detail := map[string]any{"measure": o.Measure, "told": told, "wants_apply": wantsApply, "note": note, "line": o.LineID}
		if wantsApply {
			if village, ok, err := s.ancestorAt(ctx, t, o.PlaceCode, safetynet.LevelVillage); err != nil {
				return err
			} else if ok {
				n := relay.Notice{Kind: NoticeOutreachWantsApply, Detail: detail, Link: "/work/screening?household=" + fmt.Sprint(o.HouseholdID),
					Subject: "群众希望申请 / household wants to apply",
					Body:    fmt.Sprintf("%s 户经政策宣传希望申请%s", o.Name, o.MeasureZH)}
				if err := s.notifyLevel(ctx, t, safetynet.LevelVillage, village, n); err != nil {
					return err
				}
			}
		}
		if err := s.event(ctx, t, a, o.HouseholdID, 0, o.PlaceCode, "outreach.done", detail); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "outreach.done", objType: "outreach", objID: fmt.Sprint(taskID), place: o.PlaceCode, detail: detail})
	})
}

// OutreachCount is how many outreach tasks of a place are pending or done.
type OutreachCount struct {
	PlaceCode, PlaceName string
	Level                safetynet.Level
	Pending, Done        int
	WantsApply           int
}

// OutreachCounts counts the outreach tasks under each child place of
// place (grids or villages of a town…), within the actor's scope.
func (s *Store) OutreachCounts(ctx context.Context, a access.Actor, place string) ([]OutreachCount, error) {
	if err := a.Require(access.ScreeningView); err != nil {
		return nil, err
	}
	if place == "" {
		place = a.Place
	}
	var out []OutreachCount
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.placeInScope(ctx, t, a.Scope(access.Register), place); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT c.code, c.name, c.level,
			SUM(CASE WHEN o.status = 'pending' THEN 1 ELSE 0 END), SUM(CASE WHEN o.status = 'done' THEN 1 ELSE 0 END),
			SUM(o.wants_apply)
			FROM places c JOIN place_tree pt ON pt.ancestor = c.code
			JOIN outreach_tasks o ON o.place_code = pt.descendant
			JOIN screening_lines l ON l.id = o.line_id AND l.active = 1
			WHERE c.parent_code = ? GROUP BY c.code, c.name, c.level ORDER BY c.code`, place)
		if err != nil {
			return fmt.Errorf("sqlstore: outreach counts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c OutreachCount
			var l string
			if err := rows.Scan(&c.PlaceCode, &c.PlaceName, &l, &c.Pending, &c.Done, &c.WantsApply); err != nil {
				return err
			}
			c.Level = safetynet.Level(l)
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

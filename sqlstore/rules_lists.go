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

// ListFilter narrows a screening list.
type ListFilter struct {
	Place   string // "" = the actor's place
	List    string // rules.ListEligible, rules.ListExit, "" both
	Measure string
	Status  string // open (default), dismissed, applied, followup, all
	Limit   int    // default 200, at most 1000
}

// ListLine is a line of the 应享未享 or 应退未退 list.
type ListLine struct {
	ID                   int64
	List                 string
	Measure              string
	MeasureZH, MeasureEN string
	HouseholdID          int64
	Name                 string // the head's name
	PlaceCode, PlaceName string
	RuleID               int64
	RuleName             string
	RuleVersion          int
	ExplainZH, ExplainEN string
	Status               string
	Reason               string // dismissal reason code
	Note                 string
	By                   string
	At                   time.Time // of the last status change
	CaseID               int64
	Since                time.Time // the line (re)appeared
	Outreach             string    // "", pending, told, wants_apply
	Version              int
}

const lineCols = `l.id, l.list, l.measure, COALESCE(m.zh, l.measure), COALESCE(m.en, l.measure), l.household_id,
	COALESCE(hp.name, ''), l.place_code, p.name, l.rule_id, COALESCE(r.name, ''), l.rule_version, l.explain_zh, l.explain_en,
	l.status, l.reason, l.note, l.status_by, l.status_at, l.case_id, l.since, COALESCE(o.status, ''), COALESCE(o.wants_apply, 0),
	COALESCE(o.told, 0), l.version`

const lineFrom = ` FROM screening_lines l JOIN places p ON p.code = l.place_code
	JOIN households h ON h.id = l.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id
	LEFT JOIN measure_catalogue m ON m.code = l.measure LEFT JOIN rules r ON r.id = l.rule_id
	LEFT JOIN outreach_tasks o ON o.line_id = l.id`

func scanLine(r scanner) (ListLine, error) {
	var l ListLine
	var at, since int64
	var ostatus string
	var wants, told int
	err := r.Scan(&l.ID, &l.List, &l.Measure, &l.MeasureZH, &l.MeasureEN, &l.HouseholdID, &l.Name, &l.PlaceCode, &l.PlaceName,
		&l.RuleID, &l.RuleName, &l.RuleVersion, &l.ExplainZH, &l.ExplainEN, &l.Status, &l.Reason, &l.Note, &l.By, &at, &l.CaseID,
		&since, &ostatus, &wants, &told, &l.Version)
	l.At, l.Since = fromMS(at), fromMS(since)
	switch {
	case wants == 1:
		l.Outreach = "wants_apply"
	case told == 1 || ostatus == "done":
		l.Outreach = "told"
	default:
		l.Outreach = ostatus
	}
	return l, err
}

// ScreeningList lists the active lines of a place's subtree in the
// actor's scope.
func (s *Store) ScreeningList(ctx context.Context, a access.Actor, f ListFilter) ([]ListLine, error) {
	if err := a.Require(access.ScreeningView); err != nil {
		return nil, err
	}
	if f.List != "" && f.List != rules.ListEligible && f.List != rules.ListExit {
		return nil, safetynet.Invalid("list", "清单须为应享未享或应退未退", "list must be eligible or exit")
	}
	switch f.Status {
	case "":
		f.Status = rules.LineOpen
	case rules.LineOpen, rules.LineDismissed, rules.LineApplied, rules.LineFollowup, "all":
	default:
		return nil, safetynet.Invalid("status", "状态无效", "unknown status %q", f.Status)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	var out []ListLine
	err := s.read(ctx, func(t *tx) error {
		place := f.Place
		if place == "" {
			place = a.Place
		}
		if _, err := s.placeInScope(ctx, t, a.Scope(access.Register), place); err != nil {
			return err
		}
		cond, args := scopeClause(subtree(place), "l.place_code")
		q := `SELECT ` + lineCols + lineFrom + ` WHERE l.active = 1 AND ` + cond
		if f.List != "" {
			q += ` AND l.list = ?`
			args = append(args, f.List)
		}
		if f.Measure != "" {
			q += ` AND l.measure = ?`
			args = append(args, f.Measure)
		}
		if f.Status != "all" {
			q += ` AND l.status = ?`
			args = append(args, f.Status)
		}
		rows, err := t.query(ctx, q+` ORDER BY l.list, l.place_code, l.household_id, l.measure LIMIT ?`, append(args, f.Limit)...)
		if err != nil {
			return fmt.Errorf("sqlstore: screening list: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			l, err := scanLine(rows)
			if err != nil {
				return fmt.Errorf("sqlstore: screening list: %w", err)
			}
			out = append(out, l)
		}
		return rows.Err()
	})
	return out, err
}

// lineInScope loads an active line of the actor's scope for an action.
func (s *Store) lineInScope(ctx context.Context, t *tx, a access.Actor, id int64) (ListLine, error) {
	cond, args := scopeCheck(a.Scope(access.Register), "l.place_code")
	l, err := scanLine(t.queryRow(ctx, `SELECT `+lineCols+lineFrom+` WHERE l.id = ? AND l.active = 1 AND `+cond, append([]any{id}, args...)...))
	if err != nil {
		return l, safetynet.NotFound("清单条目", "list line")
	}
	return l, nil
}

// setLineStatus moves an open line to status, refusing a line already
// acted on (a double submission) or a stale version.
func (s *Store) setLineStatus(ctx context.Context, t *tx, a access.Actor, l ListLine, version int, status, reason, note, fp string, caseID int64) error {
	if version != 0 && version != l.Version {
		return s.conflict(ctx, t, "screening_line", fmt.Sprint(l.ID))
	}
	if l.Status != rules.LineOpen {
		return safetynet.Conflict("status", "该条目已由 %s 处理", "this line was already handled by %s", l.By)
	}
	res, err := t.exec(ctx, `UPDATE screening_lines SET status = ?, reason = ?, note = ?, status_by = ?, status_at = ?,
		dismissed_fp = CASE WHEN ? = 'dismissed' THEN fingerprint ELSE dismissed_fp END, case_id = ?, version = version + 1
		WHERE id = ? AND version = ? AND status = 'open'`, status, reason, note, a.Username, ms(s.now()), status, caseID, l.ID, l.Version)
	if err != nil {
		return fmt.Errorf("sqlstore: line status: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return s.conflict(ctx, t, "screening_line", fmt.Sprint(l.ID))
	}
	detail := map[string]any{"list": l.List, "measure": l.Measure, "status": status, "reason": reason, "note": note, "case": caseID}
	if err := s.event(ctx, t, a, l.HouseholdID, 0, l.PlaceCode, "screening."+status, detail); err != nil {
		return err
	}
	return s.audit(ctx, t, a, auditRec{action: "screening." + status, objType: "screening_line", objID: fmt.Sprint(l.ID),
		place: l.PlaceCode, detail: detail})
}

// DismissLine dismisses a line with a reason; it stays dismissed until
// the household's data change.
func (s *Store) DismissLine(ctx context.Context, a access.Actor, lineID int64, reason, note string, version int) error {
	if err := a.Require(access.ScreeningAct); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		// Scope first: someone outside the area learns "not found", not
		// what the reason should have been.
		l, err := s.lineInScope(ctx, t, a, lineID)
		if err != nil {
			return err
		}
		r, ok := rules.DismissReason(reason)
		if !ok {
			return safetynet.Invalid("reason", "请选择排除理由", "unknown dismissal reason %q", reason)
		}
		note, err := safetynet.CheckReason("note", note, r.NeedsNote)
		if err != nil {
			return err
		}
		if err := s.setLineStatus(ctx, t, a, l, version, rules.LineDismissed, reason, note, "", 0); err != nil {
			return err
		}
		return cancelOutreach(ctx, t, l.ID)
	})
}

// StartApplication opens a case for the household of a 应享未享 line and
// applies for the line's measure in it (the relay's application flow),
// the note prefilled with why the household qualifies.
func (s *Store) StartApplication(ctx context.Context, a access.Actor, lineID int64) (caseID, itemID int64, err error) {
	if err := a.Require(access.ScreeningAct); err != nil {
		return 0, 0, err
	}
	if err := a.Require(access.WorkHandle); err != nil {
		return 0, 0, err
	}
	err = s.write(ctx, func(t *tx) error {
		l, err := s.lineInScope(ctx, t, a, lineID)
		if err != nil {
			return err
		}
		if l.List != rules.ListEligible {
			return safetynet.Invalid("list", "应退未退条目不能发起申请，请复核", "an exit line leads to a review, not an application")
		}
		if l.Status != rules.LineOpen {
			return safetynet.Conflict("status", "该条目已由 %s 处理", "this line was already handled by %s", l.By)
		}
		note := clip("政策找人："+l.RuleName+"。"+l.ExplainZH, 500)
		if caseID, err = s.openCase(ctx, t, a, l.HouseholdID, 0, "normal", nil, note); err != nil {
			return err
		}
		ap, err := relay.CheckApplication(Application{Measure: l.Measure, Note: note})
		if err != nil {
			return err
		}
		if itemID, err = s.applyMeasure(ctx, t, a, caseID, ap); err != nil {
			return err
		}
		if err := s.setLineStatus(ctx, t, a, l, 0, rules.LineApplied, "", "", "", caseID); err != nil {
			return err
		}
		return cancelOutreach(ctx, t, l.ID)
	})
	return caseID, itemID, err
}

// MarkContinuedFollowup marks a 应退未退 line for continued follow-up: the
// household is reviewed and cared for, never stopped automatically.
func (s *Store) MarkContinuedFollowup(ctx context.Context, a access.Actor, lineID int64, note string, version int) error {
	if err := a.Require(access.ScreeningAct); err != nil {
		return err
	}
	note, err := safetynet.CheckReason("note", note, false)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		l, err := s.lineInScope(ctx, t, a, lineID)
		if err != nil {
			return err
		}
		if l.List != rules.ListExit {
			return safetynet.Invalid("list", "只有应退未退条目可标记继续跟踪", "only exit lines are marked for continued follow-up")
		}
		return s.setLineStatus(ctx, t, a, l, version, rules.LineFollowup, "", note, "", 0)
	})
}

// RuleHistoryEntry is a change of a rule's answer for a household.
type RuleHistoryEntry struct {
	At                   time.Time
	RuleID               int64
	RuleName             string
	RuleVersion          int
	Measure, MeasureZH   string
	Kind                 string
	Matched              bool
	Err                  string
	ExplainZH, ExplainEN string
}

// HouseholdRuleHistory says which rule version matched a household when,
// newest first.
func (s *Store) HouseholdRuleHistory(ctx context.Context, a access.Actor, householdID int64) ([]RuleHistoryEntry, error) {
	if err := a.Require(access.ScreeningView); err != nil {
		return nil, err
	}
	var out []RuleHistoryEntry
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT x.at, x.rule_id, r.name, x.rule_version, r.measure, COALESCE(m.zh, r.measure), r.kind,
			x.matched, x.error, x.explain_zh, x.explain_en FROM rule_history x JOIN rules r ON r.id = x.rule_id
			LEFT JOIN measure_catalogue m ON m.code = r.measure WHERE x.household_id = ? ORDER BY x.id DESC LIMIT 200`, householdID)
		if err != nil {
			return fmt.Errorf("sqlstore: rule history: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e RuleHistoryEntry
			var at int64
			var m int
			if err := rows.Scan(&at, &e.RuleID, &e.RuleName, &e.RuleVersion, &e.Measure, &e.MeasureZH, &e.Kind, &m, &e.Err,
				&e.ExplainZH, &e.ExplainEN); err != nil {
				return err
			}
			e.At, e.Matched = fromMS(at), m == 1
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// cancelOutreach withdraws the pending outreach task of a line the
// village staff have handled: nobody need visit for it any more.
func cancelOutreach(ctx context.Context, t *tx, lineID int64) error {
	if _, err := t.exec(ctx, `UPDATE outreach_tasks SET status = 'cancelled', version = version + 1 WHERE line_id = ? AND status = 'pending'`,
		lineID); err != nil {
		return fmt.Errorf("sqlstore: cancel outreach: %w", err)
	}
	return nil
}

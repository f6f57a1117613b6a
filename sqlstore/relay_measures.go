package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/relay"
)

// CaseMeasure is an emergency measure taken or an application for an
// assistance measure and its decision.
type CaseMeasure struct {
	ID            int64
	CaseID        int64
	Kind          string // emergency, application
	Measure       string // catalogue code (applications)
	Description   string
	Provider      string
	AmountFen     int64
	PeriodStart   time.Time
	PeriodEnd     time.Time
	Status        string // done, applied, approved, rejected, withdrawn
	ApprovalLevel safetynet.Level
	DoneAt        time.Time
	CreatedAt     time.Time
	CreatedBy     string
	DecidedAt     time.Time
	DecidedBy     string
	Reason        string
	Version       int
}

// InForce reports whether an approved measure applies on day.
func (m CaseMeasure) InForce(day time.Time) bool {
	if m.Status == "done" {
		return false
	}
	d := dateStr(day)
	return m.Status == "approved" && (m.PeriodStart.IsZero() || dateStr(m.PeriodStart) <= d) && (m.PeriodEnd.IsZero() || dateStr(m.PeriodEnd) >= d)
}

const caseMeasureCols = `id, case_id, kind, measure, description, provider, amount_fen, period_start, period_end, status, approval_level,
	done_at, created_at, created_by, decided_at, decided_by, reason, version`

func scanCaseMeasure(r scanner) (CaseMeasure, error) {
	var m CaseMeasure
	var ps, pe, level string
	var done, created, decided int64
	err := r.Scan(&m.ID, &m.CaseID, &m.Kind, &m.Measure, &m.Description, &m.Provider, &m.AmountFen, &ps, &pe, &m.Status, &level,
		&done, &created, &m.CreatedBy, &decided, &m.DecidedBy, &m.Reason, &m.Version)
	m.PeriodStart, m.PeriodEnd, m.ApprovalLevel = parseDate(ps), parseDate(pe), safetynet.Level(level)
	m.DoneAt, m.CreatedAt, m.DecidedAt = fromMS(done), fromMS(created), fromMS(decided)
	return m, err
}

// openCaseFor loads an open case of the actor's scope for work on it.
func (s *Store) openCaseFor(ctx context.Context, t *tx, a access.Actor, id int64) (Case, error) {
	k, err := s.caseInScope(ctx, t, a, id)
	if err == nil && k.Status != "open" {
		err = safetynet.Invalid("case", "该案件已结案；如需继续帮扶请重新办理", "the case is closed: reopen it to work on it")
	}
	return k, err
}

// firstHelp records the first help of a case: the end of its help step.
func (s *Store) firstHelp(ctx context.Context, t *tx, k Case, at time.Time) error {
	if !k.FirstHelpAt.IsZero() {
		return nil
	}
	if _, err := t.exec(ctx, `UPDATE cases SET first_help_at = ? WHERE id = ? AND first_help_at = 0`, ms(at), k.ID); err != nil {
		return fmt.Errorf("sqlstore: first help: %w", err)
	}
	return s.closeDeadlines(ctx, t, StepHelp, "case_id", k.ID, "done")
}

// Emergency is an emergency measure taken (紧急救援); see relay.
type Emergency = relay.Emergency

// AddEmergency records an emergency measure; the first one is the case's
// first help.
func (s *Store) AddEmergency(ctx context.Context, a access.Actor, caseID int64, e Emergency) (int64, error) {
	if err := a.Require(access.WorkHandle); err != nil {
		return 0, err
	}
	now := s.now()
	e, err := relay.CheckEmergency(e, now)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, func(t *tx) error {
		k, err := s.openCaseFor(ctx, t, a, caseID)
		if err != nil {
			return err
		}
		if err := t.queryRow(ctx, `INSERT INTO case_measures (case_id, kind, description, provider, amount_fen, status, done_at,
			created_at, created_by) VALUES (?, 'emergency', ?, ?, ?, 'done', ?, ?, ?) RETURNING id`,
			caseID, e.Description, e.Provider, e.CostFen, ms(e.DoneAt), ms(now), a.Username).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: emergency: %w", err)
		}
		if err := s.firstHelp(ctx, t, k, e.DoneAt); err != nil {
			return err
		}
		detail := map[string]any{"description": e.Description, "provider": e.Provider, "cost": e.CostFen}
		if err := s.workEvent(ctx, t, a, k.ClueID, caseID, k.HouseholdID, k.PlaceCode, "case.emergency", detail); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, k.HouseholdID, 0, k.PlaceCode, "case.emergency", map[string]any{"case": caseID, "description": e.Description}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "case.emergency", objType: "case", objID: fmt.Sprint(caseID), place: k.PlaceCode, detail: detail})
	})
	return id, err
}

// Application is an application for an assistance measure; see relay.
type Application = relay.Application

// ApplyMeasure applies for a measure of the catalogue. The level that
// decides follows from the measure and the amount (temporary assistance
// above the county threshold goes to the county); the decision is due in
// the measure's working days, and that level is told.
func (s *Store) ApplyMeasure(ctx context.Context, a access.Actor, caseID int64, ap Application) (int64, error) {
	if err := a.Require(access.WorkHandle); err != nil {
		return 0, err
	}
	ap, err := relay.CheckApplication(ap)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, func(t *tx) error {
		var err error
		id, err = s.applyMeasure(ctx, t, a, caseID, ap)
		return err
	})
	return id, err
}

// applyMeasure records an application in t (see ApplyMeasure); the
// screening lists start applications through it too.
func (s *Store) applyMeasure(ctx context.Context, t *tx, a access.Actor, caseID int64, ap Application) (int64, error) {
	var id int64
	err := func() error {
		k, err := s.openCaseFor(ctx, t, a, caseID)
		if err != nil {
			return err
		}
		m, err := s.measure(ctx, t, ap.Measure)
		if err != nil {
			return err
		}
		if err := relay.CheckApplyTo(m); err != nil {
			return err
		}
		now := s.now()
		step := relay.DecideStep(m, ap.AmountFen, now)
		level := step.Level
		if err := t.queryRow(ctx, `INSERT INTO case_measures (case_id, kind, measure, description, amount_fen, period_start, period_end,
			status, approval_level, created_at, created_by) VALUES (?, 'application', ?, ?, ?, ?, ?, 'applied', ?, ?, ?) RETURNING id`,
			caseID, m.Code, ap.Note, ap.AmountFen, dateStr(ap.PeriodStart), dateStr(ap.PeriodEnd), string(level), ms(now), a.Username).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: apply: %w", err)
		}
		lvl, owner, err := s.openDeadline(ctx, t, deadline{Opening: step, caseID: caseID, itemID: id, place: k.PlaceCode})
		if err != nil {
			return err
		}
		detail := map[string]any{"measure": m.Code, "amount": ap.AmountFen, "level": level, "item": id}
		if err := s.workEvent(ctx, t, a, k.ClueID, caseID, k.HouseholdID, k.PlaceCode, "measure.apply", detail); err != nil {
			return err
		}
		if err := s.notifyLevel(ctx, t, lvl, owner, relay.ApplyNotice(caseID, m, detail)); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "measure.apply", objType: "case", objID: fmt.Sprint(caseID), place: k.PlaceCode, detail: detail})
	}()
	return id, err
}

// DecideApplication approves or rejects an application. Only the level it
// needs may decide (an administrator may decide any); a rejection needs a
// reason. An approved measure is in force for its period and shows on the
// household's form; the first approval is the case's first help if
// nothing came before.
func (s *Store) DecideApplication(ctx context.Context, a access.Actor, itemID int64, approve bool, reason string, version int) error {
	if err := a.Require(access.WorkApprove); err != nil {
		return err
	}
	status, reason, err := relay.Decide(approve, reason)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		m, err := scanCaseMeasure(t.queryRow(ctx, `SELECT `+caseMeasureCols+` FROM case_measures WHERE id = ? AND kind = 'application'`, itemID))
		if err != nil {
			return safetynet.NotFound("申请", "application")
		}
		k, err := s.caseInScope(ctx, t, a, m.CaseID)
		if safetynet.CodeOf(err) == safetynet.ENotFound {
			return safetynet.NotFound("申请", "application")
		}
		if err != nil {
			return err
		}
		if !a.CanDecide(m.ApprovalLevel) {
			return safetynet.Text(safetynet.EForbidden, "", fmt.Sprintf("该申请需由%s审批", m.ApprovalLevel.Label("zh")),
				fmt.Sprintf("this application is decided at %s level", m.ApprovalLevel))
		}
		if version != 0 && version != m.Version {
			return s.conflict(ctx, t, "application", fmt.Sprint(itemID))
		}
		if m.Status != relay.ApplicationApplied {
			return safetynet.Conflict("status", "该申请已由 %s 处理", "this application was already decided by %s", s.displayNameOf(ctx, t, m.DecidedBy))
		}
		now := s.now()
		if _, err := t.exec(ctx, `UPDATE case_measures SET status = ?, decided_at = ?, decided_by = ?, reason = ?, version = version + 1
			WHERE id = ?`, status, ms(now), a.Username, reason, itemID); err != nil {
			return fmt.Errorf("sqlstore: decide: %w", err)
		}
		if err := s.closeDeadlines(ctx, t, StepDecide, "item_id", itemID, "done"); err != nil {
			return err
		}
		if err := s.enqueue(ctx, t, k.HouseholdID); err != nil { // measures in force changed
			return err
		}
		if approve {
			if err := s.firstHelp(ctx, t, k, now); err != nil {
				return err
			}
		}
		detail := map[string]any{"measure": m.Measure, "amount": m.AmountFen, "status": status, "reason": reason, "item": itemID}
		if err := s.workEvent(ctx, t, a, k.ClueID, k.ID, k.HouseholdID, k.PlaceCode, "measure."+status, detail); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, k.HouseholdID, 0, k.PlaceCode, "measure."+status, map[string]any{"case": k.ID, "measure": m.Measure, "amount": m.AmountFen}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "measure." + status, objType: "case", objID: fmt.Sprint(k.ID), place: k.PlaceCode, detail: detail})
	})
}

// Followup is a scheduled follow-up visit.
type Followup struct {
	ID        int64
	CaseID    int64
	Due       time.Time
	DoneAt    time.Time
	DoneBy    string
	Note      string
	CreatedBy string
}

// ScheduleFollowup schedules a follow-up visit, due by the end of day. The
// grid worker of the household's grid owns it (the village where there is
// no grid).
func (s *Store) ScheduleFollowup(ctx context.Context, a access.Actor, caseID int64, day time.Time) (int64, error) {
	if err := a.Require(access.WorkHandle); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		id, err = s.scheduleFollowup(ctx, t, a, caseID, day)
		return err
	})
	return id, err
}

func (s *Store) scheduleFollowup(ctx context.Context, t *tx, a access.Actor, caseID int64, day time.Time) (int64, error) {
	k, err := s.openCaseFor(ctx, t, a, caseID)
	if err != nil {
		return 0, err
	}
	now := s.now()
	if err := relay.CheckFollowupDay(day, now); err != nil {
		return 0, err
	}
	var id int64
	if err := t.queryRow(ctx, `INSERT INTO followups (case_id, due_date, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		caseID, dateStr(day), a.Username, ms(now)).Scan(&id); err != nil {
		return 0, fmt.Errorf("sqlstore: follow-up: %w", err)
	}
	if _, _, err := s.openDeadline(ctx, t, deadline{Opening: relay.FollowupStep(day, now), caseID: caseID, itemID: id,
		place: k.PlaceCode}); err != nil {
		return 0, err
	}
	return id, s.workEvent(ctx, t, a, k.ClueID, caseID, k.HouseholdID, k.PlaceCode, "followup.schedule", map[string]any{"due": dateStr(day), "item": id})
}

// CompleteFollowup records a follow-up visit and, if next is set,
// schedules the next one.
func (s *Store) CompleteFollowup(ctx context.Context, a access.Actor, followupID int64, remark string, next time.Time) error {
	if err := a.Require(access.FollowupRecord); err != nil {
		return err
	}
	remark, err := safetynet.CheckReason("note", remark, true)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var caseID, done int64
		if err := t.queryRow(ctx, `SELECT case_id, done_at FROM followups WHERE id = ?`, followupID).Scan(&caseID, &done); err != nil {
			return safetynet.NotFound("回访", "follow-up")
		}
		k, err := s.openCaseFor(ctx, t, a, caseID)
		if safetynet.CodeOf(err) == safetynet.ENotFound {
			return safetynet.NotFound("回访", "follow-up")
		}
		if err != nil {
			return err
		}
		if done != 0 {
			return safetynet.Conflict("done", "该回访已记录", "this follow-up was already recorded")
		}
		now := s.now()
		if _, err := t.exec(ctx, `UPDATE followups SET done_at = ?, done_by = ?, note = ? WHERE id = ?`, ms(now), a.Username, remark, followupID); err != nil {
			return fmt.Errorf("sqlstore: follow-up: %w", err)
		}
		if err := s.closeDeadlines(ctx, t, StepFollowup, "item_id", followupID, "done"); err != nil {
			return err
		}
		if err := s.workEvent(ctx, t, a, k.ClueID, caseID, k.HouseholdID, k.PlaceCode, "followup.done", map[string]any{"note": remark, "item": followupID}); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, k.HouseholdID, 0, k.PlaceCode, "followup.done", map[string]any{"case": caseID}); err != nil {
			return err
		}
		if !next.IsZero() {
			if _, err := s.scheduleFollowup(ctx, t, a, caseID, next); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, a, auditRec{action: "followup.done", objType: "case", objID: fmt.Sprint(caseID), place: k.PlaceCode})
	})
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/monitoring"
)

// Monitoring processes (纳入监测, 风险消除): storage applies what package
// monitoring decides, in the transaction of the change.

var errProcessNotFound = safetynet.NotFound("监测流程", "monitoring process")

// ProposeMonitoring starts an inclusion or an elimination for a household
// of the actor's area. clueID, when not 0, is the verified clue (or
// department warning) the inclusion starts from. A second open process
// for the same household is refused, so a double submission stores one.
func (s *Store) ProposeMonitoring(ctx context.Context, a access.Actor, householdID int64, p monitoring.Proposal, clueID int64) (int64, error) {
	if err := a.Require(access.MonitoringPropose); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		h, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false)
		if err != nil {
			return err
		}
		if h.Status != safetynet.StatusActive {
			return safetynet.Invalid("household", "该家庭已合并或注销", "the household was merged or dissolved")
		}
		if p.Members == 0 {
			p.Members = max(h.Members, 1)
		}
		held, err := s.monitoredAssignment(ctx, t, householdID)
		if err != nil {
			return err
		}
		if p.Kind == monitoring.Eliminate {
			if held.ID == 0 {
				return safetynet.Invalid("kind", "该户不是监测对象，无需风险消除", "the household is not monitored")
			}
			p.Category = held.Category
		} else if held.ID != 0 {
			return safetynet.Conflict("household", "该户已是监测对象（%s）", "the household is already monitored (%s)",
				safetynet.CategoryLabel(held.Category, "zh"))
		}
		if p.Kind == monitoring.Include && clueID != 0 {
			c, err := s.clueInScope(ctx, t, a, clueID)
			if err != nil {
				return err
			}
			if c.HouseholdID != householdID {
				return safetynet.Invalid("clue_id", "该线索不是这户的", "the clue is not about this household")
			}
			if c.VerifiedBy == "" {
				return safetynet.Invalid("clue_id", "线索尚未上门核实", "the clue has not been verified at home")
			}
			p.Origin = "clue"
			if c.Source == "department" {
				p.Origin = "warning"
			}
		} else {
			clueID = 0
		}
		if p, err = monitoring.CheckProposal(p); err != nil {
			return err
		}
		settings, err := s.monitoringSettings(ctx, t)
		if err != nil {
			return err
		}
		now := s.now()
		err = t.queryRow(ctx, `INSERT INTO monitoring_processes (kind, household_id, place_code, status, step, category, risk_causes,
			income_fen, members, origin, clue_id, reason, proposed_at, due_at, created_by, updated_at)
			VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			string(p.Kind), householdID, h.PlaceCode, monitoring.StepReview, p.Category, strings.Join(p.RiskCauses, ","),
			p.IncomeFen, p.Members, p.Origin, clueID, p.Reason, ms(now), ms(now.Add(time.Duration(settings.Total())*24*time.Hour)),
			a.Username, ms(now)).Scan(&id)
		if classify(err) == errUnique {
			return safetynet.Conflict("household", "该户已有正在办理的监测流程", "the household already has a monitoring process in progress")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: propose monitoring: %w", err)
		}
		if err := s.insertRecord(ctx, t, a, id, monitoring.Record{Action: monitoring.ActPropose, Passed: true, Date: now, Note: p.Reason}); err != nil {
			return err
		}
		if err := s.insertAssessment(ctx, t, a, householdID, h.PlaceCode, now, p, string(p.Kind), id, ""); err != nil {
			return err
		}
		if _, _, err := s.openDeadline(ctx, t, deadline{Opening: monitoring.Opening(monitoring.StepReview, settings, now), itemID: id,
			place: h.PlaceCode}); err != nil {
			return err
		}
		detail := map[string]any{"process": id, "monitoring_kind": string(p.Kind), "category": p.Category, "monitoring_origin": p.Origin}
		if err := s.event(ctx, t, a, householdID, 0, h.PlaceCode, "monitoring."+string(p.Kind), detail); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "monitoring.propose", objType: "monitoring", objID: fmt.Sprint(id), place: h.PlaceCode, detail: detail})
	})
	return id, err
}

// monitoredAssignment returns the household's active formal monitored
// category (ID 0 if none; see monitoring.Formal).
func (s *Store) monitoredAssignment(ctx context.Context, t *tx, householdID int64) (safetynet.Assignment, error) {
	return s.monitoredBy(ctx, t, householdID, monitoring.Formal)
}

func (s *Store) monitoredBy(ctx context.Context, t *tx, householdID int64, keep func(safetynet.Assignment) bool) (safetynet.Assignment, error) {
	active, err := s.activeAssignments(ctx, t, safetynet.SubjectHousehold, []int64{householdID})
	if err != nil {
		return safetynet.Assignment{}, err
	}
	for _, x := range active[householdID] {
		if keep(x) {
			return x, nil
		}
	}
	return safetynet.Assignment{}, nil
}

func (s *Store) insertRecord(ctx context.Context, t *tx, a access.Actor, processID int64, r monitoring.Record) error {
	_, err := t.exec(ctx, `INSERT INTO monitoring_records (process_id, action, passed, on_date, people_count, people, notice_start,
		notice_end, notice_where, objection, upheld, note, username, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		processID, r.Action, boolInt(r.Passed), dateStr(r.Date), r.Count, r.People, dateStr(r.Start), dateStr(r.End), r.Where,
		r.Objection, boolInt(r.Upheld), r.Note, a.Username, ms(s.now()))
	if err != nil {
		return fmt.Errorf("sqlstore: monitoring record: %w", err)
	}
	return nil
}

func (s *Store) insertAssessment(ctx context.Context, t *tx, a access.Actor, householdID int64, place string, on time.Time,
	p monitoring.Proposal, source string, processID int64, note string) error {
	_, err := t.exec(ctx, `INSERT INTO monitoring_assessments (household_id, place_code, on_date, income_fen, members, per_capita_fen,
		source, process_id, note, username, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, householdID, place, dateStr(on),
		p.IncomeFen, p.Members, p.PerCapitaFen(), source, processID, note, a.Username, ms(s.now()))
	if err != nil {
		return fmt.Errorf("sqlstore: assessment: %w", err)
	}
	return nil
}

// processRow is the stored state of a process that steps need.
type processRow struct {
	id, householdID, assignmentID int64
	kind, place, status, step     string
	category, causes              string
	proposedAt                    time.Time
	version                       int
}

func (s *Store) processForUpdate(ctx context.Context, t *tx, a access.Actor, id int64) (processRow, error) {
	where, args := scopeCheck(a.Scope(access.Register), "m.place_code")
	var p processRow
	var proposed int64
	err := t.queryRow(ctx, `SELECT m.id, m.household_id, m.assignment_id, m.kind, m.place_code, m.status, m.step, m.category,
		m.risk_causes, m.proposed_at, m.version FROM monitoring_processes m WHERE m.id = ? AND `+where, append([]any{id}, args...)...).
		Scan(&p.id, &p.householdID, &p.assignmentID, &p.kind, &p.place, &p.status, &p.step, &p.category, &p.causes, &proposed, &p.version)
	if errors.Is(err, sql.ErrNoRows) {
		return p, errProcessNotFound
	}
	if err != nil {
		return p, fmt.Errorf("sqlstore: monitoring process %d: %w", id, err)
	}
	p.proposedAt = fromMS(proposed)
	return p, nil
}

// RecordMonitoringStep records the answer of the current step of a
// process: the democratic review (action review), the public notice
// (notice), the town's review (town) or the county's confirmation
// (county); Record.Passed says pass or return. The version must be the
// one the actor saw. Confirmation changes the register's category
// history: an inclusion gives the household its monitored category from
// the confirmation date, an elimination ends it (风险消除).
func (s *Store) RecordMonitoringStep(ctx context.Context, a access.Actor, id int64, action string, r monitoring.Record, version int) error {
	if err := requireVersionArg(version); err != nil {
		return err
	}
	// The action names its step: whoever may not answer it is refused
	// before anything is looked up.
	perm := monitoring.StepPermission(action)
	if perm == "" || action == monitoring.ActResubmit {
		return safetynet.Invalid("action", "步骤无效", "unknown step %q", action)
	}
	if err := a.Require(perm); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		p, err := s.processForUpdate(ctx, t, a, id)
		if err != nil {
			return err
		}
		if version != p.version {
			return s.conflict(ctx, t, "monitoring", fmt.Sprint(id))
		}
		if _, err := monitoring.Next(p.status, p.step, action, true); err != nil {
			return err // not this step's turn: a conflict before any field is checked
		}
		today := s.now()
		switch action {
		case monitoring.ActReview:
			r, err = monitoring.CheckReview(r, p.proposedAt, today)
		case monitoring.ActNotice:
			var reviewed time.Time
			reviewed, err = s.lastRecordDate(ctx, t, id, monitoring.ActReview)
			if err == nil {
				var settings monitoring.Settings
				if settings, err = s.monitoringSettings(ctx, t); err == nil {
					r, err = monitoring.CheckNotice(r, reviewed, today, settings.NoticeMinDays)
				}
			}
		case monitoring.ActTown, monitoring.ActCounty:
			r, err = monitoring.CheckDecision(r, action, p.proposedAt, today)
		default:
			return safetynet.Invalid("action", "步骤无效", "unknown step %q", action)
		}
		if err != nil {
			return err
		}
		next, err := monitoring.Next(p.status, p.step, action, r.Passed)
		if err != nil {
			return err
		}
		if err := s.insertRecord(ctx, t, a, id, r); err != nil {
			return err
		}
		if next.Status == monitoring.StatusConfirmed {
			if p.assignmentID, err = s.applyConfirmation(ctx, t, a, p, r.Date); err != nil {
				return err
			}
		}
		returned := ""
		if next.Step == monitoring.StepResubmit {
			returned = r.Note
		}
		return s.moveProcess(ctx, t, a, p, next, returned, map[string]any{"monitoring_step": p.step, "passed": r.Passed, "note": r.Note})
	})
}

// requireVersionArg is requireVersion for storage callers: a change
// must say which version it was made on.
func requireVersionArg(v int) error {
	if v <= 0 {
		return safetynet.Invalid("version", "缺少版本号，请刷新页面后重试", "the version is required; reload and try again")
	}
	return nil
}

func (s *Store) lastRecordDate(ctx context.Context, t *tx, id int64, action string) (time.Time, error) {
	var d string
	err := t.queryRow(ctx, `SELECT on_date FROM monitoring_records WHERE process_id = ? AND action = ? ORDER BY id DESC LIMIT 1`, id, action).Scan(&d)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return parseDate(d), err
}

// applyConfirmation changes the register when the county confirms.
func (s *Store) applyConfirmation(ctx context.Context, t *tx, a access.Actor, p processRow, on time.Time) (int64, error) {
	if p.kind == string(monitoring.Include) {
		risk := ""
		if p.causes != "" {
			risk = strings.Split(p.causes, ",")[0]
		}
		// The relay's provisional mark of an open case gives way to the
		// confirmed category (the case no longer ends it).
		mark, err := s.monitoredBy(ctx, t, p.householdID, monitoring.Provisional)
		if err != nil {
			return 0, err
		}
		if mark.ID != 0 {
			if err := s.endAssignment(ctx, t, a, mark, p.place, maxTime(on, mark.Start), "changed", fmt.Sprintf("纳入监测（流程 %d）", p.id)); err != nil {
				return 0, err
			}
		}
		return s.assign(ctx, t, a, safetynet.SubjectHousehold, p.householdID, safetynet.NewAssignment{Category: p.category,
			RiskType: risk, Start: on, Reason: fmt.Sprintf("纳入监测（流程 %d）", p.id), Source: "monitoring"})
	}
	held, err := s.monitoredAssignment(ctx, t, p.householdID)
	if err != nil {
		return 0, err
	}
	if held.ID == 0 {
		return 0, safetynet.Conflict("household", "该户已不是监测对象", "the household is no longer monitored")
	}
	end := on
	if end.Before(held.Start) {
		end = held.Start
	}
	return held.ID, s.endAssignment(ctx, t, a, held, p.place, end, "risk_eliminated", fmt.Sprintf("风险消除（流程 %d）", p.id))
}

// moveProcess saves where a process went, closes its open step and opens
// the next one.
func (s *Store) moveProcess(ctx context.Context, t *tx, a access.Actor, p processRow, next monitoring.Transition, returned string, detail map[string]any) error {
	now := s.now()
	ended := int64(0)
	if next.Status != monitoring.StatusOpen {
		ended = ms(now)
	}
	set, args := `status = ?, step = ?, assignment_id = ?, ended_at = ?, version = version + 1, updated_at = ?`,
		[]any{next.Status, next.Step, p.assignmentID, ended, ms(now)}
	if next.Step == monitoring.StepResubmit {
		set, args = set+`, returned = ?`, append(args, returned)
	}
	r, err := t.exec(ctx, `UPDATE monitoring_processes SET `+set+` WHERE id = ? AND version = ?`, append(args, p.id, p.version)...)
	if err != nil {
		return fmt.Errorf("sqlstore: monitoring step: %w", err)
	}
	if n, _ := r.RowsAffected(); n != 1 {
		// Changed by someone else since it was read (PostgreSQL's
		// concurrent writers): nothing of this step is kept.
		return s.conflict(ctx, t, "monitoring", fmt.Sprint(p.id))
	}
	if _, err := t.exec(ctx, `UPDATE deadlines SET status = 'done', done_at = ? WHERE item_id = ? AND kind LIKE 'monitoring.%' AND status = 'open'`,
		ms(now), p.id); err != nil {
		return fmt.Errorf("sqlstore: close monitoring step: %w", err)
	}
	if next.Status == monitoring.StatusOpen {
		settings, err := s.monitoringSettings(ctx, t)
		if err != nil {
			return err
		}
		if _, _, err := s.openDeadline(ctx, t, deadline{Opening: monitoring.Opening(next.Step, settings, now), itemID: p.id,
			place: p.place}); err != nil {
			return err
		}
		if err := s.notifyStep(ctx, t, p, next.Step); err != nil {
			return err
		}
	}
	detail["process"], detail["monitoring_status"], detail["monitoring_next"] = p.id, next.Status, next.Step
	if err := s.event(ctx, t, a, p.householdID, 0, p.place, "monitoring.step", detail); err != nil {
		return err
	}
	return s.audit(ctx, t, a, auditRec{action: "monitoring.step", objType: "monitoring", objID: fmt.Sprint(p.id), place: p.place, detail: detail})
}

// notifyStep tells the users who answer the next step at its level.
func (s *Store) notifyStep(ctx context.Context, t *tx, p processRow, step string) error {
	level := monitoring.StepLevel(step)
	owner, ok, err := s.ancestorAt(ctx, t, p.place, level)
	if err != nil || !ok {
		return err
	}
	return s.notifyLevel(ctx, t, level, owner, monitoring.NoticeFor(p.id, step))
}

// ResubmitMonitoring sends a returned process back to the town with the
// village's corrected proposal.
func (s *Store) ResubmitMonitoring(ctx context.Context, a access.Actor, id int64, in monitoring.Proposal, note string, version int) error {
	if err := requireVersionArg(version); err != nil {
		return err
	}
	if err := a.Require(access.MonitoringPropose); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		p, err := s.processForUpdate(ctx, t, a, id)
		if err != nil {
			return err
		}
		if version != p.version {
			return s.conflict(ctx, t, "monitoring", fmt.Sprint(id))
		}
		next, err := monitoring.Next(p.status, p.step, monitoring.ActResubmit, true)
		if err != nil {
			return err
		}
		in.Kind = monitoring.Kind(p.kind)
		if in.Kind == monitoring.Eliminate {
			in.Category = p.category
		}
		var origin string
		if err := t.queryRow(ctx, `SELECT origin FROM monitoring_processes WHERE id = ?`, id).Scan(&origin); err != nil {
			return err
		}
		in.Origin = origin
		if in, err = monitoring.CheckProposal(in); err != nil {
			return err
		}
		if len([]rune(note)) > 2000 {
			return safetynet.Invalid("note", "说明过长", "the note is too long")
		}
		if _, err := t.exec(ctx, `UPDATE monitoring_processes SET category = ?, risk_causes = ?, income_fen = ?, members = ?, reason = ?
			WHERE id = ?`, in.Category, strings.Join(in.RiskCauses, ","), in.IncomeFen, in.Members, in.Reason, id); err != nil {
			return fmt.Errorf("sqlstore: resubmit: %w", err)
		}
		p.category = in.Category
		if err := s.insertRecord(ctx, t, a, id, monitoring.Record{Action: monitoring.ActResubmit, Passed: true, Date: s.now(), Note: note}); err != nil {
			return err
		}
		if err := s.insertAssessment(ctx, t, a, p.householdID, p.place, s.now(), in, p.kind, id, ""); err != nil {
			return err
		}
		return s.moveProcess(ctx, t, a, p, next, "", map[string]any{"monitoring_step": p.step, "note": note})
	})
}

// WithdrawMonitoring ends a process the village has not yet sent to the
// town.
func (s *Store) WithdrawMonitoring(ctx context.Context, a access.Actor, id int64, note string, version int) error {
	if err := requireVersionArg(version); err != nil {
		return err
	}
	if err := a.Require(access.MonitoringPropose); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		p, err := s.processForUpdate(ctx, t, a, id)
		if err != nil {
			return err
		}
		if version != p.version {
			return s.conflict(ctx, t, "monitoring", fmt.Sprint(id))
		}
		next, err := monitoring.Next(p.status, p.step, monitoring.ActWithdraw, true)
		if err != nil {
			return err
		}
		if strings.TrimSpace(note) == "" || len([]rune(note)) > 2000 {
			return safetynet.Invalid("note", "请写明撤回理由", "say why it is withdrawn")
		}
		if err := s.insertRecord(ctx, t, a, id, monitoring.Record{Action: monitoring.ActWithdraw, Date: s.now(), Note: note}); err != nil {
			return err
		}
		return s.moveProcess(ctx, t, a, p, next, "", map[string]any{"monitoring_step": p.step, "note": note})
	})
}

// RecordAssessment records a periodic review of a monitored household's
// income (监测复核): it keeps the household off the overdue list and is
// what readiness for elimination looks at.
func (s *Store) RecordAssessment(ctx context.Context, a access.Actor, householdID int64, on time.Time, incomeFen int64, members int, note string) error {
	if err := a.Require(access.MonitoringRecord); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		h, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false)
		if err != nil {
			return err
		}
		if held, err := s.monitoredAssignment(ctx, t, householdID); err != nil {
			return err
		} else if held.ID == 0 {
			return safetynet.Invalid("household_id", "该户不是监测对象", "the household is not monitored")
		}
		if members == 0 {
			members = max(h.Members, 1)
		}
		p := monitoring.Proposal{Kind: monitoring.Eliminate, IncomeFen: incomeFen, Members: members, Reason: "review"}
		if _, err := monitoring.CheckProposal(p); err != nil {
			return err
		}
		if on.IsZero() || on.After(s.now()) || on.Before(s.now().AddDate(-1, 0, 0)) {
			return safetynet.Invalid("date", "复核日期应在近一年内且不晚于今天", "the review date must be within the last year and not in the future")
		}
		if len([]rune(note)) > 2000 {
			return safetynet.Invalid("note", "说明过长", "the note is too long")
		}
		if err := s.insertAssessment(ctx, t, a, householdID, h.PlaceCode, on, p, "review", 0, note); err != nil {
			return err
		}
		detail := map[string]any{"per_capita_fen": p.PerCapitaFen(), "on": dateStr(on)}
		if err := s.event(ctx, t, a, householdID, 0, h.PlaceCode, "monitoring.assessment", detail); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "monitoring.assessment", objType: "household", objID: fmt.Sprint(householdID),
			place: h.PlaceCode, detail: detail})
	})
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

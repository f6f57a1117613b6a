package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/register"
	"safetynet/relay"
)

// Case is the help given to a household after a verified clue.
type Case struct {
	ID          int64
	ClueID      int64
	HouseholdID int64
	PlaceCode   string
	PlaceName   string
	VillageCode string
	Urgency     string
	RiskTypes   []string
	Status      string // open, closed
	OpenedAt    time.Time
	OpenedBy    string
	FirstHelpAt time.Time
	ClosedAt    time.Time
	ClosedBy    string
	Outcome     string
	CloseNote   string
	Reopened    int
	Version     int
	HeadName    string
}

const caseCols = `k.id, k.clue_id, k.household_id, k.place_code, pl.name, k.village_code, k.urgency, k.risk_types, k.status,
	k.opened_at, k.opened_by, k.first_help_at, k.closed_at, k.closed_by, k.outcome, k.close_note, k.reopened, k.version,
	COALESCE((SELECT hp.name FROM households h JOIN persons hp ON hp.id = h.head_person_id WHERE h.id = k.household_id), '')`

const caseFrom = ` FROM cases k JOIN places pl ON pl.code = k.place_code `

func scanCase(r scanner) (Case, error) {
	var k Case
	var risks string
	var opened, help, closed int64
	err := r.Scan(&k.ID, &k.ClueID, &k.HouseholdID, &k.PlaceCode, &k.PlaceName, &k.VillageCode, &k.Urgency, &risks, &k.Status,
		&opened, &k.OpenedBy, &help, &closed, &k.ClosedBy, &k.Outcome, &k.CloseNote, &k.Reopened, &k.Version, &k.HeadName)
	if risks != "" {
		k.RiskTypes = strings.Split(risks, ",")
	}
	k.OpenedAt, k.FirstHelpAt, k.ClosedAt = fromMS(opened), fromMS(help), fromMS(closed)
	return k, err
}

var errCaseNotFound = safetynet.NotFound("案件", "case")

func (s *Store) caseInScope(ctx context.Context, t *tx, a access.Actor, id int64) (Case, error) {
	where, args := scopeCheck(a.Scope(access.Work), "k.place_code")
	k, err := scanCase(t.queryRow(ctx, `SELECT `+caseCols+caseFrom+`WHERE k.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return k, errCaseNotFound
	}
	if err != nil {
		return k, fmt.Errorf("sqlstore: case %d: %w", id, err)
	}
	return k, nil
}

// OpenCase opens a case on a household directly (a hardship found on a
// visit, without a clue).
func (s *Store) OpenCase(ctx context.Context, a access.Actor, householdID int64, urgency string, risks []string, note string) (int64, error) {
	if err := a.Require(access.WorkHandle); err != nil {
		return 0, err
	}
	if _, err := relay.CheckVerification(Verification{Decision: "open_case", Risks: risks}, s.now()); err != nil {
		return 0, err
	}
	if !safetynet.Urgencies.Valid(urgency) {
		return 0, safetynet.Invalid("urgency", "紧急程度应为紧急或一般", "urgency must be urgent or normal")
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		id, err = s.openCase(ctx, t, a, householdID, 0, urgency, risks, note)
		return err
	})
	return id, err
}

// openCase opens a case, marks the household in the register (a risk
// label per risk type, and 突发严重困难户 if it is not monitored yet), and
// starts the clock of its first help.
func (s *Store) openCase(ctx context.Context, t *tx, a access.Actor, householdID, clueID int64, urgency string, risks []string, remark string) (int64, error) {
	h, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false)
	if err != nil {
		return 0, err
	}
	if h.Status != safetynet.StatusActive {
		return 0, safetynet.Invalid("household_id", "该家庭已合并或注销", "the household was merged or dissolved")
	}
	village, _, err := s.ancestorAt(ctx, t, h.PlaceCode, safetynet.LevelVillage)
	if err != nil {
		return 0, err
	}
	now := s.now()
	var id int64
	if err := t.queryRow(ctx, `INSERT INTO cases (clue_id, household_id, place_code, village_code, urgency, risk_types, status,
		opened_at, opened_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id`,
		clueID, householdID, h.PlaceCode, village, urgency, strings.Join(risks, ","), ms(now), a.Username, ms(now)).Scan(&id); err != nil {
		return 0, fmt.Errorf("sqlstore: open case: %w", err)
	}
	assigned, err := s.markHousehold(ctx, t, a, householdID, risks, fmt.Sprintf("案件 #%d", id))
	if err != nil {
		return 0, err
	}
	if _, err := t.exec(ctx, `UPDATE cases SET assignments = ? WHERE id = ?`, joinIDs(assigned), id); err != nil {
		return 0, err
	}
	limits, err := s.timeLimits(ctx, t)
	if err != nil {
		return 0, err
	}
	level, owner, err := s.openDeadline(ctx, t, deadline{Opening: relay.HelpStep(limits, urgency, now), caseID: id, clueID: clueID,
		place: h.PlaceCode})
	if err != nil {
		return 0, err
	}
	detail := map[string]any{"risks": risks, "urgency": urgency, "note": remark}
	if err := s.workEvent(ctx, t, a, clueID, id, householdID, h.PlaceCode, "case.open", detail); err != nil {
		return 0, err
	}
	if err := s.event(ctx, t, a, householdID, 0, h.PlaceCode, "case.open", map[string]any{"case": id, "risks": risks}); err != nil {
		return 0, err
	}
	toOwner, toTown := relay.CaseNotices(id, urgency, detail)
	if err := s.notifyLevel(ctx, t, level, owner, toOwner); err != nil {
		return 0, err
	}
	if toTown != nil { // 层层知晓: the town hears of urgent cases at once
		if town, ok, err := s.ancestorAt(ctx, t, h.PlaceCode, safetynet.LevelTown); err != nil {
			return 0, err
		} else if ok {
			if err := s.notifyLevel(ctx, t, safetynet.LevelTown, town, *toTown); err != nil {
				return 0, err
			}
		}
	}
	return id, s.audit(ctx, t, a, auditRec{action: "case.open", objType: "case", objID: fmt.Sprint(id), place: h.PlaceCode,
		detail: map[string]any{"household_id": householdID, "clue_id": clueID}})
}

// markHousehold gives the household a risk label per risk type and, when
// it holds no monitored category, 突发严重困难户; it returns the
// assignments it made, which the case ends when it closes.
func (s *Store) markHousehold(ctx context.Context, t *tx, a access.Actor, householdID int64, risks []string, reason string) ([]int64, error) {
	active, err := s.activeAssignments(ctx, t, safetynet.SubjectHousehold, []int64{householdID})
	if err != nil {
		return nil, err
	}
	var made []int64
	for _, in := range register.CaseLabels(active[householdID], risks, s.now(), reason) {
		id, err := s.assign(ctx, t, a, safetynet.SubjectHousehold, householdID, in)
		if err != nil {
			return nil, err
		}
		made = append(made, id)
	}
	return made, nil
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// CloseCase closes a case with an outcome. Its open steps are cancelled,
// pending applications withdrawn, and the register categories it made end
// with the matching reason (风险消除 for risk eliminated).
func (s *Store) CloseCase(ctx context.Context, a access.Actor, id int64, outcome, closeNote string, version int) error {
	if err := a.Require(access.WorkHandle); err != nil {
		return err
	}
	if err := relay.CheckOutcome(outcome); err != nil {
		return err
	}
	closeNote, err := safetynet.CheckReason("note", closeNote, false)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		k, err := s.caseInScope(ctx, t, a, id)
		if err != nil {
			return err
		}
		if version != 0 && version != k.Version {
			return s.conflict(ctx, t, "case", fmt.Sprint(id))
		}
		if k.Status != "open" {
			return safetynet.Conflict("status", "该案件已于 %s 结案", "this case was already closed on %s", dateStr(k.ClosedAt))
		}
		now := s.now()
		if _, err := t.exec(ctx, `UPDATE cases SET status = 'closed', closed_at = ?, closed_by = ?, outcome = ?, close_note = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, ms(now), a.Username, outcome, closeNote, ms(now), id); err != nil {
			return fmt.Errorf("sqlstore: close case: %w", err)
		}
		if err := s.closeDeadlines(ctx, t, "", "case_id", id, "cancelled"); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE case_measures SET status = ?, version = version + 1 WHERE case_id = ? AND status = ?`,
			relay.ApplicationWithdrawn, id, relay.ApplicationApplied); err != nil {
			return err
		}
		var made string
		if err := t.queryRow(ctx, `SELECT assignments FROM cases WHERE id = ?`, id).Scan(&made); err != nil {
			return err
		}
		for _, aid := range splitIDs(made) {
			x, err := scanAssignment(t.queryRow(ctx, `SELECT `+assignmentCols+` FROM assignments WHERE id = ?`, aid))
			if err != nil || !x.Active() {
				continue
			}
			if err := s.endAssignment(ctx, t, a, x, k.PlaceCode, now, relay.EndReason(outcome), fmt.Sprintf("案件 #%d 结案", id)); err != nil {
				return err
			}
		}
		detail := map[string]any{"outcome": outcome, "note": closeNote}
		if err := s.workEvent(ctx, t, a, k.ClueID, id, k.HouseholdID, k.PlaceCode, "case.close", detail); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, k.HouseholdID, 0, k.PlaceCode, "case.close", map[string]any{"case": id, "outcome": outcome}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "case.close", objType: "case", objID: fmt.Sprint(id), place: k.PlaceCode, detail: detail})
	})
}

// ReopenCase opens a closed case again, marking the household again.
func (s *Store) ReopenCase(ctx context.Context, a access.Actor, id int64, reason string, version int) error {
	if err := a.Require(access.WorkHandle); err != nil {
		return err
	}
	reason, err := safetynet.CheckReason("reason", reason, true)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		k, err := s.caseInScope(ctx, t, a, id)
		if err != nil {
			return err
		}
		if version != 0 && version != k.Version {
			return s.conflict(ctx, t, "case", fmt.Sprint(id))
		}
		if k.Status != "closed" {
			return safetynet.Conflict("status", "该案件仍在办理中", "this case is still open")
		}
		assigned, err := s.markHousehold(ctx, t, a, k.HouseholdID, k.RiskTypes, fmt.Sprintf("案件 #%d 重新办理", id))
		if err != nil {
			return err
		}
		now := s.now()
		if _, err := t.exec(ctx, `UPDATE cases SET status = 'open', reopened = reopened + 1, outcome = '', closed_at = 0, closed_by = '',
			assignments = ?, version = version + 1, updated_at = ? WHERE id = ?`, joinIDs(assigned), ms(now), id); err != nil {
			return fmt.Errorf("sqlstore: reopen case: %w", err)
		}
		if err := s.workEvent(ctx, t, a, k.ClueID, id, k.HouseholdID, k.PlaceCode, "case.reopen", map[string]any{"reason": reason}); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, k.HouseholdID, 0, k.PlaceCode, "case.reopen", map[string]any{"case": id}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "case.reopen", objType: "case", objID: fmt.Sprint(id), place: k.PlaceCode,
			detail: map[string]any{"reason": reason}})
	})
}

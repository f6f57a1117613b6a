package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/relay"
)

// Verification is the record of a home visit (上门核实); see relay.
type Verification = relay.Verification

// VerifyClue records the home visit of a clue and its decision: no action
// closes the clue; emergency help or a case opens a case on the household
// (which must be registered), marking it in the register. A clue not yet
// acknowledged is acknowledged by the visit. It returns the case opened.
func (s *Store) VerifyClue(ctx context.Context, a access.Actor, id int64, v Verification, version int) (int64, error) {
	if err := a.Require(access.WorkHandle); err != nil {
		return 0, err
	}
	v, err := relay.CheckVerification(v, s.now())
	if err != nil {
		return 0, err
	}
	var caseID int64
	err = s.write(ctx, func(t *tx) error {
		c, err := s.clueInScope(ctx, t, a, id)
		if err != nil {
			return err
		}
		if version != 0 && version != c.Version {
			return s.conflict(ctx, t, "clue", fmt.Sprint(id))
		}
		switch c.Status {
		case relay.ClueReported:
			if err := s.acknowledge(ctx, t, a, c); err != nil {
				return err
			}
		case relay.ClueAcknowledged:
		default:
			return safetynet.Conflict("status", "该线索已由 %s 核实", "this clue was already verified by %s", s.displayNameOf(ctx, t, c.VerifiedBy))
		}
		out := relay.VerifyOutcome(v.Decision, c.Urgency)
		if out.NeedsHousehold && c.HouseholdID == 0 {
			return safetynet.Invalid("household_id", "该人员尚未登记：请先在台账中登记家庭，再把线索关联到家庭后立案",
				"the person is not registered: register the household and link the clue before opening a case")
		}
		check, _ := json.Marshal(v.Checklist)
		now := s.now()
		if _, err := t.exec(ctx, `INSERT INTO verifications (clue_id, visited_at, user_id, username, checklist, risks, decision, note)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, ms(v.VisitedAt), a.UserID, a.Username, string(check), strings.Join(v.Risks, ","),
			v.Decision, v.Note); err != nil {
			return fmt.Errorf("sqlstore: verification: %w", err)
		}
		status := out.ClueStatus
		if _, err := t.exec(ctx, `UPDATE clues SET status = ?, verified_at = ?, verified_by = ?, closed_at = ?, version = version + 1,
			updated_at = ? WHERE id = ?`, status, ms(v.VisitedAt), a.Username, ms(now), ms(now), id); err != nil {
			return fmt.Errorf("sqlstore: verify: %w", err)
		}
		if err := s.closeDeadlines(ctx, t, StepVerify, "clue_id", id, "done"); err != nil {
			return err
		}
		problems := relay.ProblemItems(v.Checklist)
		if err := s.workEvent(ctx, t, a, id, 0, c.HouseholdID, c.PlaceCode, "clue.verify",
			map[string]any{"decision": v.Decision, "risks": v.Risks, "problems": problems}); err != nil {
			return err
		}
		if err := s.audit(ctx, t, a, auditRec{action: "clue.verify", objType: "clue", objID: fmt.Sprint(id), place: c.PlaceCode,
			detail: map[string]any{"decision": v.Decision}}); err != nil {
			return err
		}
		if !out.OpenCase {
			return nil
		}
		caseID, err = s.openCase(ctx, t, a, c.HouseholdID, id, out.CaseUrgency, v.Risks, v.Note)
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `UPDATE clues SET case_id = ? WHERE id = ?`, caseID, id)
		return err
	})
	return caseID, err
}

// Verifications returns the visits of a clue.
func (s *Store) Verifications(ctx context.Context, a access.Actor, clueID int64) ([]Verification, error) {
	if _, err := s.Clue(ctx, a, clueID); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT visited_at, username, checklist, risks, decision, note FROM verifications
		WHERE clue_id = ? ORDER BY id`, clueID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: verifications: %w", err)
	}
	defer rows.Close()
	var out []Verification
	for rows.Next() {
		var v Verification
		var at int64
		var check, risks string
		if err := rows.Scan(&at, &v.Username, &check, &risks, &v.Decision, &v.Note); err != nil {
			return nil, err
		}
		v.VisitedAt = fromMS(at)
		_ = json.Unmarshal([]byte(check), &v.Checklist)
		if risks != "" {
			v.Risks = strings.Split(risks, ",")
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

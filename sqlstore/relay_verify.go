package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
)

// Verification is the record of a home visit (上门核实).
type Verification struct {
	VisitedAt time.Time
	Checklist map[string]string // ChecklistItems code → "ok", "problem" or "na"
	Risks     []string          // RiskTypes codes found
	Decision  string            // VerifyDecisions code
	Note      string
	Username  string
}

// checkVerification validates a visit record.
func checkVerification(v Verification, now time.Time) (Verification, error) {
	if !safetynet.VerifyDecisions.Valid(v.Decision) {
		return v, safetynet.Invalid("decision", "请选择核实结论", "choose a decision: no_action, emergency or open_case")
	}
	for k, val := range v.Checklist {
		if !safetynet.ChecklistItems.Valid(k) {
			return v, safetynet.Invalid("checklist", "核实项目无效：%s", "unknown checklist item %q", k)
		}
		if val != "ok" && val != "problem" && val != "na" {
			return v, safetynet.Invalid("checklist", "核实结果应为正常、有问题或不适用", "checklist values are ok, problem or na")
		}
	}
	seen := map[string]bool{}
	var risks []string
	for _, r := range v.Risks {
		if !safetynet.RiskTypes.Valid(r) {
			return v, safetynet.Invalid("risks", "风险类型无效：%s", "unknown risk type %q", r)
		}
		if !seen[r] {
			seen[r] = true
			risks = append(risks, r)
		}
	}
	v.Risks = risks
	if v.Decision != "no_action" && len(v.Risks) == 0 {
		return v, safetynet.Invalid("risks", "立案需要至少选择一种风险类型", "opening a case needs at least one risk type")
	}
	var err error
	if v.Note, err = safetynet.CheckReason("note", v.Note, false); err != nil {
		return v, err
	}
	if v.VisitedAt.IsZero() || v.VisitedAt.After(now.Add(5*time.Minute)) {
		v.VisitedAt = now
	}
	return v, nil
}

// VerifyClue records the home visit of a clue and its decision: no action
// closes the clue; emergency help or a case opens a case on the household
// (which must be registered), marking it in the register. A clue not yet
// acknowledged is acknowledged by the visit. It returns the case opened.
func (s *Store) VerifyClue(ctx context.Context, a access.Actor, id int64, v Verification, version int) (int64, error) {
	if err := a.Require(access.WorkHandle); err != nil {
		return 0, err
	}
	v, err := checkVerification(v, s.now())
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
		case safetynet.ClueReported:
			if err := s.acknowledge(ctx, t, a, c); err != nil {
				return err
			}
		case safetynet.ClueAcknowledged:
		default:
			return safetynet.Conflict("status", "该线索已由 %s 核实", "this clue was already verified by %s", c.VerifiedBy)
		}
		if v.Decision != "no_action" && c.HouseholdID == 0 {
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
		status := safetynet.ClueClosed
		if v.Decision != "no_action" {
			status = safetynet.ClueCase
		}
		if _, err := t.exec(ctx, `UPDATE clues SET status = ?, verified_at = ?, verified_by = ?, closed_at = ?, version = version + 1,
			updated_at = ? WHERE id = ?`, status, ms(v.VisitedAt), a.Username, ms(now), ms(now), id); err != nil {
			return fmt.Errorf("sqlstore: verify: %w", err)
		}
		if err := s.closeDeadlines(ctx, t, StepVerify, "clue_id", id, "done"); err != nil {
			return err
		}
		problems := problemItems(v.Checklist)
		if err := s.workEvent(ctx, t, a, id, 0, c.HouseholdID, c.PlaceCode, "clue.verify",
			map[string]any{"decision": v.Decision, "risks": v.Risks, "problems": problems}); err != nil {
			return err
		}
		if err := s.audit(ctx, t, a, auditRec{action: "clue.verify", objType: "clue", objID: fmt.Sprint(id), place: c.PlaceCode,
			detail: map[string]any{"decision": v.Decision}}); err != nil {
			return err
		}
		if v.Decision == "no_action" {
			return nil
		}
		urgency := c.Urgency
		if v.Decision == "emergency" {
			urgency = "urgent"
		}
		caseID, err = s.openCase(ctx, t, a, c.HouseholdID, id, urgency, v.Risks, v.Note)
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `UPDATE clues SET case_id = ? WHERE id = ?`, caseID, id)
		return err
	})
	return caseID, err
}

func problemItems(m map[string]string) []string {
	var out []string
	for k, v := range m {
		if v == "problem" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
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

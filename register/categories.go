package register

import (
	"time"

	"safetynet"
)

// ReplacedReason is the EndReasons code of an assignment that a new one of
// the same group replaces.
const ReplacedReason = "changed"

// Assign decides what assigning category cat (already checked by
// safetynet.CheckNewAssignment) does to a subject holding active: it
// refuses a category (and risk type) held already, and returns the
// active assignments of the same group, which the new one replaces.
func Assign(active []safetynet.Assignment, cat safetynet.Category, in safetynet.NewAssignment) (replaced []safetynet.Assignment, err error) {
	for _, x := range active {
		if x.Category == in.Category && x.RiskType == in.RiskType {
			return nil, safetynet.Conflict("category", "已有该类别（自 %s 起）", "already holds this category (since %s)", x.Start.Format(time.DateOnly))
		}
	}
	for _, x := range active {
		if other, _ := safetynet.CategoryByCode(x.Category); cat.Group != "" && other.Group == cat.Group {
			replaced = append(replaced, x)
		}
	}
	return replaced, nil
}

// CheckEndReason refuses an end without a known reason.
func CheckEndReason(reason string) error {
	if !safetynet.EndReasons.Valid(reason) {
		return safetynet.Invalid("reason", "请选择结束原因", "choose a reason: risk_eliminated, exited, changed, error, deceased, moved_away or other")
	}
	return nil
}

// CheckEnd validates ending assignment x: it ends once, on a date between
// its start and today (today when none is given).
func CheckEnd(x safetynet.Assignment, in safetynet.EndAssignment, now time.Time) (safetynet.EndAssignment, error) {
	if !x.Active() {
		return in, safetynet.Conflict("end", "该类别已于 %s 结束", "this category already ended on %s", x.End.Format(time.DateOnly))
	}
	if in.End.IsZero() {
		in.End = now
	}
	if in.End.Before(x.Start) || in.End.After(now) {
		return in, safetynet.Invalid("end", "结束日期应在开始日期（%s）和今天之间", "the end date must be between the start (%s) and today", x.Start.Format(time.DateOnly))
	}
	return in, nil
}

// CaseLabels returns the assignments a case opened for risks puts on a
// household holding active: 突发严重困难户 when it holds no monitored
// category, and a risk label (风险标注) per risk type it does not carry
// yet. Each starts on start with reason and the source "case".
func CaseLabels(active []safetynet.Assignment, risks []string, start time.Time, reason string) []safetynet.NewAssignment {
	monitored := false
	for _, x := range active {
		c, _ := safetynet.CategoryByCode(x.Category)
		monitored = monitored || c.Monitored
	}
	var out []safetynet.NewAssignment
	if !monitored && len(risks) > 0 {
		out = append(out, safetynet.NewAssignment{Category: safetynet.CatMonitorSudden, RiskType: risks[0], Start: start, Reason: reason, Source: "case"})
	}
	for _, r := range risks {
		held := false
		for _, x := range active {
			held = held || x.Category == safetynet.CatRisk && x.RiskType == r
		}
		if !held {
			out = append(out, safetynet.NewAssignment{Category: safetynet.CatRisk, RiskType: r, Start: start, Reason: reason, Source: "case"})
		}
	}
	return out
}

// Duplicate decisions.
const (
	DuplicateSame      = "same"      // one person registered twice: the other retires
	DuplicateDifferent = "different" // two people: the pair is hidden for good
)

// CheckDuplicateDecision validates a decision on a pair of persons and
// returns the pair in the order it is recorded (lower ID first), so that
// a pair is decided once whichever way round it is named.
func CheckDuplicateDecision(keep, other int64, decision string) (lo, hi int64, err error) {
	if decision != DuplicateDifferent && decision != DuplicateSame {
		return 0, 0, safetynet.Invalid("decision", "请选择“不是同一人”或“是同一人”", "decision must be different or same")
	}
	if keep == other {
		return 0, 0, safetynet.Invalid("other", "请选择两个不同的人员", "choose two different persons")
	}
	return min(keep, other), max(keep, other), nil
}

package relay

import (
	"time"

	"safetynet"
)

// Emergency is an emergency measure taken (紧急救援): what, by whom, when,
// at what cost. The first one is its case's first help.
type Emergency struct {
	Description string
	Provider    string
	DoneAt      time.Time
	CostFen     int64
}

// CheckEmergency validates an emergency measure: a description, a cost
// that is not negative, and a time not in the future (else now).
func CheckEmergency(e Emergency, now time.Time) (Emergency, error) {
	var err error
	if e.Description, err = safetynet.CheckReason("description", e.Description, true); err != nil {
		return e, err
	}
	if e.Provider, err = safetynet.CheckReason("provider", e.Provider, false); err != nil {
		return e, err
	}
	if e.CostFen < 0 {
		return e, safetynet.Invalid("cost", "费用不能为负", "the cost cannot be negative")
	}
	if e.DoneAt.IsZero() || e.DoneAt.After(now.Add(5*time.Minute)) {
		e.DoneAt = now
	}
	return e, nil
}

// Application is an application for an assistance measure.
type Application struct {
	Measure     string
	AmountFen   int64
	PeriodStart time.Time
	PeriodEnd   time.Time
	Note        string
}

// MaxAmountFen bounds an application's amount: 100 million yuan.
const MaxAmountFen = 100_000_000_00

// CheckApplication validates an application before its measure is read:
// an amount between 0 and MaxAmountFen, a period that does not end
// before it starts.
func CheckApplication(ap Application) (Application, error) {
	var err error
	if ap.Note, err = safetynet.CheckReason("note", ap.Note, false); err != nil {
		return ap, err
	}
	if ap.AmountFen < 0 || ap.AmountFen > MaxAmountFen {
		return ap, safetynet.Invalid("amount", "金额应在0到1亿元之间", "the amount must be between 0 and 100,000,000 yuan")
	}
	if !ap.PeriodEnd.IsZero() && ap.PeriodEnd.Before(ap.PeriodStart) {
		return ap, safetynet.Invalid("period_end", "结束日期不能早于开始日期", "the period cannot end before it starts")
	}
	return ap, nil
}

// CheckApplyTo refuses an application for a measure no longer offered.
func CheckApplyTo(m safetynet.Measure) error {
	if !m.Active {
		return safetynet.Invalid("measure", "该帮扶措施已停用", "this measure is no longer offered")
	}
	return nil
}

// Application statuses.
const (
	ApplicationApplied   = "applied"
	ApplicationApproved  = "approved"
	ApplicationRejected  = "rejected"
	ApplicationWithdrawn = "withdrawn" // its case closed before a decision
)

// Decide checks a decision on an application and returns its new status:
// a rejection needs a reason, an approval may have one.
func Decide(approve bool, reason string) (status, checkedReason string, err error) {
	if checkedReason, err = safetynet.CheckReason("reason", reason, !approve); err != nil {
		return "", checkedReason, err
	}
	if approve {
		return ApplicationApproved, checkedReason, nil
	}
	return ApplicationRejected, checkedReason, nil
}

// CheckOutcome refuses to close a case without a known outcome.
func CheckOutcome(outcome string) error {
	if !safetynet.CaseOutcomes.Valid(outcome) {
		return safetynet.Invalid("outcome", "请选择结案结果", "choose an outcome")
	}
	return nil
}

// CheckFollowupDay refuses a follow-up visit planned before today or more
// than a year ahead (dates compared in now's zone).
func CheckFollowupDay(day, now time.Time) error {
	if day.IsZero() || day.Format(time.DateOnly) < now.Format(time.DateOnly) || day.After(now.AddDate(1, 0, 0)) {
		return safetynet.Invalid("due", "回访日期应在今天到一年之内", "the follow-up date must be between today and a year from now")
	}
	return nil
}

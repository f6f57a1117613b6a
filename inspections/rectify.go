package inspections

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
	"safetynet/relay"
)

// Rectifications (整改): a finding of an inspection that the village must
// put right by a due date. The rules:
//   - An item is raised by an inspector of a started (or closed)
//     inspection, from a household check's problem answer or as a village
//     finding (no household). Raising the same item of the same check, or
//     the same village finding text, again returns the item already raised.
//   - Its due date defaults to the raise day plus the item's period
//     (RectifyPeriod); it may be set from the raise day to 180 days after.
//   - An open (or reopened) item has one deadline of kind KindRectify on the
//     relay's clocks, owned by the village until the end of its due day and
//     then escalating village → town → county by the sweep, a week a level.
//   - The village reports what it did (open or reopened → reported); the
//     inspector accepts it (→ accepted, the end) or reopens it with a
//     reason and a new due date (→ reopened, a new deadline).

// KindRectify is the relay's deadline kind of an open rectification; its
// item_id is the rectification's id.
const KindRectify = "inspection.rectify"

// Statuses of a rectification.
const (
	RectifyOpen     = "open"
	RectifyReported = "reported"
	RectifyAccepted = "accepted"
	RectifyReopened = "reopened"
)

// RectifyStatuses lists the statuses in the order of the work.
var RectifyStatuses = []string{RectifyOpen, RectifyReopened, RectifyReported, RectifyAccepted}

// Actions on a rectification after it is raised.
const (
	ActReport = "report" // the village reports what it did
	ActAccept = "accept" // the inspector accepts the report
	ActReopen = "reopen" // the inspector sends it back with a reason
)

// RectifyNext is the status an action leads to from status, or a conflict
// naming why it cannot be done now.
func RectifyNext(status, action string) (string, error) {
	switch action {
	case ActReport:
		if status == RectifyOpen || status == RectifyReopened {
			return RectifyReported, nil
		}
	case ActAccept:
		if status == RectifyReported {
			return RectifyAccepted, nil
		}
	case ActReopen:
		if status == RectifyReported || status == RectifyAccepted {
			return RectifyReopened, nil
		}
	default:
		return "", safetynet.Invalid("action", "未知操作", "unknown action %q", action)
	}
	zh := map[string]string{RectifyOpen: "待整改", RectifyReopened: "已退回重改", RectifyReported: "已报整改情况", RectifyAccepted: "已验收"}[status]
	return "", safetynet.Conflict("status", "该整改事项当前"+zh+"，不能执行此操作", "the rectification is %s: this cannot be done now", status)
}

// RectifyOpenStatus reports whether a status keeps a deadline running.
func RectifyOpenStatus(status string) bool { return status == RectifyOpen || status == RectifyReopened }

// ItemRule is what a checklist item weighs in a village's score and how
// long a village gets to put a finding right.
type ItemRule struct {
	Weight int // points off per problem answer
	Days   int // default period of a rectification
}

// itemRules are the rules of known checklist items; other items use
// defaultItemRule. Ledger data and measures that did not reach the
// household weigh most (money and eligibility), the household's own
// words least.
var itemRules = map[string]ItemRule{
	ItemVisited:  {Weight: 5, Days: 15},
	ItemLedger:   {Weight: 8, Days: 30},
	ItemMeasures: {Weight: 10, Days: 30},
	ItemServices: {Weight: 6, Days: 15},
	ItemOpinion:  {Weight: 4, Days: 15},
}

var defaultItemRule = ItemRule{Weight: 5, Days: 15}

// RuleOf returns the rule of a checklist item.
func RuleOf(item string) ItemRule {
	if r, ok := itemRules[item]; ok {
		return r
	}
	return defaultItemRule
}

// VillageFinding is the item of a finding about the village rather than a
// household (a ledger missing, a policy not posted).
const VillageFinding = "village"

func init() { itemRules[VillageFinding] = ItemRule{Weight: 5, Days: 15} }

// RectifyItemLabel names a rectification's item: a checklist item, or a
// village finding.
func RectifyItemLabel(item, lang string) string {
	if item == VillageFinding {
		if lang == "en" {
			return "village finding"
		}
		return "村级问题"
	}
	return Items.Label(item, lang)
}

// RectifyZone is the local time of due dates (Asia/Shanghai).
var RectifyZone = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// rectDay is the local calendar day of t at midnight.
func rectDay(t time.Time) time.Time {
	t = t.In(RectifyZone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, RectifyZone)
}

// RectifyDay is the local calendar day of t, written YYYY-MM-DD.
func RectifyDay(t time.Time) string { return rectDay(t).Format(time.DateOnly) }

// DefaultDue is the due date of an item raised at now.
func DefaultDue(item string, now time.Time) string {
	return rectDay(now).AddDate(0, 0, RuleOf(item).Days).Format(time.DateOnly)
}

// MaxRectifyDays is how far ahead a due date may be set.
const MaxRectifyDays = 180

// CheckDue reads a due date set at now: from today to MaxRectifyDays ahead.
func CheckDue(due string, now time.Time) (string, error) {
	due = strings.TrimSpace(due)
	d, err := time.ParseInLocation(time.DateOnly, due, RectifyZone)
	if err != nil {
		return "", safetynet.Invalid("due_on", "整改期限须为日期（年-月-日）", "due_on must be a date (YYYY-MM-DD)")
	}
	today := rectDay(now)
	if d.Before(today) {
		return "", safetynet.Invalid("due_on", "整改期限不能早于今天", "due_on cannot be before today")
	}
	if d.After(today.AddDate(0, 0, MaxRectifyDays)) {
		return "", safetynet.Invalid("due_on", fmt.Sprintf("整改期限不能超过%d天", MaxRectifyDays), "due_on cannot be more than %d days ahead", MaxRectifyDays)
	}
	return d.Format(time.DateOnly), nil
}

// CheckText refuses an empty text or one over max characters, naming the
// field.
func CheckText(field, zh string, text string, max int) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", safetynet.Invalid(field, "请填写"+zh, "%s is required", field)
	}
	if utf8.RuneCountInString(text) > max {
		return "", safetynet.Invalid(field, fmt.Sprintf("%s不能超过%d字", zh, max), "%s is longer than %d characters", field, max)
	}
	return text, nil
}

// ProblemItems lists the items stored answers (item=answer,…) found
// wanting, in checklist order.
func ProblemItems(answers string) []string {
	var out []string
	for _, a := range Problems(DecodeAnswers(answers, nil)) {
		out = append(out, a.Item)
	}
	return out
}

// RectifyStep is how long each level gets once the due day has passed.
const RectifyStep = 7 * 24 * time.Hour

// RectifyOpening is the relay's deadline of an item due on due (a
// YYYY-MM-DD date): the village's until the end of that day, then a week
// for each level above.
func RectifyOpening(due string) relay.Opening {
	d, err := time.ParseInLocation(time.DateOnly, due, RectifyZone)
	if err != nil {
		d = rectDay(time.Now())
	}
	return relay.Opening{Kind: KindRectify, Level: safetynet.LevelVillage, Due: d.AddDate(0, 0, 1), Interval: RectifyStep}
}

// RectifyLink is the page of a rectification.
func RectifyLink(id int64) string { return fmt.Sprintf("/rectifications/%d", id) }

// Notices of rectifications.
const (
	NoticeRectifyRaised   = "rectify.raised"   // to the village: an item to put right
	NoticeRectifyReported = "rectify.reported" // to the inspector who raised it
	NoticeRectifyReopened = "rectify.reopened" // to the village: put right again
)

// RectifyNotice is the message about rectification id in village (its
// Chinese name), of a kind above, due on due.
func RectifyNotice(kind string, id int64, village, due string) relay.Notice {
	n := relay.Notice{Kind: kind, Link: RectifyLink(id), Detail: map[string]any{"rectification": id, "village": village, "due_on": due}}
	switch kind {
	case NoticeRectifyRaised:
		n.Subject, n.Body = "督查整改事项 / rectification to do", fmt.Sprintf("督查发现问题需整改（#%d，%s），期限 %s", id, village, due)
	case NoticeRectifyReopened:
		n.Subject, n.Body = "整改退回 / rectification reopened", fmt.Sprintf("整改事项 #%d（%s）未通过验收，请于 %s 前重新整改", id, village, due)
	default:
		n.Subject, n.Body = "整改情况待验收 / rectification reported", fmt.Sprintf("整改事项 #%d（%s）已报整改情况，请验收", id, village)
	}
	return n
}

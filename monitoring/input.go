package monitoring

import (
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
)

// maxText is the longest free text of a step (notes, reasons, places).
const maxText = 2000

// earliest is how long before a proposal its paper steps may be dated: a
// democratic review held last week is entered today.
const earliest = 30 * 24 * time.Hour

// Proposal is what the village proposes, and what it corrects when it
// resubmits a returned process.
type Proposal struct {
	Kind       Kind
	Category   string   // inclusion: one of Types; elimination: the held monitored category (set by storage)
	RiskCauses []string // codes of safetynet.RiskTypes; inclusion only
	IncomeFen  int64    // the household's income of the last 12 months, in fen
	Members    int      // persons the income is shared by
	Origin     string   // inclusion: an Origins code
	Reason     string   // elimination: why the risks are gone; inclusion: the situation
}

// PerCapitaFen is the income per person of the last 12 months.
func (p Proposal) PerCapitaFen() int64 {
	if p.Members <= 0 {
		return 0
	}
	return p.IncomeFen / int64(p.Members)
}

func checkText(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxText {
		return "", safetynet.Invalid(field, "内容过长（最多 %d 字）", "too long (at most %d characters)", maxText)
	}
	if !utf8.ValidString(s) {
		return "", safetynet.Invalid(field, "含有无效字符", "contains invalid characters")
	}
	return s, nil
}

// CheckProposal validates a proposal and returns it cleaned (risk causes
// deduplicated in vocabulary order).
func CheckProposal(p Proposal) (Proposal, error) {
	if !p.Kind.Valid() {
		return p, safetynet.Invalid("kind", "流程类型无效", "kind must be include or eliminate")
	}
	var err error
	if p.Reason, err = checkText("reason", p.Reason); err != nil {
		return p, err
	}
	if p.IncomeFen < 0 || p.IncomeFen > 100_000_000_00 {
		return p, safetynet.Invalid("income", "近12个月家庭纯收入应在 0 到 1 亿元之间", "the income of the last 12 months must be between 0 and 100 million yuan")
	}
	if p.Members < 1 || p.Members > 50 {
		return p, safetynet.Invalid("members", "家庭人口应在 1 到 50 人之间", "the number of persons must be between 1 and 50")
	}
	if p.Kind == Eliminate {
		if p.Reason == "" {
			return p, safetynet.Invalid("reason", "请写明风险已消除的理由", "say why the risks are gone")
		}
		p.RiskCauses, p.Origin = nil, ""
		return p, nil
	}
	if !ValidType(p.Category) {
		return p, safetynet.Invalid("category", "请选择监测对象类型（脱贫不稳定户、边缘易致贫户、突发严重困难户）",
			"choose the monitored type (unstable formerly poor, marginal at risk, sudden severe hardship)")
	}
	if p.Origin == "" {
		p.Origin = "screening"
	}
	if !Origins.Valid(p.Origin) {
		return p, safetynet.Invalid("origin", "来源无效", "unknown origin %q", p.Origin)
	}
	seen := map[string]bool{}
	for _, c := range p.RiskCauses {
		if !safetynet.RiskTypes.Valid(c) {
			return p, safetynet.Invalid("risk_causes", "风险类型无效：%[1]s（可选：%[2]s）", "unknown risk cause %[1]q", c, safetynet.RiskTypes.ZHList())
		}
		seen[c] = true
	}
	p.RiskCauses = nil
	for _, c := range safetynet.RiskTypes.Codes() {
		if seen[c] {
			p.RiskCauses = append(p.RiskCauses, c)
		}
	}
	if len(p.RiskCauses) == 0 {
		return p, safetynet.Invalid("risk_causes", "请至少选择一项风险类型", "choose at least one risk cause")
	}
	return p, nil
}

// Record is one step recorded on a process: the proposal's own line, a
// democratic review, a notice, a town or county decision, a resubmission.
type Record struct {
	ID        int64
	Action    string
	Passed    bool      // review passed, objections not upheld, town passed, county confirmed
	Date      time.Time // the review's date or the decision's date
	Count     int       // democratic review: participants
	People    string    // democratic review: participants' names or groups
	Start     time.Time // notice
	End       time.Time // notice
	Where     string    // notice: where it was posted
	Objection string    // notice: objections received
	Upheld    bool      // notice: whether an objection was upheld
	Note      string    // reason of a return, notes of a review
	Username  string
	At        time.Time
}

// CheckReview validates a democratic review (民主评议). proposed is when
// the process was proposed, today the current day.
func CheckReview(r Record, proposed, today time.Time) (Record, error) {
	r.Action = ActReview
	if err := checkDate("date", r.Date, proposed, today); err != nil {
		return r, err
	}
	if r.Count < 1 || r.Count > 10000 {
		return r, safetynet.Invalid("participants", "请填写参加评议的人数", "give the number of participants")
	}
	var err error
	if r.People, err = checkText("people", r.People); err != nil {
		return r, err
	}
	if r.Note, err = checkText("note", r.Note); err != nil {
		return r, err
	}
	if !r.Passed && r.Note == "" {
		return r, safetynet.Invalid("note", "评议未通过时请写明情况", "say why the review did not pass")
	}
	return r, nil
}

// CheckNotice validates a public notice (公示): it lasted at least
// minDays days (both ends counted), began on or after the democratic
// review and has ended by today, so that its objections are known.
func CheckNotice(r Record, reviewed, today time.Time, minDays int) (Record, error) {
	r.Action = ActNotice
	if r.Start.IsZero() {
		return r, safetynet.Invalid("start", "请填写公示开始日期", "the notice's start date is required")
	}
	if r.End.IsZero() {
		return r, safetynet.Invalid("end", "请填写公示结束日期", "the notice's end date is required")
	}
	if day(r.Start).Before(day(reviewed)) {
		return r, safetynet.Invalid("start", "公示应在民主评议之后开始", "the notice starts after the democratic review")
	}
	if day(r.End).After(day(today)) {
		return r, safetynet.Invalid("end", "公示期满后才能登记公示结果", "record the notice once it has ended")
	}
	if n := Days(r.Start, r.End); n < minDays {
		return r, safetynet.Invalid("end", "公示期不少于 %d 天（现为 %d 天）", "the notice lasts at least %d days (now %d)", minDays, n)
	}
	var err error
	if r.Where, err = checkText("where", r.Where); err != nil {
		return r, err
	}
	if r.Where == "" {
		return r, safetynet.Invalid("where", "请填写公示地点", "say where the notice was posted")
	}
	if r.Objection, err = checkText("objection", r.Objection); err != nil {
		return r, err
	}
	if r.Upheld && r.Objection == "" {
		return r, safetynet.Invalid("objection", "异议成立时请写明异议内容", "describe the objection that was upheld")
	}
	r.Passed = !r.Upheld
	r.Date = r.End
	return r, nil
}

// CheckDecision validates a town review or county confirmation: a return
// needs its reason.
func CheckDecision(r Record, action string, proposed, today time.Time) (Record, error) {
	r.Action = action
	if r.Date.IsZero() {
		r.Date = today
	}
	if err := checkDate("date", r.Date, proposed, today); err != nil {
		return r, err
	}
	var err error
	if r.Note, err = checkText("note", r.Note); err != nil {
		return r, err
	}
	if !r.Passed && r.Note == "" {
		return r, safetynet.Invalid("note", "退回时请写明理由", "a return needs its reason")
	}
	return r, nil
}

func checkDate(field string, d, proposed, today time.Time) error {
	if d.IsZero() {
		return safetynet.Invalid(field, "请填写日期", "the date is required")
	}
	if day(d).After(day(today)) {
		return safetynet.Invalid(field, "日期不能晚于今天", "the date cannot be in the future")
	}
	if day(d).Before(day(proposed.Add(-earliest))) {
		return safetynet.Invalid(field, "日期不能早于提出前 30 天", "the date cannot be more than 30 days before the proposal")
	}
	return nil
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// Days counts the days from start to end, both counted.
func Days(start, end time.Time) int { return int(day(end).Sub(day(start)).Hours()/24) + 1 }

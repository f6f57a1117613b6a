package campaigns

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
)

// Concentrated screening (集中排查): every household of the campaign's
// villages is visited within the window by a pair of screeners, who
// record the household's income of the previous 12 months by source, its
// rigid expenses and a short checklist of findings. The per-capita net
// income is (income − rigid expenses) / members. A record suggests
// monitoring when that is below the county's monitoring line of the year
// (规则 › 参数 monitoring_line) or when a finding is a problem; suggested
// households are handed to the monitoring module's inclusion flow by the
// village (see Handover).

// Income sources of the previous 12 months (家庭收入构成).
var IncomeSources = safetynet.Vocab{
	{Code: "wages", ZH: "工资性收入", EN: "wages"},
	{Code: "farming", ZH: "种养殖收入", EN: "farming"},
	{Code: "business", ZH: "经营性收入", EN: "business"},
	{Code: "transfers", ZH: "转移性收入（养老金、补贴）", EN: "transfers and pensions"},
	{Code: "other", ZH: "其他收入", EN: "other income"},
}

// RigidExpenses are the rigid expenses (刚性支出) subtracted from income.
var RigidExpenses = safetynet.Vocab{
	{Code: "medical", ZH: "医疗自付支出", EN: "medical costs paid"},
	{Code: "schooling", ZH: "教育支出", EN: "schooling costs"},
}

// Findings are the checklist items a screening may find to be a problem
// (两不愁三保障 and sudden hardship); each maps to a risk cause of the
// monitoring proposal.
var Findings = safetynet.Vocab{
	{Code: "housing", ZH: "住房不安全", EN: "unsafe housing"},
	{Code: "water", ZH: "饮水不安全", EN: "unsafe drinking water"},
	{Code: "schooling", ZH: "义务教育有失学辍学", EN: "a child out of compulsory school"},
	{Code: "medical", ZH: "基本医疗无保障", EN: "basic medical care not secured"},
	{Code: "sudden", ZH: "遭遇突发困难", EN: "sudden hardship"},
	{Code: "labour", ZH: "缺劳动力", EN: "lack of labour"},
	{Code: "work", ZH: "务工就业不稳", EN: "unstable work"},
}

// findingCause is the risk cause (safetynet.RiskTypes) of each finding.
var findingCause = map[string]string{"housing": "housing", "water": "water", "schooling": "schooling",
	"medical": "illness", "sudden": "accident", "labour": "labour", "work": "employment"}

// maxYuanFen bounds one amount: 10 million yuan.
const maxYuanFen = 10_000_000_00

// Screening is what a pair of screeners records for one household.
type Screening struct {
	ClientID    string
	HouseholdID int64
	Partner     int64 // the second screener's user ID
	ScreenedOn  time.Time
	Members     int
	Income      map[string]int64 // fen per IncomeSources code
	Expenses    map[string]int64 // fen per RigidExpenses code
	Findings    []string
	Note        string
	Version     int // 0 for a new record, else the version corrected
}

// IncomeFen is the household's income of the previous 12 months.
func (s Screening) IncomeFen() int64 { return sum(s.Income) }

// ExpensesFen is the household's rigid expenses of the 12 months.
func (s Screening) ExpensesFen() int64 { return sum(s.Expenses) }

// PerCapitaFen is the per-capita net income.
func (s Screening) PerCapitaFen() int64 {
	return PerCapitaNet(s.IncomeFen(), s.ExpensesFen(), s.Members)
}

func sum(m map[string]int64) int64 {
	var t int64
	for _, v := range m {
		t += v
	}
	return t
}

// PerCapitaNet is (income − rigid expenses) / members, rounded down to
// the fen; 0 members gives 0.
func PerCapitaNet(incomeFen, expensesFen int64, members int) int64 {
	if members <= 0 {
		return 0
	}
	net := incomeFen - expensesFen
	q := net / int64(members)
	if net < 0 && net%int64(members) != 0 {
		q-- // floor, so that a loss is never rounded up towards the line
	}
	return q
}

// Window is the period in which the households are to be screened: the
// campaign's stage of kind StageScreen, or else its whole period.
type Window struct {
	Start, End time.Time // dates, both included
}

// WindowOf picks the window from the campaign's period and its stages.
func WindowOf(startsOn, endsOn time.Time, stages []ScreenStage) Window {
	for _, s := range stages {
		if s.Kind == StageScreen {
			return Window{Start: s.StartsOn, End: s.EndsOn}
		}
	}
	return Window{Start: startsOn, End: endsOn}
}

// ScreenStage is a campaign stage's kind and dates, as the screening's
// window needs them.
type ScreenStage struct {
	Kind             string
	StartsOn, EndsOn time.Time
}

// CheckScreening validates a record and returns it cleaned (findings
// deduplicated in vocabulary order, zero amounts dropped). today is the
// local date; a screening is dated within the window and not after today.
func CheckScreening(in Screening, w Window, today time.Time) (Screening, error) {
	in.ClientID = strings.TrimSpace(in.ClientID)
	if in.ClientID == "" || len(in.ClientID) > 64 {
		return in, safetynet.Invalid("client_id", "缺少记录编号", "client_id is required (at most 64 characters)")
	}
	if in.HouseholdID <= 0 {
		return in, safetynet.Invalid("household_id", "请选择家庭", "household_id is required")
	}
	if in.Partner <= 0 {
		return in, safetynet.Invalid("partner_id", "请选择另一名排查人员", "choose the second screener")
	}
	if in.ScreenedOn.IsZero() {
		return in, safetynet.Invalid("screened_on", "请填写排查日期", "the screening date is required")
	}
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	if day(in.ScreenedOn) > day(today) {
		return in, safetynet.Invalid("screened_on", "排查日期不能晚于今天", "the screening date cannot be in the future")
	}
	if day(in.ScreenedOn) < day(w.Start) || day(in.ScreenedOn) > day(w.End) {
		return in, safetynet.Invalid("screened_on", "排查日期应在排查期 %[1]s 至 %[2]s 之内", "the screening date must be within the window %[1]s to %[2]s",
			day(w.Start), day(w.End))
	}
	if in.Members < 1 || in.Members > 50 {
		return in, safetynet.Invalid("members", "家庭人口应在 1 到 50 人之间", "the number of members must be between 1 and 50")
	}
	var err error
	if in.Income, err = checkAmounts("income", in.Income, IncomeSources); err != nil {
		return in, err
	}
	if in.Expenses, err = checkAmounts("expenses", in.Expenses, RigidExpenses); err != nil {
		return in, err
	}
	seen := map[string]bool{}
	for _, f := range in.Findings {
		if !Findings.Valid(f) {
			return in, safetynet.Invalid("findings", "排查发现无效：%[1]s（可选：%[2]s）", "unknown finding %[1]q", f, Findings.ZHList())
		}
		seen[f] = true
	}
	in.Findings = nil
	for _, c := range Findings.Codes() {
		if seen[c] {
			in.Findings = append(in.Findings, c)
		}
	}
	in.Note = strings.TrimSpace(in.Note)
	if !utf8.ValidString(in.Note) || utf8.RuneCountInString(in.Note) > 1000 {
		return in, safetynet.Invalid("note", "备注过长（最多 1000 字）", "the note is too long (at most 1000 characters)")
	}
	if in.Version < 0 {
		return in, safetynet.Invalid("version", "版本号无效", "version must be 0 for a new record or the version corrected")
	}
	return in, nil
}

func checkAmounts(field string, m map[string]int64, v safetynet.Vocab) (map[string]int64, error) {
	out := map[string]int64{}
	for k, fen := range m {
		if !v.Valid(k) {
			return nil, safetynet.Invalid(field, "未知的项目：%[1]s（可选：%[2]s）", "unknown item %[1]q", k, v.ZHList())
		}
		if fen < 0 || fen > maxYuanFen {
			return nil, safetynet.Invalid(field+"."+k, "“%[1]s”应在 0 到 1000 万元之间", "%[2]s must be between 0 and 10 million yuan",
				v.Label(k, "zh"), v.Label(k, "en"))
		}
		if fen > 0 {
			out[k] = fen
		}
	}
	return out, nil
}

// FormatAmounts writes amounts as code=fen,… in vocabulary order, the
// form the record's detail columns keep.
func FormatAmounts(m map[string]int64, v safetynet.Vocab) string {
	var parts []string
	for _, c := range v.Codes() {
		if m[c] != 0 {
			parts = append(parts, c+"="+strconv.FormatInt(m[c], 10))
		}
	}
	return strings.Join(parts, ",")
}

// ParseAmounts reads what FormatAmounts wrote.
func ParseAmounts(s string) map[string]int64 {
	out := map[string]int64{}
	for _, p := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			out[k] = n
		}
	}
	return out
}

// Suggestion is what a record suggests and why.
type Suggestion struct {
	Suggests  bool
	BelowLine bool     // per-capita net income below the monitoring line
	NoLine    bool     // no monitoring line is set for the county and year: income alone suggests nothing
	Problems  []string // the findings that are problems
}

// Suggest decides whether a record suggests monitoring: the per-capita
// net income is below the monitoring line (lineFen, per capita per year;
// 0 when none is set) or any finding is a problem.
func Suggest(perCapitaFen, lineFen int64, findings []string) Suggestion {
	s := Suggestion{NoLine: lineFen <= 0, Problems: findings}
	s.BelowLine = lineFen > 0 && perCapitaFen < lineFen
	s.Suggests = s.BelowLine || len(findings) > 0
	return s
}

// Reasons says why in words, in lang.
func (s Suggestion) Reasons(lineFen int64, lang string) []string {
	var out []string
	if s.BelowLine {
		if lang == "zh" {
			out = append(out, fmt.Sprintf("人均纯收入低于监测线 %s 元", safetynet.FormatYuan(lineFen)))
		} else {
			out = append(out, fmt.Sprintf("net income per person below the monitoring line of %s yuan", safetynet.FormatYuan(lineFen)))
		}
	}
	for _, f := range s.Problems {
		out = append(out, Findings.Label(f, lang))
	}
	return out
}

// Handover is the proposal a village starts from a suggesting record: the
// monitored type and the risk causes, prefilled from the screening and
// changed by the village if it sees otherwise.
type Handover struct {
	Category string
	Causes   []string
}

// SuggestHandover prefills the proposal: a formerly poor household (脱贫户)
// is proposed as 脱贫不稳定户, a sudden hardship as 突发严重困难户, any other
// as 边缘易致贫户; the causes are the findings' risk causes, and 因务工就业不稳
// when income alone is low (the most common cause of low income found by
// screening), 其他 when nothing else applies.
func SuggestHandover(sg Suggestion, formerlyPoor bool) Handover {
	h := Handover{Category: safetynet.CatMonitorMarginal}
	switch {
	case formerlyPoor:
		h.Category = safetynet.CatMonitorUnstable
	case hasCode(sg.Problems, "sudden"):
		h.Category = safetynet.CatMonitorSudden
	}
	seen := map[string]bool{}
	for _, f := range sg.Problems {
		seen[findingCause[f]] = true
	}
	if sg.BelowLine && len(seen) == 0 {
		seen["employment"] = true
	}
	if len(seen) == 0 {
		seen["other"] = true
	}
	for _, c := range safetynet.RiskTypes.Codes() {
		if seen[c] {
			h.Causes = append(h.Causes, c)
		}
	}
	return h
}

func hasCode(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Share is done/total in per mille, 0 for an empty area.
func Share(done, total int) int {
	if total <= 0 {
		return 0
	}
	return done * 1000 / total
}

// SplitFindings parses the comma-separated finding codes a record keeps.
func SplitFindings(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

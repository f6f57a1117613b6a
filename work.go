package safetynet

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The relay from a clue to help (救助接力): a clue (急难线索) is reported,
// acknowledged by the village, verified at home, and either closed or
// turned into a case; a case records emergency measures, applications for
// assistance measures and their decisions, follow-up visits, and closes
// with an outcome such as risk eliminated (风险消除).
//
// This file holds the relay's vocabularies and input types, shared by the
// web, API and storage layers; the relay's decisions (who acts next, by
// when, who is told, where an overdue step goes, who decides) are in
// package relay.

// ClueKinds are what a grid worker ticks: what happened.
var ClueKinds = Vocab{
	{"fall", "跌倒受伤", "fall or injury", []string{"跌倒", "受伤"}},
	{"illness", "生病住院", "illness or hospitalisation", []string{"生病", "住院", "患病"}},
	{"death", "家人去世", "death in the family", []string{"去世", "死亡"}},
	{"house_damage", "房屋损坏", "house damage", []string{"房屋倒塌", "危房"}},
	{"power_water", "断电断水", "power or water cut", []string{"停电", "停水"}},
	{"no_food", "缺少食物", "no food", []string{"断粮"}},
	{"income_loss", "失去收入或工作", "lost income or job", []string{"失业", "失去收入"}},
	{"dropout", "辍学", "school dropout", nil},
	{"disaster", "遭受灾害", "disaster", []string{"受灾"}},
	{"dispute", "矛盾纠纷", "dispute", nil},
	{"other", "其他", "other", nil},
}

// ClueSources say how a clue reached the system.
var ClueSources = Vocab{
	{"grid", "网格员上报", "grid worker report", nil},
	{"self", "群众自主反映", "resident's own report", []string{"自报"}},
	{"hotline", "热线来电", "hotline call", []string{"12345", "12338"}},
	{"department", "部门推送", "department data", nil},
	{"visit", "走访发现", "visit", nil},
}

// Urgencies of a clue.
var Urgencies = Vocab{
	{"urgent", "紧急", "urgent", nil},
	{"normal", "一般", "normal", nil},
}

// ChecklistItems are the points of the home verification (两不愁三保障,
// water, income and labour).
var ChecklistItems = Vocab{
	{"food", "吃饭", "food", nil},
	{"clothing", "穿衣", "clothing", nil},
	{"schooling", "义务教育", "compulsory schooling", nil},
	{"medical", "基本医疗", "basic medical care", nil},
	{"housing", "住房安全", "safe housing", nil},
	{"water", "饮水安全", "safe drinking water", nil},
	{"income", "收入", "income", nil},
	{"labour", "劳动力", "labour", nil},
}

// Decisions of a verification.
var VerifyDecisions = Vocab{
	{"no_action", "无需帮扶", "no action needed", nil},
	{"emergency", "紧急救助并立案", "emergency help and a case", nil},
	{"open_case", "立案帮扶", "open a case", nil},
}

// Case outcomes.
var CaseOutcomes = Vocab{
	{"risk_eliminated", "风险消除", "risk eliminated", nil},
	{"stable", "情况稳定，转常态监测", "stable, back to routine monitoring", nil},
	{"moved_away", "迁出", "moved away", nil},
	{"deceased", "去世", "deceased", nil},
	{"transferred", "转交其他部门", "transferred to another department", nil},
	{"other", "其他", "other", nil},
}

// NewClue is a clue as a reporter sends it.
type NewClue struct {
	ClientID    string // made on the phone; sending twice gives the same clue
	Source      string
	HouseholdID int64  // 0 for someone not registered
	PersonID    int64  // the person concerned, if known
	Name        string // the person's name when not registered
	PlaceCode   string // where, when not registered
	Kinds       []string
	Urgency     string
	Note        string
	ReportedAt  time.Time // when the reporter saw it (the phone's clock)
	Photo       []byte    // optional JPEG or PNG
}

// MaxPhoto bounds a clue's photo.
const MaxPhoto = 4 << 20

// CheckNewClue validates a clue and normalises it.
func CheckNewClue(c NewClue, now time.Time) (NewClue, error) {
	c.ClientID = strings.TrimSpace(c.ClientID)
	if c.ClientID == "" || len(c.ClientID) > 64 {
		return c, Invalid("client_id", "缺少线索编号（client_id），请刷新页面后重试", "client_id is required (at most 64 characters)")
	}
	if c.Source == "" {
		c.Source = "grid"
	}
	if !ClueSources.Valid(c.Source) {
		return c, Invalid("source", "线索来源无效", "unknown source %q", c.Source)
	}
	if c.HouseholdID == 0 {
		var err error
		if c.Name, err = checkText("name", c.Name, maxName, "姓名"); err != nil {
			return c, err
		}
		if c.Name == "" {
			return c, Invalid("name", "请选择家庭，或填写未登记人员的姓名", "choose a household, or give the name of a person not registered")
		}
		if c.PlaceCode == "" {
			return c, Invalid("place_code", "请选择所在村组", "choose the place")
		}
	}
	if len(c.Kinds) == 0 {
		return c, Invalid("kinds", "请勾选发生了什么", "tick what happened")
	}
	seen := map[string]bool{}
	var kinds []string
	for _, k := range c.Kinds {
		if !ClueKinds.Valid(k) {
			return c, Invalid("kinds", "情况类型无效：%s", "unknown kind %q", k)
		}
		if !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	c.Kinds = kinds
	if c.Urgency == "" {
		c.Urgency = "normal"
	}
	if !Urgencies.Valid(c.Urgency) {
		return c, Invalid("urgency", "紧急程度应为紧急或一般", "urgency must be urgent or normal")
	}
	var err error
	if c.Note, err = checkText("note", c.Note, 1000, "说明"); err != nil {
		return c, err
	}
	// A phone's clock may be wrong or the clue may have waited offline for
	// days; keep its time only when it is plausible.
	if c.ReportedAt.IsZero() || c.ReportedAt.After(now.Add(5*time.Minute)) || c.ReportedAt.Before(now.AddDate(0, 0, -30)) {
		c.ReportedAt = now
	}
	if len(c.Photo) > MaxPhoto {
		return c, Invalid("photo", "照片不能超过4MB", "the photo must be at most 4 MB")
	}
	return c, nil
}

// Measure is an assistance measure of the catalogue (帮扶措施).
type Measure struct {
	Code  string
	ZH    string
	EN    string
	Kind  string // cash, insurance, service, job, credit, housing, education, medical
	Unit  string // once, month, year
	Level Level  // who approves: village, town or county
	// CountyAboveFen sends applications above this amount to the county
	// (0: never).
	CountyAboveFen int64
	DecisionDays   int // working days to decide
	Active         bool
	Position       int
}

// Label returns the measure's name in lang.
func (m Measure) Label(lang string) string {
	if lang == "zh" {
		return m.ZH
	}
	return m.EN
}

// measureCode reports whether c is a catalogue code: 1–32 ASCII letters,
// digits and underscores.
func measureCode(c string) bool {
	if c == "" || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// CheckMeasure validates a catalogue entry.
func CheckMeasure(m Measure) (Measure, error) {
	if !measureCode(m.Code) {
		return m, Invalid("code", "代码只能包含字母、数字和“_”（最多32个字符）", "the code may hold only letters, digits and '_' (up to 32 characters)")
	}
	var err error
	if m.ZH, err = checkText("zh", m.ZH, 40, "名称"); err != nil || m.ZH == "" {
		return m, Invalid("zh", "请填写中文名称", "the Chinese name is required")
	}
	if m.EN, err = checkText("en", m.EN, 80, "英文名称"); err != nil {
		return m, err
	}
	switch m.Level {
	case LevelVillage, LevelTown, LevelCounty:
	default:
		return m, Invalid("level", "审批层级应为村、乡镇或县", "the approving level must be village, town or county")
	}
	if m.DecisionDays < 1 || m.DecisionDays > 90 {
		return m, Invalid("decision_days", "办结时限应为1到90个工作日", "the decision time limit must be 1 to 90 working days")
	}
	if m.CountyAboveFen < 0 {
		return m, Invalid("county_above", "金额不能为负", "the amount cannot be negative")
	}
	return m, nil
}

// AddWorkingDays returns t plus n working days (Monday to Friday), at the
// same time of day.
func AddWorkingDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// TimeLimits are how long each step of the relay may take before it goes
// one level up. They are configurable per deployment.
type TimeLimits struct {
	Urgent StepLimits `json:"urgent"`
	Normal StepLimits `json:"normal"`
	// FollowupDays is the default interval of follow-up visits.
	FollowupDays int `json:"followup_days"`
}

// StepLimits are the limits of one urgency.
type StepLimits struct {
	Acknowledge Duration `json:"acknowledge"`
	Verify      Duration `json:"verify"`
	Help        Duration `json:"help"` // from opening a case to its first help
}

// DefaultTimeLimits are those of the seeds: an urgent clue is answered the
// same day.
var DefaultTimeLimits = TimeLimits{
	Urgent:       StepLimits{Acknowledge: Duration(2 * time.Hour), Verify: Duration(24 * time.Hour), Help: Duration(24 * time.Hour)},
	Normal:       StepLimits{Acknowledge: Duration(24 * time.Hour), Verify: Duration(72 * time.Hour), Help: Duration(72 * time.Hour)},
	FollowupDays: 7,
}

// For returns the limits of an urgency.
func (l TimeLimits) For(urgency string) StepLimits {
	if urgency == "urgent" {
		return l.Urgent
	}
	return l.Normal
}

// Check validates time limits.
func (l TimeLimits) Check() error {
	for _, s := range []StepLimits{l.Urgent, l.Normal} {
		for _, d := range []Duration{s.Acknowledge, s.Verify, s.Help} {
			if time.Duration(d) < time.Minute || time.Duration(d) > 60*24*time.Hour {
				return Invalid("limits", "时限应在1分钟到60天之间", "each time limit must be between 1 minute and 60 days")
			}
		}
	}
	if l.FollowupDays < 1 || l.FollowupDays > 365 {
		return Invalid("followup_days", "回访间隔应为1到365天", "the follow-up interval must be 1 to 365 days")
	}
	return nil
}

// Duration is a time.Duration written in JSON as "2h" or "72h".
type Duration time.Duration

// MarshalText writes the duration like "2h0m0s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads "2h", "90m", "3d" (days).
func (d *Duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 && n <= 3650 {
			*d = Duration(time.Duration(n) * 24 * time.Hour)
			return nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return Invalid("limits", "时限格式应为 2h、90m 或 3d", "durations are written like 2h, 90m or 3d")
	}
	*d = Duration(v)
	return nil
}

// CheckReason validates a free-text reason or note.
func CheckReason(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if required && s == "" {
		return s, Invalid(field, "请填写理由", "a reason is required")
	}
	if utf8.RuneCountInString(s) > 1000 {
		return s, Invalid(field, "不能超过1000个字", "at most 1000 characters")
	}
	return s, nil
}

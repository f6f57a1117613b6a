package safetynet

import "time"

// Subject says whether a record is about a household or a person.
type Subject string

// Subjects.
const (
	SubjectHousehold Subject = "household"
	SubjectPerson    Subject = "person"
)

// Category is a kind of registration a household or person can hold for a
// period: 脱贫户, a monitored kind, 低保, a person group, a risk label…
type Category struct {
	Option
	For Subject
	// Group names categories that exclude each other: assigning one ends
	// the other active one of the same group ("changed").
	Group string
	// Risk is true for risk labels, which carry a risk type; several risk
	// labels with different types may be active at once.
	Risk bool
	// Monitored marks the three kinds of monitored households (三类监测对象).
	Monitored bool
}

// Category codes used in code.
const (
	CatRisk            = "risk"
	CatMonitorSudden   = "monitor_sudden"
	CatMonitorUnstable = "monitor_unstable"
	CatMonitorMarginal = "monitor_marginal"
	CatElderlyAlone    = "elderly_alone"
	CatPersonRisk      = "person_risk"
)

// Categories is the catalogue, households first.
var Categories = []Category{
	{Option: Option{"tuopin", "脱贫户", "formerly poor", []string{"脱贫人口", "脱贫户（已脱贫）"}}, For: SubjectHousehold},
	{Option: Option{CatMonitorUnstable, "脱贫不稳定户", "unstable formerly poor", []string{"脱贫不稳定", "脱贫不稳定人口"}}, For: SubjectHousehold, Group: "monitoring", Monitored: true},
	{Option: Option{CatMonitorMarginal, "边缘易致贫户", "marginal at risk", []string{"边缘易致贫", "边缘户", "边缘易致贫人口"}}, For: SubjectHousehold, Group: "monitoring", Monitored: true},
	{Option: Option{CatMonitorSudden, "突发严重困难户", "sudden severe hardship", []string{"突发严重困难", "突发困难户"}}, For: SubjectHousehold, Group: "monitoring", Monitored: true},
	{Option: Option{"dibao", "低保户", "minimum living allowance", []string{"低保", "低保家庭"}}, For: SubjectHousehold},
	{Option: Option{"tekun", "特困供养户", "extreme-poverty support", []string{"特困", "特困户", "五保户", "五保"}}, For: SubjectHousehold},
	{Option: Option{"ordinary", "一般农户", "ordinary household", []string{"一般户", "普通农户"}}, For: SubjectHousehold},
	{Option: Option{"single_parent", "单亲家庭", "single-parent family", nil}, For: SubjectHousehold},
	{Option: Option{"grandparent_headed", "老人带孩子家庭", "grandparent-headed family", []string{"隔代家庭"}}, For: SubjectHousehold},
	{Option: Option{CatRisk, "风险标注", "risk label", []string{"风险户"}}, For: SubjectHousehold, Risk: true},

	{Option: Option{"dibao_person", "低保对象", "dibao recipient", []string{"低保人员"}}, For: SubjectPerson},
	{Option: Option{"tekun_person", "特困人员", "extreme-poverty supported person", []string{"特困供养人员", "五保对象"}}, For: SubjectPerson},
	{Option: Option{"left_behind_elderly", "留守老人", "left-behind elderly", nil}, For: SubjectPerson},
	{Option: Option{"left_behind_woman", "留守妇女", "left-behind woman", nil}, For: SubjectPerson},
	{Option: Option{"left_behind_child", "留守儿童", "left-behind child", nil}, For: SubjectPerson},
	{Option: Option{CatElderlyAlone, "独居老人", "elderly living alone", []string{"空巢老人"}}, For: SubjectPerson},
	{Option: Option{"child_in_distress", "困境儿童", "child in distress", nil}, For: SubjectPerson},
	{Option: Option{"unsupported_child", "事实无人抚养儿童", "de facto unsupported child", nil}, For: SubjectPerson},
	{Option: Option{"orphan", "孤儿", "orphan", nil}, For: SubjectPerson},
	{Option: Option{"disabled", "残疾人", "person with disability", nil}, For: SubjectPerson},
	{Option: Option{"mental_illness", "精神障碍患者", "mental illness", []string{"精神障碍"}}, For: SubjectPerson},
	{Option: Option{"serious_illness", "大病患者", "serious illness", []string{"重病患者"}}, For: SubjectPerson},
	{Option: Option{CatPersonRisk, "风险标注", "risk label", nil}, For: SubjectPerson, Risk: true},
}

// CategoryByCode returns the category with code.
func CategoryByCode(code string) (Category, bool) {
	for _, c := range Categories {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}

// CategoriesFor lists the categories a subject may hold.
func CategoriesFor(s Subject) []Category {
	var out []Category
	for _, c := range Categories {
		if c.For == s {
			out = append(out, c)
		}
	}
	return out
}

// categoryVocabs are the categories of each subject as vocabularies,
// built once.
var categoryVocabs = func() map[Subject]Vocab {
	m := map[Subject]Vocab{}
	for _, c := range Categories {
		m[c.For] = append(m[c.For], c.Option)
	}
	return m
}()

// ParseCategory finds a category of subject s from a code, label or
// synonym as ledgers write it.
func ParseCategory(s Subject, text string) (Category, bool) {
	code, ok := categoryVocabs[s].Parse(text)
	if !ok {
		return Category{}, false
	}
	return CategoryByCode(code)
}

// CategoryLabel returns the label of a category code in lang.
func CategoryLabel(code, lang string) string {
	if c, ok := CategoryByCode(code); ok {
		if lang == "zh" {
			return c.ZH
		}
		return c.EN
	}
	return code
}

// Assignment is a period during which a household or person held a
// category. Assignments are never overwritten: an assignment is created,
// and later ended with a date and a reason.
type Assignment struct {
	ID          int64
	Subject     Subject
	SubjectID   int64
	Category    string
	RiskType    string // for risk labels and monitored households
	Start       time.Time
	StartReason string
	End         time.Time // zero while active
	EndReason   string    // an EndReasons code
	EndNote     string
	Source      string // "manual", "import", "case", "monitoring"
	CreatedBy   string
	EndedBy     string
}

// Active reports whether the assignment has not ended.
func (a Assignment) Active() bool { return a.End.IsZero() }

// NewAssignment is what a caller supplies to give a category.
type NewAssignment struct {
	Category string
	RiskType string
	Start    time.Time
	Reason   string
	Source   string
}

// EndAssignment ends an active assignment.
type EndAssignment struct {
	End    time.Time
	Reason string // an EndReasons code
	Note   string
}

// CheckNewAssignment validates a new assignment for subject s.
func CheckNewAssignment(s Subject, in NewAssignment, today time.Time) (Category, error) {
	c, ok := CategoryByCode(in.Category)
	if !ok || c.For != s {
		return c, Invalid("category", "类别无效：%s", "unknown category %q", in.Category)
	}
	if in.RiskType != "" && !RiskTypes.Valid(in.RiskType) {
		return c, Invalid("risk_type", "风险类型无效：%s", "unknown risk type %q", in.RiskType)
	}
	if c.Risk && in.RiskType == "" {
		return c, Invalid("risk_type", "风险标注需要风险类型", "a risk label needs a risk type")
	}
	if in.Start.IsZero() {
		return c, Invalid("start", "请填写开始日期", "a start date is required")
	}
	if in.Start.After(today.AddDate(0, 0, 1)) {
		return c, Invalid("start", "开始日期不能晚于今天", "the start date cannot be in the future")
	}
	return c, nil
}

package rules

import (
	"safetynet"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
)

// hField is a household field: its description and how to read it. get
// returns false when the value is not recorded.
type hField struct {
	Field
	get func(h *Household) (ref.Val, bool)
}

// mField is a member field.
type mField struct {
	Field
	get func(m *Member) (ref.Val, bool)
}

func known(v ref.Val) (ref.Val, bool) { return v, true }

func labels(v safetynet.Vocab) []string {
	out := make([]string, len(v))
	for i, o := range v {
		out[i] = o.ZH
	}
	return out
}

// householdFields are the fields of h, in the order the help shows them.
var householdFields = []hField{
	{Field{Name: "id", ZH: "户ID", EN: "household id", Type: TypeInteger, DocZH: "户的编号（系统内）", DocEN: "the household's id in the system"},
		func(h *Household) (ref.Val, bool) { return known(types.Int(h.ID)) }},
	{Field{Name: "place_code", ZH: "所属地区代码", EN: "place code", Type: TypeText, DocZH: "所属村（社区）的区划代码，可用 startsWith 判断所属县乡", DocEN: "division code of the village; use startsWith for its town or county"},
		func(h *Household) (ref.Val, bool) { return known(types.String(h.PlaceCode)) }},
	{Field{Name: "size", ZH: "在户人数", EN: "household size", Type: TypeInteger, DocZH: "在户成员人数（不含已故、迁出）", DocEN: "number of living members in the household"},
		func(h *Household) (ref.Val, bool) { return known(types.Int(len(h.Members))) }},
	{Field{Name: "income_per_capita", ZH: "人均收入", EN: "per-capita income", Type: TypeNumber, Nullable: true, DocZH: "年人均纯收入（元/年），可能未登记", DocEN: "annual per-capita net income (yuan/year), may be not recorded"},
		func(h *Household) (ref.Val, bool) { return types.Double(h.IncomePerCapita), h.IncomeKnown }},
	{Field{Name: "income_year", ZH: "收入年度", EN: "income year", Type: TypeInteger, Nullable: true, DocZH: "人均收入所属年度", DocEN: "the year the income refers to"},
		func(h *Household) (ref.Val, bool) { return types.Int(h.IncomeYear), h.IncomeKnown && h.IncomeYear != 0 }},
	{Field{Name: "housing", ZH: "住房情况", EN: "housing", Type: TypeText, Vocab: labels(safetynet.Housings), DocZH: "住房安全状况，未登记为空字符串", DocEN: "housing safety, \"\" when not recorded"},
		func(h *Household) (ref.Val, bool) { return known(types.String(h.Housing)) }},
	{Field{Name: "water", ZH: "饮水情况", EN: "drinking water", Type: TypeText, Vocab: labels(safetynet.Waters), DocZH: "饮水安全状况，未登记为空字符串", DocEN: "drinking water, \"\" when not recorded"},
		func(h *Household) (ref.Val, bool) { return known(types.String(h.Water)) }},
	{Field{Name: "categories", ZH: "户类别", EN: "household categories", Type: TypeList, Elem: "text", DocZH: "当前持有的户类别（中文名称），判断请用 h.has(\"…\")", DocEN: "household categories held now (Chinese labels); test with h.has(\"…\")"},
		func(h *Household) (ref.Val, bool) { return known(stringList(h.Categories, categoryLabel)) }},
	{Field{Name: "measures", ZH: "享受措施", EN: "measures in force", Type: TypeList, Elem: "text", DocZH: "正在享受的帮扶措施（代码），判断请用 h.has(\"…\")", DocEN: "measures in force (codes); test with h.has(\"…\")"},
		func(h *Household) (ref.Val, bool) { return known(stringList(h.Measures, nil)) }},
	{Field{Name: "members", ZH: "在户成员", EN: "members", Type: TypeList, Elem: "member", DocZH: "在户成员（不含已故、迁出）", DocEN: "living members in the household"},
		func(h *Household) (ref.Val, bool) { return known((*memberList)(&h.Members)) }},
	{Field{Name: "former_members", ZH: "已故或迁出成员", EN: "former members", Type: TypeList, Elem: "member", DocZH: "已故或迁出的成员（用于退出规则）", DocEN: "deceased or departed members (for exit rules)"},
		func(h *Household) (ref.Val, bool) { return known((*memberList)(&h.Former)) }},
	// What a household's risk colour depends on (see Monitoring).
	{Field{Name: "monitored", ZH: "监测对象", EN: "monitored", Type: TypeBool, DocZH: "持有三类监测对象类别之一（脱贫不稳定户、边缘易致贫户、突发严重困难户）", DocEN: "holds one of the three monitored categories"},
		func(h *Household) (ref.Val, bool) { return known(types.Bool(h.Monitored)) }},
	{Field{Name: "monitoring_type", ZH: "监测类型", EN: "monitoring type", Type: TypeText, Vocab: monitoredLabels(), DocZH: "监测对象类别的中文名称，非监测对象为空字符串", DocEN: "the monitored category's Chinese label, \"\" when not monitored"},
		func(h *Household) (ref.Val, bool) { return known(types.String(h.MonitoringType)) }},
	{Field{Name: "monitored_months", ZH: "监测月数", EN: "months monitored", Type: TypeInteger, Nullable: true, DocZH: "纳入监测以来的整月数，非监测对象或开始日期未登记时缺失", DocEN: "whole months since monitoring started, missing when not monitored or the start is not recorded"},
		func(h *Household) (ref.Val, bool) { return types.Int(h.MonitoredMonths), h.MonthsKnown }},
	{Field{Name: "open_clues", ZH: "未核实线索数", EN: "open clues", Type: TypeInteger, DocZH: "本户尚未核实的急难线索数", DocEN: "clues of the household not yet verified"},
		func(h *Household) (ref.Val, bool) { return known(types.Int(h.OpenClues)) }},
	{Field{Name: "open_cases", ZH: "在办案件数", EN: "open cases", Type: TypeInteger, DocZH: "本户尚未结案的帮扶案件数", DocEN: "cases of the household not yet closed"},
		func(h *Household) (ref.Val, bool) { return known(types.Int(h.OpenCases)) }},
	{Field{Name: "open_risks", ZH: "未解决风险", EN: "open risks", Type: TypeList, Elem: "text", DocZH: "未核实线索的情况类型和在办案件的风险类型（中文名称，如 生病住院、因病）", DocEN: "kinds of open clues and risk types of open cases (Chinese labels such as 生病住院, 因病)"},
		func(h *Household) (ref.Val, bool) { return known(stringList(h.OpenRisks, nil)) }},
	{Field{Name: "overdue_steps", ZH: "超时环节数", EN: "overdue steps", Type: TypeInteger, DocZH: "本户线索和案件中已超过时限仍未办结的环节数", DocEN: "open steps of the household's clues and cases past their deadline"},
		func(h *Household) (ref.Val, bool) { return known(types.Int(h.OverdueSteps)) }},
}

// monitoredLabels are the Chinese labels of the monitored categories.
func monitoredLabels() []string {
	var out []string
	for _, c := range safetynet.CategoriesFor(safetynet.SubjectHousehold) {
		if c.Monitored {
			out = append(out, c.ZH)
		}
	}
	return out
}

// memberFields are the fields of m.
var memberFields = []mField{
	{Field{Name: "id", ZH: "人员ID", EN: "person id", Type: TypeInteger, DocZH: "人员编号（系统内）", DocEN: "the person's id in the system"},
		func(m *Member) (ref.Val, bool) { return known(types.Int(m.ID)) }},
	{Field{Name: "age", ZH: "年龄", EN: "age", Type: TypeInteger, Nullable: true, DocZH: "周岁，出生日期未登记时缺失", DocEN: "age in whole years, missing without a birth date"},
		func(m *Member) (ref.Val, bool) { return types.Int(m.Age), m.AgeKnown }},
	{Field{Name: "sex", ZH: "性别", EN: "sex", Type: TypeText, Vocab: []string{"男", "女"}, DocZH: "男、女，未登记为空字符串", DocEN: "男 or 女, \"\" when not recorded"},
		func(m *Member) (ref.Val, bool) { return known(types.String(m.Sex)) }},
	{Field{Name: "relation", ZH: "与户主关系", EN: "relation to head", Type: TypeText, Vocab: labels(safetynet.Relations), DocZH: "与户主关系（户主、配偶、子…）", DocEN: "relation to the head (户主, 配偶, 子…)"},
		func(m *Member) (ref.Val, bool) { return known(types.String(m.Relation)) }},
	{Field{Name: "disability_grade", ZH: "残疾等级", EN: "disability grade", Type: TypeInteger, Nullable: true, DocZH: "1–4级，0 表示无残疾，可能未登记", DocEN: "grade 1–4, 0 for none, may be not recorded"},
		func(m *Member) (ref.Val, bool) { return types.Int(m.DisabilityGrade), m.GradeKnown }},
	{Field{Name: "disability_kind", ZH: "残疾类别", EN: "disability kind", Type: TypeText, Vocab: labels(safetynet.DisabilityKinds), DocZH: "残疾类别，无残疾为空字符串", DocEN: "kind of disability, \"\" for none"},
		func(m *Member) (ref.Val, bool) { return known(types.String(m.DisabilityKind)) }},
	{Field{Name: "health", ZH: "健康状况", EN: "health", Type: TypeText, Vocab: labels(safetynet.HealthStatuses), DocZH: "健康状况", DocEN: "health status"},
		func(m *Member) (ref.Val, bool) { return known(types.String(m.Health)) }},
	{Field{Name: "serious_illness", ZH: "患大病", EN: "serious illness", Type: TypeBool, DocZH: "健康状况为患有大病或持有大病患者类别", DocEN: "health is serious illness or the person holds that category"},
		func(m *Member) (ref.Val, bool) {
			return known(types.Bool(m.Health == "患有大病" || hasCode(m.Categories, "serious_illness")))
		}},
	{Field{Name: "chronic_illness", ZH: "患慢性病", EN: "chronic illness", Type: TypeBool, DocZH: "健康状况为长期慢性病", DocEN: "health is chronic illness"},
		func(m *Member) (ref.Val, bool) { return known(types.Bool(m.Health == "长期慢性病")) }},
	{Field{Name: "education", ZH: "文化程度", EN: "education", Type: TypeText, Vocab: labels(safetynet.Educations), DocZH: "文化程度", DocEN: "schooling level"},
		func(m *Member) (ref.Val, bool) { return known(types.String(m.Education)) }},
	{Field{Name: "in_school", ZH: "在校生", EN: "in school", Type: TypeBool, DocZH: "是否在校", DocEN: "whether in school"},
		func(m *Member) (ref.Val, bool) { return known(types.Bool(m.InSchool)) }},
	{Field{Name: "labour", ZH: "劳动技能", EN: "labour ability", Type: TypeText, Vocab: labels(safetynet.Labours), DocZH: "劳动技能", DocEN: "labour ability"},
		func(m *Member) (ref.Val, bool) { return known(types.String(m.Labour)) }},
	{Field{Name: "able_to_work", ZH: "有劳动能力", EN: "able to work", Type: TypeBool, DocZH: "劳动技能为普通或技能劳动力", DocEN: "labour is 普通劳动力 or 技能劳动力"},
		func(m *Member) (ref.Val, bool) {
			return known(types.Bool(m.Labour == "普通劳动力" || m.Labour == "技能劳动力"))
		}},
	{Field{Name: "deceased", ZH: "已故", EN: "deceased", Type: TypeBool, DocZH: "已故（仅见于 h.former_members）", DocEN: "deceased (only in h.former_members)"},
		func(m *Member) (ref.Val, bool) { return known(types.Bool(m.Deceased)) }},
	{Field{Name: "moved_away", ZH: "已迁出", EN: "moved away", Type: TypeBool, DocZH: "已迁出（仅见于 h.former_members）", DocEN: "moved away (only in h.former_members)"},
		func(m *Member) (ref.Val, bool) { return known(types.Bool(m.MovedAway)) }},
	{Field{Name: "categories", ZH: "人员类别", EN: "person categories", Type: TypeList, Elem: "text", DocZH: "当前持有的人员类别（中文名称），判断请用 m.has(\"…\")", DocEN: "person categories held now (Chinese labels); test with m.has(\"…\")"},
		func(m *Member) (ref.Val, bool) { return known(stringList(m.Categories, categoryLabel)) }},
}

var (
	hFieldByName = map[string]*hField{}
	mFieldByName = map[string]*mField{}
)

func init() {
	for i := range householdFields {
		hFieldByName[householdFields[i].Name] = &householdFields[i]
	}
	for i := range memberFields {
		mFieldByName[memberFields[i].Name] = &memberFields[i]
	}
}

func categoryLabel(code string) string { return safetynet.CategoryLabel(code, "zh") }

func hasCode(codes []string, code string) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

func stringList(codes []string, label func(string) string) ref.Val {
	vals := make([]ref.Val, len(codes))
	for i, c := range codes {
		if label != nil {
			c = label(c)
		}
		vals[i] = types.String(c)
	}
	return types.NewRefValList(types.DefaultTypeAdapter, vals)
}

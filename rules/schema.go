package rules

import "sort"

// Household is one household of the register as rules see it (variable h).
// The storage layer fills it (see FromRegister for the register's types).
// Numeric values that may be unrecorded carry a Known flag: a false flag
// means "not recorded", which is never read as 0.
type Household struct {
	ID        int64
	PlaceCode string
	// IncomePerCapita is the annual per-capita net income in yuan.
	IncomePerCapita float64
	IncomeKnown     bool
	IncomeYear      int
	// Housing and Water are Chinese labels of the register's vocabularies
	// (住房安全, D级危房…), "" when not recorded.
	Housing, Water string
	// Categories are the codes of the household categories held now
	// (dibao, tekun, monitor_marginal…); Measures the codes of the
	// catalogue's measures in force (dibao, disability…).
	Categories []string
	Measures   []string
	// Members are the living members still in the household; Former the
	// deceased or departed ones still on the household's record.
	Members []Member
	Former  []Member
	// Monitoring: monitoring and open relay work, for risk colours
	// (h.monitored, h.open_clues…); not part of Fingerprint.
	Monitoring `json:"-"`
}

// Member is a person of a household as rules see it (variable m in
// h.members.exists(m, …)).
type Member struct {
	ID       int64
	Age      int
	AgeKnown bool
	// Sex is 男, 女 or "" (not recorded).
	Sex string
	// Relation, DisabilityKind, Health, Education and Labour hold Chinese
	// labels of the register's vocabularies ("" when not recorded).
	Relation        string
	DisabilityGrade int // 0 = no disability
	GradeKnown      bool
	DisabilityKind  string
	Health          string
	Education       string
	Labour          string
	InSchool        bool
	Deceased        bool
	MovedAway       bool
	// Categories are the codes of the person categories held now
	// (disabled, left_behind_child…).
	Categories []string
}

// Type names a value type of the schema, as the help page shows it.
type Type string

// Types of fields and parameters.
const (
	TypeNumber  Type = "number"  // CEL double
	TypeInteger Type = "integer" // CEL int
	TypeText    Type = "text"    // CEL string
	TypeBool    Type = "bool"
	TypeList    Type = "list"
)

// Field describes one field a rule may reference.
type Field struct {
	Name     string // as written in rules: income_per_capita
	ZH, EN   string // labels used in explanations and help
	Type     Type
	Elem     string // for lists: "member" or "text"
	Nullable bool   // may be not recorded (see the package doc)
	DocZH    string
	DocEN    string
	// Vocab lists the values of text fields with a closed vocabulary.
	Vocab []string
}

// Function describes a function or macro rules may use.
type Function struct {
	Syntax       string
	DocZH, DocEN string
}

// SchemaDoc is the documented schema, rendered by the UI's help page.
type SchemaDoc struct {
	Household []Field
	Member    []Field
	Params    []Param
	Functions []Function
}

// Schema returns the schema with the default parameters; Env.Schema
// gives an env's own parameters.
func Schema() SchemaDoc { return schema(DefaultParams) }

// Schema returns the schema of the env: the fields of h and m, the
// parameters declared and the functions rules may use.
func (e *Env) Schema() SchemaDoc { return schema(e.params) }

func schema(params []Param) SchemaDoc {
	d := SchemaDoc{Functions: functionDocs}
	for _, f := range householdFields {
		d.Household = append(d.Household, f.Field)
	}
	for _, f := range memberFields {
		d.Member = append(d.Member, f.Field)
	}
	d.Params = append(d.Params, params...)
	sort.Slice(d.Params, func(i, j int) bool { return d.Params[i].Name < d.Params[j].Name })
	return d
}

var functionDocs = []Function{
	{`h.has("特困供养户")`, "户持有该类别或正在享受该措施（中文名称、代码或别名；拼写在编译时检查）", "the household holds the category or receives the measure (Chinese label, code or synonym; checked when compiling)"},
	{`m.has("残疾人")`, "成员持有该人员类别", "the member holds the person category"},
	{`h.count(m, 条件)`, "满足条件的在户成员人数（整数）", "number of living members satisfying the condition (integer)"},
	{`h.members.exists(m, 条件)`, "至少一名在户成员满足条件", "at least one living member satisfies the condition"},
	{`h.members.all(m, 条件)`, "所有在户成员都满足条件", "every living member satisfies the condition"},
	{`h.members.exists_one(m, 条件)`, "恰好一名在户成员满足条件", "exactly one living member satisfies the condition"},
	{`h.members.filter(m, 条件)`, "满足条件的成员列表", "the list of members satisfying the condition"},
	{`size(列表)`, "列表长度", "length of a list"},
	{`has(h.income_per_capita)`, "该值已登记（未登记的值见“缺失值”说明）", "the value is recorded (see missing values)"},
	{`x in [1, 2]`, "属于列表", "membership in a list"},
	{`&& || ! ?:`, "且、或、非、条件表达式", "and, or, not, conditional"},
	{`< <= > >= == !=`, "比较（整数与小数可直接比较）", "comparisons (integers and numbers compare directly)"},
	{`+ - * / %`, "算术（整数与小数不能混算，需 double(x)）", "arithmetic (integers and numbers do not mix: use double(x))"},
	{`double(x) int(x)`, "类型转换", "conversions"},
}

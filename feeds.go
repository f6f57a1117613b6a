package safetynet

// Department data (部门筛查预警): other departments push events about
// persons (a hospital stay, a disability certificate, a death, a school
// dropout, a house rated dangerous…) in batches; each stored event is
// matched to the register when it can be and queued for the warning rules.
// This file holds the shared vocabularies; the feed's checks are in package
// feeds, warnings in package warnings.

// Departments push data through machine accounts (role department); a
// department account's place is its county and its department code is
// its user's department.
var Departments = Vocab{
	{"medical_insurance", "医保局", "medical insurance bureau", []string{"医保", "医疗保障局"}},
	{"education", "教育局", "education bureau", []string{"教育", "教体局"}},
	{"disabled_federation", "残联", "disabled persons' federation", []string{"残疾人联合会"}},
	{"human_resources", "人社局", "human resources and social security bureau", []string{"人社", "人力资源和社会保障局"}},
	{"housing", "住建局", "housing and construction bureau", []string{"住建", "住房和城乡建设局"}},
	{"emergency", "应急局", "emergency management bureau", []string{"应急", "应急管理局"}},
	{"civil_affairs", "民政局", "civil affairs bureau", []string{"民政"}},
	{"public_security", "公安局", "public security bureau (household registration)", []string{"公安", "户籍"}},
	{"health", "卫健局", "health commission", []string{"卫健", "卫生健康局"}},
	{"power", "供电局", "power supply company", []string{"供电", "电力公司"}},
	{"water", "供水公司", "water supply company", []string{"供水", "水务"}},
}

// EventFieldKind is the type of one field of an event.
type EventFieldKind string

// Kinds of event fields. Yuan amounts are stored as integer fen; dates as
// 'YYYY-MM-DD'.
const (
	FieldYuan EventFieldKind = "yuan"
	FieldInt  EventFieldKind = "int"
	FieldText EventFieldKind = "text"
	FieldDate EventFieldKind = "date"
)

// EventField is one field an event of a type may carry besides the
// person, the type and the date.
type EventField struct {
	Name     string // API and storage name, and the rules' e.<name>
	ZH, EN   string
	Kind     EventFieldKind
	Required bool
	// Values, when set, is the field's closed vocabulary (checked on push).
	Values Vocab
}

// EventType is a kind of event departments push.
type EventType struct {
	Option
	Departments []string // who usually sends it (others may too)
	Fields      []EventField
}

// Field returns the field called name.
func (t EventType) Field(name string) (EventField, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return EventField{}, false
}

var housingRatings = Vocab{
	{"C", "C级危房", "grade C dangerous", []string{"C级"}},
	{"D", "D级危房", "grade D dangerous", []string{"D级"}},
}

var utilities = Vocab{
	{"power", "断电", "power cut", []string{"电", "停电"}},
	{"water", "断水", "water cut", []string{"水", "停水"}},
}

// EventTypes are the events departments push.
var EventTypes = []EventType{
	{Option{"hospitalisation", "住院", "hospitalisation", []string{"住院结算"}}, []string{"medical_insurance", "health"}, []EventField{
		{Name: "total_cost", ZH: "医疗总费用", EN: "total cost", Kind: FieldYuan},
		{Name: "oop_cost", ZH: "本次个人自付", EN: "out-of-pocket, this stay", Kind: FieldYuan, Required: true},
		{Name: "oop_ytd", ZH: "年度累计个人自付", EN: "out-of-pocket, year to date", Kind: FieldYuan},
		{Name: "discharge_date", ZH: "出院日期", EN: "discharge date", Kind: FieldDate},
	}},
	{Option{"outpatient_large", "大额门诊", "large outpatient costs", []string{"门诊大额", "门特"}}, []string{"medical_insurance"}, []EventField{
		{Name: "oop_cost", ZH: "本次个人自付", EN: "out-of-pocket, this time", Kind: FieldYuan, Required: true},
		{Name: "oop_ytd", ZH: "年度累计个人自付", EN: "out-of-pocket, year to date", Kind: FieldYuan},
	}},
	{Option{"disability_certified", "残疾证办理或评级", "disability certificate issued or graded", []string{"残疾证", "办证"}}, []string{"disabled_federation"}, []EventField{
		{Name: "grade", ZH: "残疾等级", EN: "grade", Kind: FieldInt, Required: true},
		{Name: "kind", ZH: "残疾类别", EN: "kind", Kind: FieldText, Values: DisabilityKinds},
	}},
	{Option{"death", "死亡", "death", []string{"死亡注销", "火化"}}, []string{"public_security", "health", "civil_affairs"}, nil},
	{Option{"unemployment", "失业登记", "unemployment registration", []string{"失业"}}, []string{"human_resources"}, nil},
	{Option{"work_injury", "工伤致失业", "loss of work through injury", []string{"工伤"}}, []string{"human_resources"}, nil},
	{Option{"school_dropout", "辍学", "school dropout", []string{"失学辍学"}}, []string{"education"}, []EventField{
		{Name: "school", ZH: "学校", EN: "school", Kind: FieldText},
	}},
	{Option{"education_cost", "高额教育支出", "high education costs", []string{"教育支出"}}, []string{"education"}, []EventField{
		{Name: "cost", ZH: "年度教育支出", EN: "yearly education costs", Kind: FieldYuan, Required: true},
	}},
	{Option{"dangerous_housing", "危房鉴定", "housing rated dangerous", []string{"危房"}}, []string{"housing"}, []EventField{
		{Name: "rating", ZH: "鉴定等级", EN: "rating", Kind: FieldText, Required: true, Values: housingRatings},
	}},
	{Option{"disaster_damage", "灾害损失", "disaster damage", []string{"受灾"}}, []string{"emergency"}, []EventField{
		{Name: "loss", ZH: "损失金额", EN: "loss", Kind: FieldYuan},
		{Name: "disaster", ZH: "灾害种类", EN: "disaster", Kind: FieldText},
	}},
	{Option{"utility_cut", "断电断水", "power or water cut", []string{"停电", "停水", "欠费停供"}}, []string{"power", "water"}, []EventField{
		{Name: "utility", ZH: "断供类型", EN: "utility", Kind: FieldText, Required: true, Values: utilities},
		{Name: "days", ZH: "断供天数", EN: "days cut", Kind: FieldInt},
	}},
	{Option{"assistance_stopped", "低保或特困停发", "dibao or tekun payment stopped", []string{"停保", "停发"}}, []string{"civil_affairs"}, []EventField{
		{Name: "measure", ZH: "停发项目", EN: "measure stopped", Kind: FieldText, Required: true},
	}},
}

// EventTypeOf returns the event type with the given code, label or synonym.
func EventTypeOf(text string) (EventType, bool) {
	var v Vocab
	for _, t := range EventTypes {
		v = append(v, t.Option)
	}
	code, ok := v.Parse(text)
	if !ok {
		return EventType{}, false
	}
	for _, t := range EventTypes {
		if t.Code == code {
			return t, true
		}
	}
	return EventType{}, false
}

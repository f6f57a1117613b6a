package safetynet

import "strings"

// Option is one value of a closed vocabulary: a stable code stored in the
// database and used by the API, its labels, and the other ways ledgers
// write it (synonyms), which imports recognise.
type Option struct {
	Code     string
	ZH, EN   string
	Synonyms []string
}

// Vocab is a closed vocabulary.
type Vocab []Option

// Valid reports whether code is in the vocabulary.
func (v Vocab) Valid(code string) bool {
	for _, o := range v {
		if o.Code == code {
			return true
		}
	}
	return false
}

// Label returns the label of code in lang, or code itself if unknown.
func (v Vocab) Label(code, lang string) string {
	for _, o := range v {
		if o.Code == code {
			if lang == "zh" {
				return o.ZH
			}
			return o.EN
		}
	}
	return code
}

// Parse finds the code for text written as a code, a label or a synonym,
// ignoring surrounding spaces and case.
func (v Vocab) Parse(text string) (string, bool) {
	t := strings.ToLower(strings.TrimSpace(text))
	if t == "" {
		return "", false
	}
	for _, o := range v {
		if t == o.Code || t == strings.ToLower(o.ZH) || t == strings.ToLower(o.EN) {
			return o.Code, true
		}
		for _, s := range o.Synonyms {
			if t == strings.ToLower(s) {
				return o.Code, true
			}
		}
	}
	return "", false
}

// Codes lists the codes in order.
func (v Vocab) Codes() []string {
	out := make([]string, len(v))
	for i, o := range v {
		out[i] = o.Code
	}
	return out
}

// ZHList returns the Chinese labels joined with "、", for error messages.
func (v Vocab) ZHList() string {
	out := make([]string, len(v))
	for i, o := range v {
		out[i] = o.ZH
	}
	return strings.Join(out, "、")
}

// Relations are the relations of a household member to the head (与户主关系).
// Ledgers and the national monitoring system's exports (e.g. 之子, 之岳父,
// 之外孙女) are more or less precise; a generic word (子女, 孙子女, 父母)
// maps to a generic code, a precise one to its precise code.
var Relations = Vocab{
	{"head", "户主", "head of household", []string{"本人", "户主本人"}},
	{"spouse", "配偶", "spouse", []string{"妻", "妻子", "夫", "丈夫", "之妻", "之夫", "之配偶", "爱人", "老伴"}},
	{"son", "子", "son", []string{"儿子", "之子", "长子", "次子", "三子", "四子", "五子", "养子", "继子", "独子"}},
	{"daughter", "女", "daughter", []string{"女儿", "之女", "长女", "次女", "三女", "四女", "五女", "养女", "继女", "独女"}},
	{"child", "子女", "child", []string{"之子女", "孩子", "小孩"}},
	{"daughter_in_law", "儿媳", "daughter-in-law", []string{"之儿媳", "媳妇", "儿媳妇"}},
	{"son_in_law", "女婿", "son-in-law", []string{"之女婿"}},
	{"grandson", "孙子", "grandson", []string{"之孙子", "孙", "长孙", "次孙", "外孙子", "外孙", "之外孙子"}},
	{"granddaughter", "孙女", "granddaughter", []string{"之孙女", "长孙女", "次孙女", "外孙女", "之外孙女"}},
	{"grandchild", "孙子女", "grandchild", []string{"之孙子女", "外孙子女", "之外孙子女", "孙辈"}},
	{"great_grandchild", "曾孙子女", "great-grandchild", []string{"之曾孙子女", "曾孙", "曾孙子", "曾孙女", "之曾孙子", "之曾孙女",
		"曾外孙子", "曾外孙女", "曾外孙子女"}},
	{"father", "父亲", "father", []string{"父", "之父", "爸爸"}},
	{"mother", "母亲", "mother", []string{"母", "之母", "妈妈"}},
	{"parent", "父母", "parent", []string{"之父母", "双亲"}},
	{"father_in_law", "岳父/公公", "father-in-law", []string{"岳父", "公公", "之岳父", "之公公"}},
	{"mother_in_law", "岳母/婆婆", "mother-in-law", []string{"岳母", "婆婆", "之岳母", "之婆婆"}},
	{"grandparent", "祖父母", "grandparent", []string{"祖父", "祖母", "外祖父", "外祖母", "外祖父母", "之祖父", "之祖母",
		"之外祖父", "之外祖母", "之祖父母", "之外祖父母", "爷爷", "奶奶", "外公", "外婆"}},
	{"sibling", "兄弟姐妹", "sibling", []string{"兄", "弟", "姐", "妹", "兄弟", "姐妹", "之兄弟姐妹", "哥哥", "弟弟", "姐姐", "妹妹"}},
	{"other", "其他", "other", []string{"其他亲属", "非亲属", "其它", "之其他"}},
}

// DisabilityKinds are the categories of disability (残疾类别).
var DisabilityKinds = Vocab{
	{"visual", "视力残疾", "visual", []string{"视力"}},
	{"hearing", "听力残疾", "hearing", []string{"听力"}},
	{"speech", "言语残疾", "speech", []string{"言语"}},
	{"physical", "肢体残疾", "physical", []string{"肢体"}},
	{"intellectual", "智力残疾", "intellectual", []string{"智力"}},
	{"mental", "精神残疾", "mental", []string{"精神"}},
	{"multiple", "多重残疾", "multiple", []string{"多重"}},
}

// HealthStatuses are the health states ledgers record (健康状况).
var HealthStatuses = Vocab{
	{"healthy", "健康", "healthy", nil},
	{"chronic", "长期慢性病", "chronic illness", []string{"慢性病"}},
	{"serious", "患有大病", "serious illness", []string{"大病", "重病", "患大病"}},
	{"disabled", "残疾", "disabled", nil},
}

// Educations are levels of schooling (文化程度).
var Educations = Vocab{
	{"preschool", "学龄前儿童", "pre-school", []string{"学龄前"}},
	{"illiterate", "文盲或半文盲", "illiterate", []string{"文盲", "半文盲"}},
	{"primary", "小学", "primary school", nil},
	{"junior", "初中", "junior secondary", nil},
	{"senior", "高中", "senior secondary", nil},
	{"vocational", "中职", "vocational secondary", []string{"中专", "技校", "职高"}},
	{"college", "大专", "college", nil},
	{"bachelor", "本科及以上", "bachelor or above", []string{"本科", "研究生"}},
}

// Labours are the labour abilities ledgers record (劳动技能).
var Labours = Vocab{
	{"normal", "普通劳动力", "able to work", []string{"劳动力"}},
	{"skilled", "技能劳动力", "skilled worker", nil},
	{"weak", "弱劳动力或半劳动力", "partly able to work", []string{"弱劳动力", "半劳动力"}},
	{"lost", "丧失劳动力", "unable to work", nil},
	{"none", "无劳动力", "no labour (child, student, elderly)", nil},
}

// Housings are states of a household's housing (住房安全).
var Housings = Vocab{
	{"safe", "住房安全", "safe", []string{"安全"}},
	{"c_level", "C级危房", "C-level unsafe", []string{"C级"}},
	{"d_level", "D级危房", "D-level unsafe", []string{"D级"}},
	{"none", "无房", "no housing", nil},
}

// Waters are states of a household's drinking water (饮水安全).
var Waters = Vocab{
	{"safe", "饮水安全", "safe", []string{"安全"}},
	{"insufficient", "供水不足", "insufficient supply", nil},
	{"unsafe", "水质不达标", "unsafe quality", nil},
}

// RiskTypes are the causes of poverty risk (返贫致贫风险类型).
var RiskTypes = Vocab{
	{"illness", "因病", "illness", []string{"因病致贫", "因病返贫"}},
	{"disability", "因残", "disability", []string{"因残致贫"}},
	{"schooling", "因学", "schooling costs", []string{"因学致贫"}},
	{"disaster", "因灾", "disaster", []string{"因灾致贫"}},
	{"accident", "因意外事故", "accident", []string{"因意外", "意外事故"}},
	{"business", "因产业失败", "failed business", []string{"产业失败"}},
	{"employment", "因务工就业不稳", "unstable work", []string{"务工就业不稳", "就业不稳"}},
	{"labour", "缺劳动力", "lack of labour", []string{"缺劳力"}},
	{"housing", "住房出现安全问题", "unsafe housing", []string{"住房", "住房安全"}},
	{"water", "饮水安全问题", "unsafe water", []string{"饮水", "饮水安全"}},
	{"other", "其他", "other", []string{"其他原因"}},
}

// EndReasons say why a category ended.
var EndReasons = Vocab{
	{"risk_eliminated", "风险消除", "risk eliminated", []string{"已消除风险"}},
	{"exited", "退出", "exited", []string{"自然退出"}},
	{"changed", "类别变更", "changed category", nil},
	{"error", "录入错误", "entered in error", nil},
	{"deceased", "死亡", "deceased", nil},
	{"moved_away", "迁出", "moved away", nil},
	{"other", "其他", "other", nil},
}

package ledger

import (
	"strconv"
	"strings"
	"unicode"

	"safetynet"
)

// Field is a column a ledger may hold. Its string is the stable code used
// by the mapping form (see ParseMapping).
type Field string

// The fields a ledger may hold.
const (
	FieldHouseholdNumber   Field = "household_number"
	FieldPlace             Field = "place"
	FieldPlaceCode         Field = "place_code"
	FieldAddress           Field = "address"
	FieldHeadName          Field = "head_name"
	FieldHeadID            Field = "head_id"
	FieldName              Field = "name"
	FieldIDNumber          Field = "id_number"
	FieldRelation          Field = "relation"
	FieldFamilySize        Field = "family_size"
	FieldPhone             Field = "phone"
	FieldHouseholdCategory Field = "household_category"
	FieldRiskType          Field = "risk_type"
	FieldIncome            Field = "income"
	FieldIncomeYear        Field = "income_year"
	FieldSex               Field = "sex"
	FieldBirth             Field = "birth"
	FieldHealth            Field = "health"
	FieldDisabilityKind    Field = "disability_kind"
	FieldDisabilityGrade   Field = "disability_grade"
	FieldEducation         Field = "education"
	FieldInSchool          Field = "in_school"
	FieldLabour            Field = "labour"
	FieldWork              Field = "work"
	FieldPersonCategory    Field = "person_category"
	FieldHousing           Field = "housing"
	FieldWater             Field = "water"
	FieldNotes             Field = "notes"
	FieldStartDate         Field = "start_date"
)

// FieldInfo describes a field for the mapping form: its labels and the
// other header texts that Detect recognises for it.
type FieldInfo struct {
	Field    Field
	ZH, EN   string   // the header Export and Template write, in each language
	Synonyms []string // other headers recognised, besides ZH, EN and the code
}

// Fields lists every field in the order a mapping form shows them.
var Fields = []FieldInfo{
	{FieldHouseholdNumber, "户编号", "Household number", []string{"户号", "家庭编号", "户码"}},
	{FieldPlace, "所属村组", "Village or group", []string{"村组", "所在村组", "组别", "村民小组", "所属网格", "网格", "所属村", "所在村", "所属村社区", "村社区", "村居", "所属村居", "村名", "所属地区"}},
	{FieldPlaceCode, "地区代码", "Place code", []string{"区划代码", "行政区划代码", "地区编码", "所属地区代码"}},
	{FieldAddress, "家庭住址", "Address", []string{"住址", "详细地址", "家庭地址", "地址", "现住址"}},
	{FieldHeadName, "户主姓名", "Head of household", []string{"户主"}},
	{FieldHeadID, "户主身份证号", "Head's ID number", []string{"户主身份证号码", "户主证件号码", "户主公民身份号码"}},
	{FieldName, "姓名", "Name", []string{"成员姓名", "家庭成员姓名", "人员姓名"}},
	{FieldIDNumber, "身份证号", "ID number", []string{"身份证号码", "证件号码", "公民身份号码", "身份证", "证件号", "成员身份证号", "成员身份证号码"}},
	{FieldRelation, "与户主关系", "Relation to head", []string{"关系", "与户主的关系"}},
	{FieldFamilySize, "家庭人口", "Family size", []string{"家庭人口数", "人口数", "户人口", "户人口数", "家庭人数"}},
	{FieldPhone, "联系电话", "Phone", []string{"电话", "手机号", "手机号码", "联系方式", "电话号码"}},
	{FieldHouseholdCategory, "监测对象类型", "Household category", []string{"户类型", "户类别", "监测类型", "家庭类别", "监测对象类别", "户属性"}},
	{FieldRiskType, "风险类型", "Risk types", []string{"致贫返贫风险", "返贫致贫风险", "返贫致贫风险类型", "致贫返贫风险类型", "风险类别", "主要风险"}},
	{FieldIncome, "人均纯收入", "Income per head", []string{"家庭人均纯收入", "人均收入", "年人均纯收入"}},
	{FieldIncomeYear, "收入年度", "Income year", []string{"收入年份"}},
	{FieldSex, "性别", "Sex", nil},
	{FieldBirth, "出生日期", "Birth date", []string{"出生年月", "出生年月日"}},
	{FieldHealth, "健康状况", "Health", []string{"健康状态"}},
	{FieldDisabilityKind, "残疾类别", "Disability", []string{"残疾类型"}},
	{FieldDisabilityGrade, "残疾等级", "Disability grade", []string{"残疾级别"}},
	{FieldEducation, "文化程度", "Education", []string{"学历"}},
	{FieldInSchool, "在校生", "In school", []string{"在校生情况", "是否在校", "在校情况", "是否在校生"}},
	{FieldLabour, "劳动技能", "Labour", []string{"劳动能力"}},
	{FieldWork, "务工情况", "Work", []string{"就业情况", "务工状况"}},
	{FieldPersonCategory, "人员类别", "Person categories", []string{"人员类型", "特殊人群"}},
	{FieldHousing, "住房情况", "Housing", []string{"住房", "住房安全", "住房安全情况"}},
	{FieldWater, "饮水情况", "Drinking water", []string{"饮水", "饮水安全", "饮水安全情况"}},
	{FieldNotes, "备注", "Notes", nil},
	{FieldStartDate, "纳入时间", "Start date", []string{"识别时间", "认定时间", "纳入日期", "识别日期", "认定日期"}},
}

// Info returns the description of f.
func (f Field) Info() (FieldInfo, bool) {
	for _, fi := range Fields {
		if fi.Field == f {
			return fi, true
		}
	}
	return FieldInfo{}, false
}

// Label returns the field's header in lang ("zh" or "en").
func (f Field) Label(lang string) string {
	fi, ok := f.Info()
	switch {
	case !ok:
		return string(f)
	case lang == "zh":
		return fi.ZH
	}
	return fi.EN
}

// headerIndex maps normalised header texts to fields.
var headerIndex = func() map[string]Field {
	idx := map[string]Field{}
	for _, fi := range Fields {
		for _, h := range append([]string{string(fi.Field), fi.ZH, fi.EN}, fi.Synonyms...) {
			idx[normHeader(h)] = fi.Field
		}
	}
	return idx
}()

// normHeader reduces a header to what matching compares: hints in
// brackets, white space, required-markers and separators are dropped and
// ASCII letters are lower-cased.
func normHeader(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(' || r == '（' || r == '【' || r == '[' || r == '〔':
			depth++
		case r == ')' || r == '）' || r == '】' || r == ']' || r == '〕':
			if depth > 0 {
				depth--
			}
		case depth > 0, unicode.IsSpace(r), strings.ContainsRune("*＊※:：_-—·'\"", r):
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lookupHeader finds the field a header names; a trailing unit (元, 人,
// 年) is ignored when the header is not otherwise known.
func lookupHeader(h string) (Field, bool) {
	n := normHeader(h)
	if n == "" {
		return "", false
	}
	if f, ok := headerIndex[n]; ok {
		return f, true
	}
	for _, unit := range []string{"元", "人", "/元", "/人"} {
		if t, ok := strings.CutSuffix(n, unit); ok && t != "" {
			if f, ok := headerIndex[t]; ok {
				return f, true
			}
		}
	}
	return "", false
}

// Mapping says which column (0-based) holds each field.
type Mapping map[Field]int

// Detect maps the recognised headers to their fields; the first column of
// a field wins. A ledger of one row per household that names its head
// only (户主姓名, 户主身份证号) has those columns used for the person too.
func Detect(header []string) Mapping {
	m := Mapping{}
	for i, h := range header {
		if f, ok := lookupHeader(h); ok {
			if _, dup := m[f]; !dup {
				m[f] = i
			}
		}
	}
	if _, ok := m[FieldName]; !ok {
		if c, ok := m[FieldHeadName]; ok {
			m[FieldName] = c
			if c, ok := m[FieldHeadID]; ok {
				if _, has := m[FieldIDNumber]; !has {
					m[FieldIDNumber] = c
				}
			}
		}
	}
	return m
}

func (m Mapping) has(f Field) bool { _, ok := m[f]; return ok }

// Missing lists the required fields the mapping lacks: name; place (or
// place_code), which a caller that passes Options.DefaultPlace may ignore
// (see MissingWith); and id_number unless relation is mapped, since rows
// need one of them to be grouped into households and matched.
func (m Mapping) Missing() []Field {
	var out []Field
	if !m.has(FieldName) {
		out = append(out, FieldName)
	}
	if !m.has(FieldPlace) && !m.has(FieldPlaceCode) {
		out = append(out, FieldPlace)
	}
	if !m.has(FieldIDNumber) && !m.has(FieldRelation) {
		out = append(out, FieldIDNumber)
	}
	return out
}

// MissingWith is Missing for a Build with opt: a default place makes the
// place column optional.
func (m Mapping) MissingWith(opt Options) []Field {
	out := m.Missing()
	if opt.DefaultPlace == "" {
		return out
	}
	kept := out[:0]
	for _, f := range out {
		if f != FieldPlace {
			kept = append(kept, f)
		}
	}
	return kept
}

// ParseMapping applies a mapping form to the detected mapping of header:
// values maps a field code to a 0-based column index written in decimal,
// or to "" to leave the field unmapped. Fields the form omits keep their
// detected column. Unknown fields and columns outside header are errors.
func ParseMapping(values map[string]string, header []string) (Mapping, error) {
	m := Detect(header)
	for k, v := range values {
		f := Field(k)
		fi, ok := f.Info()
		if !ok {
			return nil, safetynet.Invalid("mapping", "未知的字段：%s", "unknown field %q", k)
		}
		v = strings.TrimSpace(v)
		if v == "" {
			delete(m, f)
			continue
		}
		col, err := strconv.Atoi(v)
		if err != nil || col < 0 || col >= len(header) {
			return nil, safetynet.Text(safetynet.EInvalid, k, "“"+fi.ZH+"”对应的列无效", "the column chosen for "+fi.EN+" is invalid")
		}
		m[f] = col
	}
	return m, nil
}

package feeds

import (
	"fmt"
	"strconv"
	"strings"

	"safetynet"
)

// A department's spreadsheet has its own headers. A Mapping says which
// of our fields each header holds; Detect proposes one from the usual
// headers, the department corrects it once and it is saved and offered
// again with the department's next file.

// Mapping maps a department's column headers onto a row's fields.
type Mapping struct {
	// Columns maps a header (as normalised by NormHeader) to a field
	// name: a base field (row_key, id_number, name, event_type, date,
	// address) or an event type's field; "" ignores the column.
	Columns map[string]string `json:"columns"`
	// EventType is the type of every row when no column holds the type
	// (a file of hospital stays only).
	EventType string `json:"event_type,omitempty"`
}

// Target is a field a column may be mapped to.
type Target struct {
	Name, ZH, EN string
}

// Targets lists the fields a column may be mapped to: the base fields,
// then every event type's fields once.
func Targets() []Target {
	var out []Target
	seen := map[string]bool{}
	for _, f := range baseFields {
		out = append(out, Target{f.Name, f.ZH, f.EN})
		seen[f.Name] = true
	}
	for _, t := range safetynet.EventTypes {
		for _, f := range t.Fields {
			if !seen[f.Name] {
				seen[f.Name] = true
				out = append(out, Target{f.Name, f.ZH, f.EN})
			}
		}
	}
	return out
}

// headerSynonyms are the usual headers of department files besides the
// fields' own labels and names.
var headerSynonyms = map[string][]string{
	"row_key":        {"流水号", "结算单号", "单据号", "业务编号", "编号", "记录号", "结算编号", "住院号", "业务流水号", "key"},
	"id_number":      {"身份证号码", "证件号码", "公民身份号码", "身份证", "证件号", "参保人身份证号", "身份证件号码"},
	"name":           {"参保人姓名", "患者姓名", "学生姓名", "姓名名称", "名字", "人员姓名"},
	"event_type":     {"类型", "业务类型", "事件", "事项"},
	"date":           {"发生日期", "入院日期", "结算日期", "办证日期", "登记日期", "鉴定日期", "死亡日期", "停发日期", "断供日期", "受灾日期", "辍学日期"},
	"address":        {"住址", "家庭住址", "户籍地址", "现住址", "居住地址", "家庭地址"},
	"total_cost":     {"总费用", "住院总费用", "费用总额", "医疗费用总额"},
	"oop_cost":       {"个人自付", "自付金额", "个人负担", "本次自付", "个人自付金额", "个人负担金额"},
	"oop_ytd":        {"累计自付", "年度累计自付", "累计个人自付", "年度个人自付累计"},
	"discharge_date": {"出院时间"},
	"grade":          {"等级", "残疾级别"},
	"kind":           {"类别", "残疾类型"},
	"school":         {"就读学校", "学校名称"},
	"cost":           {"教育支出", "教育费用"},
	"rating":         {"危房等级", "等级评定"},
	"loss":           {"直接经济损失", "损失"},
	"disaster":       {"灾种", "灾害类型"},
	"utility":        {"停供类型"},
	"days":           {"停供天数"},
	"measure":        {"停发类型", "停保项目"},
}

var headerIndex = func() map[string]string {
	m := map[string]string{}
	add := func(h, name string) {
		if k := NormHeader(h); k != "" {
			if _, dup := m[k]; !dup {
				m[k] = name
			}
		}
	}
	for _, t := range Targets() {
		add(t.Name, t.Name)
		add(t.ZH, t.Name)
		add(t.EN, t.Name)
	}
	for name, syn := range headerSynonyms {
		for _, h := range syn {
			add(h, name)
		}
	}
	return m
}()

// NormHeader is the form of a header mappings are keyed by: no spaces,
// lower case, no unit in brackets at the end ("自付金额（元）" is 自付金额).
func NormHeader(h string) string {
	h = strings.ToLower(strings.Join(strings.Fields(h), ""))
	for _, unit := range []string{"(元)", "（元）", "/元", "(天)", "（天）"} {
		h = strings.TrimSuffix(h, unit)
	}
	return h
}

// KnownHeader reports whether a header names one of our fields; a
// spreadsheet reader uses it to find the header row.
func KnownHeader(h string) bool {
	_, ok := headerIndex[NormHeader(h)]
	return ok
}

// Detect proposes a mapping of header's columns, the saved mapping of the
// department overriding what it names.
func Detect(header []string, saved Mapping) Mapping {
	m := Mapping{Columns: map[string]string{}, EventType: saved.EventType}
	used := map[string]bool{}
	for _, h := range header {
		k := NormHeader(h)
		if k == "" {
			continue
		}
		if f, ok := saved.Columns[k]; ok {
			m.Columns[k] = f
			if f != "" {
				used[f] = true
			}
		}
	}
	for _, h := range header {
		k := NormHeader(h)
		if _, done := m.Columns[k]; done || k == "" {
			continue
		}
		f := headerIndex[k]
		if used[f] {
			f = "" // the first column of a field wins
		}
		m.Columns[k] = f
		if f != "" {
			used[f] = true
		}
	}
	return m
}

// Check verifies that a mapping can make rows: the ID number and the date
// come from columns, the type from a column or the mapping, and no field
// is taken from two columns.
func (m Mapping) Check() error {
	used := map[string]string{}
	valid := map[string]bool{}
	for _, t := range Targets() {
		valid[t.Name] = true
	}
	for h, f := range m.Columns {
		if f == "" {
			continue
		}
		if !valid[f] {
			return safetynet.Invalid("mapping", "未知的字段“%s”", "unknown field %q", f)
		}
		if other, dup := used[f]; dup {
			zh, en := FieldLabel(f)
			return safetynet.Text(safetynet.EInvalid, "mapping", fmt.Sprintf("“%s”和“%s”两列都对应“%s”", other, h, zh),
				fmt.Sprintf("columns %q and %q both map to %s", other, h, en))
		}
		used[f] = h
	}
	for _, f := range []string{"id_number", "date"} {
		if _, ok := used[f]; !ok {
			zh, en := FieldLabel(f)
			return safetynet.Text(safetynet.EInvalid, "mapping", fmt.Sprintf("请指定哪一列是“%s”", zh), fmt.Sprintf("say which column holds the %s", en))
		}
	}
	if _, ok := used["event_type"]; !ok {
		if _, ok := safetynet.EventTypeOf(m.EventType); !ok {
			return safetynet.Invalid("event_type", "没有“事件类型”列时，请选择整个文件的事件类型", "with no event type column, choose the event type of the whole file")
		}
	}
	return nil
}

// Rows turns a sheet's rows into batch rows. numbers are the rows' sheet
// row numbers; a row without a row key column is keyed by its number.
func (m Mapping) Rows(header []string, numbers []int, cells [][]string) []Row {
	cols := make([]string, len(header))
	for i, h := range header {
		cols[i] = m.Columns[NormHeader(h)]
	}
	out := make([]Row, len(cells))
	for i, rc := range cells {
		r := Row{No: numbers[i], EventType: m.EventType, Fields: map[string]string{}}
		keyed := false
		for c, f := range cols {
			if f == "" || c >= len(rc) {
				continue
			}
			v := rc[c]
			switch f {
			case "row_key":
				r.Key, keyed = v, true
			case "id_number":
				r.IDNumber = v
			case "name":
				r.Name = v
			case "event_type":
				if v != "" {
					r.EventType = v
				}
			case "date":
				r.Date = v
			case "address":
				r.Address = v
			default:
				r.Fields[f] = v
			}
		}
		if !keyed {
			r.Key = strconv.Itoa(numbers[i])
		}
		out[i] = r
	}
	return out
}

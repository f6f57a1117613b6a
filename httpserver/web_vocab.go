package httpserver

import (
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strings"
	"time"

	"safetynet"
	"safetynet/divisions"
	"safetynet/ledger"
	"safetynet/sqlstore"
)

// vocabs are the closed vocabularies templates may list, by name.
var vocabs = map[string]safetynet.Vocab{
	"relation": safetynet.Relations, "disability": safetynet.DisabilityKinds, "health": safetynet.HealthStatuses,
	"education": safetynet.Educations, "labour": safetynet.Labours, "housing": safetynet.Housings, "water": safetynet.Waters,
	"risk": safetynet.RiskTypes, "end_reason": safetynet.EndReasons, "sex": safetynet.Sexes,
}

// Opts returns a vocabulary for a select.
func (p *page) Opts(name string) safetynet.Vocab { return vocabs[name] }

// Label returns the option's label in the page's language.
func (p *page) Label(o safetynet.Option) string {
	if p.Lang == "zh" {
		return o.ZH
	}
	return o.EN
}

// L returns the label of a code of a vocabulary, "" for an empty code.
func (p *page) L(name, code string) string {
	if code == "" {
		return ""
	}
	return vocabs[name].Label(code, p.Lang)
}

// Cat returns the label of a category code.
func (p *page) Cat(code string) string { return safetynet.CategoryLabel(code, p.Lang) }

// Cats lists the categories of "household" or "person".
func (p *page) Cats(subject string) []safetynet.Category {
	return safetynet.CategoriesFor(safetynet.Subject(subject))
}

// Date formats a calendar date; zero is "".
func (p *page) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// Today is today's date, for date inputs.
func (p *page) Today() string { return time.Now().Format("2006-01-02") }

// Yuan formats fen as yuan.
func (p *page) Yuan(fen int64) string { return safetynet.FormatYuan(fen) }

// Age is a person's age today, "" if unknown.
func (p *page) Age(pp safetynet.Person) string {
	if a := pp.Age(time.Now()); a >= 0 {
		return fmt.Sprint(a)
	}
	return ""
}

// AssignmentText is "边缘易致贫户（因病）".
func (p *page) AssignmentText(a safetynet.Assignment) string {
	s := p.Cat(a.Category)
	if a.RiskType != "" {
		s += p.pick("（", " (") + p.L("risk", a.RiskType) + p.pick("）", ")")
	}
	return s
}

// fieldNames label the fields an event says were changed.
var fieldNames = map[string][2]string{
	"number": {"户编号", "household number"}, "place_code": {"所属地区", "place"}, "address": {"地址", "address"},
	"income_year": {"收入年度", "income year"}, "income_fen": {"人均纯收入", "income"}, "housing": {"住房", "housing"},
	"water": {"饮水", "water"}, "notes": {"备注", "notes"}, "phone": {"电话", "phone"}, "name": {"姓名", "name"},
	"relation": {"与户主关系", "relation"}, "birth": {"出生日期", "birth date"}, "sex": {"性别", "sex"},
	"education": {"文化程度", "education"}, "in_school": {"在校生", "in school"}, "labour": {"劳动技能", "labour"},
	"work": {"务工情况", "work"}, "id_number": {"身份证号", "ID number"}, "disability": {"残疾情况", "disability"},
	"health": {"健康状况", "health"},
}

func (p *page) fieldList(changed any) string {
	m, _ := changed.(map[string]any)
	var names []string
	for k := range m {
		n, ok := fieldNames[k]
		switch {
		case !ok:
			names = append(names, k)
		case p.Lang == "zh":
			names = append(names, n[0])
		default:
			names = append(names, n[1])
		}
	}
	sort.Strings(names)
	sep := ", "
	if p.Lang == "zh" {
		sep = "、"
	}
	return strings.Join(names, sep)
}

// EventText describes a timeline event in the page's language.
func (p *page) EventText(e sqlstore.Event) template.HTML { return markUserData(p.eventText(e)) }

func (p *page) eventText(e sqlstore.Event) string {
	d := e.Detail
	str := func(k string) string { v, _ := d[k].(string); return v }
	num := func(k string) string {
		if v, ok := d[k].(float64); ok {
			return fmt.Sprint(int64(v))
		}
		return ""
	}
	zh := p.Lang == "zh"
	pick := func(z, en string) string {
		if zh {
			return z
		}
		return en
	}
	src := ""
	if str("source") == "import" {
		src = pick("（导入台账）", " (ledger import)")
	}
	switch e.Kind {
	case "household.create":
		if sf := num("split_from"); sf != "" {
			return pick("从家庭 #"+sf+" 分户", "split from household #"+sf)
		}
		return pick("登记家庭", "household registered") + src
	case "household.update":
		return pick("修改家庭信息：", "household changed: ") + p.fieldList(d["changed"]) + src
	case "person.add":
		return pick("新增成员 ", "member added: ") + ud(str("name")) + src
	case "person.update":
		return pick("修改人员信息：", "person changed: ") + p.fieldList(d["changed"]) + src
	case "person.deceased":
		return pick("死亡（", "died (") + str("date") + pick("）", ")")
	case "person.moved_away":
		return pick("迁出（", "moved away (") + str("date") + pick("）", ")")
	case "person.move":
		return pick(ud(str("name"))+" 从家庭 #"+num("from")+" 迁入家庭 #"+num("to"), ud(str("name"))+" moved from household #"+num("from")+" to #"+num("to"))
	case "person.leave":
		return pick(ud(str("name"))+" 迁到家庭 #"+num("to"), ud(str("name"))+" left for household #"+num("to"))
	case "person.duplicate":
		return pick("认定为重复登记（保留 #"+num("keep")+"）", "marked as a duplicate of #"+num("keep"))
	case "category.add":
		return pick("纳入：", "category added: ") + p.AssignmentText(safetynet.Assignment{Category: str("category"), RiskType: str("risk_type")}) +
			pick("，自 ", ", from ") + str("start") + src
	case "category.end":
		return pick("结束：", "category ended: ") + p.AssignmentText(safetynet.Assignment{Category: str("category"), RiskType: str("risk_type")}) +
			pick("，原因：", ", reason: ") + p.L("end_reason", str("reason")) + " " + str("end")
	case "household.split":
		return pick("分户，新家庭 #"+num("new_household"), "split: new household #"+num("new_household"))
	case "household.merge":
		return pick("并入家庭 #"+num("into"), "merged into household #"+num("into"))
	case "household.absorb":
		return pick("家庭 #"+num("from")+" 并入本户", "household #"+num("from")+" merged into this one")
	case "household.dissolve":
		return pick("家庭注销（无在册成员）", "household dissolved (no members left)")
	case "household.head":
		return pick("户主变更为 ", "new head: ") + ud(str("name"))
	case "clue.report":
		return pick("上报急难线索 #"+num("clue"), "hardship clue #"+num("clue")+" reported")
	case "case.open":
		return pick("立案 #"+num("case"), "case #"+num("case")+" opened")
	case "case.emergency":
		return pick("紧急救助：", "emergency help: ") + ud(str("description"))
	case "measure.approved":
		return pick("批准帮扶措施：", "measure approved: ") + p.measure(str("measure")) + " " + p.amount(d)
	case "measure.rejected":
		return pick("帮扶申请未获批准：", "application rejected: ") + p.measure(str("measure"))
	case "followup.done":
		return pick("回访（案件 #"+num("case")+"）", "followed up (case #"+num("case")+")")
	case "case.close":
		return pick("案件 #"+num("case")+" 结案：", "case #"+num("case")+" closed: ") + p.L("outcome", str("outcome"))
	case "case.reopen":
		return pick("案件 #"+num("case")+" 重新办理", "case #"+num("case")+" reopened")
	}
	if t, ok := p.visitsEventText(e.Kind, d); ok {
		return t
	}
	if t, ok := p.monitoringEventText(e.Kind, d); ok {
		return t
	}
	return e.Kind
}

// DivisionColumn names a column of a division file in the page's
// language: 代码, 名称, 级别, 上级代码 on Chinese pages.
func (p *page) DivisionColumn(field string) string {
	if p.Lang == "zh" {
		if i := slices.Index(divisions.Columns, field); i >= 0 {
			return divisions.ColumnsZH[i]
		}
	}
	return field
}

// LedgerField names a column of a ledger in the page's language.
func (p *page) LedgerField(field string) string {
	if _, ok := ledger.Field(field).Info(); ok {
		return ledger.Field(field).Label(p.Lang)
	}
	return field
}

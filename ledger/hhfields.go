package ledger

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"safetynet"
)

// place finds the household's place: the place code column, else the
// place name resolved with the index, else the default place. It returns
// "" after reporting an error.
func (b *builder) place(g *group, head int) string {
	if s, row := b.value(g, head, FieldPlaceCode); s != "" {
		if b.places != nil && !b.places.has(s) {
			b.fail(row, FieldPlaceCode, fmt.Sprintf("地区代码“%s”不在您负责的范围内", clip(s)),
				fmt.Sprintf("place code %q is outside your area", clip(s)))
			return ""
		}
		return s
	}
	if s, row := b.value(g, head, FieldPlace); s != "" {
		code, cands, ok := b.places.Resolve(s)
		switch {
		case ok:
			return code
		case len(cands) > 0:
			b.fail(row, FieldPlace, fmt.Sprintf("所属村组“%s”不明确，可能是：%s，请写上所属村（社区）", clip(s), strings.Join(cands, "、")),
				fmt.Sprintf("place %q is ambiguous: it could be %s; write the village too", clip(s), strings.Join(cands, ", ")))
		default:
			b.fail(row, FieldPlace, fmt.Sprintf("所属村组“%s”在您负责的范围内找不到", clip(s)),
				fmt.Sprintf("place %q is not found in your area", clip(s)))
		}
		return ""
	}
	if b.opt.DefaultPlace != "" {
		return b.opt.DefaultPlace
	}
	b.fail(b.sheet.Rows[g.rows[max(head, 0)]].Number, FieldPlace, "请填写所属村组", "the village or group is required")
	return ""
}

// startDate is the date the household's categories start: its start date
// column, else today.
func (b *builder) startDate(g *group, head int) time.Time {
	s, row := b.value(g, head, FieldStartDate)
	if s == "" {
		return b.today
	}
	t, _, ok := parseDate(s)
	switch {
	case !ok:
		b.fail(row, FieldStartDate, fmt.Sprintf("纳入时间“%s”无法识别，请写成2024-01-02的形式", clip(s)),
			fmt.Sprintf("start date %q is not a date such as 2024-01-02", clip(s)))
	case t.After(b.today):
		b.fail(row, FieldStartDate, "纳入时间不能晚于今天", "the start date cannot be in the future")
	default:
		return t
	}
	return b.today
}

// householdCategories reads the household's categories and risk types
// from all its rows. Each risk type becomes a risk label; a monitored
// category carries the first risk type.
func (b *builder) householdCategories(g *group, start time.Time) ([]safetynet.NewAssignment, []string) {
	var risks []string
	var cats []safetynet.Category
	monitorRow, riskRow := 0, 0
	for _, ri := range g.rows {
		r := b.sheet.Rows[ri]
		for _, t := range splitList(b.cell(r, FieldRiskType)) {
			if isNone(t) {
				continue
			}
			code, ok := b.parse(FieldRiskType, safetynet.RiskTypes, t)
			if !ok {
				b.failVocab(r.Number, FieldRiskType, t, safetynet.RiskTypes)
			} else if !slices.Contains(risks, code) {
				risks = append(risks, code)
			}
		}
		for _, t := range splitList(b.cell(r, FieldHouseholdCategory)) {
			if isNone(t) {
				continue
			}
			c, ok := b.category(FieldHouseholdCategory, safetynet.SubjectHousehold, t)
			switch {
			case !ok:
				b.failVocab(r.Number, FieldHouseholdCategory, t, categoryVocab(safetynet.SubjectHousehold))
			case c.Risk:
				riskRow = r.Number
			case slices.ContainsFunc(cats, func(x safetynet.Category) bool { return x.Code == c.Code }):
			case c.Monitored && monitorRow != 0:
				b.fail(r.Number, FieldHouseholdCategory, "一户只能是一种监测对象（脱贫不稳定户、边缘易致贫户、突发严重困难户）",
					"a household can be only one kind of monitored household")
			default:
				if c.Monitored {
					monitorRow = r.Number
				}
				cats = append(cats, c)
			}
		}
	}
	if riskRow != 0 && len(risks) == 0 {
		b.fail(riskRow, FieldRiskType, "风险户需要在风险类型一栏写明风险，例如“因病”", "a risk household needs a risk type, such as 因病 (illness)")
	}
	var out []safetynet.NewAssignment
	for _, c := range cats {
		a := safetynet.NewAssignment{Category: c.Code, Start: start}
		if c.Monitored && len(risks) > 0 {
			a.RiskType = risks[0]
		}
		out = append(out, a)
	}
	for _, r := range risks {
		out = append(out, safetynet.NewAssignment{Category: safetynet.CatRisk, RiskType: r, Start: start})
	}
	return out, risks
}

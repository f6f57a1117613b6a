package ledger

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
)

// personRow is one row read as a person.
type personRow struct {
	row    int
	in     safetynet.PersonInput // normalised when the row is valid; Relation is a code
	legacy bool
	valid  bool     // the person passed safetynet.CheckPersonInput
	cats   []string // person category codes
}

const (
	lostIDZH    = "身份证号被 Excel 存成了数字，末尾几位已丢失，请把该列设为文本后重新填写"
	lostIDEN    = "the ID number was stored by Excel as a number and its last digits are lost: format the column as text and enter the numbers again"
	lostPhoneZH = "联系电话被 Excel 存成了数字，末尾几位已丢失，请把该列设为文本后重新填写"
	lostPhoneEN = "the phone number was stored by Excel as a number and its last digits are lost: format the column as text and enter the numbers again"
)

// person reads and validates the person of row r.
func (b *builder) person(r Row) personRow {
	p := personRow{row: r.Number}
	n := r.Number
	in := safetynet.PersonInput{Name: b.cell(r, FieldName), Work: b.cell(r, FieldWork)}
	id := b.cell(r, FieldIDNumber)
	if _, _, sci := expandNumber(id); sci {
		b.fail(n, FieldIDNumber, lostIDZH, lostIDEN)
		id = ""
	}
	if strings.Contains(id, "*") {
		id = "" // masked, as in a masked export: keep what the register holds
	}
	in.IDNumber = id
	in.Phone = b.cell(r, FieldPhone)
	if strings.Contains(in.Phone, "*") {
		in.Phone = ""
	}
	if _, _, sci := expandNumber(in.Phone); sci {
		b.fail(n, FieldPhone, lostPhoneZH, lostPhoneEN)
		in.Phone = ""
	}
	in.Relation = b.vocab(r, FieldRelation, safetynet.Relations)
	in.Sex = b.vocab(r, FieldSex, safetynet.Sexes)
	var partial time.Time // a birth month, checked against the ID number
	if s := b.cell(r, FieldBirth); s != "" {
		t, prec, ok := parseDate(s)
		switch {
		case !ok:
			b.fail(n, FieldBirth, fmt.Sprintf("出生日期“%s”无法识别，请写成1980-01-02的形式", clip(s)),
				fmt.Sprintf("birth date %q is not a date such as 1980-01-02", clip(s)))
		case prec == precDay:
			in.Birth = t
		case id == "":
			b.fail(n, FieldBirth, "没有身份证号时，出生日期需要写到日，例如1980-01-02", "without an ID number the birth date needs a day, such as 1980-01-02")
		default:
			partial = t
		}
	}
	in.Health = b.vocab(r, FieldHealth, safetynet.HealthStatuses)
	b.disability(r, &in)
	in.Education = b.vocab(r, FieldEducation, safetynet.Educations)
	in.Labour = b.vocab(r, FieldLabour, safetynet.Labours)
	if s := b.cell(r, FieldInSchool); s != "" {
		yes, ok := parseYesNo(s)
		if !ok {
			b.fail(n, FieldInSchool, fmt.Sprintf("在校生“%s”无法识别，应为“是”或“否”", clip(s)), fmt.Sprintf("in school %q should be yes or no", clip(s)))
		}
		in.InSchool = yes
	}
	for _, t := range splitList(b.cell(r, FieldPersonCategory)) {
		if isNone(t) {
			continue
		}
		c, ok := b.category(FieldPersonCategory, safetynet.SubjectPerson, t)
		if !ok {
			b.failVocab(n, FieldPersonCategory, t, categoryVocab(safetynet.SubjectPerson))
		} else if !slices.Contains(p.cats, c.Code) {
			p.cats = append(p.cats, c.Code)
		}
	}
	p.in = in
	out, legacy, err := safetynet.CheckPersonInput(in, b.today)
	if err != nil {
		if e := safetynet.AsError(err); e != nil && e.Field == "id_number" && lostDigits(id) {
			b.fail(n, FieldIDNumber, lostIDZH, lostIDEN)
		} else {
			b.failErr(n, FieldName, err)
		}
		return p
	}
	if !partial.IsZero() && (out.Birth.Year() != partial.Year() || out.Birth.Month() != partial.Month()) {
		b.fail(n, FieldBirth, "出生日期与身份证号不符", "the birth date does not match the ID number")
	}
	if out.IDNumber != "" {
		if first, dup := b.ids[out.IDNumber]; dup {
			b.fail(n, FieldIDNumber, fmt.Sprintf("身份证号与第%d行重复", first), fmt.Sprintf("the ID number repeats row %d", first))
		} else {
			b.ids[out.IDNumber] = n
		}
	}
	p.in, p.legacy, p.valid = out, legacy, true
	return p
}

// disability reads the kind and grade of a disability; a kind cell may
// hold the grade too (肢体二级, 视力残疾1级).
func (b *builder) disability(r Row, in *safetynet.PersonInput) {
	kind, grade := b.cell(r, FieldDisabilityKind), b.cell(r, FieldDisabilityGrade)
	if isNone(kind) {
		kind = ""
	}
	if kind != "" {
		code, ok := b.parse(FieldDisabilityKind, safetynet.DisabilityKinds, kind)
		if !ok {
			for _, g := range []string{"一级", "二级", "三级", "四级", "1级", "2级", "3级", "4级"} {
				if k, cut := strings.CutSuffix(kind, g); cut {
					if code, ok = b.parse(FieldDisabilityKind, safetynet.DisabilityKinds, strings.TrimSpace(k)); ok && grade == "" {
						grade = g
					}
					break
				}
			}
		}
		if !ok {
			b.failVocab(r.Number, FieldDisabilityKind, kind, safetynet.DisabilityKinds)
		}
		in.DisabilityKind = code
	}
	if grade != "" {
		g, ok := parseGrade(grade)
		if !ok {
			b.fail(r.Number, FieldDisabilityGrade, fmt.Sprintf("残疾等级“%s”无法识别，应为一级到四级", clip(grade)),
				fmt.Sprintf("disability grade %q should be 1 to 4", clip(grade)))
		}
		in.DisabilityGrade = g
	}
}

// member completes a person with its categories.
func (b *builder) member(p personRow, start time.Time, risks []string) safetynet.LedgerPerson {
	lp := safetynet.LedgerPerson{Row: p.row, Person: p.in, Legacy: p.legacy}
	for _, code := range p.cats {
		a := safetynet.NewAssignment{Category: code, Start: start}
		if c, _ := safetynet.CategoryByCode(code); c.Risk {
			if len(risks) == 0 {
				b.fail(p.row, FieldRiskType, "人员类别为风险标注时，需要在风险类型一栏写明风险", "a person risk label needs a risk type in the risk column")
				continue
			}
			a.RiskType = risks[0]
		}
		lp.Categories = append(lp.Categories, a)
	}
	return lp
}

// vocab reads a cell of a closed vocabulary and returns its code.
func (b *builder) vocab(r Row, f Field, v safetynet.Vocab) string {
	s := b.cell(r, f)
	if s == "" || isNone(s) && f != FieldRelation {
		return ""
	}
	code, ok := b.parse(f, v, s)
	if !ok {
		b.failVocab(r.Number, f, s, v)
	}
	return code
}

func (b *builder) failVocab(row int, f Field, value string, v safetynet.Vocab) {
	en := make([]string, len(v))
	for i, o := range v {
		en[i] = o.EN
	}
	b.fail(row, f, fmt.Sprintf("%s“%s”无法识别，应为：%s", b.column(f), clip(value), v.ZHList()),
		fmt.Sprintf("%s %q is not one of: %s", f.Label("en"), clip(value), strings.Join(en, "; ")))
}

func categoryVocab(s safetynet.Subject) safetynet.Vocab {
	var v safetynet.Vocab
	for _, c := range safetynet.CategoriesFor(s) {
		if !c.Risk {
			v = append(v, c.Option)
		}
	}
	return v
}

// isNone reports the ways ledgers write "nothing" in a cell.
func isNone(s string) bool {
	switch strings.TrimSpace(s) {
	case "无", "否", "没有", "暂无", "/", "-", "—", "--", "无残疾", "非残疾":
		return true
	}
	return false
}

// clip prepares a cell value for an error message: numbers that could be
// ID or phone numbers are masked and long values shortened.
func clip(s string) string {
	s = maskText(s)
	if utf8.RuneCountInString(s) > 20 {
		return string([]rune(s)[:20]) + "…"
	}
	return s
}

// normID normalises an ID number written in a cell for comparisons.
func normID(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + r - '０'
		case r == 'x' || r == 'Ｘ' || r == 'ｘ':
			r = 'X'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

package ledger

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"safetynet"
)

// guideNotes explains the columns whose values are not a vocabulary.
var guideNotes = map[Field][2]string{
	FieldHouseholdNumber: {"同一户的各行填同一个户编号；不填时，每户从“户主”行开始，下面各行是本户成员", "rows of one household share a number; without numbers, a household starts at its head's row and goes on over its members' rows"},
	FieldPlace:           {"必填（或填地区代码）。写村（社区）和组的名称，例如“腰站社区棠梨湾组”，可省略“居民委员会”“村民小组”等字样", "required (or the place code): the village and group, e.g. 腰站社区棠梨湾组; suffixes such as 居民委员会 may be left out"},
	FieldPlaceCode:       {"可选，填写后优先于所属村组", "optional; when given it is used instead of the place name"},
	FieldName:            {"必填", "required"},
	FieldIDNumber:        {"18位身份证号；请把该列设为“文本”格式，否则 Excel 会丢失末尾几位", "18 characters; format the column as text, or Excel loses the last digits"},
	FieldBirth:           {"没有身份证号时必填，写成1980-01-02", "required without an ID number, as 1980-01-02"},
	FieldPhone:           {"手机号11位，固定电话带区号；请设为“文本”格式", "mobiles have 11 digits, landlines need the area code; format the column as text"},
	FieldFamilySize:      {"可选；填写时须与本户的行数一致", "optional; when given it must equal the household's number of rows"},
	FieldIncome:          {"元，例如3580.50", "yuan, e.g. 3580.50"},
	FieldIncomeYear:      {"例如2024；不填时为上一年", "e.g. 2024; last year when left empty"},
	FieldDisabilityGrade: {"一级、二级、三级、四级", "1, 2, 3 or 4"},
	FieldInSchool:        {"是、否", "yes, no"},
	FieldWork:            {"自由填写", "free text"},
	FieldNotes:           {"自由填写", "free text"},
	FieldHeadName:        {"可选", "optional"},
	FieldAddress:         {"可选", "optional"},
	FieldStartDate:       {"可选，写成2024-01-02；不填时为导入当天", "optional, as 2024-01-02; the import date when left empty"},
}

// guideVocab gives the vocabulary of a column, if it has one.
func guideVocab(f Field) (safetynet.Vocab, bool) {
	switch f {
	case FieldRelation:
		return safetynet.Relations, true
	case FieldSex:
		return safetynet.Sexes, true
	case FieldHouseholdCategory:
		return categoryVocab(safetynet.SubjectHousehold), true
	case FieldRiskType:
		return safetynet.RiskTypes, true
	case FieldHousing:
		return safetynet.Housings, true
	case FieldWater:
		return safetynet.Waters, true
	case FieldHealth:
		return safetynet.HealthStatuses, true
	case FieldDisabilityKind:
		return safetynet.DisabilityKinds, true
	case FieldEducation:
		return safetynet.Educations, true
	case FieldLabour:
		return safetynet.Labours, true
	case FieldPersonCategory:
		return categoryVocab(safetynet.SubjectPerson), true
	}
	return nil, false
}

// writeGuide adds the sheet that explains the columns.
func writeGuide(f *excelize.File, lang string) error {
	name := pick(lang, "填写说明", "How to fill in")
	if _, err := f.NewSheet(name); err != nil {
		return fmt.Errorf("ledger: template: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	// Plain values: SetSheetRow writes an excelize.Cell as its Go syntax
	// ("{1  Column}"); the header's style is set on its cells below.
	rows := [][]any{{pick(lang, "列", "Column"), pick(lang, "说明和可填的值", "Values accepted")}}
	for _, c := range append(append([]Field(nil), ExportColumns...), FieldStartDate) {
		text := ""
		if v, ok := guideVocab(c); ok {
			labels := make([]string, len(v))
			for i, o := range v {
				labels[i] = pick(lang, o.ZH, o.EN)
			}
			text = strings.Join(labels, pick(lang, "、", "; "))
			if c == FieldHouseholdCategory || c == FieldRiskType || c == FieldPersonCategory {
				text += pick(lang, "（可填多个，用顿号分隔）", " (several may be given, separated by commas)")
			}
		} else if n, ok := guideNotes[c]; ok {
			text = pick(lang, n[0], n[1])
		}
		rows = append(rows, []any{c.Label(lang), text})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(name, cell, &r); err != nil {
			return fmt.Errorf("ledger: template: %w", err)
		}
	}
	if err := f.SetCellStyle(name, "A1", "B1", st.header); err != nil {
		return fmt.Errorf("ledger: template: %w", err)
	}
	if err := f.SetColWidth(name, "A", "A", 16); err != nil {
		return fmt.Errorf("ledger: template: %w", err)
	}
	if err := f.SetColWidth(name, "B", "B", 90); err != nil {
		return fmt.Errorf("ledger: template: %w", err)
	}
	return nil
}

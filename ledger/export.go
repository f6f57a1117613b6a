package ledger

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"safetynet"
)

// ExportColumns are the columns Export and Template write, in order. Read,
// Detect and Build recognise every one, so an exported file imports again.
var ExportColumns = []Field{
	FieldHouseholdNumber, FieldPlace, FieldPlaceCode, FieldAddress, FieldHeadName,
	FieldName, FieldIDNumber, FieldRelation, FieldSex, FieldBirth, FieldPhone,
	FieldFamilySize, FieldHouseholdCategory, FieldRiskType, FieldIncome, FieldIncomeYear,
	FieldHousing, FieldWater, FieldHealth, FieldDisabilityKind, FieldDisabilityGrade,
	FieldEducation, FieldInSchool, FieldLabour, FieldWork, FieldPersonCategory, FieldNotes,
}

// ExportRow is one person row of an exported ledger. Codes are those of the
// safetynet vocabularies; ID and phone numbers are written as given, so
// the caller masks or reveals them.
type ExportRow struct {
	HouseholdNumber, Place, PlaceCode, Address, HeadName string
	Name, IDNumber, Relation, Sex, Birth, Phone          string
	FamilySize                                           int
	HouseholdCategories, RiskTypes                       []string // codes
	IncomeFen                                            int64
	IncomeYear                                           int
	Housing, Water, Health, DisabilityKind               string
	DisabilityGrade                                      int
	Education                                            string
	InSchool                                             bool
	Labour, Work                                         string
	PersonCategories                                     []string // codes
	Notes                                                string
}

// Export writes a ledger .xlsx file row by row, with little memory.
type Export struct {
	w    io.Writer
	f    *excelize.File
	sw   *excelize.StreamWriter
	lang string
	st   styles
	row  int
	buf  []any
	done bool
}

var columnWidths = map[Field]float64{
	FieldPlace: 22, FieldPlaceCode: 16, FieldAddress: 28, FieldIDNumber: 21, FieldPhone: 14,
	FieldHouseholdCategory: 16, FieldRiskType: 16, FieldPersonCategory: 16, FieldNotes: 30,
	FieldName: 10, FieldHeadName: 10, FieldSex: 6, FieldBirth: 12, FieldWork: 16,
}

// NewExport starts a ledger file with its header row in lang ("zh" or
// "en"). Call Write for each row and Close at the end.
func NewExport(w io.Writer, lang string) (*Export, error) {
	f := excelize.NewFile()
	name := pick(lang, "台账", "Ledger")
	if err := f.SetSheetName("Sheet1", name); err != nil {
		f.Close()
		return nil, fmt.Errorf("ledger: export: %w", err)
	}
	e := &Export{w: w, f: f, lang: lang}
	err := e.start(name)
	if err != nil {
		f.Close()
		return nil, err
	}
	return e, nil
}

func (e *Export) start(name string) error {
	var err error
	if e.sw, err = e.f.NewStreamWriter(name); err != nil {
		return fmt.Errorf("ledger: export: %w", err)
	}
	if e.st, err = newStyles(e.f); err != nil {
		return err
	}
	header := make([]any, len(ExportColumns))
	for i, c := range ExportColumns {
		width := columnWidths[c]
		if width == 0 {
			width = 12
		}
		if err := e.sw.SetColWidth(i+1, i+1, width); err != nil {
			return fmt.Errorf("ledger: export: %w", err)
		}
		if c == FieldIDNumber || c == FieldPhone {
			if err := e.sw.SetColStyle(i+1, i+1, e.st.text); err != nil {
				return fmt.Errorf("ledger: export: %w", err)
			}
		}
		header[i] = excelize.Cell{StyleID: e.st.header, Value: c.Label(e.lang)}
	}
	if err := e.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("ledger: export: %w", err)
	}
	if err := e.sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return fmt.Errorf("ledger: export: %w", err)
	}
	e.row = 1
	e.buf = make([]any, len(ExportColumns))
	return nil
}

// Write adds a row.
func (e *Export) Write(r ExportRow) error {
	if e.done {
		return fmt.Errorf("ledger: export: write after close")
	}
	lang := e.lang
	sep := pick(lang, "、", ", ")
	for i, c := range ExportColumns {
		var v any
		switch c {
		case FieldHouseholdNumber:
			v = r.HouseholdNumber
		case FieldPlace:
			v = r.Place
		case FieldPlaceCode:
			v = r.PlaceCode
		case FieldAddress:
			v = r.Address
		case FieldHeadName:
			v = r.HeadName
		case FieldName:
			v = r.Name
		case FieldIDNumber:
			v = excelize.Cell{StyleID: e.st.text, Value: r.IDNumber}
		case FieldRelation:
			v = safetynet.Relations.Label(r.Relation, lang)
		case FieldSex:
			v = safetynet.Sexes.Label(r.Sex, lang)
		case FieldBirth:
			v = r.Birth
		case FieldPhone:
			v = excelize.Cell{StyleID: e.st.text, Value: r.Phone}
		case FieldFamilySize:
			v = nonZero(r.FamilySize)
		case FieldHouseholdCategory:
			v = joinLabels(r.HouseholdCategories, sep, func(c string) string { return safetynet.CategoryLabel(c, lang) })
		case FieldRiskType:
			v = joinLabels(r.RiskTypes, sep, func(c string) string { return safetynet.RiskTypes.Label(c, lang) })
		case FieldIncome:
			if r.IncomeFen != 0 {
				v = excelize.Cell{StyleID: e.st.money, Value: float64(r.IncomeFen) / 100}
			}
		case FieldIncomeYear:
			v = nonZero(r.IncomeYear)
		case FieldHousing:
			v = safetynet.Housings.Label(r.Housing, lang)
		case FieldWater:
			v = safetynet.Waters.Label(r.Water, lang)
		case FieldHealth:
			v = safetynet.HealthStatuses.Label(r.Health, lang)
		case FieldDisabilityKind:
			v = safetynet.DisabilityKinds.Label(r.DisabilityKind, lang)
		case FieldDisabilityGrade:
			if r.DisabilityGrade >= 1 && r.DisabilityGrade <= 4 {
				v = pick(lang, []string{"一级", "二级", "三级", "四级"}[r.DisabilityGrade-1], fmt.Sprint(r.DisabilityGrade))
			}
		case FieldEducation:
			v = safetynet.Educations.Label(r.Education, lang)
		case FieldInSchool:
			v = pick(lang, "否", "no")
			if r.InSchool {
				v = pick(lang, "是", "yes")
			}
		case FieldLabour:
			v = safetynet.Labours.Label(r.Labour, lang)
		case FieldWork:
			v = r.Work
		case FieldPersonCategory:
			v = joinLabels(r.PersonCategories, sep, func(c string) string { return safetynet.CategoryLabel(c, lang) })
		case FieldNotes:
			v = r.Notes
		}
		if s, ok := v.(string); ok && s == "" {
			v = nil
		}
		e.buf[i] = v
	}
	e.row++
	cell, err := excelize.CoordinatesToCellName(1, e.row)
	if err != nil {
		return fmt.Errorf("ledger: export: %w", err)
	}
	if err := e.sw.SetRow(cell, e.buf); err != nil {
		return fmt.Errorf("ledger: export: %w", err)
	}
	return nil
}

// Close finishes the file and writes it to the writer given to NewExport.
// Call it even after an error of Write: it removes temporary files.
func (e *Export) Close() error { return e.finish(nil) }

// Abort discards the file without writing anything, after a failure that
// leaves nothing worth sending; it removes the temporary files.
func (e *Export) Abort() {
	if !e.done {
		e.done = true
		e.f.Close()
	}
}

// abort drops the file without writing it.
func (e *Export) abort() {
	if !e.done {
		e.done = true
		e.f.Close()
	}
}

func (e *Export) finish(extra func(*excelize.File) error) error {
	if e.done {
		return nil
	}
	e.done = true
	defer e.f.Close()
	if err := e.sw.Flush(); err != nil {
		return fmt.Errorf("ledger: export: %w", err)
	}
	if extra != nil {
		if err := extra(e.f); err != nil {
			return err
		}
	}
	if _, err := e.f.WriteTo(e.w); err != nil {
		return fmt.Errorf("ledger: export: %w", err)
	}
	return nil
}

func nonZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func joinLabels(codes []string, sep string, label func(string) string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = label(c)
	}
	return strings.Join(out, sep)
}

// Template writes an empty ledger in lang: the header of ExportColumns,
// one example row of invented data, and a second sheet that explains each
// column and lists the values it accepts.
func Template(w io.Writer, lang string) error {
	e, err := NewExport(w, lang)
	if err != nil {
		return err
	}
	err = e.Write(ExportRow{
		HouseholdNumber: "0001", Place: pick(lang, "示例村一组", "Example village, group 1"),
		Address: pick(lang, "示例村一组12号", "No. 12, group 1, Example village"), HeadName: pick(lang, "张三", "Zhang San"),
		Name: pick(lang, "张三", "Zhang San"), IDNumber: "11010519491231002X", Relation: "head", Sex: "F",
		Birth: "1949-12-31", Phone: "13800138000", FamilySize: 1,
		HouseholdCategories: []string{safetynet.CatMonitorMarginal}, RiskTypes: []string{"illness"},
		IncomeFen: 658000, IncomeYear: time.Now().Year() - 1, Housing: "safe", Water: "safe",
		Health: "chronic", Education: "primary", Labour: "weak",
		Notes: pick(lang, "示例行，导入前请删除", "example row: delete it before importing"),
	})
	if err != nil {
		e.abort()
		return err
	}
	return e.finish(func(f *excelize.File) error { return writeGuide(f, lang) })
}

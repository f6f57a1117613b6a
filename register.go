package safetynet

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"safetynet/idcard"
)

// Statuses of households and persons. Records are never deleted: a death,
// a departure or a merge changes the status and keeps the history.
const (
	StatusActive    = "active"
	StatusDeceased  = "deceased"   // persons
	StatusMovedAway = "moved_away" // persons who left the register's area
	StatusMerged    = "merged"     // households merged into another
	StatusDissolved = "dissolved"  // households with no members left
)

// Household is a household of the register (一户一表).
type Household struct {
	ID          int64
	Number      string // the household number of the ledger (户编号), if any
	PlaceCode   string
	PlaceName   string
	Address     string
	Phone       string // masked unless revealed
	HeadID      int64
	HeadName    string
	Members     int // active members
	IncomeYear  int
	IncomeFen   int64 // annual per-capita income, in fen (0.01 yuan)
	Housing     string
	Water       string
	Notes       string
	Status      string
	MergedInto  int64
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Categories  []Assignment // active assignments
	PhoneMasked bool         // Phone holds the masked form
}

// Person is a person of the register (一人一档).
type Person struct {
	ID              int64
	HouseholdID     int64
	PlaceCode       string
	Name            string
	IDNumber        string // masked unless revealed
	IDLegacy        bool   // converted from a 15-digit number: to be confirmed
	Birth           time.Time
	Sex             string // "M", "F" or ""
	Relation        string
	Phone           string // masked unless revealed
	DisabilityKind  string
	DisabilityGrade int
	Health          string
	HealthNotes     string
	Education       string
	InSchool        bool
	Labour          string
	Work            string
	Status          string
	StatusDate      time.Time
	StatusNote      string
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Categories      []Assignment // active assignments
	HouseholdNumber string
	Address         string
}

// Age returns the person's age at t in whole years, -1 if unknown.
func (p Person) Age(t time.Time) int {
	if p.Birth.IsZero() {
		return -1
	}
	age := t.Year() - p.Birth.Year()
	if t.Month() < p.Birth.Month() || t.Month() == p.Birth.Month() && t.Day() < p.Birth.Day() {
		age--
	}
	return age
}

// HouseholdInput is what a caller supplies to create or edit a household.
type HouseholdInput struct {
	Number     string
	PlaceCode  string
	Address    string
	Phone      string
	IncomeYear int
	IncomeFen  int64
	Housing    string
	Water      string
	Notes      string
}

// PersonInput is what a caller supplies to add or edit a person.
type PersonInput struct {
	Name            string
	IDNumber        string
	Birth           time.Time // needed only without an ID number
	Sex             string
	Relation        string
	Phone           string
	DisabilityKind  string
	DisabilityGrade int
	Health          string
	HealthNotes     string
	Education       string
	InSchool        bool
	Labour          string
	Work            string
}

// Limits of free-text fields, in characters.
const (
	maxName    = 32
	maxAddress = 128
	maxNotes   = 2000
	maxShort   = 200
)

func checkText(field, value string, limit int, zhName string) (string, error) {
	v := strings.TrimSpace(value)
	enName := strings.ReplaceAll(field, "_", " ") // the English message names the field in English
	if utf8.RuneCountInString(v) > limit {
		return "", Text(EInvalid, field, fmt.Sprintf("%s不能超过%d个字", zhName, limit), fmt.Sprintf("%s must be at most %d characters", enName, limit))
	}
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return "", Text(EInvalid, field, fmt.Sprintf("%s包含无效字符", zhName), fmt.Sprintf("%s holds invalid characters", enName))
	}
	return v, nil
}

func checkVocab(field, value string, v Vocab, zhName string) (string, error) {
	if value == "" {
		return "", nil
	}
	if v.Valid(value) {
		return value, nil
	}
	if code, ok := v.Parse(value); ok {
		return code, nil
	}
	return "", Text(EInvalid, field, fmt.Sprintf("%s“%s”无效，应为：%s", zhName, value, v.ZHList()),
		fmt.Sprintf("%s %q is not one of %s", field, value, strings.Join(v.Codes(), ", ")))
}

// CheckHouseholdInput validates and normalises a household.
func CheckHouseholdInput(in HouseholdInput, today time.Time) (HouseholdInput, error) {
	var err error
	if in.PlaceCode == "" {
		return in, Invalid("place_code", "请选择所属地区", "place_code is required")
	}
	if in.Number, err = checkText("number", in.Number, 40, "户编号"); err != nil {
		return in, err
	}
	if in.Address, err = checkText("address", in.Address, maxAddress, "地址"); err != nil {
		return in, err
	}
	if in.Notes, err = checkText("notes", in.Notes, maxNotes, "备注"); err != nil {
		return in, err
	}
	if in.Phone, err = NormalizePhone(in.Phone); err != nil {
		return in, err
	}
	if in.Housing, err = checkVocab("housing", in.Housing, Housings, "住房情况"); err != nil {
		return in, err
	}
	if in.Water, err = checkVocab("water", in.Water, Waters, "饮水情况"); err != nil {
		return in, err
	}
	if in.IncomeFen < 0 || in.IncomeFen > 100_000_000_00 {
		return in, Invalid("income", "人均纯收入应在0到1亿元之间", "per-capita income must be between 0 and 100,000,000 yuan")
	}
	if in.IncomeFen > 0 && in.IncomeYear == 0 {
		in.IncomeYear = today.Year() - 1
	}
	if in.IncomeYear != 0 && (in.IncomeYear < 2000 || in.IncomeYear > today.Year()) {
		return in, Invalid("income_year", "收入年度应在2000年到今年之间", "income year must be between 2000 and this year")
	}
	return in, nil
}

// CheckPersonInput validates and normalises a person. The ID number is
// checked (GB 11643) and gives the birth date and sex; a 15-digit number
// is converted and flagged, never dropped. legacy reports that conversion.
func CheckPersonInput(in PersonInput, today time.Time) (out PersonInput, legacy bool, err error) {
	if in.Name, err = checkText("name", in.Name, maxName, "姓名"); err != nil {
		return in, false, err
	}
	if in.Name == "" {
		return in, false, Invalid("name", "请填写姓名", "name is required")
	}
	if in.IDNumber = strings.TrimSpace(in.IDNumber); in.IDNumber != "" {
		id, perr := idcard.ParseAt(in.IDNumber, today)
		var ie *idcard.Error
		switch {
		case perr == nil:
		case idcard.IsLegacy(perr):
			legacy = true
		case errors.As(perr, &ie):
			return in, false, Text(EInvalid, "id_number", "身份证号无效："+ie.ZH(), "invalid ID number: "+ie.EN())
		default:
			return in, false, Invalid("id_number", "身份证号无效", "invalid ID number")
		}
		sex := id.Sex().String()
		if s, ok := Sexes.Parse(in.Sex); ok {
			in.Sex = s
		}
		if in.Sex != "" && in.Sex != sex {
			return in, false, Invalid("sex", "性别与身份证号不符", "sex does not match the ID number")
		}
		if !in.Birth.IsZero() && !sameDay(in.Birth, id.Birth()) {
			return in, false, Invalid("birth", "出生日期与身份证号不符", "birth date does not match the ID number")
		}
		in.IDNumber, in.Sex, in.Birth = id.Number(), sex, id.Birth()
	}
	switch in.Sex {
	case "", "M", "F":
	default:
		s, ok := Sexes.Parse(in.Sex)
		if !ok {
			return in, false, Invalid("sex", "性别应为男或女", "sex must be M or F")
		}
		in.Sex = s
	}
	if !in.Birth.IsZero() && (in.Birth.After(today) || in.Birth.Year() < 1880) {
		return in, false, Invalid("birth", "出生日期无效", "invalid birth date")
	}
	if in.Phone, err = NormalizePhone(in.Phone); err != nil {
		return in, false, err
	}
	if in.Relation, err = checkVocab("relation", in.Relation, Relations, "与户主关系"); err != nil {
		return in, false, err
	}
	if in.DisabilityKind, err = checkVocab("disability_kind", in.DisabilityKind, DisabilityKinds, "残疾类别"); err != nil {
		return in, false, err
	}
	if in.DisabilityGrade < 0 || in.DisabilityGrade > 4 {
		return in, false, Invalid("disability_grade", "残疾等级应为1到4级", "disability grade must be 1 to 4")
	}
	if in.DisabilityKind != "" && in.DisabilityGrade == 0 {
		return in, false, Invalid("disability_grade", "请填写残疾等级（1到4级）", "a disability needs a grade (1 to 4)")
	}
	if in.DisabilityKind == "" && in.DisabilityGrade != 0 {
		return in, false, Invalid("disability_kind", "请填写残疾类别", "a disability grade needs a kind")
	}
	if in.Health, err = checkVocab("health", in.Health, HealthStatuses, "健康状况"); err != nil {
		return in, false, err
	}
	if in.HealthNotes, err = checkText("health_notes", in.HealthNotes, maxShort, "健康说明"); err != nil {
		return in, false, err
	}
	if in.Education, err = checkVocab("education", in.Education, Educations, "文化程度"); err != nil {
		return in, false, err
	}
	if in.Labour, err = checkVocab("labour", in.Labour, Labours, "劳动技能"); err != nil {
		return in, false, err
	}
	if in.Work, err = checkText("work", in.Work, maxShort, "务工情况"); err != nil {
		return in, false, err
	}
	return in, legacy, nil
}

// Sexes are the values of sex.
var Sexes = Vocab{
	{"M", "男", "male", []string{"男性", "m", "male"}},
	{"F", "女", "female", []string{"女性", "f", "female"}},
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// NormalizePhone keeps the digits of a phone number, drops China's
// country code (+86, 0086, or 86 before a mobile's 11 digits) and checks
// that it is a mainland mobile (11 digits starting 1) or a landline with
// area code (10–12 digits starting 0). Empty stays empty.
func NormalizePhone(p string) (string, error) {
	p = strings.TrimSpace(p)
	if p == "" {
		return "", nil
	}
	var b strings.Builder
	intl := false
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + r - '０')
		case (r == '+' || r == '＋') && i == 0:
			intl = true
		case r == ' ' || r == '-' || r == '—' || r == '(' || r == ')' || r == '（' || r == '）':
		default:
			return "", Invalid("phone", "电话号码只能包含数字、空格和“-”", "a phone number may hold only digits, spaces and '-'")
		}
	}
	d := b.String()
	if rest, ok := strings.CutPrefix(d, "00"); ok {
		d, intl = rest, true
	}
	if intl || len(d) == 13 && strings.HasPrefix(d, "861") {
		rest, ok := strings.CutPrefix(d, "86")
		if !ok {
			return "", Invalid("phone", "只接受中国大陆的电话号码（+86）", "only mainland China numbers (+86) are accepted")
		}
		d = rest
		if d != "" && d[0] != '1' && d[0] != '0' {
			d = "0" + d // +86 871 …: a landline, kept as dialled at home
		}
	}
	switch {
	case len(d) == 11 && d[0] == '1' && d[1] >= '3':
	case len(d) >= 10 && len(d) <= 12 && d[0] == '0':
	default:
		return "", Invalid("phone", "电话号码无效：手机号为11位，固定电话需带区号", "invalid phone number: mobiles have 11 digits, landlines need their area code")
	}
	return d, nil
}

// MaskPhone shows the first 3 and last 4 digits: 138****5678.
func MaskPhone(p string) string {
	if len(p) <= 7 {
		return strings.Repeat("*", len(p))
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}

// FormatYuan formats an amount in fen as yuan with two decimals.
func FormatYuan(fen int64) string {
	sign, u := "", uint64(fen)
	if fen < 0 {
		sign, u = "-", uint64(-(fen+1))+1 // no overflow at math.MinInt64
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

// HouseholdPatch changes some fields of a household; nil fields keep
// their value. The phone number is replaced only when given, so a form
// that shows it masked can leave it empty.
type HouseholdPatch struct {
	Number, PlaceCode, Address, Phone, Housing, Water, Notes *string
	IncomeYear                                               *int
	IncomeFen                                                *int64
}

// Apply returns the household input of h (with its full phone number)
// changed by the patch.
func (p HouseholdPatch) Apply(h Household) HouseholdInput {
	in := HouseholdInput{Number: h.Number, PlaceCode: h.PlaceCode, Address: h.Address, Phone: h.Phone, IncomeYear: h.IncomeYear,
		IncomeFen: h.IncomeFen, Housing: h.Housing, Water: h.Water, Notes: h.Notes}
	set(&in.Number, p.Number)
	set(&in.PlaceCode, p.PlaceCode)
	set(&in.Address, p.Address)
	set(&in.Phone, p.Phone)
	set(&in.Housing, p.Housing)
	set(&in.Water, p.Water)
	set(&in.Notes, p.Notes)
	set(&in.IncomeYear, p.IncomeYear)
	set(&in.IncomeFen, p.IncomeFen)
	return in
}

// PersonPatch changes some fields of a person; nil fields keep their
// value.
type PersonPatch struct {
	Name, IDNumber, Sex, Relation, Phone, DisabilityKind, Health, HealthNotes, Education, Labour, Work *string
	Birth                                                                                              *time.Time
	DisabilityGrade                                                                                    *int
	InSchool                                                                                           *bool
}

// Apply returns the person input of p (with its full ID and phone
// numbers) changed by the patch.
func (pp PersonPatch) Apply(p Person) PersonInput {
	in := PersonInput{Name: p.Name, IDNumber: p.IDNumber, Birth: p.Birth, Sex: p.Sex, Relation: p.Relation, Phone: p.Phone,
		DisabilityKind: p.DisabilityKind, DisabilityGrade: p.DisabilityGrade, Health: p.Health, HealthNotes: p.HealthNotes,
		Education: p.Education, InSchool: p.InSchool, Labour: p.Labour, Work: p.Work}
	set(&in.Name, pp.Name)
	set(&in.IDNumber, pp.IDNumber)
	set(&in.Sex, pp.Sex)
	set(&in.Relation, pp.Relation)
	set(&in.Phone, pp.Phone)
	set(&in.DisabilityKind, pp.DisabilityKind)
	set(&in.Health, pp.Health)
	set(&in.HealthNotes, pp.HealthNotes)
	set(&in.Education, pp.Education)
	set(&in.Labour, pp.Labour)
	set(&in.Work, pp.Work)
	set(&in.Birth, pp.Birth)
	set(&in.DisabilityGrade, pp.DisabilityGrade)
	set(&in.InSchool, pp.InSchool)
	if pp.IDNumber != nil && *pp.IDNumber != p.IDNumber && pp.Birth == nil {
		in.Birth, in.Sex = time.Time{}, "" // derived again from the new number
		set(&in.Sex, pp.Sex)
	}
	return in
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// ParseYuan reads an amount of yuan ("3580", "3,580.5", "3580元") as fen.
func ParseYuan(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "元"))
	s = strings.ReplaceAll(strings.ReplaceAll(s, ",", ""), "，", "")
	if s == "" {
		return 0, nil
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" && frac == "" {
		return 0, Invalid("income", "金额格式无效，应为元，最多两位小数", "amounts are yuan with at most two decimals")
	}
	var fen int64
	for _, r := range whole + (frac + "00")[:2] {
		if r < '0' || r > '9' {
			return 0, Invalid("income", "金额格式无效，应为元，最多两位小数", "amounts are yuan with at most two decimals")
		}
		fen = fen*10 + int64(r-'0')
		if fen > 1e15 {
			return 0, Invalid("income", "金额过大", "the amount is too large")
		}
	}
	return fen, nil
}

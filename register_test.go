package safetynet

import (
	"math"
	"strings"
	"testing"
	"time"
)

// withCheck appends the GB 11643 check character to 17 digits.
func withCheck(first17 string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * weights[i]
	}
	return first17 + string("10X98765432"[sum%11])
}

func TestWithCheckHelper(t *testing.T) {
	// A published sample number, to make sure the helper is right.
	if got := withCheck("11010519491231002"); got != "11010519491231002X" {
		t.Fatalf("withCheck = %q, want 11010519491231002X", got)
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"", ""},
		{"   ", ""},
		{"13800138000", "13800138000"},
		{" 13800138000 ", "13800138000"},
		{"138 0013 8000", "13800138000"},
		{"138-0013-8000", "13800138000"},
		{"138—0013—8000", "13800138000"},
		{"(138)00138000", "13800138000"},
		{"１３８００１３８０００", "13800138000"},
		{"１３８-００１３-８０００", "13800138000"},
		{"19912345678", "19912345678"},
		{"8613800138000", "13800138000"},
		{"86 138 0013 8000", "13800138000"},
		{"010-12345678", "01012345678"},
		{"（010）12345678", "01012345678"},
		{"(0871) 1234567", "08711234567"},
		{"0871-12345678", "087112345678"},
		{"010-1234567", "0101234567"},
		{"0755 1234 5678", "075512345678"},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in)
		if err != nil {
			t.Errorf("NormalizePhone(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizePhoneRejects(t *testing.T) {
	tests := []string{
		"1380013800",       // 10 digits
		"138001380001",     // 12 digits starting with 1
		"12800138000",      // no mobile starts 12
		"10086123456",      // nor 10
		"23800138000",      // neither mobile nor landline
		"010123456",        // landline of 9 digits
		"0101234567890",    // landline of 13 digits
		"861380013800",     // 86 and 10 digits
		"86138001380001",   // 86 and 12 digits
		"138.0013.8000",    // dots
		"138/0013/8000",    // slashes
		"138 0013 8000 转1", // extension
		"abc",
		"phone: 13800138000",
		"-",
		"()",
		"1",
	}
	for _, in := range tests {
		got, err := NormalizePhone(in)
		if got != "" {
			t.Errorf("NormalizePhone(%q) = %q with an error, want \"\"", in, got)
		}
		assertInvalid(t, err, "phone")
	}
}

func TestNormalizePhoneCountryCode(t *testing.T) {
	for in, want := range map[string]string{"+8613800138000": "13800138000", "+86 138 0013 8000": "13800138000",
		"+86-138-0013-8000": "13800138000", "0086 138 0013 8000": "13800138000", "8613800138000": "13800138000",
		"+86 871 6512 3456": "087165123456", "＋86 13800138000": "13800138000"} {
		got, err := NormalizePhone(in)
		if err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"+1 415 555 0100", "13800+138000", "+44 20 7946 0000", "0044 20 7946 0000"} {
		got, err := NormalizePhone(in)
		if got != "" {
			t.Errorf("NormalizePhone(%q) = %q, want an error", in, got)
		}
		assertInvalid(t, err, "phone")
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13800138000", "138****8000"},
		{"01012345678", "010****5678"},
		{"087112345678", "087*****5678"},
		{"0101234567", "010***4567"},
		{"12345678", "123*5678"},
		{"1234567", "*******"},
		{"123", "***"},
		{"", ""},
	}
	for _, tt := range tests {
		got := MaskPhone(tt.in)
		if got != tt.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) != len(tt.in) {
			t.Errorf("MaskPhone(%q) changed the length to %d", tt.in, len(got))
		}
	}
	// Masking a normalised number never shows its middle.
	n, err := NormalizePhone("138-1234-5678")
	if err != nil {
		t.Fatal(err)
	}
	if got := MaskPhone(n); got != "138****5678" || strings.Contains(got, "1234") {
		t.Errorf("MaskPhone(%q) = %q", n, got)
	}
}

func TestFormatYuan(t *testing.T) {
	tests := []struct {
		fen  int64
		want string
	}{
		{0, "0.00"},
		{1, "0.01"},
		{5, "0.05"},
		{10, "0.10"},
		{99, "0.99"},
		{100, "1.00"},
		{358000, "3580.00"},
		{358050, "3580.50"},
		{358055, "3580.55"},
		{-1, "-0.01"},
		{-5, "-0.05"},
		{-100, "-1.00"},
		{-12345, "-123.45"},
		{1_000_000_000_000_000, "10000000000000.00"},
		{math.MaxInt64, "92233720368547758.07"},
	}
	for _, tt := range tests {
		if got := FormatYuan(tt.fen); got != tt.want {
			t.Errorf("FormatYuan(%d) = %q, want %q", tt.fen, got, tt.want)
		}
	}
}

func TestFormatYuanMinInt64(t *testing.T) {
	if got, want := FormatYuan(math.MinInt64), "-92233720368547758.08"; got != want {
		t.Errorf("FormatYuan(MinInt64) = %q, want %q", got, want)
	}
}

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"", 0},
		{"  ", 0},
		{"元", 0},
		{"0", 0},
		{"0.00", 0},
		{"0.01", 1},
		{"0.1", 10},
		{".5", 50},
		{"5.", 500},
		{"1", 100},
		{"007", 700},
		{"3580", 358000},
		{"3580.5", 358050},
		{"3580.50", 358050},
		{"3580.05", 358005},
		{"3,580.5", 358050},
		{"3，580", 358000},
		{"1,234,567.89", 123456789},
		{"3580元", 358000},
		{" 3580 元 ", 358000},
		{"3580.5元", 358050},
		{"10000000000000", 1_000_000_000_000_000},
		{"10000000000000.00", 1_000_000_000_000_000},
		{"9999999999999.99", 999_999_999_999_999},
	}
	for _, tt := range tests {
		got, err := ParseYuan(tt.in)
		if err != nil {
			t.Errorf("ParseYuan(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseYuan(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestParseYuanRejects(t *testing.T) {
	const tooLarge = "the amount is too large"
	const badFormat = "amounts are yuan with at most two decimals"
	tests := []struct {
		in     string
		wantEN string
	}{
		{"-5", badFormat},
		{"-0.01", badFormat},
		{"+5", badFormat},
		{"1.234", badFormat},
		{"0.001", badFormat},
		{"1.2.3", badFormat},
		{"1..2", badFormat},
		{".", badFormat},
		{"元.", badFormat},
		{"abc", badFormat},
		{"12a", badFormat},
		{"1e3", badFormat},
		{"3 580", badFormat},
		{"１２", badFormat},
		{"¥5", badFormat},
		{"5块", badFormat},
		{"5元元", badFormat},
		{"0x10", badFormat},
		{"NaN", badFormat},
		{"10000000000000.01", tooLarge},
		{"10000000000001", tooLarge},
		{"99999999999999999999999", tooLarge},
		{"99999999999999999999999999999999999999999999", tooLarge},
	}
	for _, tt := range tests {
		got, err := ParseYuan(tt.in)
		if got != 0 {
			t.Errorf("ParseYuan(%q) = %d with an error, want 0", tt.in, got)
		}
		e := assertInvalid(t, err, "income")
		if e.EN != tt.wantEN {
			t.Errorf("ParseYuan(%q) error %q, want %q", tt.in, e.EN, tt.wantEN)
		}
	}
}

func TestYuanRoundTrip(t *testing.T) {
	for _, fen := range []int64{0, 1, 9, 10, 99, 100, 101, 358050, 123456789, 999_999_999_999_999, 1_000_000_000_000_000} {
		s := FormatYuan(fen)
		got, err := ParseYuan(s)
		if err != nil || got != fen {
			t.Errorf("ParseYuan(FormatYuan(%d) = %q) = %d, %v", fen, s, got, err)
		}
	}
	tests := []struct{ in, want string }{
		{"3,580.5元", "3580.50"},
		{".5", "0.50"},
		{"007.1", "7.10"},
		{"", "0.00"},
	}
	for _, tt := range tests {
		fen, err := ParseYuan(tt.in)
		if err != nil {
			t.Errorf("ParseYuan(%q): %v", tt.in, err)
			continue
		}
		if got := FormatYuan(fen); got != tt.want {
			t.Errorf("FormatYuan(ParseYuan(%q)) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var registerToday = time.Date(2025, 6, 10, 10, 0, 0, 0, cst)

func TestCheckHouseholdInputErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        HouseholdInput
		wantField string
	}{
		{"no place", HouseholdInput{}, "place_code"},
		{"number too long", HouseholdInput{PlaceCode: "v", Number: strings.Repeat("1", 41)}, "number"},
		{"address too long", HouseholdInput{PlaceCode: "v", Address: strings.Repeat("路", maxAddress+1)}, "address"},
		{"address with NUL", HouseholdInput{PlaceCode: "v", Address: "a\x00b"}, "address"},
		{"notes too long", HouseholdInput{PlaceCode: "v", Notes: strings.Repeat("注", maxNotes+1)}, "notes"},
		{"notes with invalid UTF-8", HouseholdInput{PlaceCode: "v", Notes: "\xfe"}, "notes"},
		{"bad phone", HouseholdInput{PlaceCode: "v", Phone: "12345"}, "phone"},
		{"phone with letters", HouseholdInput{PlaceCode: "v", Phone: "138abc"}, "phone"},
		{"unknown housing", HouseholdInput{PlaceCode: "v", Housing: "palace"}, "housing"},
		{"unknown water", HouseholdInput{PlaceCode: "v", Water: "well"}, "water"},
		{"negative income", HouseholdInput{PlaceCode: "v", IncomeFen: -1, IncomeYear: 2024}, "income"},
		{"income over 100 million yuan", HouseholdInput{PlaceCode: "v", IncomeFen: 100_000_000_00 + 1, IncomeYear: 2024}, "income"},
		{"income year 1999", HouseholdInput{PlaceCode: "v", IncomeFen: 100, IncomeYear: 1999}, "income_year"},
		{"income year next year", HouseholdInput{PlaceCode: "v", IncomeFen: 100, IncomeYear: 2026}, "income_year"},
		{"income year without income", HouseholdInput{PlaceCode: "v", IncomeYear: 1990}, "income_year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckHouseholdInput(tt.in, registerToday)
			assertInvalid(t, err, tt.wantField)
		})
	}
}

func TestCheckHouseholdInputVocabMessage(t *testing.T) {
	_, err := CheckHouseholdInput(HouseholdInput{PlaceCode: "v", Housing: "palace"}, registerToday)
	e := assertInvalid(t, err, "housing")
	if want := `housing "palace" is not one of safe, c_level, d_level, none`; e.EN != want {
		t.Errorf("EN = %q, want %q", e.EN, want)
	}
	if want := "住房情况“palace”无效，应为：住房安全、C级危房、D级危房、无房"; e.ZH != want {
		t.Errorf("ZH = %q, want %q", e.ZH, want)
	}
}

func TestCheckHouseholdInputNormalises(t *testing.T) {
	tests := []struct {
		name string
		in   HouseholdInput
		want HouseholdInput
	}{
		{"minimal", HouseholdInput{PlaceCode: "v"}, HouseholdInput{PlaceCode: "v"}},
		{
			"trims text",
			HouseholdInput{PlaceCode: "v", Number: " 5303-001 ", Address: "  红星村一组 ", Notes: "\n备注\t"},
			HouseholdInput{PlaceCode: "v", Number: "5303-001", Address: "红星村一组", Notes: "备注"},
		},
		{"normalises the phone", HouseholdInput{PlaceCode: "v", Phone: "138-0013-8000"}, HouseholdInput{PlaceCode: "v", Phone: "13800138000"}},
		{"housing by label", HouseholdInput{PlaceCode: "v", Housing: "C级危房"}, HouseholdInput{PlaceCode: "v", Housing: "c_level"}},
		{"housing by synonym", HouseholdInput{PlaceCode: "v", Housing: "D级"}, HouseholdInput{PlaceCode: "v", Housing: "d_level"}},
		{"housing by code", HouseholdInput{PlaceCode: "v", Housing: "safe"}, HouseholdInput{PlaceCode: "v", Housing: "safe"}},
		{"housing in capitals", HouseholdInput{PlaceCode: "v", Housing: "SAFE"}, HouseholdInput{PlaceCode: "v", Housing: "safe"}},
		{"water by synonym", HouseholdInput{PlaceCode: "v", Water: "安全"}, HouseholdInput{PlaceCode: "v", Water: "safe"}},
		{"water by label", HouseholdInput{PlaceCode: "v", Water: "水质不达标"}, HouseholdInput{PlaceCode: "v", Water: "unsafe"}},
		{"income defaults to last year", HouseholdInput{PlaceCode: "v", IncomeFen: 358050}, HouseholdInput{PlaceCode: "v", IncomeFen: 358050, IncomeYear: 2024}},
		{"income year kept", HouseholdInput{PlaceCode: "v", IncomeFen: 1, IncomeYear: 2000}, HouseholdInput{PlaceCode: "v", IncomeFen: 1, IncomeYear: 2000}},
		{"income this year", HouseholdInput{PlaceCode: "v", IncomeFen: 1, IncomeYear: 2025}, HouseholdInput{PlaceCode: "v", IncomeFen: 1, IncomeYear: 2025}},
		{"no income, no year", HouseholdInput{PlaceCode: "v", IncomeFen: 0}, HouseholdInput{PlaceCode: "v"}},
		{"income of 100 million yuan", HouseholdInput{PlaceCode: "v", IncomeFen: 100_000_000_00, IncomeYear: 2024}, HouseholdInput{PlaceCode: "v", IncomeFen: 100_000_000_00, IncomeYear: 2024}},
		{"number of 40", HouseholdInput{PlaceCode: "v", Number: strings.Repeat("1", 40)}, HouseholdInput{PlaceCode: "v", Number: strings.Repeat("1", 40)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckHouseholdInput(tt.in, registerToday)
			if err != nil {
				t.Fatalf("CheckHouseholdInput: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

var (
	maleID     = withCheck("11010519900101123")   // born 1990-01-01, male
	femaleID   = withCheck("11010519491231002")   // born 1949-12-31, female
	born1870ID = withCheck("11010518700101001")   // valid, but before 1880
	futureID   = withCheck("11010520300101001")   // born 2030
	badCheckID = maleID[:17] + wrongCheck(maleID) // wrong check character
)

func wrongCheck(id string) string {
	if id[17] == '0' {
		return "1"
	}
	return "0"
}

func TestCheckPersonInputErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        PersonInput
		wantField string
	}{
		{"no name", PersonInput{}, "name"},
		{"blank name", PersonInput{Name: "   "}, "name"},
		{"name too long", PersonInput{Name: strings.Repeat("张", maxName+1)}, "name"},
		{"name with NUL", PersonInput{Name: "张\x00"}, "name"},
		{"bad check character", PersonInput{Name: "张三", IDNumber: badCheckID}, "id_number"},
		{"short ID", PersonInput{Name: "张三", IDNumber: "1101051990"}, "id_number"},
		{"letters in ID", PersonInput{Name: "张三", IDNumber: "11010519900101A234"}, "id_number"},
		{"ID born in the future", PersonInput{Name: "张三", IDNumber: futureID}, "id_number"},
		{"ID born before 1880", PersonInput{Name: "张三", IDNumber: born1870ID}, "birth"},
		{"sex does not match the ID", PersonInput{Name: "张三", IDNumber: maleID, Sex: "F"}, "sex"},
		{"birth does not match the ID", PersonInput{Name: "张三", IDNumber: maleID, Birth: time.Date(1990, 1, 2, 0, 0, 0, 0, cst)}, "birth"},
		{"unknown sex", PersonInput{Name: "张三", Sex: "X"}, "sex"},
		{"birth in the future", PersonInput{Name: "张三", Birth: registerToday.AddDate(0, 0, 1)}, "birth"},
		{"birth before 1880", PersonInput{Name: "张三", Birth: time.Date(1879, 12, 31, 0, 0, 0, 0, cst)}, "birth"},
		{"bad phone", PersonInput{Name: "张三", Phone: "110"}, "phone"},
		{"unknown relation", PersonInput{Name: "张三", Relation: "cousin"}, "relation"},
		{"unknown disability", PersonInput{Name: "张三", DisabilityKind: "unknown", DisabilityGrade: 1}, "disability_kind"},
		{"disability grade 5", PersonInput{Name: "张三", DisabilityKind: "physical", DisabilityGrade: 5}, "disability_grade"},
		{"negative disability grade", PersonInput{Name: "张三", DisabilityKind: "physical", DisabilityGrade: -1}, "disability_grade"},
		{"disability without grade", PersonInput{Name: "张三", DisabilityKind: "visual"}, "disability_grade"},
		{"grade without disability", PersonInput{Name: "张三", DisabilityGrade: 2}, "disability_kind"},
		{"unknown health", PersonInput{Name: "张三", Health: "fine"}, "health"},
		{"health notes too long", PersonInput{Name: "张三", HealthNotes: strings.Repeat("病", maxShort+1)}, "health_notes"},
		{"unknown education", PersonInput{Name: "张三", Education: "phd"}, "education"},
		{"unknown labour", PersonInput{Name: "张三", Labour: "lazy"}, "labour"},
		{"work too long", PersonInput{Name: "张三", Work: strings.Repeat("工", maxShort+1)}, "work"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, legacy, err := CheckPersonInput(tt.in, registerToday)
			assertInvalid(t, err, tt.wantField)
			if legacy {
				t.Error("legacy reported with an error")
			}
		})
	}
}

func TestCheckPersonInputIDError(t *testing.T) {
	_, _, err := CheckPersonInput(PersonInput{Name: "张三", IDNumber: badCheckID}, registerToday)
	e := assertInvalid(t, err, "id_number")
	if !strings.HasPrefix(e.EN, "invalid ID number: ") || !strings.HasPrefix(e.ZH, "身份证号无效：") {
		t.Errorf("messages do not say why: zh=%q en=%q", e.ZH, e.EN)
	}
}

func TestCheckPersonInputValid(t *testing.T) {
	legacy15 := "110105900101123" // 15 digits of the same person as maleID
	tests := []struct {
		name       string
		in         PersonInput
		want       PersonInput
		wantLegacy bool
	}{
		{"name only", PersonInput{Name: " 张三 "}, PersonInput{Name: "张三"}, false},
		{
			"male ID gives sex and birth",
			PersonInput{Name: "张三", IDNumber: maleID},
			PersonInput{Name: "张三", IDNumber: maleID, Sex: "M", Birth: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)},
			false,
		},
		{
			"female ID with lower-case x and spaces",
			PersonInput{Name: "李四", IDNumber: " 11010519491231002x "},
			PersonInput{Name: "李四", IDNumber: femaleID, Sex: "F", Birth: time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC)},
			false,
		},
		{
			"matching sex and birth in China time",
			PersonInput{Name: "张三", IDNumber: maleID, Sex: "M", Birth: time.Date(1990, 1, 1, 0, 0, 0, 0, cst)},
			PersonInput{Name: "张三", IDNumber: maleID, Sex: "M", Birth: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)},
			false,
		},
		{
			"15-digit number converted and flagged",
			PersonInput{Name: "张三", IDNumber: legacy15},
			PersonInput{Name: "张三", IDNumber: maleID, Sex: "M", Birth: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)},
			true,
		},
		{"sex by label", PersonInput{Name: "王五", Sex: "女"}, PersonInput{Name: "王五", Sex: "F"}, false},
		{"sex in English", PersonInput{Name: "王五", Sex: "Male"}, PersonInput{Name: "王五", Sex: "M"}, false},
		{"sex lower case", PersonInput{Name: "王五", Sex: "f"}, PersonInput{Name: "王五", Sex: "F"}, false},
		{
			"birth without ID",
			PersonInput{Name: "王五", Birth: time.Date(1880, 1, 1, 0, 0, 0, 0, cst)},
			PersonInput{Name: "王五", Birth: time.Date(1880, 1, 1, 0, 0, 0, 0, cst)},
			false,
		},
		{"born today", PersonInput{Name: "王五", Birth: registerToday}, PersonInput{Name: "王五", Birth: registerToday}, false},
		{"phone normalised", PersonInput{Name: "王五", Phone: "138 0013 8000"}, PersonInput{Name: "王五", Phone: "13800138000"}, false},
		{"relation by synonym", PersonInput{Name: "王五", Relation: "长子"}, PersonInput{Name: "王五", Relation: "son"}, false},
		{"relation by label", PersonInput{Name: "王五", Relation: "户主"}, PersonInput{Name: "王五", Relation: "head"}, false},
		{
			"disability by synonym",
			PersonInput{Name: "王五", DisabilityKind: "肢体", DisabilityGrade: 2},
			PersonInput{Name: "王五", DisabilityKind: "physical", DisabilityGrade: 2},
			false,
		},
		{
			"disability grade 4",
			PersonInput{Name: "王五", DisabilityKind: "visual", DisabilityGrade: 4},
			PersonInput{Name: "王五", DisabilityKind: "visual", DisabilityGrade: 4},
			false,
		},
		{"health by synonym", PersonInput{Name: "王五", Health: "大病"}, PersonInput{Name: "王五", Health: "serious"}, false},
		{"education by synonym", PersonInput{Name: "王五", Education: "中专"}, PersonInput{Name: "王五", Education: "vocational"}, false},
		{"labour by synonym", PersonInput{Name: "王五", Labour: "半劳动力"}, PersonInput{Name: "王五", Labour: "weak"}, false},
		{
			"free text trimmed, in school kept",
			PersonInput{Name: "王五", HealthNotes: " 高血压 ", Work: " 省外务工\n", InSchool: true},
			PersonInput{Name: "王五", HealthNotes: "高血压", Work: "省外务工", InSchool: true},
			false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, legacy, err := CheckPersonInput(tt.in, registerToday)
			if err != nil {
				t.Fatalf("CheckPersonInput: %v", err)
			}
			if legacy != tt.wantLegacy {
				t.Errorf("legacy = %v, want %v", legacy, tt.wantLegacy)
			}
			if !got.Birth.Equal(tt.want.Birth) {
				t.Errorf("Birth = %s, want %s", got.Birth, tt.want.Birth)
			}
			got.Birth, tt.want.Birth = time.Time{}, time.Time{}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCheckPersonInputSexLabelWithID(t *testing.T) {
	for _, sex := range []string{"男", "male", "m"} {
		got, _, err := CheckPersonInput(PersonInput{Name: "张三", IDNumber: maleID, Sex: sex}, registerToday)
		if err != nil || got.Sex != "M" {
			t.Errorf("Sex %q with a male ID: got %q, %v; want M", sex, got.Sex, err)
		}
	}
}

func TestPersonAge(t *testing.T) {
	birth := time.Date(1990, 6, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		birth time.Time
		at    time.Time
		want  int
	}{
		{"unknown birth", time.Time{}, registerToday, -1},
		{"day before the birthday", birth, time.Date(2025, 6, 14, 12, 0, 0, 0, cst), 34},
		{"on the birthday", birth, time.Date(2025, 6, 15, 0, 0, 0, 0, cst), 35},
		{"day after the birthday", birth, time.Date(2025, 6, 16, 0, 0, 0, 0, cst), 35},
		{"new year's eve", birth, time.Date(2025, 12, 31, 0, 0, 0, 0, cst), 35},
		{"new year's day", birth, time.Date(2026, 1, 1, 0, 0, 0, 0, cst), 35},
		{"newborn", registerToday, registerToday, 0},
		{"born on a leap day, a day later", time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2000, 3, 1, 0, 0, 0, 0, time.UTC), 0},
		{"born on a leap day, in a leap year", time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), 24},
		{"born on a leap day, 28 Feb of a common year", time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2023, 2, 28, 0, 0, 0, 0, time.UTC), 22},
		{"born on a leap day, 1 March of a common year", time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), 23},
	}
	for _, tt := range tests {
		if got := (Person{Birth: tt.birth}).Age(tt.at); got != tt.want {
			t.Errorf("%s: Age = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestPersonAgeAcrossLeapYears(t *testing.T) {
	tests := []struct {
		name      string
		birth, at time.Time
		want      int
	}{
		// Born in a common year; 29 February of a leap year has the YearDay of 1 March.
		{"common-year birthday on 1 March, at 29 February", time.Date(2001, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), 22},
		// Born after February in a leap year; the birthday in a common year has a smaller YearDay.
		{"leap-year birthday on 1 March, at 1 March", time.Date(2000, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), 23},
		{"leap-year birthday on 31 December, at 31 December", time.Date(2000, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), 25},
	}
	for _, tt := range tests {
		if got := (Person{Birth: tt.birth}).Age(tt.at); got != tt.want {
			t.Errorf("%s: Age = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestHouseholdPatchApply(t *testing.T) {
	h := Household{ID: 7, Number: "N1", PlaceCode: "v1", Address: "a", Phone: "13800138000", IncomeYear: 2023,
		IncomeFen: 100, Housing: "safe", Water: "safe", Notes: "n"}
	addr, year, fen := "新地址", 2024, int64(0)
	got := HouseholdPatch{Address: &addr, IncomeYear: &year, IncomeFen: &fen}.Apply(h)
	want := HouseholdInput{Number: "N1", PlaceCode: "v1", Address: "新地址", Phone: "13800138000", IncomeYear: 2024,
		IncomeFen: 0, Housing: "safe", Water: "safe", Notes: "n"}
	if got != want {
		t.Errorf("Apply = %+v, want %+v", got, want)
	}
	if got := (HouseholdPatch{}).Apply(h); got.Phone != h.Phone || got.Notes != h.Notes || got.IncomeFen != h.IncomeFen {
		t.Errorf("empty patch changed the household: %+v", got)
	}
}

func TestPersonPatchApply(t *testing.T) {
	p := Person{Name: "张三", IDNumber: maleID, Sex: "M", Birth: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), Relation: "head", Phone: "13800138000"}
	same, other, name, f := maleID, femaleID, "张三丰", "F"
	birth := time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		patch     PersonPatch
		wantID    string
		wantSex   string
		wantBirth time.Time
		wantName  string
	}{
		{"empty", PersonPatch{}, maleID, "M", p.Birth, "张三"},
		{"name", PersonPatch{Name: &name}, maleID, "M", p.Birth, "张三丰"},
		{"same ID keeps sex and birth", PersonPatch{IDNumber: &same}, maleID, "M", p.Birth, "张三"},
		{"new ID clears sex and birth", PersonPatch{IDNumber: &other}, femaleID, "", time.Time{}, "张三"},
		{"new ID with sex keeps that sex", PersonPatch{IDNumber: &other, Sex: &f}, femaleID, "F", time.Time{}, "张三"},
		{"new ID with birth keeps both", PersonPatch{IDNumber: &other, Birth: &birth}, femaleID, "M", birth, "张三"},
	}
	for _, tt := range tests {
		got := tt.patch.Apply(p)
		if got.IDNumber != tt.wantID || got.Sex != tt.wantSex || !got.Birth.Equal(tt.wantBirth) || got.Name != tt.wantName {
			t.Errorf("%s: Apply = id %q sex %q birth %s name %q; want %q %q %s %q", tt.name, got.IDNumber, got.Sex, got.Birth, got.Name,
				tt.wantID, tt.wantSex, tt.wantBirth, tt.wantName)
		}
		if got.Phone != p.Phone || got.Relation != p.Relation {
			t.Errorf("%s: Apply changed phone or relation: %+v", tt.name, got)
		}
	}
}

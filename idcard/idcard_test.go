package idcard

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// now is the fixed "today" of the tests.
var now = time.Date(2024, time.June, 15, 10, 0, 0, 0, chinaTime)

// withCheck appends the right check character to 17 digits.
func withCheck(t *testing.T, first17 string) string {
	t.Helper()
	c, err := CheckChar(first17)
	if err != nil {
		t.Fatalf("CheckChar(%q): %v", first17, err)
	}
	return first17 + string(c)
}

func TestParseValid(t *testing.T) {
	tests := []struct {
		name, in, number string
		birth            time.Time
		sex              Sex
	}{
		{"vector 110105", "11010519491231002X", "11010519491231002X", date(1949, 12, 31), Female},
		{"vector 440524 born 1880", "440524188001010014", "440524188001010014", date(1880, 1, 1), Male},
		{"vector 371001", "371001198010082394", "371001198010082394", date(1980, 10, 8), Male},
		{"vector 652824", "65282419840210443X", "65282419840210443X", date(1984, 2, 10), Male},
		{"vector 360601", "36060119980521413X", "36060119980521413X", date(1998, 5, 21), Male},
		{"lowercase x", "11010519491231002x", "11010519491231002X", date(1949, 12, 31), Female},
		{"full-width", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", date(1949, 12, 31), Female},
		{"full-width lowercase x", "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X", date(1949, 12, 31), Female},
		{"spaces trimmed", " \t371001198010082394\u3000\n", "371001198010082394", date(1980, 10, 8), Male},
		{"born today", "110105202406150016", "110105202406150016", date(2024, 6, 15), Male},
		{"Hong Kong 810000", "810000199001011230", "810000199001011230", date(1990, 1, 1), Male},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := ParseAt(tt.in, now)
			if err != nil {
				t.Fatalf("ParseAt: %v", err)
			}
			if id.Number() != tt.number || id.Region() != tt.number[:6] {
				t.Errorf("Number, Region = %q, %q; want %q, %q", id.Number(), id.Region(), tt.number, tt.number[:6])
			}
			if !id.Birth().Equal(tt.birth) || id.Birth().Location() != time.UTC {
				t.Errorf("Birth = %v, want %v", id.Birth(), tt.birth)
			}
			if id.Sex() != tt.sex {
				t.Errorf("Sex = %v, want %v", id.Sex(), tt.sex)
			}
		})
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name, in string
		reason   Reason
		expected byte   // ReasonCheckDigit
		en, zh   string // exact messages, if given
	}{
		{"check 440882", "440882199102104190", ReasonCheckDigit, '5', "", ""},
		{"check 445221", "44522119901117536X", ReasonCheckDigit, '8',
			"the check digit is wrong: expected 8 (or another digit was mistyped)",
			"身份证号校验位错误，应为8（也可能是其他位填错了）"},
		{"check 345955 Anhui", "345955198706122245", ReasonCheckDigit, 'X', "", ""},
		{"empty", "  ", ReasonLength, 0, "the ID number is empty", "请填写身份证号"},
		{"17 chars", "11010519491231002", ReasonLength, 0,
			"an ID number has 18 characters (15 on old cards), not 17", "身份证号应为18位（旧版为15位），现为17位"},
		{"19 chars", "11010519491231002X1", ReasonLength, 0, "", ""},
		{"inner space", "110105 19491231002X", ReasonLength, 0, "", ""},
		{"letter", "1101A519491231002X", ReasonCharacters, 0,
			"character 5 of the ID number must be a digit", "身份证号第5位应为数字"},
		{"X inside", "11010519491231X02X", ReasonCharacters, 0, "", ""},
		{"bad last", "11010519491231002Y", ReasonCharacters, 0,
			"character 18 of the ID number must be a digit or X", "身份证号第18位应为数字或X"},
		{"X in 15", "43138976061660X", ReasonCharacters, 0, "", ""},
		{"arabic-indic digit", "١١010519491231002X", ReasonCharacters, 0, "", ""},
		{"region 99", "990105" + "19491231002", ReasonRegion, 0, "", ""},
		{"region 000000", "000000" + "19491231002", ReasonRegion, 0, "", ""},
		{"region 110000", "110000" + "19491231002", ReasonRegion, 0, "", ""},
		{"region 110100", "110100" + "19491231002", ReasonRegion, 0, "", ""},
		{"region 83", "830000" + "19491231002", ReasonRegion, 0, "", ""},
		{"region in 15", "991389760616601", ReasonRegion, 0, "", ""},
		{"future", "110105" + "20240616" + "002", ReasonBirthDate, 0,
			"the birth date in the ID number is in the future", "身份证号中的出生日期晚于今天"},
		{"Feb 30", "110105" + "20000230" + "002", ReasonBirthDate, 0,
			"the birth date in the ID number does not exist", "身份证号中的出生日期不存在"},
		{"Feb 29 common year", "110105" + "19000229" + "002", ReasonBirthDate, 0, "", ""},
		{"month 13", "110105" + "19801301" + "002", ReasonBirthDate, 0, "", ""},
		{"day 00", "110105" + "19800100" + "002", ReasonBirthDate, 0, "", ""},
		{"before 1800", "110105" + "17991231" + "002", ReasonBirthDate, 0, "", ""},
		{"bad date in 15", "431389760230601", ReasonBirthDate, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if len(in) == 17 && tt.reason != ReasonLength {
				in = withCheck(t, in) // so that only the intended rule fails
			}
			id, err := ParseAt(in, now)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseAt err = %v, want *Error", err)
			}
			if e.Reason != tt.reason || e.Expected != tt.expected {
				t.Errorf("Reason, Expected = %v, %q; want %v, %q", e.Reason, e.Expected, tt.reason, tt.expected)
			}
			if id != (ID{}) {
				t.Errorf("ID = %v, want zero", id)
			}
			if tt.en != "" && (e.EN() != tt.en || e.Error() != tt.en) {
				t.Errorf("EN = %q, want %q", e.EN(), tt.en)
			}
			if tt.zh != "" && e.ZH() != tt.zh {
				t.Errorf("ZH = %q, want %q", e.ZH(), tt.zh)
			}
			checkMessages(t, e)
		})
	}
}

// digitRun matches 5 or more digits in a row: a message holding one leaks
// part of a number.
var digitRun = regexp.MustCompile(`[0-9０-９]{5,}`)

func checkMessages(t *testing.T, e *Error) {
	t.Helper()
	for _, msg := range []string{e.EN(), e.ZH(), e.Error()} {
		if msg == "" || digitRun.MatchString(msg) {
			t.Errorf("message %q is empty or contains part of a number", msg)
		}
	}
}

func TestLegacy(t *testing.T) {
	const want = "431389197606166012"
	for _, in := range []string{"431389760616601", " ４３１３８９７６０６１６６０１ "} {
		t.Run(in, func(t *testing.T) {
			id, err := ParseAt(in, now)
			if !IsLegacy(err) {
				t.Fatalf("err = %v, want ReasonLegacy", err)
			}
			if !IsLegacy(fmt.Errorf("import row 3: %w", err)) {
				t.Error("IsLegacy does not see through wrapping")
			}
			checkMessages(t, err.(*Error))
			if id.Number() != want {
				t.Errorf("Number = %q, want %q", id.Number(), want)
			}
			if !id.Birth().Equal(date(1976, 6, 16)) || id.Sex() != Male {
				t.Errorf("Birth, Sex = %v, %v", id.Birth(), id.Sex())
			}
			got, err := Convert15(in)
			if err != nil || got != want {
				t.Errorf("Convert15 = %q, %v; want %q, nil", got, err, want)
			}
			if _, err := ParseAt(want, now); err != nil {
				t.Errorf("converted number does not parse: %v", err)
			}
		})
	}
	if IsLegacy(nil) || IsLegacy(errors.New("x")) || IsLegacy(&Error{Reason: ReasonRegion}) {
		t.Error("IsLegacy true for a non-legacy error")
	}
	for _, in := range []string{"11010519491231002X", "43138976061660", "991389760616601"} {
		if _, err := Convert15(in); err == nil {
			t.Errorf("Convert15(%q) succeeded", in)
		}
	}
}

func TestCheckChar(t *testing.T) {
	tests := []struct {
		in     string
		want   byte
		reason Reason
	}{
		{"11010519491231002", 'X', 0},
		{"44522119901117536", '8', 0},
		{"43138919760616601", '2', 0},
		{"4408821991021041", 0, ReasonLength},
		{"1101051949123100X", 0, ReasonCharacters},
		{"１1010519491231002", 0, ReasonCharacters},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := CheckChar(tt.in)
			var e *Error
			switch {
			case tt.reason == 0 && (err != nil || got != tt.want):
				t.Errorf("CheckChar = %q, %v; want %q", got, err, tt.want)
			case tt.reason != 0 && (!errors.As(err, &e) || e.Reason != tt.reason):
				t.Errorf("CheckChar err = %v, want reason %v", err, tt.reason)
			}
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"530302199001011234", "5303**********1234"},
		{"431389760616601", "4313*******6601"},
		{"123456789", "1234*6789"},
		{"12345678", "********"},
		{"1", "*"},
		{"", ""},
		{"１１０１０５１９４９１２３１００２Ｘ", "１１０１**********００２Ｘ"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Mask(tt.in); got != tt.want {
				t.Errorf("Mask = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIDFormatting(t *testing.T) {
	id, err := ParseAt("11010519491231002X", now)
	if err != nil {
		t.Fatal(err)
	}
	const masked = "1101**********002X"
	for _, verb := range []string{"%v", "%+v", "%s", "%d", "%x", "%q", "%#v", "%10.3v"} {
		got := fmt.Sprintf(verb, id)
		if strings.Contains(got, "19491231") || !strings.Contains(got, masked) {
			t.Errorf("Sprintf(%s) = %q, want the masked number only", verb, got)
		}
	}
	if got := fmt.Sprint(struct{ ID ID }{id}); strings.Contains(got, "19491231") {
		t.Errorf("an ID inside a struct prints %q", got)
	}
	var zero ID
	if zero.Number() != "" || zero.Region() != "" || !zero.Birth().IsZero() || zero.Sex() != 0 || zero.Age(now) != 0 || zero.String() != "" {
		t.Error("the zero ID does not return zero values")
	}
}

func TestSexString(t *testing.T) {
	for s, want := range map[Sex]string{Male: "M", Female: "F", 0: "", 'x': ""} {
		if got := s.String(); got != want {
			t.Errorf("Sex(%d).String() = %q, want %q", byte(s), got, want)
		}
	}
}

func TestAge(t *testing.T) {
	born := func(ymd string) ID { return ID{number: "110105" + ymd + "0010"} }
	tests := []struct {
		name string
		id   ID
		at   time.Time
		want int
	}{
		{"day before birthday", born("19800615"), date(2024, 6, 14), 43},
		{"on birthday", born("19800615"), date(2024, 6, 15), 44},
		{"after birthday", born("19800615"), date(2024, 12, 31), 44},
		{"newborn", born("20240615"), date(2024, 6, 15), 0},
		{"before birth", born("20240615"), date(2024, 6, 14), -1},
		{"leap day, common year Feb 28", born("20000229"), date(2023, 2, 28), 22},
		{"leap day, common year Mar 1", born("20000229"), date(2023, 3, 1), 23},
		{"leap day, leap year", born("20000229"), date(2024, 2, 29), 24},
		{"at's own date, not UTC", born("19800615"), time.Date(2024, 6, 15, 1, 0, 0, 0, chinaTime), 44},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.id.Age(tt.at); got != tt.want {
				t.Errorf("Age = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestParseAtUsesNowsDate(t *testing.T) {
	in := withCheck(t, "110105"+"20240615"+"001")
	// 2024-06-15 00:30 in China is still 2024-06-14 in UTC.
	early := time.Date(2024, 6, 15, 0, 30, 0, 0, chinaTime)
	if _, err := ParseAt(in, early); err != nil {
		t.Errorf("born today (China date): %v", err)
	}
	if _, err := ParseAt(in, early.UTC()); err == nil {
		t.Error("born tomorrow (UTC date) accepted")
	}
	if _, err := Parse(in); err != nil {
		t.Errorf("Parse with the real clock: %v", err)
	}
}

func TestReasonString(t *testing.T) {
	seen := map[string]bool{}
	for r := ReasonLength; r <= ReasonLegacy; r++ {
		s := r.String()
		if seen[s] || strings.HasPrefix(s, "Reason(") {
			t.Errorf("Reason %d has name %q", int(r), s)
		}
		seen[s] = true
		checkMessages(t, &Error{Reason: r, Expected: '1'})
	}
	if got := Reason(99).String(); got != "Reason(99)" {
		t.Errorf("Reason(99).String() = %q", got)
	}
}

package idcard

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestGenerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	provinceCodes := []int{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
		41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
	lo := date(minYear, 1, 1).Unix()
	hi := date(2024, 6, 15).Unix()
	for i := range 1000 {
		region := fmt.Sprintf("%02d%02d%02d", provinceCodes[rng.IntN(len(provinceCodes))], 1+rng.IntN(99), 1+rng.IntN(99))
		birth := time.Unix(lo+rng.Int64N(hi-lo+1), 0).UTC()
		birth = date(birth.Year(), birth.Month(), birth.Day())
		sex := Male
		if rng.IntN(2) == 0 {
			sex = Female
		}
		n := Generate(rng, region, birth, sex)
		id, err := ParseAt(n, now)
		if err != nil {
			t.Fatalf("case %d: Generate(%s, %s, %v) = %s, which does not parse: %v", i, region, birth.Format(time.DateOnly), sex, n, err)
		}
		if id.Number() != n || id.Region() != region || !id.Birth().Equal(birth) || id.Sex() != sex {
			t.Fatalf("case %d: %s parses as region %s, birth %v, sex %v; want %s, %v, %v",
				i, n, id.Region(), id.Birth(), id.Sex(), region, birth, sex)
		}
		if n[14:17] == "000" {
			t.Fatalf("case %d: sequence 000 in %s", i, n)
		}
	}
}

func TestGenerateUsesBirthLocation(t *testing.T) {
	// 2000-01-01 07:00 in China is 1999-12-31 in UTC; the date in China counts.
	birth := time.Date(2000, 1, 1, 7, 0, 0, 0, chinaTime)
	n := Generate(nil, "110105", birth, Female)
	if got := n[6:14]; got != "20000101" {
		t.Errorf("birth digits = %s, want 20000101", got)
	}
	if _, err := ParseAt(n, now); err != nil {
		t.Errorf("ParseAt(Generate(nil, ...)): %v", err)
	}
}

func TestGeneratePanics(t *testing.T) {
	ok := date(1990, 1, 1)
	tests := []struct {
		name   string
		region string
		birth  time.Time
		sex    Sex
	}{
		{"short region", "11010", ok, Male},
		{"letters", "11010A", ok, Male},
		{"province 99", "990105", ok, Male},
		{"county 00", "110100", ok, Male},
		{"year 1799", "110105", date(1799, 12, 31), Male},
		{"year 10000", "110105", date(10000, 1, 1), Male},
		{"no sex", "110105", ok, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Generate did not panic")
				}
			}()
			Generate(nil, tt.region, tt.birth, tt.sex)
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "440524188001010014", "371001198010082394",
		"65282419840210443X", "36060119980521413X", "440882199102104190",
		"44522119901117536X", "345955198706122245", "431389760616601",
		"11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", " 371001198010082394 ",
		"", "X", "810000199001011230", "110105202406160016", "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseAt(s, now)
		if e, ok := err.(*Error); ok {
			checkMessages(t, e)
		} else if err != nil {
			t.Fatalf("error of type %T", err)
		}
		checkMask(t, s)
		if err != nil && !IsLegacy(err) {
			if id != (ID{}) {
				t.Fatalf("rejected input returned a non-zero ID")
			}
			return
		}
		n := id.Number()
		again, err := ParseAt(n, now)
		if err != nil || again != id {
			t.Fatalf("Number %q does not re-parse to the same ID: %v", n, err)
		}
		checkMask(t, n)
		if m := Mask(n); strings.Count(m, "*") != 10 || len(m) != 18 {
			t.Fatalf("Mask(%q) = %q, want 10 stars in 18 characters", n, m)
		}
		if strings.Contains(fmt.Sprintf("%v %+v %#v %s %d", id, id, id, id, id), n[4:14]) {
			t.Fatalf("formatting the ID shows its middle")
		}
	})
}

// checkMask checks that Mask(s) keeps at most the first 4 and last 4
// characters of s and stars the rest.
func checkMask(t *testing.T, s string) {
	t.Helper()
	m := []rune(Mask(s))
	r := []rune(s)
	if len(m) != utf8.RuneCountInString(s) {
		t.Fatalf("Mask(%q) = %q: %d characters, want %d", s, string(m), len(m), len(r))
	}
	kept := 0
	for i, c := range m {
		if c == '*' {
			continue
		}
		kept++
		if len(r) <= 8 || (i >= 4 && i < len(r)-4) || c != r[i] {
			t.Fatalf("Mask(%q) = %q shows character %d", s, string(m), i+1)
		}
	}
	if kept > 8 {
		t.Fatalf("Mask(%q) = %q shows %d characters", s, string(m), kept)
	}
}

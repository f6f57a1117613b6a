package ledger

import (
	"slices"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	d := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
		prec int
		ok   bool
	}{
		{"1980-01-02", d(1980, 1, 2), precDay, true},
		{"1980/1/2", d(1980, 1, 2), precDay, true},
		{"1980.1.2", d(1980, 1, 2), precDay, true},
		{"19800102", d(1980, 1, 2), precDay, true},
		{"1980年1月2日", d(1980, 1, 2), precDay, true},
		{"1980-01-02 00:00:00", d(1980, 1, 2), precDay, true},
		{"29222", d(1980, 1, 2), precDay, true}, // Excel serial day
		{"1980-01", d(1980, 1, 1), precMonth, true},
		{"1980年1月", d(1980, 1, 1), precMonth, true},
		{"198001", d(1980, 1, 1), precMonth, true},
		{"1980", time.Time{}, 0, false},
		{"1980-02-30", time.Time{}, 0, false},
		{"1980-13-01", time.Time{}, 0, false},
		{"yesterday", time.Time{}, 0, false},
		{"", time.Time{}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, prec, ok := parseDate(tc.in)
			if ok != tc.ok || !got.Equal(tc.want) || ok && prec != tc.prec {
				t.Errorf("parseDate(%q) = %v, %d, %v; want %v, %d, %v", tc.in, got, prec, ok, tc.want, tc.prec, tc.ok)
			}
		})
	}
}

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"3,580.50", 358050, true},
		{"3580元", 358000, true},
		{"3580.5", 358050, true},
		{"￥6,580", 658000, true},
		{"0.36万", 360000, true},
		{"1.2万元", 1200000, true},
		{"12.345", 1235, true},
		{".5", 50, true},
		{"0", 0, true},
		{"3.58E+4", 3580000, true},
		{"-5", 0, false},
		{"三千", 0, false},
		{"1.2.3", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := parseYuan(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("parseYuan(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestParseGradeAndYesNo(t *testing.T) {
	grades := map[string]int{"一级": 1, "1级": 1, "1": 1, "二级": 2, "Ⅲ级": 3, "四": 4, "": 0, "无": 0}
	for in, want := range grades {
		t.Run("grade "+in, func(t *testing.T) {
			if got, ok := parseGrade(in); !ok || got != want {
				t.Errorf("parseGrade(%q) = %d, %v; want %d", in, got, ok, want)
			}
		})
	}
	if _, ok := parseGrade("五级"); ok {
		t.Error("parseGrade accepted 五级")
	}
	yesNo := map[string]bool{"是": true, "否": false, "": false, "在校": true, "小学在读": true, "非在校生": false, "yes": true, "No": false}
	for in, want := range yesNo {
		t.Run("yes/no "+in, func(t *testing.T) {
			if got, ok := parseYesNo(in); !ok || got != want {
				t.Errorf("parseYesNo(%q) = %v, %v; want %v", in, got, ok, want)
			}
		})
	}
	if _, ok := parseYesNo("也许"); ok {
		t.Error("parseYesNo accepted 也许")
	}
}

func TestExpandNumber(t *testing.T) {
	tests := []struct {
		in           string
		digits       string
		exact, isNum bool
	}{
		{"1.3812345678E+10", "13812345678", true, true},
		{"1.38123E+10", "13812300000", false, true},
		{"4.40524188001E+17", "440524188001000000", false, true},
		{"4.4052418800101E+17", "440524188001010000", false, true},
		{"3.3010280010100E+14", "330102800101000", false, true}, // the last 0 may be lost
		{"3.30102800101001E+14", "330102800101001", true, true},
		{"1.5E+0", "", false, false},
		{"E+10", "", false, false},
		{"1E5x", "", false, false},
		{"腰站E组", "", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, exact, ok := expandNumber(tc.in)
			if d != tc.digits || exact != tc.exact || ok != tc.isNum {
				t.Errorf("expandNumber(%q) = %q, %v, %v; want %q, %v, %v", tc.in, d, exact, ok, tc.digits, tc.exact, tc.isNum)
			}
		})
	}
}

func TestSplitList(t *testing.T) {
	tests := map[string][]string{
		"脱贫户、边缘易致贫户": {"脱贫户", "边缘易致贫户"},
		"因病,因残；因学":   {"因病", "因残", "因学"},
		"因病/因残 ":     {"因病", "因残"},
		"因病，，因残":     {"因病", "因残"},
		"":           {},
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := splitList(in); !slices.Equal(got, want) {
				t.Errorf("splitList(%q) = %q; want %q", in, got, want)
			}
		})
	}
}

func TestMaskText(t *testing.T) {
	tests := map[string]string{
		idA:                      "1101**********002X",
		"身份证440524188001010014号": "身份证4405**********0014号",
		"13812345678":            "138****5678",
		"0871-12345678":          "0871-12345678", // parts too short to be a number alone
		"08711234567":            "087****4567",
		"4.40524188001E+17":      "4.405****8001E+17",
		"3580.50":                "3580.50",
		"腰站社区":                   "腰站社区",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := maskText(in); got != want {
				t.Errorf("maskText(%q) = %q; want %q", in, got, want)
			}
		})
	}
}

func TestNormPlace(t *testing.T) {
	tests := map[string]string{
		"第一村民小组":     "1村民小组",
		"十一组":        "11组",
		"二十组":        "20组",
		"腰站 / 棠梨湾":   "腰站棠梨湾",
		"３组":         "3组",
		"三岔河村":       "3岔河村",
		"腰站社区（棠梨湾组）": "腰站社区棠梨湾组",
		"十一二":        "十一二",
		"第五街":        "5街",
		"第一书记办公室Ａ座":  "1书记办公室a座",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := normPlace(in); got != want {
				t.Errorf("normPlace(%q) = %q; want %q", in, got, want)
			}
		})
	}
}

package ledger

import (
	"strconv"
	"strings"
	"time"
)

// expandNumber turns a whole number Excel wrote in exponent form
// ("4.40524E+17", "1.3812345678E+10") into its digits. exact is false when
// the form shows fewer digits than the number has, or more than the 15
// significant digits Excel keeps: the last digits are then lost.
func expandNumber(s string) (digits string, exact, ok bool) {
	mant, exp, found := strings.Cut(strings.ToUpper(s), "E")
	if !found || mant == "" {
		return "", false, false
	}
	exp = strings.TrimPrefix(exp, "+")
	e, err := strconv.Atoi(exp)
	if err != nil || e < 0 || e > 30 || !allDigits(exp) {
		return "", false, false
	}
	ip, fp, _ := strings.Cut(mant, ".")
	if ip == "" || !allDigits(ip) || !allDigits(fp) || len(fp) > e {
		return "", false, false
	}
	digits = strings.TrimLeft(ip+fp, "0")
	shown := len(digits)
	digits += strings.Repeat("0", e-len(fp))
	if digits == "" {
		digits = "0"
	}
	return digits, shown == len(digits) && len(digits) <= 15, true
}

// lostDigits reports a cell holding a long number that Excel stored as a
// number: shown in exponent form, or 16 to 18 digits ending in 000 (the
// digits beyond the 15th are zeros).
func lostDigits(s string) bool {
	if _, exact, ok := expandNumber(s); ok {
		return !exact
	}
	return len(s) >= 16 && len(s) <= 18 && allDigits(s) && strings.HasSuffix(s, "000")
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var (
	dateSeparators = strings.NewReplacer("年", "-", "月", "-", "日", "", "号", "", "/", "-", ".", "-")
	moneyNoise     = strings.NewReplacer(",", "", "，", "", " ", "", "元", "", "¥", "", "￥", "", "RMB", "")
	gradeNoise     = strings.NewReplacer("级", "", "残疾", "", "第", "", " ", "")
)

// Date precisions.
const (
	precDay = iota
	precMonth
)

// parseDate reads a date as ledgers write it: 1980-01-02, 1980/1/2,
// 1980.1.2, 19800102, 1980年1月2日, an Excel serial day number, and, with
// precision precMonth, 1980-01, 1980年1月 or 198001. A time part is ignored.
func parseDate(s string) (t time.Time, prec int, ok bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	s = dateSeparators.Replace(s)
	s = strings.TrimSuffix(s, "-")
	parts := strings.Split(s, "-")
	num := func(p string) int {
		if p == "" || len(p) > 4 || !allDigits(p) {
			return -1
		}
		n, _ := strconv.Atoi(p)
		return n
	}
	switch {
	case len(parts) == 3:
		return mkDate(num(parts[0]), num(parts[1]), num(parts[2]), precDay)
	case len(parts) == 2 && len(parts[0]) == 4:
		return mkDate(num(parts[0]), num(parts[1]), 1, precMonth)
	case len(parts) != 1 || !allDigits(s) || s == "":
		return time.Time{}, 0, false
	case len(s) == 8:
		return mkDate(num(s[:4]), num(s[4:6]), num(s[6:]), precDay)
	case len(s) == 6 && (s[:2] == "19" || s[:2] == "20"):
		return mkDate(num(s[:4]), num(s[4:]), 1, precMonth)
	case len(s) <= 5:
		n, _ := strconv.Atoi(s)
		if len(s) == 4 && n >= 1800 && n <= 2100 { // a year alone is too vague
			return time.Time{}, 0, false
		}
		return excelDay(n)
	}
	return time.Time{}, 0, false
}

// excelDay converts an Excel serial day number (1900 date system).
func excelDay(n int) (time.Time, int, bool) {
	if n < 1 || n > 73050 { // 2099-12-31
		return time.Time{}, 0, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if n < 61 { // Excel counts a 29 February 1900 that never was
		base = base.AddDate(0, 0, 1)
	}
	return base.AddDate(0, 0, n), precDay, true
}

func mkDate(y, m, d, prec int) (time.Time, int, bool) {
	if y < 1800 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, 0, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, 0, false
	}
	return t, prec, true
}

// parseYuan reads an amount of yuan ("3,580.50", "3580元", "¥3580",
// "0.36万") and returns it in fen, rounded half up.
func parseYuan(s string) (int64, bool) {
	s = moneyNoise.Replace(s)
	scale, maxInt := int64(1), 10
	if t, ok := strings.CutSuffix(s, "万"); ok {
		s, scale, maxInt = t, 10000, 6
	}
	if d, _, ok := expandNumber(s); ok {
		s = d
	}
	ip, fp, _ := strings.Cut(s, ".")
	if ip == "" && fp == "" {
		return 0, false
	}
	if ip == "" {
		ip = "0"
	}
	if !allDigits(ip) || !allDigits(fp) || len(ip) > maxInt || len(fp) > 6 {
		return 0, false
	}
	fp += strings.Repeat("0", 6-len(fp))
	i, _ := strconv.ParseInt(ip, 10, 64)
	f, _ := strconv.ParseInt(fp, 10, 64)
	micro := (i*1_000_000 + f) * scale // in millionths of a yuan
	return (micro + 5_000) / 10_000, true
}

// parseGrade reads a disability grade: 一级, 1级, 1, Ⅱ级, 二… "" and 无
// are 0.
func parseGrade(s string) (int, bool) {
	s = gradeNoise.Replace(s)
	switch s {
	case "", "无", "0":
		return 0, true
	case "1", "一", "壹", "Ⅰ", "I", "i":
		return 1, true
	case "2", "二", "贰", "Ⅱ", "II", "ii":
		return 2, true
	case "3", "三", "叁", "Ⅲ", "III", "iii":
		return 3, true
	case "4", "四", "肆", "Ⅳ", "IV", "iv":
		return 4, true
	}
	return 0, false
}

// parseYesNo reads 是/否 and the ways ledgers write them (在校, 在读,
// 非在校生, yes, no, 1, 0…). "" is no.
func parseYesNo(s string) (bool, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "", "否", "无", "不是", "no", "n", "false", "0", "×", "非在校生", "不在校", "未在校", "已毕业", "辍学":
		return false, true
	case "是", "有", "yes", "y", "true", "1", "√", "在校", "在校生", "在读":
		return true, true
	}
	if strings.HasSuffix(t, "在读") || strings.HasSuffix(t, "在校") {
		return !strings.ContainsAny(t, "不非未"), true
	}
	return false, false
}

// parseCount reads a whole number such as 5, 5人, 5.0 or 2024年.
func parseCount(s string) (int, bool) {
	s = strings.TrimSpace(s)
	for _, unit := range []string{"人", "口", "年", "户"} {
		s = strings.TrimSuffix(s, unit)
	}
	s = strings.TrimSuffix(s, ".0")
	if s == "" || len(s) > 9 || !allDigits(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

// splitList splits a cell holding several values: 脱贫户、边缘易致贫户;
// 因病,因残; 因病/因残.
func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("、,，;；/|\n＋+", r)
	})
	out := f[:0]
	for _, p := range f {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

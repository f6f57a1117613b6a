package feeds

import (
	"strconv"
	"strings"
	"time"
)

var dateSeparators = strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "", "号", "")

// ParseDate reads a date as departments write it — 2025-03-04, 2025/3/4,
// 2025.3.4, 20250304, 2025年3月4日, with or without a time after it, or an
// Excel serial day number (45720) — and returns it as YYYY-MM-DD.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(dateSeparators.Replace(s), "-")
	var y, m, d int
	parts := strings.Split(s, "-")
	switch {
	case len(parts) == 3:
		y, m, d = atoi(parts[0], 4), atoi(parts[1], 2), atoi(parts[2], 2)
	case len(parts) == 1 && len(s) == 8:
		y, m, d = atoi(s[:4], 4), atoi(s[4:6], 2), atoi(s[6:], 2)
	case len(parts) == 1 && len(s) >= 1 && len(s) <= 5:
		n := atoi(s, 5)
		if n < 1 || n > 73050 { // 2099-12-31
			return "", false
		}
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		if n < 61 { // Excel's 29 February 1900 that never was
			base = base.AddDate(0, 0, 1)
		}
		return base.AddDate(0, 0, n).Format(time.DateOnly), true
	default:
		return "", false
	}
	if y < 1900 || m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// atoi reads 1 to max ASCII digits; anything else is -1.
func atoi(s string, max int) int {
	if s == "" || len(s) > max {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

var moneyNoise = strings.NewReplacer(",", "", "，", "", " ", "", "¥", "", "￥", "", "元", "", "RMB", "", "rmb", "")

// ParseYuan reads an amount of yuan ("3,580.50", "3580元", "¥3580",
// "0.36万", 20000 sent as a JSON number) and returns it in fen, rounded
// half up. Negative amounts and amounts of a billion yuan or more are
// refused.
func ParseYuan(s string) (int64, bool) {
	s = moneyNoise.Replace(strings.TrimSpace(s))
	scale := int64(1)
	if t, ok := strings.CutSuffix(s, "万"); ok {
		s, scale = t, 10000
	}
	if strings.ContainsAny(s, "eE") { // 2.5E+4, as a spreadsheet may write it
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f >= 1e9 {
			return 0, false
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	ip, fp, _ := strings.Cut(s, ".")
	if ip == "" {
		ip = "0"
	}
	if fp == "" && strings.HasSuffix(s, ".") || s == "" {
		return 0, false
	}
	if atoi(ip, 9) < 0 || fp != "" && atoi(fp, 6) < 0 {
		return 0, false
	}
	fp += strings.Repeat("0", 6-len(fp))
	i, _ := strconv.ParseInt(ip, 10, 64)
	f, _ := strconv.ParseInt(fp, 10, 64)
	micro := (i*1_000_000 + f) * scale
	fen := (micro + 5_000) / 10_000
	if fen >= 100_000_000_000 {
		return 0, false
	}
	return fen, true
}

var cnDigits = map[string]int64{"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
	"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4}

// ParseInt reads a whole number, 0 to 1,000,000, written plainly, as a
// spreadsheet's "3.0" or as one Chinese or Roman numeral (二级, Ⅱ级), with
// an optional 级/天/日 after it.
func ParseInt(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	for _, suf := range []string{"级", "天", "日"} {
		s = strings.TrimSuffix(s, suf)
	}
	if n, ok := cnDigits[s]; ok {
		return n, true
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, ".0"), ".00")
	n := atoi(s, 7)
	if n < 0 || n > 1_000_000 {
		return 0, false
	}
	return int64(n), true
}

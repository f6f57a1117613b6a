package funds

import (
	"strings"

	"safetynet"
)

// MaxFen is the largest amount accepted: 10^11 fen, one billion yuan. A
// larger figure is a typing mistake, not a support fund.
const MaxFen int64 = 100_000_000_000

// ParseYuan reads an amount of yuan as fen for the given field. It takes
// digits with an optional thousands separator (",", "，"), at most two
// decimals, an optional "¥"/"￥" before and "元" after, or a number of
// 万元 ("5.2万", at most six decimals). Full-width digits are read as
// digits. An empty, zero, negative or larger-than-MaxFen amount is
// refused with the field and the reason.
func ParseYuan(field, s string) (int64, error) {
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		switch r {
		case '．':
			return '.'
		case ',', '，', ' ', '\u00a0', '\u3000':
			return -1
		}
		return r
	}, s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "¥"), "￥")
	s = strings.TrimSuffix(s, "元")
	scale := 2 // decimals that make fen
	if t, ok := strings.CutSuffix(s, "万"); ok {
		s, scale = t, 6
	}
	if s == "" {
		return 0, safetynet.Invalid(field, "请填写金额（元）", "enter an amount in yuan")
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		return 0, safetynet.Invalid(field, "金额不能为负数；更正请使用冲销", "an amount cannot be negative; correct an entry by reversing it")
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > scale {
		if scale == 2 {
			return 0, safetynet.Invalid(field, "金额最多两位小数（分）", "an amount has at most two decimals (fen)")
		}
		return 0, safetynet.Invalid(field, "以万元填写时最多六位小数", "an amount in 万 has at most six decimals")
	}
	if whole == "" && frac == "" {
		return 0, safetynet.Invalid(field, "金额格式无效，例如 51,900.00", "amounts are written like 51,900.00")
	}
	digits := whole + frac + strings.Repeat("0", scale-len(frac))
	var fen int64
	for _, r := range digits {
		if r < '0' || r > '9' {
			return 0, safetynet.Invalid(field, "金额格式无效，例如 51,900.00", "amounts are written like 51,900.00")
		}
		fen = fen*10 + int64(r-'0')
		if fen > MaxFen {
			return 0, safetynet.Invalid(field, "金额过大（上限 10 亿元）", "the amount is too large (at most 1,000,000,000 yuan)")
		}
	}
	if fen == 0 {
		return 0, safetynet.Invalid(field, "金额应大于零", "the amount must be more than zero")
	}
	return fen, nil
}

// Yuan formats fen as yuan with thousands separators and two decimals:
// 5190000 → "51,900.00".
func Yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	whole := []byte(strings.TrimSpace(itoa(fen / 100)))
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(c)
	}
	f := fen % 100
	return sign + b.String() + "." + string(rune('0'+f/10)) + string(rune('0'+f%10))
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}

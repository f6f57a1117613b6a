package ledger

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// normPlace reduces a place name to what matching compares: separators and
// spaces go, full-width digits and letters become ASCII (lower case),
// Chinese numerals become digits (十一 → 11) and the 第 of 第1组 goes.
func normPlace(s string) string {
	var b strings.Builder
	var run []rune // pending Chinese numerals
	flush := func() {
		if len(run) > 0 {
			b.WriteString(cnNumber(run))
			run = run[:0]
		}
	}
	for _, r := range s {
		switch {
		case strings.ContainsRune("零〇一二三四五六七八九十", r):
			run = append(run, r)
			continue
		case r >= '０' && r <= '９':
			r = '0' + r - '０'
		case r >= 'Ａ' && r <= 'Ｚ':
			r = 'a' + r - 'Ａ'
		case r >= 'ａ' && r <= 'ｚ':
			r = 'a' + r - 'ａ'
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		}
		flush()
		if isTrimmed(r) || strings.ContainsRune(" /\\-—–·•.。、,，;；>›|()（）[]【】「」\"'：:#＃", r) {
			continue
		}
		b.WriteRune(r)
	}
	flush()
	out := b.String()
	if !strings.Contains(out, "第") {
		return out
	}
	// Drop 第 before a digit.
	var o strings.Builder
	for i, r := range out {
		if r == '第' {
			next, _ := utf8.DecodeRuneInString(out[i+len("第"):])
			if next >= '0' && next <= '9' {
				continue
			}
		}
		o.WriteRune(r)
	}
	return o.String()
}

var cnDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// cnNumber writes a run of Chinese numerals as digits: 三 → 3, 十二 → 12,
// 二十 → 20, 二十一 → 21, 一〇 → 10. A run it cannot read stays as is.
func cnNumber(run []rune) string {
	ten := -1
	for i, r := range run {
		if r == '十' {
			if ten >= 0 {
				return string(run)
			}
			ten = i
		}
	}
	if ten < 0 {
		var b strings.Builder
		for _, r := range run {
			b.WriteByte(byte('0' + cnDigits[r]))
		}
		return b.String()
	}
	left, right := run[:ten], run[ten+1:]
	if len(left) > 1 || len(right) > 1 {
		return string(run)
	}
	n := 10
	if len(left) == 1 {
		if cnDigits[left[0]] == 0 {
			return string(run)
		}
		n = cnDigits[left[0]] * 10
	}
	if len(right) == 1 {
		n += cnDigits[right[0]]
	}
	return strconv.Itoa(n)
}

package idcard

import (
	"strings"
	"time"
	"unicode/utf8"
)

// minYear is the earliest accepted birth year. Valid numbers of people born
// before 1900 exist (e.g. 440524188001010014, born 1880), so the bound is
// 1800, not 1900.
const minYear = 1800

// weights are the ISO 7064 MOD 11-2 weights of the first 17 digits.
var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// checkChars maps the weighted sum mod 11 to the check character.
const checkChars = "10X98765432"

// normalize trims white space and converts full-width digits and X, and
// lowercase x, to ASCII. It checks nothing.
func normalize(s string) string {
	s = strings.TrimSpace(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == 'x' || r == 'Ｘ' || r == 'ｘ':
			return 'X'
		}
		return r
	}, s)
}

// check18 checks a normalised 18-character number.
func check18(n string, now time.Time) error {
	if err := checkCharacters(n, true); err != nil {
		return err
	}
	if !validRegion(n[:6]) {
		return &Error{Reason: ReasonRegion}
	}
	if err := checkBirth(n[6:14], now); err != nil {
		return err
	}
	if want := checkChar(n[:17]); n[17] != want {
		return &Error{Reason: ReasonCheckDigit, Expected: want}
	}
	return nil
}

// convert15 checks a normalised 15-character number and converts it.
func convert15(n string, now time.Time) (string, error) {
	if err := checkCharacters(n, false); err != nil {
		return "", err
	}
	if !validRegion(n[:6]) {
		return "", &Error{Reason: ReasonRegion}
	}
	first17 := n[:6] + "19" + n[6:]
	if err := checkBirth(first17[6:14], now); err != nil {
		return "", err
	}
	return first17 + string(checkChar(first17)), nil
}

// checkCharacters reports the first character that is not an ASCII digit,
// allowing X as the last one if lastMayBeX. Positions count runes from 1.
func checkCharacters(n string, lastMayBeX bool) error {
	last := utf8.RuneCountInString(n)
	pos := 0
	for _, r := range n {
		pos++
		if (r >= '0' && r <= '9') || (r == 'X' && lastMayBeX && pos == last) {
			continue
		}
		return &Error{Reason: ReasonCharacters, Position: pos}
	}
	return nil
}

// checkBirth checks an 8-digit YYYYMMDD date.
func checkBirth(ymd string, now time.Time) error {
	y, m, d := splitDate(ymd)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return &Error{Reason: ReasonBirthDate, birth: birthNotADate}
	}
	if y < minYear {
		return &Error{Reason: ReasonBirthDate, birth: birthTooEarly}
	}
	ny, nm, nd := now.Date()
	if t.After(time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)) {
		return &Error{Reason: ReasonBirthDate, birth: birthInFuture}
	}
	return nil
}

// splitDate splits an 8-digit YYYYMMDD string.
func splitDate(ymd string) (y, m, d int) {
	return atoi(ymd[:4]), atoi(ymd[4:6]), atoi(ymd[6:8])
}

// atoi converts a string of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// checkChar computes the check character of 17 ASCII digits.
func checkChar(first17 string) byte {
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return checkChars[sum%11]
}

// Package idcard parses, checks, masks and generates resident identity card
// numbers of the People's Republic of China (居民身份证号码, GB 11643-1999).
//
// An 18-character number reads
//
//	RRRRRR YYYYMMDD SSS C
//
// region (the county-level address code of GB/T 2260), birth date, a
// sequence number whose last digit is odd for men and even for women, and a
// check character (ISO 7064 MOD 11-2: the first 17 digits weighted
// 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, the sum mod 11 indexing "10X98765432").
//
// # Rules
//
// [Parse] first normalises the input: white space around it is trimmed,
// full-width digits and letters X (０-９, Ｘ, ｘ) become ASCII, and a lowercase
// x becomes X. It then checks, in this order, stopping at the first failure:
//
//   - length: 18 characters, or 15 for a first-generation number;
//   - characters: digits only, except X as the 18th character;
//   - region: the first two digits are a province code (11-15, 21-23, 31-37,
//     41-46, 50-54, 61-65, 71, 81, 82) and, for the mainland provinces, the
//     prefecture digits (3-4) and the county digits (5-6) are not 00. There
//     is deliberately no full table of division codes: codes change over time
//     and old numbers keep the code of their day;
//   - birth date: a real calendar date, in 1800 or later, and not after today
//     (Parse uses today in China Standard Time; [ParseAt] takes "now");
//   - check character.
//
// A valid 15-digit number (RRRRRR YYMMDD SSS, born 1900-1999 by the standard
// rule) is converted to 18 characters by inserting "19" before YYMMDD and
// appending the check character. Parse then returns the converted ID together
// with an *Error of Reason [ReasonLegacy], so that callers cannot accept it
// without noticing; see [IsLegacy].
//
// # Privacy
//
// ID numbers are sensitive personal data. No error of this package contains
// the number or any part of it except, for a wrong check character, the
// expected check character. An [ID] formats as its masked form (see [Mask])
// with every fmt verb, so an ID handed to a logger by mistake shows only its
// first 4 and last 4 characters; use [ID.Number] to get the number itself.
// ID has no JSON or text marshalling for the same reason.
//
// [Generate] makes synthetic numbers for demos and tests. They pass every
// check above, so they may coincide with numbers of real people: never use
// them where a real person could be addressed.
package idcard

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// chinaTime is China Standard Time (UTC+8). China has had no daylight saving
// time since 1991, so a fixed zone is exact and needs no tz database.
var chinaTime = time.FixedZone("CST", 8*60*60)

// ID is a checked 18-character resident ID number. IDs are comparable with
// ==. The zero ID holds no number; its methods return zero values.
type ID struct {
	number string
}

// Sex is the sex encoded in an ID number.
type Sex byte

// The sexes. The 17th character of an 18-character number (the last digit of
// the sequence) is odd for Male and even for Female.
const (
	Male   Sex = 'M'
	Female Sex = 'F'
)

// String returns "M" or "F", or "" for any other value.
func (s Sex) String() string {
	switch s {
	case Male:
		return "M"
	case Female:
		return "F"
	}
	return ""
}

// Parse checks an 18- or 15-character ID number against today's date in
// China Standard Time. See the package documentation for the rules and
// [ParseAt] for the results.
func Parse(s string) (ID, error) {
	return ParseAt(s, time.Now().In(chinaTime))
}

// ParseAt is Parse with "today" taken as the calendar date of now in now's
// location: a birth date after it is rejected.
//
// For a valid 18-character number it returns the ID and nil. For a valid
// 15-character number it returns the converted ID and an *Error of Reason
// ReasonLegacy. Otherwise it returns the zero ID and an *Error telling why.
func ParseAt(s string, now time.Time) (ID, error) {
	n := normalize(s)
	switch length := utf8.RuneCountInString(n); length {
	case 18:
		if err := check18(n, now); err != nil {
			return ID{}, err
		}
		return ID{number: n}, nil
	case 15:
		n18, err := convert15(n, now)
		if err != nil {
			return ID{}, err
		}
		return ID{number: n18}, &Error{Reason: ReasonLegacy}
	default:
		return ID{}, &Error{Reason: ReasonLength, Length: length}
	}
}

// Convert15 converts a first-generation 15-digit number to 18 characters
// after checking its characters, region and birth date. The input is
// normalised as by Parse. Errors are *Error; success returns a nil error,
// not ReasonLegacy.
func Convert15(s string) (string, error) {
	n := normalize(s)
	if length := utf8.RuneCountInString(n); length != 15 {
		return "", &Error{Reason: ReasonLength, Length: length, want: 15}
	}
	return convert15(n, time.Now().In(chinaTime))
}

// CheckChar returns the check character ('0'-'9' or 'X') for the first 17
// characters of a number, which must be exactly 17 ASCII digits (no
// trimming or full-width conversion). Errors are *Error.
func CheckChar(first17 string) (byte, error) {
	if length := utf8.RuneCountInString(first17); length != 17 {
		return 0, &Error{Reason: ReasonLength, Length: length, want: 17}
	}
	if err := checkCharacters(first17, false); err != nil {
		return 0, err
	}
	return checkChar(first17), nil
}

// Mask hides the middle of s, keeping its first 4 and last 4 characters
// (runes) and writing '*' for each one in between:
// "530302199001011234" becomes "5303**********1234". A string of 8 or fewer
// characters becomes all stars. s is used as given, without normalisation.
func Mask(s string) string {
	r := []rune(s)
	n := len(r)
	if n <= 8 {
		return strings.Repeat("*", n)
	}
	return string(r[:4]) + strings.Repeat("*", n-8) + string(r[n-4:])
}

// Number returns the normalised 18-character number.
func (id ID) Number() string { return id.number }

// Region returns the 6-digit region (address) code.
func (id ID) Region() string {
	if id.number == "" {
		return ""
	}
	return id.number[:6]
}

// Birth returns the birth date at midnight UTC.
func (id ID) Birth() time.Time {
	if id.number == "" {
		return time.Time{}
	}
	y, m, d := splitDate(id.number[6:14])
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
}

// Sex returns Male if the 17th character is odd, Female if it is even.
func (id ID) Sex() Sex {
	if id.number == "" {
		return 0
	}
	if (id.number[16]-'0')%2 == 1 {
		return Male
	}
	return Female
}

// Age returns the age in completed years on the calendar date of at in at's
// location; it is negative if at is before the birth date. Someone born on
// 29 February turns a year older on 1 March in common years.
func (id ID) Age(at time.Time) int {
	if id.number == "" {
		return 0
	}
	by, bm, bd := splitDate(id.number[6:14])
	y, m, d := at.Date()
	age := y - by
	if int(m) < bm || (int(m) == bm && d < bd) {
		age--
	}
	return age
}

// String returns the masked number, never the number itself.
func (id ID) String() string { return Mask(id.number) }

// GoString returns the masked number in Go syntax, for %#v.
func (id ID) GoString() string { return fmt.Sprintf("idcard.ID(%q)", Mask(id.number)) }

// Format implements fmt.Formatter so that every verb (%v, %+v, %d, %x, ...)
// prints the masked number and none reaches the unexported field.
func (id ID) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, id.GoString())
	case verb == 'q':
		fmt.Fprintf(f, "%q", id.String())
	default:
		fmt.Fprint(f, id.String())
	}
}

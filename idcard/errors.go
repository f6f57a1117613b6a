package idcard

import (
	"errors"
	"fmt"
)

// Reason says why a number was not accepted as it stands.
type Reason int

// The reasons, in the order Parse checks them. ReasonLegacy is not a
// rejection: it accompanies a valid 15-digit number that was converted.
const (
	ReasonLength     Reason = iota + 1 // not 18 (or 15) characters
	ReasonCharacters                   // a character other than a digit, or X in last place
	ReasonRegion                       // the first 6 digits are not a plausible region code
	ReasonBirthDate                    // no such date, before 1800, or in the future
	ReasonCheckDigit                   // the check character does not match
	ReasonLegacy                       // a valid 15-digit number, converted to 18
)

// String returns a stable snake_case name, e.g. "check_digit", for logs and
// APIs.
func (r Reason) String() string {
	switch r {
	case ReasonLength:
		return "length"
	case ReasonCharacters:
		return "characters"
	case ReasonRegion:
		return "region"
	case ReasonBirthDate:
		return "birth_date"
	case ReasonCheckDigit:
		return "check_digit"
	case ReasonLegacy:
		return "legacy"
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// birthProblem tells the ReasonBirthDate cases apart.
type birthProblem int

const (
	birthNotADate birthProblem = iota + 1
	birthTooEarly
	birthInFuture
)

// Error reports why a number was not accepted, or (ReasonLegacy) that it was
// converted. Its messages never contain the number; only Expected, for a
// wrong check character, derives from it.
type Error struct {
	Reason   Reason
	Length   int  // ReasonLength: the number of characters found
	Position int  // ReasonCharacters: 1-based position of the first bad character
	Expected byte // ReasonCheckDigit: the check character the first 17 digits call for

	want  int // ReasonLength: the length wanted; 0 means 18 or 15
	birth birthProblem
}

// Error returns the English message.
func (e *Error) Error() string { return e.EN() }

// ZH returns the message in plain Chinese for the user.
func (e *Error) ZH() string {
	switch e.Reason {
	case ReasonLength:
		switch {
		case e.Length == 0:
			return "请填写身份证号"
		case e.want != 0:
			return fmt.Sprintf("身份证号应为%d位，现为%d位", e.want, e.Length)
		}
		return fmt.Sprintf("身份证号应为18位（旧版为15位），现为%d位", e.Length)
	case ReasonCharacters:
		if e.Position == 18 {
			return "身份证号第18位应为数字或X"
		}
		return fmt.Sprintf("身份证号第%d位应为数字", e.Position)
	case ReasonRegion:
		return "身份证号前6位不是有效的地区代码"
	case ReasonBirthDate:
		switch e.birth {
		case birthTooEarly:
			return fmt.Sprintf("身份证号中的出生日期早于%d年", minYear)
		case birthInFuture:
			return "身份证号中的出生日期晚于今天"
		}
		return "身份证号中的出生日期不存在"
	case ReasonCheckDigit:
		return fmt.Sprintf("身份证号校验位错误，应为%c（也可能是其他位填错了）", e.Expected)
	case ReasonLegacy:
		return "这是15位旧身份证号，已转换为18位，请与本人核对"
	}
	return "身份证号无效"
}

// EN returns the message in plain English for the user.
func (e *Error) EN() string {
	switch e.Reason {
	case ReasonLength:
		switch {
		case e.Length == 0:
			return "the ID number is empty"
		case e.want != 0:
			return fmt.Sprintf("the ID number should have %d characters, not %d", e.want, e.Length)
		}
		return fmt.Sprintf("an ID number has 18 characters (15 on old cards), not %d", e.Length)
	case ReasonCharacters:
		if e.Position == 18 {
			return "character 18 of the ID number must be a digit or X"
		}
		return fmt.Sprintf("character %d of the ID number must be a digit", e.Position)
	case ReasonRegion:
		return "the first 6 digits of the ID number are not a valid region code"
	case ReasonBirthDate:
		switch e.birth {
		case birthTooEarly:
			return fmt.Sprintf("the birth date in the ID number is before %d", minYear)
		case birthInFuture:
			return "the birth date in the ID number is in the future"
		}
		return "the birth date in the ID number does not exist"
	case ReasonCheckDigit:
		return fmt.Sprintf("the check digit is wrong: expected %c (or another digit was mistyped)", e.Expected)
	case ReasonLegacy:
		return "this is an old 15-digit ID number; it was converted to 18 digits, please confirm with the person"
	}
	return "the ID number is not valid"
}

// IsLegacy reports whether err is (or wraps) an *Error of Reason
// ReasonLegacy, i.e. the ID returned with it was converted from a valid
// 15-digit number and is usable once confirmed.
func IsLegacy(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Reason == ReasonLegacy
}

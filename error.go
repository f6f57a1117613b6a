package safetynet

import (
	"errors"
	"fmt"
)

// ErrorCode classifies an error for callers: the HTTP layers map it to a
// status and clients may branch on it.
type ErrorCode string

// Error codes. Their strings appear in the JSON API ("error.code").
const (
	EInvalid      ErrorCode = "invalid"           // the input is wrong; Field says where
	ENotFound     ErrorCode = "not_found"         // missing, or outside the caller's scope
	EConflict     ErrorCode = "conflict"          // changed by someone else, or a duplicate
	EForbidden    ErrorCode = "forbidden"         // the caller's role may not do this
	EUnauthorized ErrorCode = "unauthorized"      // not logged in, or bad credentials
	ETooMany      ErrorCode = "too_many_requests" // throttled
	ETooLarge     ErrorCode = "too_large"         // the request body is too big
	EUnsupported  ErrorCode = "unsupported_media" // the request body is of a type not accepted
	EInternal     ErrorCode = "internal"          // a bug or an outage; details are logged only
)

// Error is an error meant for the user. It carries its message in Chinese and
// English so that each surface can answer in the user's language.
type Error struct {
	Code  ErrorCode
	Field string // the input field at fault, if any
	ZH    string
	EN    string
}

// Error returns the English message.
func (e *Error) Error() string { return e.EN }

// Message returns the message in lang ("zh" or "en").
func (e *Error) Message(lang string) string {
	if lang == "zh" && e.ZH != "" {
		return e.ZH
	}
	return e.EN
}

// Errorf builds an *Error. zh and en are format strings sharing args.
func Errorf(code ErrorCode, field, zh, en string, args ...any) *Error {
	return &Error{Code: code, Field: field, ZH: fmt.Sprintf(zh, args...), EN: fmt.Sprintf(en, args...)}
}

// Invalid reports bad input in field.
func Invalid(field, zh, en string, args ...any) *Error {
	return Errorf(EInvalid, field, zh, en, args...)
}

// NotFound reports a missing object. The same error is used for objects
// outside the caller's scope so that their existence is not revealed.
// zh and en name the kind of object, e.g. NotFound("地点", "place").
func NotFound(zh, en string) *Error {
	return &Error{Code: ENotFound, ZH: "未找到" + zh, EN: en + " not found"}
}

// Forbidden reports an action the caller's role does not allow.
func Forbidden() *Error {
	return Errorf(EForbidden, "", "您没有执行此操作的权限", "you are not allowed to do this")
}

// Conflict reports a concurrent change or a duplicate.
func Conflict(field, zh, en string, args ...any) *Error {
	return Errorf(EConflict, field, zh, en, args...)
}

// CodeOf returns the code of err, EInternal for errors that are not *Error.
func CodeOf(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Text builds an *Error from messages already formatted in each language.
func Text(code ErrorCode, field, zh, en string) *Error {
	return &Error{Code: code, Field: field, ZH: zh, EN: en}
}

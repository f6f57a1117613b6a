package safetynet

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

// assertInvalid fails unless err is an *Error with code EInvalid for field,
// carrying a message in both languages.
func assertInvalid(t *testing.T, err error, field string) *Error {
	t.Helper()
	return assertError(t, err, EInvalid, field)
}

// assertError fails unless err is an *Error with code and field and a
// message in both languages.
func assertError(t *testing.T, err error, code ErrorCode, field string) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s error on field %q", code, field)
	}
	e := AsError(err)
	if e == nil {
		t.Fatalf("got %T %v, want *safetynet.Error", err, err)
	}
	if e.Code != code || e.Field != field {
		t.Fatalf("got error code=%q field=%q (%s), want code=%q field=%q", e.Code, e.Field, e.EN, code, field)
	}
	if e.ZH == "" || e.EN == "" {
		t.Fatalf("error on %q lacks a message: zh=%q en=%q", field, e.ZH, e.EN)
	}
	return e
}

func TestErrorCodeStrings(t *testing.T) {
	// The strings are part of the JSON API.
	tests := []struct {
		code ErrorCode
		want string
	}{
		{EInvalid, "invalid"},
		{ENotFound, "not_found"},
		{EConflict, "conflict"},
		{EForbidden, "forbidden"},
		{EUnauthorized, "unauthorized"},
		{ETooMany, "too_many_requests"},
		{ETooLarge, "too_large"},
		{EUnsupported, "unsupported_media"},
		{EInternal, "internal"},
	}
	for _, tt := range tests {
		if string(tt.code) != tt.want {
			t.Errorf("code %q, want %q", tt.code, tt.want)
		}
	}
}

func TestErrorConstructors(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want Error
	}{
		{
			name: "Text keeps messages verbatim",
			err:  Text(EConflict, "version", "已被修改 %d", "changed %d"),
			want: Error{Code: EConflict, Field: "version", ZH: "已被修改 %d", EN: "changed %d"},
		},
		{
			name: "Text with empty field",
			err:  Text(EInternal, "", "内部错误", "internal error"),
			want: Error{Code: EInternal, ZH: "内部错误", EN: "internal error"},
		},
		{
			name: "Errorf formats both languages with shared args",
			err:  Errorf(ETooLarge, "file", "文件超过%dMB：%s", "file over %d MB: %s", 4, "a.jpg"),
			want: Error{Code: ETooLarge, Field: "file", ZH: "文件超过4MB：a.jpg", EN: "file over 4 MB: a.jpg"},
		},
		{
			name: "Invalid",
			err:  Invalid("name", "姓名不能超过%d个字", "name must be at most %d characters", 32),
			want: Error{Code: EInvalid, Field: "name", ZH: "姓名不能超过32个字", EN: "name must be at most 32 characters"},
		},
		{
			name: "Invalid quoting",
			err:  Invalid("kinds", "情况类型无效：%s", "unknown kind %q", "x"),
			want: Error{Code: EInvalid, Field: "kinds", ZH: "情况类型无效：x", EN: `unknown kind "x"`},
		},
		{
			name: "NotFound",
			err:  NotFound("地点", "place"),
			want: Error{Code: ENotFound, ZH: "未找到地点", EN: "place not found"},
		},
		{
			name: "NotFound does not format",
			err:  NotFound("%s", "%d"),
			want: Error{Code: ENotFound, ZH: "未找到%s", EN: "%d not found"},
		},
		{
			name: "Forbidden",
			err:  Forbidden(),
			want: Error{Code: EForbidden, ZH: "您没有执行此操作的权限", EN: "you are not allowed to do this"},
		},
		{
			name: "Conflict",
			err:  Conflict("username", "用户名%s已存在", "username %s is taken", "li"),
			want: Error{Code: EConflict, Field: "username", ZH: "用户名li已存在", EN: "username li is taken"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("constructor returned nil")
			}
			if *tt.err != tt.want {
				t.Errorf("got %+v, want %+v", *tt.err, tt.want)
			}
			if got := tt.err.Error(); got != tt.want.EN {
				t.Errorf("Error() = %q, want the English message %q", got, tt.want.EN)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	bilingual := Text(EInvalid, "f", "中文", "english")
	englishOnly := Text(EInvalid, "f", "", "english")
	tests := []struct {
		err  *Error
		lang string
		want string
	}{
		{bilingual, "zh", "中文"},
		{bilingual, "en", "english"},
		{bilingual, "", "english"},
		{bilingual, "fr", "english"},
		{bilingual, "ZH", "english"},
		{bilingual, "zh-CN", "english"},
		{englishOnly, "zh", "english"},
		{englishOnly, "en", "english"},
	}
	for _, tt := range tests {
		if got := tt.err.Message(tt.lang); got != tt.want {
			t.Errorf("%+v.Message(%q) = %q, want %q", *tt.err, tt.lang, got, tt.want)
		}
	}
}

func TestCodeOfAndAsError(t *testing.T) {
	nf := NotFound("家庭", "household")
	inv := Invalid("phone", "电话", "phone")
	tests := []struct {
		name     string
		err      error
		wantCode ErrorCode
		wantErr  *Error
	}{
		{"direct", nf, ENotFound, nf},
		{"invalid", inv, EInvalid, inv},
		{"wrapped once", fmt.Errorf("store: %w", inv), EInvalid, inv},
		{"wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", nf)), ENotFound, nf},
		{"joined", errors.Join(io.EOF, nf), ENotFound, nf},
		{"plain error", errors.New("boom"), EInternal, nil},
		{"io.EOF", io.EOF, EInternal, nil},
		{"wrapped plain", fmt.Errorf("x: %w", io.EOF), EInternal, nil},
		{"nil", nil, EInternal, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CodeOf(tt.err); got != tt.wantCode {
				t.Errorf("CodeOf = %q, want %q", got, tt.wantCode)
			}
			if got := AsError(tt.err); got != tt.wantErr {
				t.Errorf("AsError = %v, want %v", got, tt.wantErr)
			}
		})
	}
}

func TestErrorIsAnError(t *testing.T) {
	var err error = Invalid("x", "错", "wrong")
	if err.Error() != "wrong" {
		t.Errorf("Error() = %q, want %q", err.Error(), "wrong")
	}
	var e *Error
	if !errors.As(err, &e) || e.Field != "x" {
		t.Errorf("errors.As failed: %v", e)
	}
}

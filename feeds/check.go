// Package feeds holds the decisions about department data (部门筛查预警):
// whether one pushed row is acceptable and what it says, how a
// department's own spreadsheet layout maps onto the rows, and where a
// person outside the register most likely lives.
//
// A batch is a list of rows; each row is one event about one person:
//
//	row_key    the department's key of the row, required, unique in the batch
//	id_number  an 18-character ID number (15-digit numbers are converted),
//	           checked with its check character
//	name       the person's name, optional
//	event_type a code, label or synonym of safetynet.EventTypes
//	date       the event's date: YYYY-MM-DD or the usual spreadsheet forms
//	           (2025/3/4, 2025.3.4, 20250304, 2025年3月4日, a serial day number)
//	address    the department's address of the person, optional
//	fields     the type's fields: yuan amounts (stored as integer fen), whole
//	           numbers, texts (closed vocabularies where the type says so)
//	           and dates; required fields must be present, fields the type
//	           does not have must be empty
//
// Every row gets a result: accepted (an Event) or rejected with the field
// at fault and the reason in Chinese and English. Check never stops at the
// first bad row. Texts are limited in length and must be valid UTF-8 with
// no control characters, so that a 10 MB string or a binary blob is one
// rejected row, never a failure of the batch.
package feeds

import (
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"safetynet"
	"safetynet/idcard"
)

// Length limits of a row's texts, in characters.
const (
	MaxKeyLen     = 64
	MaxNameLen    = 64
	MaxAddressLen = 200
	MaxTextLen    = 200
	MaxValueLen   = 64 // ID numbers, types, dates, numbers
)

// Row is one row as a department sends it: raw texts.
type Row struct {
	No        int // 1-based position in the batch; a file's rows carry the sheet's row number
	Key       string
	IDNumber  string
	Name      string
	EventType string
	Date      string
	Address   string
	Fields    map[string]string // by field name
}

// Event is an accepted row.
type Event struct {
	IDNumber string // normalised, 18 characters
	Region   string // the ID number's 6-digit region code
	Name     string
	Address  string
	Type     string // safetynet.EventTypes code
	Date     string // YYYY-MM-DD
	// Fields holds the type's fields that were given: int64 fen for yuan,
	// int64 for whole numbers, string for texts (closed vocabularies as
	// codes) and dates.
	Fields map[string]any
}

// Problem is why a row was rejected.
type Problem struct {
	Field  string
	ZH, EN string
}

func (p *Problem) Error() string { return p.EN }

func problem(field, zh, en string, args ...any) *Problem {
	return &Problem{Field: field, ZH: fmt.Sprintf(zh, args...), EN: fmt.Sprintf(en, args...)}
}

// Result is the outcome of checking one row.
type Result struct {
	No      int
	Key     string // the row key as sent (cut to MaxKeyLen when too long)
	Event   *Event // nil when rejected
	Problem *Problem
}

// Check checks every row of a batch at the date now (ID numbers born
// after it are refused); a row key seen before in the batch is rejected.
// Rows are checked on every core; the results are in the rows' order.
func Check(rows []Row, now time.Time) []Result {
	out := make([]Result, len(rows))
	events := make([]*Event, len(rows))
	problems := make([]*Problem, len(rows))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(rows)/2000))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			types := map[string]safetynet.EventType{}
			for i := w; i < len(rows); i += workers {
				events[i], problems[i] = checkRow(rows[i], now, types)
			}
		}()
	}
	wg.Wait()
	seen := make(map[string]int, len(rows))
	for i, r := range rows {
		key := strings.TrimSpace(r.Key)
		res := Result{No: r.No, Key: cut(key, MaxKeyLen)}
		p := problems[i]
		if p == nil {
			if first, dup := seen[key]; dup {
				p = problem("row_key", "行键“%s”与第%d行重复", "row key %q repeats row %d", res.Key, first)
			} else {
				seen[key] = r.No
			}
		}
		if p != nil {
			res.Problem = p
		} else {
			res.Event = events[i]
		}
		out[i] = res
	}
	return out
}

// CheckRow checks one row on its own.
func CheckRow(r Row, now time.Time) (*Event, *Problem) {
	return checkRow(r, now, nil)
}

// checkRow checks a row; types, if not nil, caches the event types found
// by the texts rows give.
func checkRow(r Row, now time.Time, types map[string]safetynet.EventType) (*Event, *Problem) {
	key, p := text("row_key", r.Key, MaxKeyLen)
	if p != nil {
		return nil, p
	}
	if key == "" {
		return nil, problem("row_key", "缺少行键", "the row key is missing")
	}
	ev := &Event{Fields: map[string]any{}}
	raw, p := text("id_number", r.IDNumber, MaxValueLen)
	if p != nil {
		return nil, p
	}
	if raw == "" {
		return nil, problem("id_number", "缺少身份证号", "the ID number is missing")
	}
	id, err := idcard.ParseAt(raw, now)
	if err != nil && !idcard.IsLegacy(err) {
		var ie *idcard.Error
		if errors.As(err, &ie) {
			return nil, &Problem{Field: "id_number", ZH: "身份证号无效：" + ie.ZH(), EN: "invalid ID number: " + ie.EN()}
		}
		return nil, problem("id_number", "身份证号无效", "invalid ID number")
	}
	ev.IDNumber, ev.Region = id.Number(), id.Region()
	if ev.Name, p = text("name", r.Name, MaxNameLen); p != nil {
		return nil, p
	}
	if ev.Address, p = text("address", r.Address, MaxAddressLen); p != nil {
		return nil, p
	}
	typ, p := text("event_type", r.EventType, MaxValueLen)
	if p != nil {
		return nil, p
	}
	if typ == "" {
		return nil, problem("event_type", "缺少事件类型", "the event type is missing")
	}
	et, ok := types[typ]
	if !ok {
		if et, ok = safetynet.EventTypeOf(typ); !ok {
			return nil, problem("event_type", "未知的事件类型“%s”", "unknown event type %q", typ)
		}
		if types != nil {
			types[typ] = et
		}
	}
	ev.Type = et.Code
	d, p := text("date", r.Date, MaxValueLen)
	if p != nil {
		return nil, p
	}
	if d == "" {
		return nil, problem("date", "缺少日期", "the date is missing")
	}
	if ev.Date, ok = ParseDate(d); !ok {
		return nil, problem("date", "日期“%s”无法识别，应为“2025-03-04”这样的格式", "date %q is not understood: write it like 2025-03-04", d)
	}
	if ev.Date > now.Format(time.DateOnly) {
		return nil, problem("date", "日期%s晚于今天", "date %s is after today", ev.Date)
	}
	if p := checkFields(et, r.Fields, ev.Fields); p != nil {
		return nil, p
	}
	return ev, nil
}

// checkFields converts the type's fields of raw into out.
func checkFields(et safetynet.EventType, raw map[string]string, out map[string]any) *Problem {
	var foreign []string
	for name, v := range raw {
		if _, ok := et.Field(name); !ok && strings.TrimSpace(v) != "" {
			foreign = append(foreign, name)
		}
	}
	if len(foreign) > 0 {
		sort.Strings(foreign) // the problem reported does not depend on map order
		name := cut(foreign[0], MaxKeyLen)
		return &Problem{Field: name, ZH: fmt.Sprintf("“%s”不是%s事件的字段", name, et.ZH),
			EN: fmt.Sprintf("%q is not a field of a %s event", name, et.EN)}
	}
	for _, f := range et.Fields {
		limit := MaxValueLen
		if f.Kind == safetynet.FieldText {
			limit = MaxTextLen
		}
		v, p := text(f.Name, raw[f.Name], limit)
		if p != nil {
			return p
		}
		if v == "" {
			if f.Required {
				return &Problem{Field: f.Name, ZH: fmt.Sprintf("缺少必填字段“%s”", f.ZH), EN: fmt.Sprintf("the required field %q (%s) is missing", f.Name, f.EN)}
			}
			continue
		}
		val, p := fieldValue(f, v)
		if p != nil {
			return p
		}
		out[f.Name] = val
	}
	return nil
}

func fieldValue(f safetynet.EventField, v string) (any, *Problem) {
	switch f.Kind {
	case safetynet.FieldYuan:
		fen, ok := ParseYuan(v)
		if !ok {
			return nil, fieldProblem(f, "“%s”应为金额（元），而不是“%s”", "%s must be an amount of yuan, not %q", v)
		}
		return fen, nil
	case safetynet.FieldInt:
		n, ok := ParseInt(v)
		if !ok {
			return nil, fieldProblem(f, "“%s”应为整数，而不是“%s”", "%s must be a whole number, not %q", v)
		}
		return n, nil
	case safetynet.FieldDate:
		d, ok := ParseDate(v)
		if !ok {
			return nil, fieldProblem(f, "“%s”的日期“%s”无法识别", "%s: date %q is not understood", v)
		}
		return d, nil
	}
	if len(f.Values) > 0 {
		code, ok := f.Values.Parse(v)
		if !ok {
			return nil, &Problem{Field: f.Name, ZH: fmt.Sprintf("“%s”应为以下之一：%s", f.ZH, f.Values.ZHList()),
				EN: fmt.Sprintf("%s must be one of: %s", f.EN, strings.Join(f.Values.Codes(), ", "))}
		}
		return code, nil
	}
	return v, nil
}

// fieldProblem reports a bad value v of f; zh and en take the field's
// label and the value.
func fieldProblem(f safetynet.EventField, zh, en, v string) *Problem {
	return &Problem{Field: f.Name, ZH: fmt.Sprintf(zh, f.ZH, cut(v, MaxValueLen)), EN: fmt.Sprintf(en, f.EN, cut(v, MaxValueLen))}
}

// text trims v and checks its length and characters.
func text(field, v string, limit int) (string, *Problem) {
	if len(v) > 4*limit+64 { // far too long: say so without scanning it
		return "", tooLong(field, limit)
	}
	if !utf8.ValidString(v) || strings.ContainsRune(v, utf8.RuneError) {
		zh, en := FieldLabel(field)
		return "", &Problem{Field: field, ZH: fmt.Sprintf("“%s”含有无法识别的字符（不是 UTF-8 文本）", zh), EN: fmt.Sprintf("%s holds characters that are not valid UTF-8 text", en)}
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
			zh, en := FieldLabel(field)
			return "", &Problem{Field: field, ZH: fmt.Sprintf("“%s”含有控制字符", zh), EN: fmt.Sprintf("%s holds control characters", en)}
		}
	}
	v = strings.TrimSpace(v)
	if len(v) > limit && utf8.RuneCountInString(v) > limit {
		return "", tooLong(field, limit)
	}
	return v, nil
}

func tooLong(field string, limit int) *Problem {
	zh, en := FieldLabel(field)
	return &Problem{Field: field, ZH: fmt.Sprintf("“%s”过长（最多%d个字）", zh, limit), EN: fmt.Sprintf("%s is too long (at most %d characters)", en, limit)}
}

// baseFields are the fields of every row, with their labels.
var baseFields = []struct{ Name, ZH, EN string }{
	{"row_key", "行键", "row key"},
	{"id_number", "身份证号", "ID number"},
	{"name", "姓名", "name"},
	{"event_type", "事件类型", "event type"},
	{"date", "日期", "date"},
	{"address", "地址", "address"},
}

// FieldLabel returns the labels of a row's field: a base field or a field
// of any event type; an unknown name is its own label.
func FieldLabel(name string) (zh, en string) {
	for _, f := range baseFields {
		if f.Name == name {
			return f.ZH, f.EN
		}
	}
	for _, t := range safetynet.EventTypes {
		if f, ok := t.Field(name); ok {
			return f.ZH, f.EN
		}
	}
	return "字段", name
}

// cut makes s storable: at most n bytes of valid UTF-8 without control
// characters (keys and field names are echoed in results).
func cut(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		if r == 0 || r == utf8.RuneError || unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

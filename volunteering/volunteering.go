package volunteering

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Zone is the local time of the places (Asia/Shanghai).
var Zone = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// DateLayout is how a local date is written.
const DateLayout = "2006-01-02"

// Deadlines around a slot.
const (
	ActiveBefore     = 12 * time.Hour // a taker sees the address and the person from then on
	DoneGrace        = 24 * time.Hour // a slot may be marked done until this long after its end
	DoneFrom         = 1 * time.Hour  // … and from this long before its start
	ReminderBefore   = 2 * time.Hour  // the taker is reminded then
	EmptyAlertBefore = 24 * time.Hour // a slot short of people then alerts the village
)

// Limits of a relay.
const (
	MaxDays     = 120  // days a task may span
	MaxSlots    = 2000 // slots a relay may hold
	MaxPerSlot  = 10   // people per slot
	MaxTasks    = 10
	MaxWindows  = 6
	MaxTitle    = 60
	MaxText     = 200
	MaxNote     = 500
	MaxName     = 20
	MaxPlaceLen = 100
)

// Kinds of tasks.
const (
	KindMeal  = "meal"  // 送餐
	KindCare  = "care"  // 照护起居
	KindVisit = "visit" // 探访陪伴
	KindOther = "other" // 其他
)

// Kinds lists the kinds of tasks in the order forms show them.
var Kinds = []string{KindMeal, KindCare, KindVisit, KindOther}

// KindNames names the kinds in Chinese and English.
var KindNames = map[string][2]string{
	KindMeal: {"做饭送餐", "meal delivery"}, KindCare: {"照护起居", "daily care"},
	KindVisit: {"探访陪伴", "visit and company"}, KindOther: {"其他", "other"},
}

// Statuses of a relay and of a taken place.
const (
	RelayOpen   = "open"
	RelayClosed = "closed"
	TakeTaken   = "taken"
	TakeDone    = "done"
)

// FieldError says which field of an input is wrong and why (in English;
// storage adds the Chinese text by field).
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Window is a daily time window in minutes after local midnight.
type Window struct {
	Start, End int
}

// String writes a window as 11:00-12:00.
func (w Window) String() string { return Clock(w.Start) + "-" + Clock(w.End) }

// Clock writes minutes after midnight as 08:05.
func Clock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// ParseClock reads 8:05 or 08:05.
func ParseClock(s string) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return hh*60 + mm, true
}

// ParseWindows reads "11:00-12:00, 17:00-18:00" (commas, spaces, the
// Chinese comma or semicolons between windows).
func ParseWindows(s string) ([]Window, error) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ';' || r == '；' || r == ' ' || r == '、' })
	var out []Window
	for _, part := range f {
		a, b, ok := strings.Cut(strings.ReplaceAll(part, "～", "-"), "-")
		if !ok {
			return nil, fieldErr("windows", "write each time window as 11:00-12:00")
		}
		start, ok1 := ParseClock(a)
		end, ok2 := ParseClock(b)
		if !ok1 || !ok2 {
			return nil, fieldErr("windows", "write each time window as 11:00-12:00")
		}
		out = append(out, Window{start, end})
	}
	return out, nil
}

// WindowsString writes windows as ParseWindows reads them.
func WindowsString(ws []Window) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.String()
	}
	return strings.Join(parts, ",")
}

// Task is one kind of help with its daily windows over a period of days.
type Task struct {
	Kind    string
	Title   string   // e.g. 午餐送餐
	Bring   string   // what to bring or do
	Address string   // where (the household's address by default)
	From    string   // first local day, YYYY-MM-DD
	To      string   // last local day
	Windows []Window // each makes one slot per day
	PerSlot int      // people per slot
}

// Relay is what the village opens.
type Relay struct {
	Title     string
	ShortName string // how takers call the person: 宇奶奶
	Address   string
	Note      string // shown to takers with an active slot; never health details
	Tasks     []Task
}

// SlotTime is when a slot is.
type SlotTime struct {
	Start, End time.Time
}

// Normalize trims the texts and fills a task's address from the relay's.
func (r Relay) Normalize() Relay {
	r.Title, r.ShortName, r.Address, r.Note = strings.TrimSpace(r.Title), strings.TrimSpace(r.ShortName), strings.TrimSpace(r.Address), strings.TrimSpace(r.Note)
	tasks := make([]Task, len(r.Tasks))
	for i, t := range r.Tasks {
		t.Title, t.Bring, t.Address = strings.TrimSpace(t.Title), strings.TrimSpace(t.Bring), strings.TrimSpace(t.Address)
		t.From, t.To = strings.TrimSpace(t.From), strings.TrimSpace(t.To)
		if t.Address == "" {
			t.Address = r.Address
		}
		if t.PerSlot == 0 {
			t.PerSlot = 1
		}
		if t.Title == "" && t.Kind != "" {
			t.Title = KindNames[t.Kind][0]
		}
		tasks[i] = t
	}
	r.Tasks = tasks
	return r
}

// Check validates a normalized relay; fields of tasks are named
// tasks[i].field.
func (r Relay) Check() error {
	switch {
	case r.Title == "" || utf8.RuneCountInString(r.Title) > MaxTitle:
		return fieldErr("title", "a title of 1 to %d characters is required", MaxTitle)
	case r.ShortName == "" || utf8.RuneCountInString(r.ShortName) > MaxName:
		return fieldErr("short_name", "a short name of 1 to %d characters is required", MaxName)
	case r.Address == "" || utf8.RuneCountInString(r.Address) > MaxPlaceLen:
		return fieldErr("address", "an address of 1 to %d characters is required", MaxPlaceLen)
	case utf8.RuneCountInString(r.Note) > MaxNote:
		return fieldErr("note", "the note is longer than %d characters", MaxNote)
	case len(r.Tasks) == 0 || len(r.Tasks) > MaxTasks:
		return fieldErr("tasks", "a relay needs 1 to %d tasks", MaxTasks)
	}
	total := 0
	for i, t := range r.Tasks {
		if err := t.check(); err != nil {
			fe := err.(*FieldError)
			return &FieldError{Field: fmt.Sprintf("tasks[%d].%s", i, fe.Field), Reason: fe.Reason}
		}
		n, _ := t.Slots()
		total += len(n)
	}
	if total > MaxSlots {
		return fieldErr("tasks", "the tasks make %d slots, more than %d", total, MaxSlots)
	}
	return nil
}

func (t Task) check() error {
	if _, ok := KindNames[t.Kind]; !ok {
		return fieldErr("kind", "unknown kind %q", t.Kind)
	}
	if t.Title == "" || utf8.RuneCountInString(t.Title) > MaxTitle {
		return fieldErr("title", "a title of 1 to %d characters is required", MaxTitle)
	}
	if utf8.RuneCountInString(t.Bring) > MaxText {
		return fieldErr("bring", "what to bring is longer than %d characters", MaxText)
	}
	if t.Address == "" || utf8.RuneCountInString(t.Address) > MaxPlaceLen {
		return fieldErr("address", "an address of 1 to %d characters is required", MaxPlaceLen)
	}
	from, err1 := time.ParseInLocation(DateLayout, t.From, Zone)
	to, err2 := time.ParseInLocation(DateLayout, t.To, Zone)
	if err1 != nil {
		return fieldErr("from", "the first day is not a date")
	}
	if err2 != nil || to.Before(from) {
		return fieldErr("to", "the last day is not a date on or after the first")
	}
	if days := int(to.Sub(from).Hours()/24+0.5) + 1; days > MaxDays {
		return fieldErr("to", "a task spans at most %d days", MaxDays)
	}
	if len(t.Windows) == 0 || len(t.Windows) > MaxWindows {
		return fieldErr("windows", "1 to %d time windows a day are required", MaxWindows)
	}
	for i, w := range t.Windows {
		if w.Start < 0 || w.End > 24*60 || w.End <= w.Start {
			return fieldErr("windows", "the window %s ends before it starts", w)
		}
		for _, o := range t.Windows[:i] {
			if w.Start < o.End && o.Start < w.End {
				return fieldErr("windows", "the windows %s and %s overlap", o, w)
			}
		}
	}
	if t.PerSlot < 1 || t.PerSlot > MaxPerSlot {
		return fieldErr("per_slot", "1 to %d people per slot", MaxPerSlot)
	}
	return nil
}

// Slots lists a task's slots: one per window per local day, in order.
func (t Task) Slots() ([]SlotTime, error) {
	from, err := time.ParseInLocation(DateLayout, t.From, Zone)
	if err != nil {
		return nil, fieldErr("from", "the first day is not a date")
	}
	to, err := time.ParseInLocation(DateLayout, t.To, Zone)
	if err != nil {
		return nil, fieldErr("to", "the last day is not a date")
	}
	var out []SlotTime
	for d := from; !d.After(to) && len(out) <= MaxSlots; d = d.AddDate(0, 0, 1) {
		for _, w := range t.Windows {
			y, m, dd := d.Date()
			out = append(out, SlotTime{Start: time.Date(y, m, dd, 0, w.Start, 0, 0, Zone), End: time.Date(y, m, dd, 0, w.End, 0, 0, Zone)})
		}
	}
	return out, nil
}

// compound are the two-character surnames a short name keeps whole.
var compound = []string{"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙", "宇文", "司徒", "端木"}

// Surname returns the family name of a Chinese name.
func Surname(name string) string {
	name = strings.TrimSpace(name)
	for _, c := range compound {
		if strings.HasPrefix(name, c) {
			return c
		}
	}
	r, size := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return ""
	}
	return name[:size]
}

// ShortName is how takers address the person: the surname and 奶奶 or 爷爷
// from 60 years of age, 阿姨 or 叔叔 below; sex is "F" or "M" as the
// register writes it (unknown gives 老人 or 家).
func ShortName(name, sex string, birth, now time.Time) string {
	switch sex {
	case "F":
		sex = "female"
	case "M":
		sex = "male"
	}
	s := Surname(name)
	if s == "" {
		return ""
	}
	old := !birth.IsZero() && now.AddDate(-60, 0, 0).After(birth)
	switch {
	case sex == "female" && old:
		return s + "奶奶"
	case sex == "male" && old:
		return s + "爷爷"
	case sex == "female":
		return s + "阿姨"
	case sex == "male":
		return s + "叔叔"
	case old:
		return s + "老人"
	}
	return s + "家"
}

// Visible reports whether a taker sees the details of a slot they took:
// from ActiveBefore its start until it is done or DoneGrace after its end.
func Visible(status string, start, end, now time.Time) bool {
	return status == TakeTaken && !now.Before(start.Add(-ActiveBefore)) && !now.After(end.Add(DoneGrace))
}

// Errors of taking, giving back and marking done, with the reason a
// taker is shown.
var (
	ErrTaken    = &FieldError{Field: "slot", Reason: "taken"}         // 已被认领: no place left
	ErrPast     = &FieldError{Field: "slot", Reason: "past"}          // the slot has ended
	ErrStarted  = &FieldError{Field: "slot", Reason: "started"}       // too late to give back
	ErrTooEarly = &FieldError{Field: "slot", Reason: "too_early"}     // cannot be done before it starts
	ErrTooLate  = &FieldError{Field: "slot", Reason: "too_late"}      // done too long after
	ErrClosed   = &FieldError{Field: "slot", Reason: "relay_closed"}  // the relay is closed
	ErrNotYours = &FieldError{Field: "slot", Reason: "not_yours"}     // the caller holds no place in it
	ErrDone     = &FieldError{Field: "slot", Reason: "already_done"}  // already marked done
	ErrNoteLong = &FieldError{Field: "note", Reason: "note_too_long"} // the note is too long
)

// CanTake says whether a slot may still be taken at now: until it ends.
func CanTake(end, now time.Time) error {
	if !now.Before(end) {
		return ErrPast
	}
	return nil
}

// CanRelease says whether a place may be given back at now: before the
// slot starts.
func CanRelease(start, now time.Time) error {
	if !now.Before(start) {
		return ErrStarted
	}
	return nil
}

// CanDone says whether a slot may be marked done at now, with note.
func CanDone(start, end, now time.Time, note string) error {
	if utf8.RuneCountInString(note) > MaxNote {
		return ErrNoteLong
	}
	if now.Before(start.Add(-DoneFrom)) {
		return ErrTooEarly
	}
	if now.After(end.Add(DoneGrace)) {
		return ErrTooLate
	}
	return nil
}

// Minutes is what a done slot counts towards hours.
func Minutes(start, end time.Time) int { return int(end.Sub(start) / time.Minute) }

// RemindAt and AlertAt are the deadlines of a slot.
func RemindAt(start time.Time) time.Time { return start.Add(-ReminderBefore) }

// AlertAt is when a slot still short of people alerts the village.
func AlertAt(start time.Time) time.Time { return start.Add(-EmptyAlertBefore) }

// Seat returns the lowest place number from 1 to capacity not in used,
// or 0 when every place is used.
func Seat(capacity int, used []int) int {
	taken := map[int]bool{}
	for _, u := range used {
		taken[u] = true
	}
	for i := 1; i <= capacity; i++ {
		if !taken[i] {
			return i
		}
	}
	return 0
}

// CheckSignup validates a neighbour's name and phone (a mainland mobile
// number of 11 digits starting with 1).
func CheckSignup(name, phone string) (string, string, error) {
	name, phone = strings.TrimSpace(name), strings.ReplaceAll(strings.TrimSpace(phone), " ", "")
	if name == "" || utf8.RuneCountInString(name) > MaxName {
		return "", "", fieldErr("name", "a name of 1 to %d characters is required", MaxName)
	}
	if len(phone) != 11 || phone[0] != '1' || strings.Trim(phone, "0123456789") != "" {
		return "", "", fieldErr("phone", "a mobile number of 11 digits is required")
	}
	return name, phone, nil
}

// Notice kinds of the inbox.
const (
	NoticeReminder = "volunteer.reminder" // a taker's slot starts soon
	NoticeEmpty    = "volunteer.empty"    // slots still short of people a day before
)

// ReminderText is the message of a reminder.
func ReminderText(task, shortName string, start time.Time) (subject, body string) {
	t := start.In(Zone)
	return "接龙提醒", fmt.Sprintf("%s %s：%s（%s），请按时前往。", t.Format("1月2日 15:04"), task, shortName, "详见我的接龙")
}

// EmptyText is the message of an empty-slot alert.
func EmptyText(title string, count int, first time.Time) (subject, body string) {
	return "接龙缺人", fmt.Sprintf("“%s”有 %d 个时段 24 小时内开始但还无人认领，最早 %s，请安排。", title, count, first.In(Zone).Format("1月2日 15:04"))
}

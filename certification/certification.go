package certification

import (
	"math"
	"strings"
	"time"

	"safetynet"
	"safetynet/relay"
)

// KindDue is the kind of the relay's deadline that reminds of a
// certification due (item_id is the due's id).
const KindDue = "certification.due"

// Window is how far ahead a certification counts as due soon.
const Window = 30 * 24 * time.Hour

// Zone is the local time of the places (Asia/Shanghai).
var Zone = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// Methods of assistance.
const (
	MethodFace = "face" // 人脸识别 in the official app
	MethodHome = "home" // 上门认证, a home visit with a photo
	MethodData = "data" // 数据比对, a record of a hospital or department
)

// Methods lists the methods in the order forms show them.
var Methods = []string{MethodFace, MethodHome, MethodData}

// Review decisions of the county on an overdue certification.
const (
	ReviewContinue = "continue" // 继续发放
	ReviewSuspend  = "suspend"  // 暂停发放待核
	ReviewRestored = "restored" // 已恢复
)

// Reviews lists the decisions in the order forms show them.
var Reviews = []string{ReviewContinue, ReviewSuspend, ReviewRestored}

// Status of a recipient's certification on a day.
const (
	StatusOK      = "ok"      // not due within the window
	StatusDue     = "due"     // due within the window
	StatusOverdue = "overdue" // the due date has passed
)

// Setting says whether a measure requires certification and how often.
type Setting struct {
	Measure string
	Months  int // 12 yearly, 6 half-yearly, 3 quarterly
	Active  bool
	Version int
}

// AllowedMonths are the intervals a county may choose.
var AllowedMonths = []int{3, 6, 12}

// DefaultSettings: 低保 yearly, 特困供养 half-yearly, the disability
// subsidies yearly.
func DefaultSettings() []Setting {
	return []Setting{{Measure: "dibao", Months: 12, Active: true}, {Measure: "tekun", Months: 6, Active: true},
		{Measure: "disability", Months: 12, Active: true}}
}

// CheckSetting refuses an interval that is not allowed.
func CheckSetting(s Setting) error {
	if strings.TrimSpace(s.Measure) == "" {
		return safetynet.Invalid("measure", "请选择救助措施", "choose a measure")
	}
	for _, m := range AllowedMonths {
		if s.Months == m {
			return nil
		}
	}
	return safetynet.Invalid("months", "认证周期只能是 3、6 或 12 个月", "the interval must be 3, 6 or 12 months")
}

// CategoryMeasures maps the register's categories to the measure they
// mean is in force: a 低保户 receives 低保 even when no application of the
// relay recorded it.
var CategoryMeasures = map[string]string{
	"dibao": "dibao", "dibao_person": "dibao", "tekun": "tekun", "tekun_person": "tekun",
}

// Day is the local calendar day of t, at midnight in Zone.
func Day(t time.Time) time.Time {
	t = t.In(Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Zone)
}

// ParseDay reads a YYYY-MM-DD date as a day in Zone.
func ParseDay(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", s, Zone)
	return t, err == nil
}

// AddMonths adds n months to day d, keeping the day of the month or, when
// the month is shorter, its last day (Feb 29 + 12 months is Feb 28; Aug 31
// + 6 months is the end of February).
func AddMonths(d time.Time, n int) time.Time {
	d = Day(d)
	y, m := d.Year(), int(d.Month())-1+n
	y += m / 12
	m %= 12
	if m < 0 {
		m += 12
		y--
	}
	last := time.Date(y, time.Month(m+2), 0, 0, 0, 0, 0, Zone).Day()
	return time.Date(y, time.Month(m+1), min(d.Day(), last), 0, 0, 0, 0, Zone)
}

// CycleStart is the start of the cycle to follow for a measure in force
// since start, when no certification was ever recorded: start itself when
// its first due date has not passed more than Window ago, else the latest
// anniversary of start (every months months) whose due date has not. A
// register taken over with recipients of many years then has them due on
// their next anniversary — or overdue by at most Window, still worth a
// check — instead of all overdue since years on the first day: the cycles
// before are presumed handled by the system they came from.
func CycleStart(start, today time.Time, months int) time.Time {
	start, today = Day(start), Day(today)
	if months <= 0 || start.After(today) {
		return start
	}
	floor := Day(today.Add(-Window + 12*time.Hour))
	n := ((floor.Year()-start.Year())*12+int(floor.Month())-int(start.Month()))/months*months - months
	n = max(n, 0)
	for NextDue(AddMonths(start, n), months).Before(floor) {
		n += months
	}
	return AddMonths(start, n)
}

// NextDue is the due date after basis: the last certification or, before
// any, the start of the measure.
func NextDue(basis time.Time, months int) time.Time { return AddMonths(basis, months) }

// StatusOn returns the status of a certification due on due, on today.
func StatusOn(due, today time.Time) string {
	due, today = Day(due), Day(today)
	switch {
	case today.After(due):
		return StatusOverdue
	case !due.After(Day(today.Add(Window + 12*time.Hour))):
		return StatusDue
	}
	return StatusOK
}

// DaysLeft is the days from today to due (negative when overdue).
func DaysLeft(due, today time.Time) int {
	a, b := Day(today), Day(due)
	// Calendar days: round to cope with days of 23 or 25 hours elsewhere.
	return int(math.Round(b.Sub(a).Hours() / 24))
}

// Step is the time each level of the chain gets before the reminder
// climbs: the grid worker until two steps before the due date, the
// village until one step before, the town until the due date; then the
// county, where an overdue certification waits for the suspension review.
const Step = 7 * 24 * time.Hour

// Reminder is the relay's deadline for a due date seen at now: the level
// that should act now and when the reminder climbs from it.
func Reminder(due, now time.Time) relay.Opening {
	end := Day(due).AddDate(0, 0, 1) // the end of the due day
	o := relay.Opening{Kind: KindDue, Interval: Step}
	switch {
	case now.Before(end.Add(-2 * Step)):
		o.Level, o.Due = safetynet.LevelGrid, end.Add(-2*Step)
	case now.Before(end.Add(-Step)):
		o.Level, o.Due = safetynet.LevelVillage, end.Add(-Step)
	case now.Before(end):
		o.Level, o.Due = safetynet.LevelTown, end
	default:
		o.Level, o.Due = safetynet.LevelCounty, now.Add(Step)
	}
	return o
}

// Record is the assistance a worker recorded.
type Record struct {
	Method   string
	On       time.Time // the day the certification was done
	Evidence string    // what the data comparison relied on
	Photo    []byte
	Note     string
}

// CheckRecord refuses a record without a method, a date in the future or
// before the cycle began, a home visit without a photo, or a data
// comparison that does not say what record it compared.
func CheckRecord(r Record, basis, today time.Time) error {
	ok := false
	for _, m := range Methods {
		ok = ok || m == r.Method
	}
	if !ok {
		return safetynet.Invalid("method", "请选择认证方式", "choose how the certification was done")
	}
	if r.On.IsZero() {
		return safetynet.Invalid("on_date", "请填写认证日期", "give the date of the certification")
	}
	if Day(r.On).After(Day(today)) {
		return safetynet.Invalid("on_date", "认证日期不能晚于今天", "the date cannot be in the future")
	}
	if !basis.IsZero() && Day(r.On).Before(Day(basis)) {
		return safetynet.Invalid("on_date", "认证日期早于本认证周期的开始", "the date is before this cycle began")
	}
	if r.Method == MethodHome && len(r.Photo) == 0 {
		return safetynet.Invalid("photo", "上门认证须附照片", "a home visit needs a photo")
	}
	if len(r.Photo) > safetynet.MaxPhoto {
		return safetynet.Invalid("photo", "照片过大", "the photo is too large")
	}
	if len(r.Photo) > 0 && !isImage(r.Photo) {
		return safetynet.Invalid("photo", "照片只能是 JPEG 或 PNG", "the photo must be a JPEG or PNG")
	}
	if r.Method == MethodData && strings.TrimSpace(r.Evidence) == "" {
		return safetynet.Invalid("evidence", "数据比对须写明比对的记录（如医院或部门记录）", "say which record was compared (e.g. a hospital or department record)")
	}
	if len([]rune(r.Note)) > 500 || len([]rune(r.Evidence)) > 200 {
		return safetynet.Invalid("note", "说明过长", "the note is too long")
	}
	return nil
}

// Outcome is what recording a certification changes on the due.
type Outcome struct {
	Basis  time.Time // the new cycle starts on the day certified
	Due    time.Time
	Late   bool   // certified after the due date
	Review string // the review state afterwards
}

// Certify decides the new due date and review state after a certification
// on day on of a due on due whose review state was review: a late
// certification restores a suspension and clears a pending review.
func Certify(on, due time.Time, months int, review string) Outcome {
	o := Outcome{Basis: Day(on), Due: NextDue(on, months), Late: Day(on).After(Day(due))}
	switch review {
	case ReviewSuspend:
		o.Review = ReviewRestored
	case ReviewRestored:
		o.Review = ReviewRestored
	default:
		o.Review = ""
	}
	return o
}

// CheckReview refuses a decision that is not one of Reviews, a decision on
// a certification that is not overdue (except recording a restoration),
// and a restoration of what was never suspended.
func CheckReview(decision, status, current string) error {
	switch decision {
	case ReviewContinue, ReviewSuspend:
		if status != StatusOverdue {
			return safetynet.Invalid("decision", "只有逾期未认证的对象需要审核", "only an overdue certification is reviewed")
		}
	case ReviewRestored:
		if current != ReviewSuspend {
			return safetynet.Invalid("decision", "只有暂停发放待核的对象才能恢复", "only a suspended payment can be restored")
		}
	default:
		return safetynet.Invalid("decision", "请选择审核结论", "choose a decision")
	}
	return nil
}

// isImage tells a JPEG or PNG by its first bytes.
func isImage(b []byte) bool {
	return (len(b) >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff) ||
		(len(b) >= 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n")
}

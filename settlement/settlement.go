// Package settlement decides the verification and the monthly settlement
// of services paid per verified service (按劳定酬):
//
//   - Months are local calendar months (Asia/Shanghai) written YYYY-MM: a
//     service belongs to the month of its start, and a month is settled
//     per organisation once it has ended.
//   - A review accepts or rejects a recorded service; a rejection needs a
//     reason. A random sample is drawn from a seed that the audit log keeps,
//     so anyone can draw the same sample again (Sample).
//   - Automatic checks flag a record for review (flag kinds below): one
//     worker at two households at once, two services too far apart for the
//     time between them (Travel), a photo used twice, a recipient who had
//     died or moved away, more services than the plan's period allows
//     (PlanPeriod). A flag stays open until a review decides the record.
//   - A settlement pays accepted services × their price in integer fen; it
//     may be approved only when nothing blocks it (no pending record, no
//     open flag) and the contracts' budgets cover it (CheckApprove). Once
//     approved the month is closed for that organisation: no recording, no
//     review, no change; corrections are adjustments in a later, open month
//     with a reason (CheckAdjustment).
package settlement

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
)

// Zone is the local time zone of months and days.
var Zone = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// MonthLayout is how months are written.
const MonthLayout = "2006-01"

// Month is the local month of t, YYYY-MM.
func Month(t time.Time) string { return t.In(Zone).Format(MonthLayout) }

// ParseMonth reads YYYY-MM and returns the month's first instant, local.
func ParseMonth(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(MonthLayout, strings.TrimSpace(s), Zone)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}

// CheckMonth reads a month given in field, with a clear error.
func CheckMonth(field, s string) (string, error) {
	t, ok := ParseMonth(s)
	if !ok {
		return "", safetynet.Invalid(field, "月份格式应为 2026-07", "months are written 2026-07")
	}
	return t.Format(MonthLayout), nil
}

// AddMonths moves a month by n months.
func AddMonths(month string, n int) string {
	t, ok := ParseMonth(month)
	if !ok {
		return month
	}
	return t.AddDate(0, n, 0).Format(MonthLayout)
}

// Ended reports whether month is over at now.
func Ended(month string, now time.Time) bool { return month < Month(now) }

// Day is the local day of unix seconds, YYYY-MM-DD.
func Day(unix int64) string { return time.Unix(unix, 0).In(Zone).Format("2006-01-02") }

// Decisions of a review.
const (
	Accept = "accepted"
	Reject = "rejected"
)

// MaxReason is the longest reason a review takes, in characters.
const MaxReason = 500

// CheckReview checks a review's decision and reason: a rejection needs a
// reason, so that the worker and the finance office read why.
func CheckReview(decision, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch decision {
	case Accept, Reject:
	default:
		return "", safetynet.Invalid("decision", "请选择通过或不通过", "decision must be accepted or rejected")
	}
	if decision == Reject && reason == "" {
		return "", safetynet.Invalid("reason", "不通过时必须填写原因", "a rejection needs a reason")
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		return "", safetynet.Invalid("reason", "原因不能超过500个字", "the reason must be at most 500 characters")
	}
	return reason, nil
}

// CheckPercent checks a sample's size in percent of the pending records.
func CheckPercent(p int) error {
	if p < 1 || p > 100 {
		return safetynet.Invalid("percent", "抽查比例应在 1% 到 100% 之间", "the sample must be 1 to 100 percent")
	}
	return nil
}

// Sample draws percent of ids (rounded up, at least one if any) with a
// generator seeded by seed: the same ids and seed always give the same
// sample, whatever order the ids come in. The result is sorted.
func Sample(ids []int64, percent int, seed uint64) []int64 {
	if len(ids) == 0 || percent <= 0 {
		return nil
	}
	pool := slices.Clone(ids)
	slices.Sort(pool)
	pool = slices.Compact(pool)
	n := (len(pool)*percent + 99) / 100
	if n > len(pool) {
		n = len(pool)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// A partial Fisher–Yates shuffle: the first n places are the sample.
	for i := 0; i < n; i++ {
		j := i + rng.IntN(len(pool)-i)
		pool[i], pool[j] = pool[j], pool[i]
	}
	out := pool[:n]
	slices.Sort(out)
	return out
}

// Kinds of automatic flags.
const (
	FlagOverlap       = "overlap"        // one worker at two households at once
	FlagTravel        = "travel"         // services too far apart for the time between them
	FlagPhotoReused   = "photo_reused"   // the same photo in another record
	FlagRecipientGone = "recipient_gone" // the recipient had died or moved away
	FlagOverPlan      = "over_plan"      // more services than the plan allows in its period
)

// FlagKinds lists the kinds in the order lists show them.
var FlagKinds = []string{FlagOverlap, FlagTravel, FlagPhotoReused, FlagRecipientGone, FlagOverPlan}

var flagNames = map[string][2]string{
	FlagOverlap:       {"同一时间两处服务", "two places at once"},
	FlagTravel:        {"行程过快", "implausible travel"},
	FlagPhotoReused:   {"照片重复使用", "photo used twice"},
	FlagRecipientGone: {"服务对象已去世或迁出", "recipient had died or moved"},
	FlagOverPlan:      {"超出计划次数", "more than the plan allows"},
}

// FlagName is a flag kind's name in Chinese (zh) or English.
func FlagName(kind, lang string) string {
	n, ok := flagNames[kind]
	if !ok {
		return kind
	}
	if lang == "en" {
		return n[1]
	}
	return n[0]
}

// Explanation is a flag's readable explanation in both languages.
type Explanation struct{ ZH, EN string }

// Speed limits of the travel check: two services at different households
// further apart than MinTravelMetres are flagged when the implied speed
// between the end of one and the start of the next exceeds MaxSpeedKMH.
// Rural roads on a scooter: 40 km/h is generous.
const (
	MinTravelMetres = 1000
	MaxSpeedKMH     = 40
	// TravelWindow is how far apart in time two services are compared.
	TravelWindow = 3 * time.Hour
)

// DistanceMetres is the great-circle distance between two points given in
// micro-degrees.
func DistanceMetres(lat1, lon1, lat2, lon2 int64) float64 {
	const r = 6371000.0
	rad := func(e6 int64) float64 { return float64(e6) / 1e6 * math.Pi / 180 }
	φ1, φ2 := rad(lat1), rad(lat2)
	dφ, dλ := φ2-φ1, rad(lon2)-rad(lon1)
	a := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Travel decides whether going from one service (ending at endA) to
// another (starting at startB, unix seconds) over metres is implausible,
// and explains it. Services that overlap in time are the overlap check's.
func Travel(metres float64, endA, startB int64) (bool, Explanation) {
	gap := startB - endA
	if gap < 0 {
		gap = -gap
	}
	if metres < MinTravelMetres {
		return false, Explanation{}
	}
	minutes := max(1, (gap+59)/60) // a zero gap is at least a minute on the road
	kmh := metres / 1000 / (float64(minutes) / 60)
	if kmh <= MaxSpeedKMH {
		return false, Explanation{}
	}
	km := metres / 1000
	return true, Explanation{
		ZH: fmt.Sprintf("与另一户的服务相隔 %d 分钟，两处相距 %.1f 公里（约 %.0f 公里/小时）", minutes, km, kmh),
		EN: fmt.Sprintf("%d minutes from a service at another household %.1f km away (about %.0f km/h)", minutes, km, kmh),
	}
}

// PlanPeriod is the period of a plan of frequency freq, started on
// planStart, that contains day (all local days), as [from, to) days, and
// how many services the plan allows in it.
func PlanPeriod(freq string, planStart, day time.Time) (from, to time.Time, allowed int) {
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, Zone)
	s := time.Date(planStart.Year(), planStart.Month(), planStart.Day(), 0, 0, 0, 0, Zone)
	switch freq {
	case "daily":
		return d, d.AddDate(0, 0, 1), 1
	case "weekly", "biweekly":
		n := 7
		if freq == "biweekly" {
			n = 14
		}
		days := int(math.Floor(d.Sub(s).Hours()/24 + 0.5))
		k := days / n
		if days < 0 {
			k = (days - n + 1) / n
		}
		from = s.AddDate(0, 0, k*n)
		return from, from.AddDate(0, 0, n), 1
	case "twice_monthly":
		first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, Zone)
		if d.Day() <= 15 {
			return first, first.AddDate(0, 0, 15), 1
		}
		return first.AddDate(0, 0, 15), first.AddDate(0, 1, 0), 1
	case "monthly":
		first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, Zone)
		return first, first.AddDate(0, 1, 0), 1
	}
	// once, or unknown: the whole plan allows one.
	return s, s.AddDate(100, 0, 0), 1
}

// OverPlan explains a plan's period holding n services when it allows
// allowed.
func OverPlan(n, allowed int, from, to time.Time) Explanation {
	last := to.AddDate(0, 0, -1)
	return Explanation{
		ZH: fmt.Sprintf("计划在 %s 至 %s 内允许 %d 次，已记录 %d 次", from.Format("01-02"), last.Format("01-02"), allowed, n),
		EN: fmt.Sprintf("the plan allows %d from %s to %s; %d are recorded", allowed, from.Format("01-02"), last.Format("01-02"), n),
	}
}

// CheckApprove says why a month cannot be approved yet, or nil.
func CheckApprove(month string, now time.Time, pending, flagged int, overBudget []string) error {
	if !Ended(month, now) {
		return safetynet.Invalid("month", "本月尚未结束，月末之后才能批准结算", "the month has not ended yet")
	}
	if pending > 0 || flagged > 0 {
		return safetynet.Conflict("month", "还有 %d 条待核验、%d 条被标记的服务，核验完毕后才能批准",
			"%d services are pending and %d flagged: verify them first", pending, flagged)
	}
	if len(overBudget) > 0 {
		return safetynet.Conflict("month", "超出合同预算：%s", "over the contract's budget: %s", strings.Join(overBudget, "、"))
	}
	return nil
}

// MaxAdjustmentFen bounds an adjustment: 1,000,000 yuan either way.
const MaxAdjustmentFen = 100_000_000

// CheckAdjustment checks a correction of a closed month entered in an open
// one: a non-zero amount within bounds, a reason, and a month it corrects
// that comes before the month it is paid in.
func CheckAdjustment(amountFen int64, reason, aboutMonth, month string) (string, error) {
	reason = strings.TrimSpace(reason)
	if amountFen == 0 || amountFen > MaxAdjustmentFen || amountFen < -MaxAdjustmentFen {
		return "", safetynet.Invalid("amount", "调整金额应为非零且不超过100万元", "the amount must be non-zero and at most 1,000,000 yuan either way")
	}
	if reason == "" {
		return "", safetynet.Invalid("reason", "请填写调整原因", "a reason is required")
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		return "", safetynet.Invalid("reason", "原因不能超过500个字", "the reason must be at most 500 characters")
	}
	if aboutMonth >= month {
		return "", safetynet.Invalid("about_month", "只能更正之前已结算的月份", "an adjustment corrects an earlier month")
	}
	return reason, nil
}

// Yuan writes fen as yuan with two decimals, e.g. 3000 → "30.00".
func Yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// Rate is part/whole in percent with one decimal, 0 when whole is 0.
func Rate(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)*1000/float64(whole)) / 10
}

// TypeOrder returns the keys of m sorted, for stable figures tables.
func TypeOrder[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Package pacts decides the curtain pact (窗帘之约): an elderly person
// living alone gives a sign of life every morning before a deadline (the
// curtain opened, a tap on their own page, a water meter or door sensor
// moving); a day without a sign alerts the pact's steward (红管家) at once,
// and whoever is next on the ladder of backups after each wait nobody
// answered. The package holds the decisions only: which local day a
// moment belongs to, when a day's deadline is, whether a day is paused,
// missed, who is alerted next and when, and how a device's signal is
// verified. Storage applies them (sqlstore/pacts_*.go).
//
// Deadlines are local times of the place (Asia/Shanghai unless a pact
// names another zone): a day is a calendar date in that zone, so the
// deadline of 2026-03-01 follows the one of 2026-02-28 whatever the UTC
// offset, and zones with daylight saving get their wall-clock deadline.
package pacts

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Defaults of a new pact.
const (
	DefaultZone     = "Asia/Shanghai"
	DefaultDeadline = 8 * 60 // minutes after local midnight: 08:00
	DefaultWaitMin  = 30     // minutes between two steps of the ladder
	MaxWaitMin      = 24 * 60
	DayLayout       = "2006-01-02"
)

// Rung is a step of the ladder of backups.
type Rung string

// Rungs, in their usual order.
const (
	RungSteward Rung = "steward" // the pact's 红管家
	RungGrid    Rung = "grid"    // the grid workers of the person's grid
	RungVillage Rung = "village" // the village duty staff
	RungTown    Rung = "town"    // the town officers
)

// DefaultLadder is steward → grid worker → village duty staff → town.
var DefaultLadder = []Rung{RungSteward, RungGrid, RungVillage, RungTown}

// Valid reports whether r is a known rung.
func (r Rung) Valid() bool {
	switch r {
	case RungSteward, RungGrid, RungVillage, RungTown:
		return true
	}
	return false
}

// Finding is what the person who went found.
type Finding string

// Findings.
const (
	FoundFine     Finding = "fine"     // 一切正常
	FoundHelp     Finding = "help"     // 需要帮助 (a relay clue follows)
	FoundHospital Finding = "hospital" // 已送医
	FoundAbsent   Finding = "absent"   // 不在家
)

// Findings lists the findings in the order a form offers them.
var Findings = []Finding{FoundFine, FoundHelp, FoundHospital, FoundAbsent}

// Valid reports whether f is a known finding.
func (f Finding) Valid() bool {
	for _, x := range Findings {
		if x == f {
			return true
		}
	}
	return false
}

// Sign sources.
const (
	SourceRound  = "round"  // the steward's morning round: 窗帘已开
	SourceSelf   = "self"   // the person's own page: 我很好
	SourceDevice = "device" // a device's signed signal
)

// FieldError is bad input about one field.
type FieldError struct {
	Field, Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Terms are the clock of a pact.
type Terms struct {
	DeadlineMin int    // minutes after local midnight
	Zone        string // IANA zone of the place
	WaitMin     int    // minutes each step of the ladder waits for an answer
	Ladder      []Rung // steps after the deadline, the first alerted at once
}

// Normalize fills defaults.
func (t Terms) Normalize() Terms {
	if t.Zone == "" {
		t.Zone = DefaultZone
	}
	if t.WaitMin == 0 {
		t.WaitMin = DefaultWaitMin
	}
	if len(t.Ladder) == 0 {
		t.Ladder = append([]Rung(nil), DefaultLadder...)
	}
	return t
}

// Check validates terms (after Normalize).
func (t Terms) Check() error {
	if t.DeadlineMin < 0 || t.DeadlineMin >= 24*60 {
		return &FieldError{"deadline", "must be a time of day between 00:00 and 23:59"}
	}
	if _, err := time.LoadLocation(t.Zone); err != nil {
		return &FieldError{"zone", "unknown time zone"}
	}
	if t.WaitMin < 1 || t.WaitMin > MaxWaitMin {
		return &FieldError{"wait_minutes", "must be between 1 and 1440"}
	}
	seen := map[Rung]bool{}
	for _, r := range t.Ladder {
		if !r.Valid() {
			return &FieldError{"ladder", "unknown step " + strconv.Quote(string(r))}
		}
		if seen[r] {
			return &FieldError{"ladder", "step " + string(r) + " twice"}
		}
		seen[r] = true
	}
	if len(t.Ladder) == 0 || t.Ladder[0] != RungSteward {
		return &FieldError{"ladder", "must start with the steward"}
	}
	return nil
}

// ParseLadder reads "steward,grid,village".
func ParseLadder(s string) []Rung {
	var out []Rung
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, Rung(p))
		}
	}
	return out
}

// LadderString writes a ladder as ParseLadder reads it.
func LadderString(l []Rung) string {
	s := make([]string, len(l))
	for i, r := range l {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// ParseClock reads "08:00" as minutes after midnight.
func ParseClock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, &FieldError{"deadline", "must be a time of day like 08:00"}
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Clock writes minutes after midnight as "08:00".
func Clock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// Location loads a zone, the default one if empty.
func Location(zone string) (*time.Location, error) {
	if zone == "" {
		zone = DefaultZone
	}
	return time.LoadLocation(zone)
}

// DayOf returns the local day a moment belongs to.
func DayOf(t time.Time, loc *time.Location) string { return t.In(loc).Format(DayLayout) }

// ParseDay reads a local day.
func ParseDay(s string) (time.Time, error) { return time.Parse(DayLayout, s) }

// DueOn returns the deadline of a local day.
func DueOn(day string, deadlineMin int, loc *time.Location) (time.Time, error) {
	d, err := ParseDay(day)
	if err != nil {
		return time.Time{}, &FieldError{"day", "must be a date like 2026-03-01"}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), deadlineMin/60, deadlineMin%60, 0, 0, loc), nil
}

// AddDays moves a local day by n calendar days (across month and year ends).
func AddDays(day string, n int) string {
	d, err := ParseDay(day)
	if err != nil {
		return day
	}
	return d.AddDate(0, 0, n).Format(DayLayout)
}

// Current returns the latest local day whose deadline has passed at now,
// and that deadline: before 08:00 it is yesterday, from 08:00 today.
func Current(now time.Time, deadlineMin int, loc *time.Location) (day string, due time.Time) {
	day = DayOf(now, loc)
	due, _ = DueOn(day, deadlineMin, loc)
	if due.After(now) {
		day = AddDays(day, -1)
		due, _ = DueOn(day, deadlineMin, loc)
	}
	return day, due
}

// Away is a pause of a pact, both days included (local days).
type Away struct {
	From, To string
	Reason   string
}

// AwayReasons are the usual reasons of a pause.
var AwayReasons = []string{"children", "hospital", "other"}

// CheckAway validates a pause.
func CheckAway(a Away) error {
	f, err := ParseDay(a.From)
	if err != nil {
		return &FieldError{"from", "must be a date like 2026-03-01"}
	}
	t, err := ParseDay(a.To)
	if err != nil {
		return &FieldError{"to", "must be a date like 2026-03-01"}
	}
	if t.Before(f) {
		return &FieldError{"to", "must not be before from"}
	}
	if t.Sub(f) > 366*24*time.Hour {
		return &FieldError{"to", "a pause lasts at most a year"}
	}
	ok := false
	for _, r := range AwayReasons {
		ok = ok || r == a.Reason
	}
	if !ok {
		return &FieldError{"reason", "must be one of children, hospital, other"}
	}
	return nil
}

// Paused reports whether a pause covers day.
func Paused(day string, aways []Away) bool {
	for _, a := range aways {
		if a.From <= day && day <= a.To {
			return true
		}
	}
	return false
}

// Missed reports whether a day is missed at now: its deadline has passed,
// no sign came on that local day before it, it is not paused and the pact
// existed at the deadline.
func Missed(day string, t Terms, signs []time.Time, aways []Away, created, now time.Time) (bool, error) {
	loc, err := Location(t.Zone)
	if err != nil {
		return false, err
	}
	due, err := DueOn(day, t.DeadlineMin, loc)
	if err != nil {
		return false, err
	}
	if now.Before(due) || created.After(due) || Paused(day, aways) {
		return false, nil
	}
	for _, s := range signs {
		if DayOf(s, loc) == day && !s.After(due) {
			return false, nil
		}
	}
	return true, nil
}

// AlertAt returns when step i of the ladder is alerted for a missed day
// with deadline due: the steward at once, each next one wait later.
func AlertAt(due time.Time, waitMin, i int) time.Time {
	return due.Add(time.Duration(i*waitMin) * time.Minute)
}

// Next says who is alerted next on a missed day at now: the step alerted
// so far (-1 none), whether someone acknowledged and the ladder's length.
// It returns the step to alert now, if any, and when the step after it
// is due (zero when the ladder is over).
func Next(due time.Time, waitMin, alerted int, acknowledged bool, steps int, now time.Time) (step int, ok bool, after time.Time) {
	if acknowledged || alerted+1 >= steps {
		return 0, false, time.Time{}
	}
	step = alerted + 1
	if now.Before(AlertAt(due, waitMin, step)) {
		return 0, false, AlertAt(due, waitMin, step)
	}
	if step+1 < steps {
		after = AlertAt(due, waitMin, step+1)
	}
	return step, true, after
}

// Tokens of the person's own page: a random secret shown once in the link
// (and its QR code), stored as its SHA-256.

// NewToken returns a new token and its hash.
func NewToken() (token, hash string) {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	token = hex.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of a token.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Device signals: a device (water meter, door sensor, smart plug) posts a
// body with headers X-Pact-Timestamp (Unix seconds) and X-Pact-Signature
// (hex HMAC-SHA256 with the device's secret over "<timestamp>.<body>").

// ReplayWindow is how far a signal's timestamp may be from now; within it
// a signature is accepted once.
const ReplayWindow = 5 * time.Minute

// Signal errors.
var (
	ErrUnsigned  = errors.New("pacts: signal not signed")
	ErrSignature = errors.New("pacts: signature does not match")
	ErrStale     = errors.New("pacts: timestamp outside the replay window")
)

// SignSignal returns the signature of a body at timestamp ts.
func SignSignal(secret []byte, ts int64, body []byte) string {
	m := hmac.New(sha256.New, secret)
	fmt.Fprintf(m, "%d.", ts)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifySignal checks a signal's timestamp header and signature.
func VerifySignal(secret []byte, tsHeader, sig string, body []byte, now time.Time) (time.Time, error) {
	if tsHeader == "" || sig == "" {
		return time.Time{}, ErrUnsigned
	}
	ts, err := strconv.ParseInt(tsHeader, 10, 64)
	if err != nil {
		return time.Time{}, ErrUnsigned
	}
	at := time.Unix(ts, 0)
	if d := now.Sub(at); d > ReplayWindow || d < -ReplayWindow {
		return time.Time{}, ErrStale
	}
	want := SignSignal(secret, ts, body)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(sig))) {
		return time.Time{}, ErrSignature
	}
	return at, nil
}

// NewSecret returns a device secret.
func NewSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

package dashboards

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Values are a place's figures of one period by key. Every value is a
// count or a sum over records that each belong to one place, so the
// values of a place are the sum of its places' values (and of the records
// kept at the place itself): Add builds a level from its places.
type Values map[string]int64

// Add adds o into v.
func (v Values) Add(o Values) {
	for k, n := range o {
		v[k] += n
	}
}

// Keys of the figures. Keys with a prefix (KeyCategory…) are followed by a
// code: "cat.dibao", "colour.red", "measure_n.dibao".
const (
	KeyClues        = "clues"         // clues received
	KeyCluesActive  = "clues_active"  // of them found through active discovery (主动发现)
	KeyHelped       = "helped"        // households helped through active discovery
	KeyResolved     = "resolved"      // cases closed: problems resolved
	KeyOpen         = "open"          // open work now
	KeyOverdue      = "overdue"       // of it past its deadline now
	KeyInclude      = "mon_include"   // households included into monitoring (confirmed)
	KeyEliminate    = "mon_eliminate" // risks eliminated (confirmed)
	KeyVisits       = "visits"        // visits made
	KeyVisitedHH    = "visited_hh"    // households visited
	KeyPactDays     = "pact_days"     // check-in days due
	KeyPactKept     = "pact_kept"     // of them kept
	KeySvcTimes     = "svc_times"     // services given (person-times)
	KeySvcHH        = "svc_hh"        // households served
	KeyVolMinutes   = "vol_minutes"   // volunteer minutes
	KeyVolTimes     = "vol_times"     // volunteer turns done
	KeyFundReceived = "fund_receipt"  // funds received (fen)
	KeyFundSpent    = "fund_spend"    // funds spent (fen)
	KeyCategory     = "cat."          // categories held at the period's end: households (a household's category) or persons
	KeyColour       = "colour."       // households per risk colour now
	KeyMeasureN     = "measure_n."    // measures in force at the period's end, by measure
	KeyMeasureFen   = "measure_fen."  // their amounts (fen)
)

// Units of a figure.
const (
	Count   = "count"
	Fen     = "fen"
	Minutes = "minutes"
)

// Figure is a headline figure of the dashboard.
type Figure struct {
	Key         string
	ZH, EN      string
	Unit        string
	Now         bool   // a count of now, not of the period (open work)
	List        string // the list behind it: see ListURL
	LowerBetter bool
}

// Figures are the headline figures in the order shown.
var Figures = []Figure{
	{Key: KeyHelped, ZH: "主动发现救助户数", EN: "Households helped through active discovery", Unit: Count, List: "figures"},
	{Key: KeyCluesActive, ZH: "主动发现线索", EN: "Clues found actively", Unit: Count, List: "figures"},
	{Key: KeyClues, ZH: "收到线索", EN: "Clues received", Unit: Count, List: "figures"},
	{Key: KeyResolved, ZH: "解决问题（结案）", EN: "Problems resolved (cases closed)", Unit: Count, List: "work"},
	{Key: KeyOpen, ZH: "在办事项", EN: "Open work", Unit: Count, Now: true, List: "work", LowerBetter: true},
	{Key: KeyOverdue, ZH: "逾期事项", EN: "Overdue work", Unit: Count, Now: true, List: "work", LowerBetter: true},
	{Key: KeyInclude, ZH: "纳入监测户数", EN: "Households included into monitoring", Unit: Count, List: "monitoring.include"},
	{Key: KeyEliminate, ZH: "风险消除户数", EN: "Households whose risk was eliminated", Unit: Count, List: "monitoring.eliminate"},
	{Key: KeyVisits, ZH: "走访次数", EN: "Visits made", Unit: Count, List: "visits"},
	{Key: KeyVisitedHH, ZH: "走访户数", EN: "Households visited", Unit: Count, List: "visits"},
	{Key: KeyPactKept, ZH: "“拉窗帘”按时报平安天数", EN: "Check-in days kept", Unit: Count, List: "pacts"},
	{Key: KeySvcTimes, ZH: "服务人次", EN: "Services given (person-times)", Unit: Count, List: "services"},
	{Key: KeySvcHH, ZH: "服务户数", EN: "Households served", Unit: Count, List: "services"},
	{Key: KeyVolMinutes, ZH: "志愿服务时长", EN: "Volunteer hours", Unit: Minutes, List: "volunteering"},
	{Key: KeyFundReceived, ZH: "到账资金", EN: "Funds received", Unit: Fen, List: "funds"},
	{Key: KeyFundSpent, ZH: "支出资金", EN: "Funds spent", Unit: Fen, List: "funds"},
}

// FigureOf returns the headline figure of key.
func FigureOf(key string) (Figure, bool) {
	for _, f := range Figures {
		if f.Key == key {
			return f, true
		}
	}
	return Figure{}, false
}

// Label names the figure in lang.
func (f Figure) Label(lang string) string {
	if lang == "en" {
		return f.EN
	}
	return f.ZH
}

// Codes returns the codes present under prefix in any of vs, sorted.
func Codes(prefix string, vs ...Values) []string {
	seen := map[string]bool{}
	for _, v := range vs {
		for k := range v {
			if c, ok := strings.CutPrefix(k, prefix); ok {
				seen[c] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Change is how a figure moved from the previous period.
type Change struct {
	Pct  float64 // (cur − prev) / prev × 100
	Has  bool    // false when the previous value is zero
	Good bool    // the move is for the better
	Flat bool
}

// Compare compares cur with prev; lowerBetter says a fall is good (times,
// overdue work).
func Compare(cur, prev int64, lowerBetter bool) Change {
	if prev == 0 {
		return Change{Flat: cur == 0}
	}
	pct := float64(cur-prev) / float64(prev) * 100
	c := Change{Pct: pct, Has: true, Flat: math.Abs(pct) < 0.5}
	if lowerBetter {
		c.Good = pct < 0
	} else {
		c.Good = pct > 0
	}
	return c
}

// String writes the change as "+12%", "−30%", "0%" or "—".
func (c Change) String() string {
	if !c.Has {
		return "—"
	}
	p := math.Round(c.Pct)
	switch {
	case p > 0:
		return fmt.Sprintf("+%.0f%%", p)
	case p < 0:
		return fmt.Sprintf("−%.0f%%", -p)
	}
	return "0%"
}

// Rate is part/whole as a percentage rounded to one decimal, "—" for an
// empty whole.
func Rate(part, whole int64) string {
	if whole <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", float64(part)*100/float64(whole))
}

// Durations summarise how long something took: how many and the median.
type Durations struct {
	N      int
	Median time.Duration
}

// Summarise returns the count and median of ds (which it sorts).
func Summarise(ds []time.Duration) Durations {
	if len(ds) == 0 {
		return Durations{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return Durations{N: len(ds), Median: ds[len(ds)/2]}
}

// Times are the medians of a period that do not sum over places.
type Times struct {
	ToHelp Durations // from a clue's report to its case's first help
	Apply  Durations // from an application to its decision
}

// FormatValue writes v of unit for a page.
func FormatValue(v int64, unit, lang string) string {
	switch unit {
	case Fen:
		return Yuan(v)
	case Minutes:
		h := float64(v) / 60
		if lang == "en" {
			return fmt.Sprintf("%.1f h", h)
		}
		return fmt.Sprintf("%.1f 小时", h)
	}
	return Thousands(v)
}

// Thousands writes n with thousands separators.
func Thousands(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Yuan writes fen as yuan: "51,900.00".
func Yuan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	s := Thousands(fen/100) + fmt.Sprintf(".%02d", fen%100)
	if neg {
		return "-" + s
	}
	return s
}

// Span writes a duration for a page: "3.5 天", "5.2 小时", "40 分钟".
func Span(d time.Duration, lang string) string {
	en := lang == "en"
	switch {
	case d <= 0:
		return "—"
	case d >= 48*time.Hour:
		if en {
			return fmt.Sprintf("%.1f days", d.Hours()/24)
		}
		return fmt.Sprintf("%.1f 天", d.Hours()/24)
	case d >= time.Hour:
		if en {
			return fmt.Sprintf("%.1f h", d.Hours())
		}
		return fmt.Sprintf("%.1f 小时", d.Hours())
	}
	if en {
		return fmt.Sprintf("%.0f min", d.Minutes())
	}
	return fmt.Sprintf("%.0f 分钟", d.Minutes())
}

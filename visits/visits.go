// Package visits plans the grid worker's visits (走访): how often each
// household must be seen, when its next visit is due, which must-visit
// occasions (五必访) add a visit due within a set time, and how a visit
// is recorded. It imports neither HTTP nor SQL: storage asks it for the
// frequencies that apply, the cut-off dates of a day's generation and the
// due time of a must-visit, and persists what it returns.
//
// Rules:
//   - A frequency is "every N days, weeks or months" for a target group
//     (key families 六帮六助重点家庭, elderly people living alone 独居老人,
//     monitored households, households coloured red or yellow) and a need:
//     "any" (a home visit, a call or seeing them in passing) or "home" (a
//     home visit only: the weekly home revisit of key families).
//   - When several groups apply to a household, the most frequent
//     frequency of each need wins (Winning).
//   - A home visit satisfies both needs; a call or seeing someone in
//     passing satisfies "any" only (Satisfies).
//   - Dates are local dates of the place (Asia/Shanghai by default): a
//     visit due on day D must be made by the end of D, local time. The
//     next visit is due the date of the last one plus the interval; a
//     month after 31 January is the last day of February (Next).
//   - A must-visit is due within its trigger's time (hours) from the
//     moment the occasion was recorded (MustVisitDue).
package visits

import (
	"fmt"
	"slices"
)

// Target groups of a visit plan.
const (
	GroupKeyFamily    = "key_family"    // 六帮六助重点家庭, marked by village staff
	GroupElderlyAlone = "elderly_alone" // 独居老人 (the register's category)
	GroupMonitored    = "monitored"     // 防返贫监测对象 (the register's monitoring categories)
	GroupRed          = "colour_red"    // risk colour red
	GroupYellow       = "colour_yellow" // risk colour yellow
)

// Groups lists the target groups in the order of the settings form.
var Groups = []string{GroupKeyFamily, GroupElderlyAlone, GroupMonitored, GroupRed, GroupYellow}

// Needs of a frequency.
const (
	NeedAny  = "any"  // a home visit, a call or seen in passing
	NeedHome = "home" // a home visit
)

// Needs lists the needs.
var Needs = []string{NeedAny, NeedHome}

// Units of a frequency.
const (
	UnitDay   = "day"
	UnitWeek  = "week"
	UnitMonth = "month"
)

// Kinds of a visit record.
const (
	KindHome    = "home"    // 入户走访
	KindCall    = "call"    // 电话询问
	KindPassing = "passing" // 路遇看望
)

// Kinds lists the kinds of visit.
var Kinds = []string{KindHome, KindCall, KindPassing}

// Results of a visit.
const (
	ResultFine    = "fine"     // 一切正常
	ResultNotFine = "not_fine" // 有困难
)

// Frequency is how often a target group must be visited for a need.
// Every 0 means the group has no frequency for the need.
type Frequency struct {
	Group string `json:"group"`
	Need  string `json:"need"`
	Every int    `json:"every"`
	Unit  string `json:"unit"`
}

// Approx returns the frequency's interval in days, months counted as 31:
// used only to choose the most frequent of several frequencies.
func (f Frequency) Approx() int {
	switch f.Unit {
	case UnitWeek:
		return 7 * f.Every
	case UnitMonth:
		return 31 * f.Every
	}
	return f.Every
}

// Key names the frequency's interval ("3day", "1month"): storage groups
// households by it.
func (f Frequency) Key() string { return fmt.Sprintf("%d%s", f.Every, f.Unit) }

// DefaultFrequencies are the frequencies before a county sets its own:
// key families a visit or call every day and a home revisit every week
// (日走访周回访), elderly people living alone weekly, red households every
// three days, yellow ones weekly, monitored households monthly.
var DefaultFrequencies = []Frequency{
	{GroupKeyFamily, NeedAny, 1, UnitDay},
	{GroupKeyFamily, NeedHome, 1, UnitWeek},
	{GroupElderlyAlone, NeedAny, 1, UnitWeek},
	{GroupMonitored, NeedAny, 1, UnitMonth},
	{GroupRed, NeedAny, 3, UnitDay},
	{GroupYellow, NeedAny, 1, UnitWeek},
}

// FieldError is a bad input: which field, and why in both languages.
type FieldError struct {
	Field  string
	ZH, EN string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.EN }

// CheckFrequencies checks a county's frequencies: known groups, needs and
// units, intervals from 1 to 366 days (12 months), at most one per group
// and need. Every 0 removes a frequency.
func CheckFrequencies(fs []Frequency) ([]Frequency, error) {
	seen := map[string]bool{}
	var out []Frequency
	for i, f := range fs {
		field := fmt.Sprintf("frequencies[%d]", i)
		switch {
		case !slices.Contains(Groups, f.Group):
			return nil, &FieldError{field + ".group", "走访对象无效：" + f.Group, "unknown group " + f.Group}
		case !slices.Contains(Needs, f.Need):
			return nil, &FieldError{field + ".need", "走访要求无效：" + f.Need, "unknown need " + f.Need}
		case f.Unit != UnitDay && f.Unit != UnitWeek && f.Unit != UnitMonth:
			return nil, &FieldError{field + ".unit", "周期单位应为天、周或月", "unit must be day, week or month"}
		case f.Every < 0 || f.Approx() > 372:
			return nil, &FieldError{field + ".every", "走访周期应在1天至12个月之间", "every must be from 1 day to 12 months"}
		case seen[f.Group+"/"+f.Need]:
			return nil, &FieldError{field, "同一对象同一要求只能设一个周期", "one frequency per group and need"}
		}
		seen[f.Group+"/"+f.Need] = true
		if f.Every > 0 {
			out = append(out, f)
		}
	}
	return out, nil
}

// Winning returns, for each need, the most frequent of the frequencies
// of the groups a household belongs to (ties: the first in fs).
func Winning(fs []Frequency, groups []string) map[string]Frequency {
	out := map[string]Frequency{}
	for _, f := range fs {
		if f.Every <= 0 || !slices.Contains(groups, f.Group) {
			continue
		}
		if w, ok := out[f.Need]; !ok || f.Approx() < w.Approx() {
			out[f.Need] = f
		}
	}
	return out
}

// Satisfies reports whether a visit of kind satisfies need.
func Satisfies(kind, need string) bool {
	return need == NeedAny || kind == KindHome
}

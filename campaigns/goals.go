package campaigns

import (
	"safetynet"
	"strconv"
	"strings"
	"time"
)

// Goal progress (目标进度) is computed from records, never typed: per
// implementing village a numerator and, for a share, a denominator (the
// group's households or persons); a town's or county's figures are the
// sums of its villages' numerators and denominators, never an average of
// shares. Rules:
//
//   - A share's target is in per mille of the group (1000 = 100%); a count's
//     target is per implementing village (each village holds N activities),
//     so a level's count target is the target times its villages.
//   - The group of a village is its registered members (campaign_members,
//     登记造册) of the goal's category; while a village has registered
//     nobody of it, the persons or households holding the category in the
//     register stand in.
//   - visited_share counts every visit made in the period to a group's
//     household, tagged with the campaign or not (a visit is a visit; the
//     household does not care which list it was on); the tagged ones are
//     shown beside. served_share likewise for service records.
//   - A goal is met when the figure reaches the target, on track when the
//     share of the target reached is at least the elapsed share of the
//     period, behind otherwise; a share over an empty group is "none".

// Goal statuses.
const (
	GoalMet     = "met"
	GoalOnTrack = "on_track"
	GoalBehind  = "behind"
	GoalNone    = "none" // a share of an empty group: nothing to do
)

// GoalStatuses is the vocabulary of goal statuses.
var GoalStatuses = safetynet.Vocab{
	{Code: GoalMet, ZH: "已完成", EN: "met"},
	{Code: GoalOnTrack, ZH: "按进度", EN: "on track"},
	{Code: GoalBehind, ZH: "进度滞后", EN: "behind"},
	{Code: GoalNone, ZH: "无对象", EN: "no one in the group"},
}

// Figure is a goal's figure at one place: Num of Den for a share (Den 0
// for a count), with the target of the place.
type Figure struct {
	Num    int64 `json:"num"`
	Den    int64 `json:"den"`
	Tagged int64 `json:"tagged"` // of Num, done under the campaign's tag (visits, services)
	Target int64 `json:"target"` // per mille for a share; the place's count otherwise
}

// Add sums two places' figures. The targets add up for a count; a
// share's target is set again by PlaceTarget.
func (f Figure) Add(g Figure) Figure {
	return Figure{Num: f.Num + g.Num, Den: f.Den + g.Den, Tagged: f.Tagged + g.Tagged, Target: f.Target + g.Target}
}

// Value is the figure as shown: the per mille reached for a share, the
// count otherwise.
func (f Figure) Value(share bool) int64 {
	if !share {
		return f.Num
	}
	if f.Den == 0 {
		return 0
	}
	return f.Num * 1000 / f.Den
}

// Reached is the per mille of the target reached, capped at 1000.
func (f Figure) Reached(share bool) int64 {
	if f.Target <= 0 {
		return 1000
	}
	r := f.Value(share) * 1000 / f.Target
	if r > 1000 {
		r = 1000
	}
	return r
}

// Status decides met, on track or behind, given the per mille of the
// period elapsed.
func (f Figure) Status(share bool, elapsed int64) string {
	if share && f.Den == 0 {
		return GoalNone
	}
	r := f.Reached(share)
	switch {
	case r >= 1000:
		return GoalMet
	case r >= elapsed:
		return GoalOnTrack
	}
	return GoalBehind
}

// Missing is how many units are still needed to reach the target: the
// group members still to reach for a share, the count still to do.
func (f Figure) Missing(share bool) int64 {
	var need int64
	if share {
		need = (f.Den*f.Target + 999) / 1000
	} else {
		need = f.Target
	}
	if need > f.Num {
		return need - f.Num
	}
	return 0
}

// PlaceTarget is a goal's target at a place of villages villages: a
// share's target is the same at every level, a count's adds up.
func PlaceTarget(metric string, target int64, villages int) int64 {
	if ShareMetric(metric) {
		return target
	}
	return target * int64(villages)
}

// Elapsed is the per mille of the period [from, to] (local dates, both
// days counted) elapsed by the end of the local day today.
func Elapsed(from, to, today string) int64 {
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	d, err3 := time.Parse(time.DateOnly, today)
	if err1 != nil || err2 != nil || err3 != nil || t.Before(f) {
		return 0
	}
	if d.Before(f) {
		return 0
	}
	if !d.Before(t) {
		return 1000
	}
	total := int64(t.Sub(f).Hours()/24) + 1
	done := int64(d.Sub(f).Hours()/24) + 1
	return done * 1000 / total
}

// PerMille writes a per mille as a percentage with one decimal at most:
// 1000 → "100%", 875 → "87.5%".
func PerMille(v int64) string {
	s := strconv.FormatInt(v/10, 10)
	if r := v % 10; r != 0 {
		s += "." + strconv.FormatInt(r, 10)
	}
	return s + "%"
}

// ValidExample checks an example's title and text (典型案例), returning
// the field at fault.
func ValidExample(title, text string) (field string, ok bool) {
	switch {
	case strings.TrimSpace(title) == "" || len([]rune(title)) > 60:
		return "title", false
	case strings.TrimSpace(text) == "" || len([]rune(text)) > 2000:
		return "text", false
	}
	return "", true
}

// GoalReviewDue says whether goals are to be reviewed for reminders now:
// once a week (a week after the last review) and at every stage end that
// passed since the last review. last is zero before the first review.
func GoalReviewDue(last, now time.Time, stageEnds []time.Time) bool {
	if last.IsZero() || !now.Before(last.Add(7*24*time.Hour)) {
		return true
	}
	for _, e := range stageEnds {
		if e.After(last) && !e.After(now) {
			return true
		}
	}
	return false
}

// GoalReminderInterval is how long a village has to catch up before its
// reminder escalates to the town, and the town before the county.
const GoalReminderInterval = 7 * 24 * time.Hour

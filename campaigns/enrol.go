package campaigns

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"safetynet"
)

// The survey-and-register stage (登记造册): each implementing village
// lists its target-group members per group of the campaign's work items,
// confirms its counts and submits by the stage's end. A submitted list is
// frozen until the town reopens it. A stage not submitted when its end
// (a local date, Asia/Shanghai) has passed is late; one submitted after
// that day was submitted late. Both are derived, never stored.

// RemindAhead is how long before a stage's end the villages not yet
// submitted are reminded.
const RemindAhead = 3 * 24 * time.Hour

// StageInterval is the length of each step of a late stage's deadline on
// the relay's clocks: overdue at the village, a week later the town's,
// a week after that the county's.
const StageInterval = 7 * 24 * time.Hour

// Notice kinds of the stage reminders.
const (
	NoticeStageSoon = "campaign.stage_soon" // the end is near and the village has not submitted
	NoticeStageLate = "campaign.stage_late" // the end has passed (the lead units' members are told)
)

// EndOf is the first instant after the local day d (YYYY-MM-DD): a stage
// ending on d is late from then.
func EndOf(d string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", d, Zone)
	if err != nil {
		return time.Time{}, fmt.Errorf("campaigns: date %q: %w", d, err)
	}
	return t.AddDate(0, 0, 1), nil
}

// ShownStatus is the status a village's stage shows: late when not
// submitted and its end has passed; submittedLate when submitted after it.
func ShownStatus(status, endsOn string, submittedAt, now time.Time) (shown string, submittedLate bool) {
	end, err := EndOf(endsOn)
	if status == VillageSubmitted {
		return VillageSubmitted, err == nil && submittedAt.After(end)
	}
	if err == nil && !now.Before(end) {
		return VillageLate, false
	}
	if status == VillageInProgress {
		return VillageInProgress, false
	}
	return VillageNotStarted, false
}

// Groups splits a work item's comma-separated group codes.
func Groups(s string) []string {
	var out []string
	for _, g := range strings.Split(s, ",") {
		if g = strings.TrimSpace(g); g != "" {
			out = append(out, g)
		}
	}
	return out
}

// Counts are members per group, as a village confirms them.
type Counts map[string]int

// String writes the counts as group=count,… in the order of the codes.
func (c Counts) String() string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Itoa(c[k])
	}
	return strings.Join(parts, ",")
}

// ParseCounts reads what Counts.String wrote; malformed parts are left out.
func ParseCounts(s string) Counts {
	c := Counts{}
	for _, p := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(p, "=")
		if n, err := strconv.Atoi(v); ok && err == nil && k != "" {
			c[k] = n
		}
	}
	return c
}

// Equal reports whether two counts agree on every group of groups.
func (c Counts) Equal(o Counts, groups []string) bool {
	for _, g := range groups {
		if c[g] != o[g] {
			return false
		}
	}
	return true
}

// CheckChange refuses a change to a village's list once it is submitted:
// the town reopens it first.
func CheckChange(status string) error {
	if status == VillageSubmitted {
		return safetynet.Conflict("status", "本村名单已提交，如需修改请乡镇退回后再改", "the list is submitted: the town must reopen it before any change")
	}
	return nil
}

// CheckSubmit checks a submission: the list is not yet submitted and the
// counts the village confirms are the counts of its list now (someone
// else may have changed it meanwhile).
func CheckSubmit(status string, confirmed, actual Counts, groups []string) error {
	if status == VillageSubmitted {
		return safetynet.Conflict("status", "本村名单已提交", "the list is already submitted")
	}
	for _, g := range groups {
		if confirmed[g] != actual[g] {
			return safetynet.Conflict("counts", "确认的人数与名单不符（%s：确认 %d，名单 %d），请刷新后再确认",
				"the confirmed count does not match the list (%s: confirmed %d, listed %d): reload and confirm again", g, confirmed[g], actual[g])
		}
	}
	return nil
}

// CheckReason checks the reason for removing a member: required, at most
// 200 characters.
func CheckReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", safetynet.Invalid("reason", "请填写移出原因", "give the reason for removing the member")
	}
	if len([]rune(reason)) > 200 {
		return "", safetynet.Invalid("reason", "移出原因不能超过200字", "the reason is longer than 200 characters")
	}
	return reason, nil
}

// Age is a person's age in whole years on the local date of now, from a
// YYYY-MM-DD birth date; -1 when unknown.
func Age(birth string, now time.Time) int {
	b, err := time.Parse("2006-01-02", birth)
	if err != nil {
		return -1
	}
	n := now.In(Zone)
	age := n.Year() - b.Year()
	if n.Month() < b.Month() || (n.Month() == b.Month() && n.Day() < b.Day()) {
		age--
	}
	return age
}

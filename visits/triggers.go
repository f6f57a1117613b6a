package visits

import (
	"fmt"
	"slices"
	"time"
)

// Must-visit occasions (五必访).
const (
	TriggerClue      = "clue"      // a clue was reported about the household
	TriggerHospital  = "hospital"  // a department warned of a hospitalisation
	TriggerDeath     = "death"     // a death in the household
	TriggerWedding   = "wedding"   // a wedding in the household
	TriggerDisaster  = "disaster"  // a disaster struck the household
	TriggerScreening = "screening" // a campaign's screening found the household
)

// Triggers lists the occasions in the order of the settings form.
var Triggers = []string{TriggerClue, TriggerHospital, TriggerDeath, TriggerWedding, TriggerDisaster, TriggerScreening}

// Within is how many hours after an occasion its must-visit is due.
type Within struct {
	Trigger string `json:"trigger"`
	Hours   int    `json:"hours"`
}

// DefaultWithin are the times before a county sets its own.
var DefaultWithin = []Within{
	{TriggerClue, 48}, {TriggerHospital, 24}, {TriggerDeath, 24},
	{TriggerWedding, 168}, {TriggerDisaster, 12}, {TriggerScreening, 72},
}

// CheckWithin checks the must-visit times: known occasions, from 1 hour
// to 30 days, one each.
func CheckWithin(ws []Within) ([]Within, error) {
	seen := map[string]bool{}
	for i, w := range ws {
		field := fmt.Sprintf("within[%d]", i)
		switch {
		case !slices.Contains(Triggers, w.Trigger):
			return nil, &FieldError{field + ".trigger", "必访情形无效：" + w.Trigger, "unknown occasion " + w.Trigger}
		case w.Hours < 1 || w.Hours > 720:
			return nil, &FieldError{field + ".hours", "必访时限应在1至720小时之间", "hours must be from 1 to 720"}
		case seen[w.Trigger]:
			return nil, &FieldError{field + ".trigger", "每种情形只能设一个时限", "one time per occasion"}
		}
		seen[w.Trigger] = true
	}
	return ws, nil
}

// HoursFor returns the hours of trigger in ws, else its default.
func HoursFor(ws []Within, trigger string) int {
	for _, list := range [][]Within{ws, DefaultWithin} {
		for _, w := range list {
			if w.Trigger == trigger {
				return w.Hours
			}
		}
	}
	return 24
}

// MustVisitDue returns when a must-visit for trigger recorded at at is
// due, and the length of its step (for escalation).
func MustVisitDue(ws []Within, trigger string, at time.Time) (time.Time, time.Duration) {
	d := time.Duration(HoursFor(ws, trigger)) * time.Hour
	return at.Add(d), d
}

// TriggerOfClue returns the must-visit occasion a clue about a household
// is: a death or a disaster by its kinds, a hospitalisation when a
// department reported an illness, any other clue a clue. A clue found on
// a visit (source "visit") needs no further must-visit: the grid worker
// was there.
func TriggerOfClue(source string, kinds []string) (string, bool) {
	switch {
	case source == "visit":
		return "", false
	case slices.Contains(kinds, "death"):
		return TriggerDeath, true
	case slices.Contains(kinds, "disaster"):
		return TriggerDisaster, true
	case source == "department" && slices.Contains(kinds, "illness"):
		return TriggerHospital, true
	}
	return TriggerClue, true
}

package relay

import (
	"time"

	"safetynet"
)

// Kinds of the steps of the relay that carry a deadline.
const (
	StepAcknowledge = "clue.acknowledge"   // the village takes the clue
	StepVerify      = "clue.verify"        // the home visit
	StepHelp        = "case.help"          // from opening a case to its first help
	StepDecide      = "application.decide" // deciding an application for a measure
	StepFollowup    = "followup.visit"     // a follow-up visit
)

// ChainLevels are the levels of the response chain, from the bottom. A
// step that stays overdue goes one level up: grid → village → town →
// county.
var ChainLevels = []safetynet.Level{safetynet.LevelGrid, safetynet.LevelVillage, safetynet.LevelTown, safetynet.LevelCounty}

// NextLevel returns the level above l in the chain, and false at the top
// or for a level outside the chain.
func NextLevel(l safetynet.Level) (safetynet.Level, bool) {
	for i, x := range ChainLevels {
		if x == l && i+1 < len(ChainLevels) {
			return ChainLevels[i+1], true
		}
	}
	return l, false
}

// roleOfLevel is who answers for a step at each level of the chain.
var roleOfLevel = map[safetynet.Level]safetynet.Role{
	safetynet.LevelGrid:    safetynet.RoleGridWorker,
	safetynet.LevelVillage: safetynet.RoleVillageStaff,
	safetynet.LevelTown:    safetynet.RoleTownOfficer,
	safetynet.LevelCounty:  safetynet.RoleCountyOfficer,
}

// RoleOfLevel returns the role of the users who answer for a step owned at
// level l, and false for a level outside the chain.
func RoleOfLevel(l safetynet.Level) (safetynet.Role, bool) {
	r, ok := roleOfLevel[l]
	return r, ok
}

// OwnerLevel returns the level that owns a step meant for level start: the
// first level of the chain at or above start for which exists reports a
// place (a village without grids answers grid-level steps itself). It
// returns false when no level up to the county exists.
func OwnerLevel(start safetynet.Level, exists func(safetynet.Level) (bool, error)) (safetynet.Level, bool, error) {
	level := start
	for {
		ok, err := exists(level)
		if err != nil {
			return "", false, err
		}
		if ok {
			return level, true, nil
		}
		next, more := NextLevel(level)
		if !more {
			return "", false, nil
		}
		level = next
	}
}

// Opening is a step to open: which kind, the level meant to answer first,
// its deadline and how long each level gets when it escalates.
type Opening struct {
	Kind     string
	Level    safetynet.Level
	Due      time.Time
	Interval time.Duration
}

// limitOpening opens a step of the village whose deadline is the limit.
func limitOpening(kind string, lim safetynet.Duration, now time.Time) Opening {
	d := time.Duration(lim)
	return Opening{Kind: kind, Level: safetynet.LevelVillage, Due: now.Add(d), Interval: d}
}

// AcknowledgeStep is the step a new clue opens: the village acknowledges
// it within the acknowledge limit of its urgency.
func AcknowledgeStep(l safetynet.TimeLimits, urgency string, now time.Time) Opening {
	return limitOpening(StepAcknowledge, l.For(urgency).Acknowledge, now)
}

// VerifyStep is the step acknowledging opens: the village visits within
// the verify limit of the clue's urgency.
func VerifyStep(l safetynet.TimeLimits, urgency string, now time.Time) Opening {
	return limitOpening(StepVerify, l.For(urgency).Verify, now)
}

// HelpStep is the step opening a case opens: the village gives a first
// help within the help limit of the case's urgency.
func HelpStep(l safetynet.TimeLimits, urgency string, now time.Time) Opening {
	return limitOpening(StepHelp, l.For(urgency).Help, now)
}

// DecideStep is the step an application opens: the level that decides it
// (ApprovalLevel) has the measure's working days.
func DecideStep(m safetynet.Measure, amountFen int64, now time.Time) Opening {
	due := safetynet.AddWorkingDays(now, m.DecisionDays)
	return Opening{Kind: StepDecide, Level: ApprovalLevel(m, amountFen), Due: due, Interval: due.Sub(now)}
}

// FollowupStep is the step a scheduled follow-up visit opens: the grid
// visits by the end of the day (in now's zone); each level it escalates
// to gets one more day.
func FollowupStep(day, now time.Time) Opening {
	end := time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, now.Location())
	return Opening{Kind: StepFollowup, Level: safetynet.LevelGrid, Due: end, Interval: 24 * time.Hour}
}

// Escalation returns where an overdue step owned at level goes: the next
// level of the chain and the role of its users. A step at the county (or
// outside the chain) stays where it is: ok is false.
func Escalation(level safetynet.Level) (next safetynet.Level, role safetynet.Role, ok bool) {
	next, ok = NextLevel(level)
	if !ok {
		return level, "", false
	}
	return next, roleOfLevel[next], true
}

// DigestOver is how many steps a sweep may pass to one place before its
// users get one message saying how many rather than one per step: a
// county officer told of ninety overdue steps wants the list, not ninety
// text messages.
const DigestOver = 3

// Digest reports whether n steps passed to one place in one sweep are
// announced by a single message.
func Digest(n int) bool { return n > DigestOver }

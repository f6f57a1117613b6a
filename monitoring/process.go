package monitoring

import (
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/relay"
)

// Kind says whether a process includes a household into monitoring or
// eliminates its risk.
type Kind string

// Kinds of process.
const (
	Include   Kind = "include"   // 纳入监测
	Eliminate Kind = "eliminate" // 风险消除
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Include || k == Eliminate }

// Steps: whose turn it is in an open process.
const (
	StepReview   = "review"   // democratic review 民主评议, village
	StepNotice   = "notice"   // public notice 公示, village
	StepTown     = "town"     // town review 乡镇审核
	StepCounty   = "county"   // county confirmation 县级确认
	StepResubmit = "resubmit" // returned to the village, which corrects and resubmits
)

// Steps lists the steps in order (resubmission last: it is a detour).
var Steps = []string{StepReview, StepNotice, StepTown, StepCounty, StepResubmit}

// Statuses of a process.
const (
	StatusOpen      = "open"
	StatusConfirmed = "confirmed" // the county confirmed: the register changed
	StatusRejected  = "rejected"  // the democratic review failed or an objection was upheld
	StatusWithdrawn = "withdrawn" // the village withdrew the proposal
)

// Actions recorded on a process (its history).
const (
	ActPropose  = "propose"
	ActReview   = "review"
	ActNotice   = "notice"
	ActTown     = "town"
	ActCounty   = "county"
	ActResubmit = "resubmit"
	ActWithdraw = "withdraw"
)

// Types are the three monitored categories of the register an inclusion
// may propose (the register's category codes).
var Types = []string{safetynet.CatMonitorUnstable, safetynet.CatMonitorMarginal, safetynet.CatMonitorSudden}

// ValidType reports whether code is one of Types.
func ValidType(code string) bool {
	for _, t := range Types {
		if t == code {
			return true
		}
	}
	return false
}

// Origins say where an inclusion started.
var Origins = safetynet.Vocab{
	{Code: "clue", ZH: "线索核实", EN: "verified clue"},
	{Code: "warning", ZH: "部门预警", EN: "department warning"},
	{Code: "application", ZH: "农户自主申报", EN: "household's own application"},
	{Code: "screening", ZH: "干部排查", EN: "cadres' screening"},
	{Code: "review", ZH: "监测复核", EN: "monitoring review"},
}

// StepLevel is the level that answers a step.
func StepLevel(step string) safetynet.Level {
	switch step {
	case StepTown:
		return safetynet.LevelTown
	case StepCounty:
		return safetynet.LevelCounty
	}
	return safetynet.LevelVillage
}

// Permissions of the steps.
var stepPermission = map[string]access.Permission{
	StepReview:   access.MonitoringRecord,
	StepNotice:   access.MonitoringRecord,
	StepTown:     access.MonitoringReview,
	StepCounty:   access.MonitoringConfirm,
	StepResubmit: access.MonitoringPropose,
}

// StepPermission is the permission needed to act on step.
func StepPermission(step string) access.Permission { return stepPermission[step] }

// CanAct reports whether the actor may answer the current step of a
// process.
func CanAct(a access.Actor, status, step string) bool {
	if status != StatusOpen {
		return false
	}
	p, ok := stepPermission[step]
	return ok && a.Can(p)
}

// DeadlineKind is the kind of the relay deadline of a step.
func DeadlineKind(step string) string { return "monitoring." + step }

// DeadlineKinds are the kinds of every monitoring deadline.
func DeadlineKinds() []string {
	out := make([]string, len(Steps))
	for i, s := range Steps {
		out[i] = DeadlineKind(s)
	}
	return out
}

// Opening is the relay step a monitoring step opens: its level and the
// days the settings give it; each level it escalates to gets as long.
func Opening(step string, s Settings, now time.Time) relay.Opening {
	d := time.Duration(s.StepDays(step)) * 24 * time.Hour
	return relay.Opening{Kind: DeadlineKind(step), Level: StepLevel(step), Due: now.Add(d), Interval: d}
}

// Transition is what recording an action does to a process.
type Transition struct {
	Status string
	Step   string // the next step, "" once the process ended
}

// Next decides where a process goes after an action at its current step.
// passed is the answer of the step: the democratic review passed, the
// notice's objections were not upheld, the town passed it, the county
// confirmed it.
func Next(status, step, action string, passed bool) (Transition, error) {
	if status != StatusOpen {
		return Transition{}, safetynet.Conflict("status", "该流程已结束", "the process has ended")
	}
	if action == ActWithdraw {
		if step == StepTown || step == StepCounty {
			return Transition{}, safetynet.Conflict("step", "已报乡镇，村里不能撤回", "already with the town: the village cannot withdraw it")
		}
		return Transition{Status: StatusWithdrawn}, nil
	}
	want := map[string]string{StepReview: ActReview, StepNotice: ActNotice, StepTown: ActTown, StepCounty: ActCounty, StepResubmit: ActResubmit}[step]
	if action != want {
		return Transition{}, safetynet.Conflict("step", "当前步骤是“%[1]s”，不能办理此项", "the current step is %[2]s, not this one", stepZH[step], step)
	}
	switch step {
	case StepReview:
		if !passed {
			return Transition{Status: StatusRejected}, nil
		}
		return Transition{Status: StatusOpen, Step: StepNotice}, nil
	case StepNotice:
		if !passed {
			return Transition{Status: StatusRejected}, nil
		}
		return Transition{Status: StatusOpen, Step: StepTown}, nil
	case StepTown:
		if !passed {
			return Transition{Status: StatusOpen, Step: StepResubmit}, nil
		}
		return Transition{Status: StatusOpen, Step: StepCounty}, nil
	case StepCounty:
		if !passed {
			return Transition{Status: StatusOpen, Step: StepResubmit}, nil
		}
		return Transition{Status: StatusConfirmed}, nil
	default: // resubmit
		return Transition{Status: StatusOpen, Step: StepTown}, nil
	}
}

var stepZH = map[string]string{StepReview: "民主评议", StepNotice: "公示", StepTown: "乡镇审核", StepCounty: "县级确认", StepResubmit: "退回修改"}

// Link is the page of a process.
func Link(id int64) string { return fmt.Sprintf("/monitoring/%d", id) }

// NoticeStep is the kind of the notice that a step waits for someone.
const NoticeStep = "monitoring.step"

// NoticeFor tells the level that answers step that a process waits for it.
func NoticeFor(id int64, step string) relay.Notice {
	return relay.Notice{Kind: NoticeStep, Detail: map[string]any{"process": id, "step": step}, Link: Link(id),
		Subject: "监测流程待办理 / monitoring step to do", Body: fmt.Sprintf("监测流程 #%d 待%s", id, stepZH[step])}
}

// Formal reports whether an assignment is a monitored category given by
// the monitoring cycle (or imported, or set by hand), as opposed to the
// provisional 突发严重困难户 mark the relay sets while a case is open
// (source "case"), which ends with the case. Only a formal category
// blocks a new inclusion and can be eliminated; confirming an inclusion
// replaces a provisional mark.
func Formal(a safetynet.Assignment) bool {
	c, ok := safetynet.CategoryByCode(a.Category)
	return ok && c.Monitored && a.Active() && a.Source != "case"
}

// Provisional reports whether an assignment is the relay's provisional
// monitored mark of an open case.
func Provisional(a safetynet.Assignment) bool {
	c, ok := safetynet.CategoryByCode(a.Category)
	return ok && c.Monitored && a.Active() && a.Source == "case"
}

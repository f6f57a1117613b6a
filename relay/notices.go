package relay

import (
	"fmt"

	"safetynet"
)

// Notice is what the users answering for a step are told: an inbox row of
// Kind with Detail and Link, and a message of Subject and Body on each
// outbox channel (SMS, WeCom…).
type Notice struct {
	Kind           string
	Detail         map[string]any
	Link           string
	ClueID, CaseID int64
	Subject, Body  string
}

// Kinds of notices.
const (
	NoticeClueNew      = "clue.new"
	NoticeAcknowledged = "clue.acknowledged"
	NoticeCaseOpen     = "case.open"
	NoticeApply        = "measure.apply"
	NoticeEscalated    = "escalated"
	NoticeDigest       = "escalated.many"
)

// ClueLink and CaseLink are the pages of a clue and a case.
func ClueLink(id int64) string { return fmt.Sprintf("/clues/%d", id) }

// CaseLink is the page of a case.
func CaseLink(id int64) string { return fmt.Sprintf("/cases/%d", id) }

// WorkLink is the to-do list, where a digest points.
const WorkLink = "/work"

// NewClueNotice tells the village of a new clue.
func NewClueNotice(id int64, urgency string, detail map[string]any) Notice {
	return Notice{Kind: NoticeClueNew, Detail: detail, Link: ClueLink(id), ClueID: id,
		Subject: "新的急难线索 / new clue", Body: fmt.Sprintf("线索 #%d（%s）待响应", id, safetynet.Urgencies.Label(urgency, "zh"))}
}

// AcknowledgedNotice tells the reporter who took the clue.
func AcknowledgedNotice(id int64, by string) Notice {
	return Notice{Kind: NoticeAcknowledged, Detail: map[string]any{"by": by}, Link: ClueLink(id), ClueID: id,
		Subject: "线索已响应 / clue acknowledged", Body: fmt.Sprintf("线索 #%d 已由 %s 响应", id, by)}
}

// CaseNotices are the notices of a case opened: the village (the owner of
// its first-help step) always, and the town as well when the case is
// urgent (NotifyTownOnOpen).
func CaseNotices(id int64, urgency string, detail map[string]any) (owner Notice, town *Notice) {
	owner = Notice{Kind: NoticeCaseOpen, Detail: detail, Link: CaseLink(id), CaseID: id,
		Subject: "新立案 / case opened", Body: fmt.Sprintf("案件 #%d 已立案，待救助", id)}
	if NotifyTownOnOpen(urgency) {
		town = &Notice{Kind: NoticeCaseOpen, Detail: detail, Link: CaseLink(id), CaseID: id,
			Subject: "紧急案件 / urgent case", Body: fmt.Sprintf("紧急案件 #%d 已立案", id)}
	}
	return owner, town
}

// ApplyNotice tells the deciding level of an application.
func ApplyNotice(caseID int64, m safetynet.Measure, detail map[string]any) Notice {
	return Notice{Kind: NoticeApply, Detail: detail, Link: CaseLink(caseID), CaseID: caseID,
		Subject: "待审批的帮扶申请 / application to decide",
		Body:    fmt.Sprintf("案件 #%d 申请%s，请在%d个工作日内审批", caseID, m.ZH, m.DecisionDays)}
}

// EscalatedSubject is the subject of the messages of an escalation.
const EscalatedSubject = "超时升级 / overdue, escalated"

// EscalatedBody is the message of one step passed to place. The sweep
// moves steps in one statement, so storage fills in place (and count in
// DigestBody) with column values: both take text already written out.
func EscalatedBody(place string) string { return "事项已超时，转交" + place + "处理" }

// DigestBody is the message of count steps passed to place at once
// (Digest).
func DigestBody(count, place string) string {
	return count + " 项事项已超时，转交" + place + "处理"
}

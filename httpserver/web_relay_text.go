package httpserver

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"safetynet"
	"safetynet/campaigns"
	"safetynet/inspections"
	"safetynet/sqlstore"
)

func init() {
	vocabs["clue_kind"] = safetynet.ClueKinds
	vocabs["urgency"] = safetynet.Urgencies
	vocabs["clue_source"] = safetynet.ClueSources
	vocabs["checklist"] = safetynet.ChecklistItems
	vocabs["decision"] = safetynet.VerifyDecisions
	vocabs["outcome"] = safetynet.CaseOutcomes
}

// CanDecide reports whether the viewer decides applications of level l.
func (p *page) CanDecide(l safetynet.Level) bool { return p.User != nil && p.actor.CanDecide(l) }

// MLabel is a catalogue measure's name in the page's language.
func (p *page) MLabel(m safetynet.Measure) string { return m.Label(p.Lang) }

// MeasureName names a measure code with the catalogue.
func (p *page) MeasureName(ms map[string]safetynet.Measure, code string) string {
	if m, ok := ms[code]; ok {
		return m.Label(p.Lang)
	}
	return code
}

// Span formats a median and 90th percentile of durations.
func (p *page) Span(d sqlstore.Durations) string {
	if d.N == 0 {
		return "—"
	}
	return fmt.Sprintf("%s / %s (n=%d)", p.dur(d.Median), p.dur(d.P90), d.N)
}

func (p *page) dur(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%.1f%s", d.Hours()/24, p.T("time.days"))
	case d >= time.Hour:
		return fmt.Sprintf("%.1f%s", d.Hours(), p.T("time.hours"))
	}
	return fmt.Sprintf("%.0f%s", d.Minutes(), p.T("time.minutes"))
}

func (p *page) pick(zh, en string) string {
	if p.Lang == "zh" {
		return zh
	}
	return en
}

func detailStr(d map[string]any, k string) string { v, _ := d[k].(string); return v }

func detailNum(d map[string]any, k string) string {
	if v, ok := d[k].(float64); ok {
		return fmt.Sprint(int64(v))
	}
	return ""
}

func (p *page) list(d map[string]any, k, vocab string) string {
	items, _ := d[k].([]any)
	out := ""
	for i, it := range items {
		if i > 0 {
			out += p.pick("、", ", ")
		}
		s, _ := it.(string)
		out += p.L(vocab, s)
	}
	return out
}

// WorkEventText describes a line of a clue's or case's timeline.
func (p *page) WorkEventText(e sqlstore.WorkEvent) template.HTML {
	return markUserData(p.workEventText(e))
}

func (p *page) workEventText(e sqlstore.WorkEvent) string {
	d := e.Detail
	switch e.Kind {
	case "clue.report":
		return p.pick("上报线索：", "clue reported: ") + p.list(d, "kinds", "clue_kind") + p.pick("（", " (") + p.L("urgency", detailStr(d, "urgency")) + p.pick("，", ", ") + p.L("clue_source", detailStr(d, "source")) + p.pick("）", ")")
	case "clue.acknowledge":
		return p.pick("已响应", "acknowledged")
	case "clue.link":
		return p.pick("关联到家庭 #", "linked to household #") + detailNum(d, "household")
	case "clue.verify":
		s := p.pick("上门核实：", "verified at home: ") + p.L("decision", detailStr(d, "decision"))
		if r := p.list(d, "risks", "risk"); r != "" {
			s += p.pick("；风险：", "; risks: ") + r
		}
		if r := p.list(d, "problems", "checklist"); r != "" {
			s += p.pick("；有问题：", "; problems: ") + r
		}
		return s
	case "case.open":
		return p.pick("立案，风险：", "case opened, risks: ") + p.list(d, "risks", "risk")
	case "case.emergency":
		return p.pick("紧急救助：", "emergency help: ") + ud(detailStr(d, "description")) + " · " + ud(detailStr(d, "provider"))
	case "measure.apply":
		return p.pick("申请帮扶措施：", "applied for: ") + p.measure(detailStr(d, "measure")) + " " + p.amount(d) + p.pick("，审批层级：", ", decided at ") + p.Level(safetynet.Level(detailStr(d, "level")))
	case "measure.approved":
		return p.pick("批准：", "approved: ") + p.measure(detailStr(d, "measure")) + " " + p.amount(d)
	case "measure.rejected":
		return p.pick("不予批准：", "rejected: ") + p.measure(detailStr(d, "measure")) + " " + p.amount(d) + " · " + ud(detailStr(d, "reason"))
	case "followup.schedule":
		return p.pick("安排回访：", "follow-up scheduled: ") + detailStr(d, "due")
	case "followup.done":
		return p.pick("回访：", "followed up: ") + ud(detailStr(d, "note"))
	case "case.close":
		return p.pick("结案：", "case closed: ") + p.L("outcome", detailStr(d, "outcome")) + " " + ud(detailStr(d, "note"))
	case "case.reopen":
		return p.pick("重新办理：", "case reopened: ") + ud(detailStr(d, "reason"))
	case "escalated":
		return p.pick("超时未办，升级到", "overdue: escalated to ") + p.Level(safetynet.Level(detailStr(d, "level"))) + p.pick("（", " (") +
			p.T("step."+detailStr(d, "step")) + p.pick("）", ")")
	}
	return e.Kind
}

func (p *page) amount(d map[string]any) string {
	if v, ok := d["amount"].(float64); ok && v > 0 {
		return safetynet.FormatYuan(int64(v)) + p.T("common.yuan")
	}
	return ""
}

// NotificationText describes an inbox message.
func (p *page) NotificationText(n sqlstore.Notification) template.HTML {
	return markUserData(p.notificationText(n))
}

func (p *page) notificationText(n sqlstore.Notification) string {
	d := n.Detail
	switch n.Kind {
	case "clue.new":
		return p.pick("新线索：", "new clue: ") + ud(detailStr(d, "name")) + " · " + p.list(d, "kinds", "clue_kind") + p.pick("（", " (") + p.L("urgency", detailStr(d, "urgency")) + p.pick("）", ")")
	case "clue.acknowledged":
		return p.pick(fmt.Sprintf("您上报的线索 #%d 已由 %s 响应", n.ClueID, p.whoText(detailStr(d, "by"))), fmt.Sprintf("your clue #%d was acknowledged by %s", n.ClueID, p.whoText(detailStr(d, "by"))))
	case "case.open":
		return p.pick(fmt.Sprintf("案件 #%d 已立案，风险：", n.CaseID), fmt.Sprintf("case #%d opened, risks: ", n.CaseID)) + p.list(d, "risks", "risk")
	case "measure.apply":
		return p.pick(fmt.Sprintf("案件 #%d 有帮扶申请待您审批", n.CaseID), fmt.Sprintf("case #%d has an application for you to decide", n.CaseID))
	case campaigns.DeadlineGoal:
		return p.goalNotice(n)
	case campaigns.NoticeStageSoon, campaigns.NoticeStageLate:
		return p.enrolNotice(n)
	case inspections.NoticeRectifyRaised, inspections.NoticeRectifyReported, inspections.NoticeRectifyReopened:
		return p.RectifyNotice(n)
	case "escalated":
		what := p.T("step." + detailStr(d, "step"))
		if strings.HasPrefix(detailStr(d, "step"), "inspection.") {
			return p.RectifyNotice(n)
		}
		if strings.HasPrefix(detailStr(d, "step"), "campaign.") {
			return p.pick("超时升级：专项行动 "+what, "overdue, now yours: campaign, "+what)
		}
		if strings.HasPrefix(detailStr(d, "step"), "monitoring.") {
			return p.pick("超时升级：监测流程 #"+detailNum(d, "item")+" "+what, "overdue, now yours: monitoring process #"+detailNum(d, "item")+", "+what)
		}
		if n.CaseID != 0 {
			return p.pick(fmt.Sprintf("超时升级：案件 #%d %s", n.CaseID, what), fmt.Sprintf("overdue, now yours: case #%d, %s", n.CaseID, what))
		}
		return p.pick(fmt.Sprintf("超时升级：线索 #%d %s", n.ClueID, what), fmt.Sprintf("overdue, now yours: clue #%d, %s", n.ClueID, what))
	case "monitoring.step":
		return p.pick("监测流程 #"+detailNum(d, "process")+" ", "monitoring process #"+detailNum(d, "process")+" ") + p.T("step.monitoring."+detailStr(d, "step"))
	case sqlstore.NoticePactMissed:
		return p.pactNotice(d)
	case "volunteer.reminder", "volunteer.empty":
		return p.volunteerNotice(n)
	case "escalated.many":
		count := 0
		if v, ok := d["count"].(float64); ok {
			count = int(v)
		}
		return p.pick(fmt.Sprintf("超时升级：%d 项事项转由您（%s）处理，请查看待办", count, p.Level(safetynet.Level(detailStr(d, "level")))),
			fmt.Sprintf("overdue, now yours: %d items escalated to you (%s); see your to-do list", count, p.Level(safetynet.Level(detailStr(d, "level")))))
	}
	return n.Kind
}

// User data inside a generated sentence is fenced with two private-use
// characters, escaped with the sentence, then marked up: names and notes
// keep their language without the sentence losing its escaping.
const udOpen, udClose = "\ue000", "\ue001"

func ud(s string) string {
	if s == "" {
		return ""
	}
	return udOpen + strings.NewReplacer(udOpen, "", udClose, "").Replace(s) + udClose
}

func markUserData(s string) template.HTML {
	e := template.HTMLEscapeString(s)
	return template.HTML(strings.NewReplacer(udOpen, "<span data-user>", udClose, "</span>").Replace(e))
}

// measure names a measure code by the catalogue.
func (p *page) measure(code string) string {
	if p.measures != nil {
		if m, ok := p.measures()[code]; ok {
			return m.Label(p.Lang)
		}
	}
	return code
}

// whoText is Who inside a generated sentence.
func (p *page) whoText(username string) string {
	switch username {
	case "":
		return ""
	case "system", "cli":
		return p.T("common.system")
	}
	if p.names != nil {
		if _, ok := p.names.seen[username]; !ok {
			p.names.seen[username] = p.names.lookup(username)
		}
		if n := p.names.seen[username]; n != "" {
			return ud(n)
		}
	}
	return ud(username)
}

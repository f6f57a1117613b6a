package httpserver

import (
	"strings"

	"safetynet"
	"safetynet/inspections"
	"safetynet/sqlstore"
)

func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "rectify.raise", ZH: "提出督查整改事项", EN: "rectification raised"},
		safetynet.Option{Code: "rectify.report", ZH: "报送整改情况", EN: "rectification reported"},
		safetynet.Option{Code: "rectify.accept", ZH: "整改验收通过", EN: "rectification accepted"},
		safetynet.Option{Code: "rectify.reopen", ZH: "整改退回重改", EN: "rectification reopened"})
	auditObjects["rectification"] = struct{ zh, en, path string }{"整改事项", "rectification", "/rectifications/"}
	idKeys["inspection"] = true
	for k, v := range map[string][2]string{"rectify_item": {"检查项", "item"}, "finding": {"发现的问题", "finding"},
		"due_on": {"整改期限", "due"}, "report": {"整改情况", "report"}, "reason": {"退回理由", "reason"}, "inspection": {"督查", "inspection"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
}

// rectifyDetailValue names the codes of rectification audit details.
func (p *page) rectifyDetailValue(key, v string) (string, bool) {
	if key == "rectify_item" {
		return inspections.RectifyItemLabel(v, p.Lang), true
	}
	return "", false
}

// RectItem names a rectification's item (a checklist item or a village
// finding) in the page's language.
func (p *page) RectItem(item string) string { return inspections.RectifyItemLabel(item, p.Lang) }

// RectifyNotice describes a rectification's inbox message, and the
// escalation of its deadline (kind "escalated", step inspection.rectify).
func (p *page) RectifyNotice(n sqlstore.Notification) string {
	d := n.Detail
	id := detailNum(d, "rectification")
	if id == "" {
		id = detailNum(d, "item")
	}
	switch n.Kind {
	case inspections.NoticeRectifyRaised:
		return p.pick("督查发现问题需整改：整改事项 #"+id+"（"+ud(detailStr(d, "village"))+"），期限 "+detailStr(d, "due_on"),
			"inspection finding to put right: rectification #"+id+" ("+ud(detailStr(d, "village"))+"), due "+detailStr(d, "due_on"))
	case inspections.NoticeRectifyReported:
		return p.pick("整改事项 #"+id+"（"+ud(detailStr(d, "village"))+"）已报整改情况，请验收",
			"rectification #"+id+" ("+ud(detailStr(d, "village"))+") reported: please review it")
	case inspections.NoticeRectifyReopened:
		return p.pick("整改事项 #"+id+"（"+ud(detailStr(d, "village"))+"）未通过验收，请于 "+detailStr(d, "due_on")+" 前重新整改",
			"rectification #"+id+" ("+ud(detailStr(d, "village"))+") sent back: put it right by "+detailStr(d, "due_on"))
	}
	if strings.HasPrefix(detailStr(d, "step"), "inspection.") {
		return p.pick("超时升级：督查整改事项 #"+id+" 逾期未整改", "overdue, now yours: rectification #"+id+" not put right")
	}
	return n.Kind
}

package httpserver

import "safetynet"

func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "monitoring.propose", ZH: "提出纳入监测或风险消除", EN: "monitoring proposed"},
		safetynet.Option{Code: "monitoring.step", ZH: "办理监测流程", EN: "monitoring step recorded"},
		safetynet.Option{Code: "monitoring.assessment", ZH: "记录监测收入复核", EN: "monitoring income review"},
		safetynet.Option{Code: "settings.monitoring", ZH: "修改监测设置", EN: "monitoring settings changed"})
	auditObjects["monitoring"] = struct{ zh, en, path string }{"监测流程", "monitoring process", "/monitoring/"}
	for k, v := range map[string][2]string{"on": {"日期", "date"}, "per_capita_fen": {"人均收入", "income per person"},
		"passed": {"通过", "passed"}, "monitoring_step": {"步骤", "step"}, "monitoring_origin": {"发现途径", "found through"},
		"process": {"监测流程", "process"}, "monitoring_kind": {"事项", "matter"}, "monitoring_status": {"结果", "result"},
		"monitoring_next": {"下一步", "next step"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
	idKeys["process"] = true
	assignmentSources["monitoring"] = [2]string{"监测流程", "a monitoring process"}
}

// monitoringEventText describes the household timeline's monitoring
// events.
func (p *page) monitoringEventText(kind string, d map[string]any) (string, bool) {
	str := func(k string) string { v, _ := d[k].(string); return v }
	id := detailNum(d, "process")
	switch kind {
	case "monitoring.include", "monitoring.eliminate":
		return p.pick("提出", "proposed: ") + p.T("monitoring.kind."+kind[len("monitoring."):]) + p.pick("（", " (") +
			p.Cat(str("category")) + p.pick("），流程 #", "), process #") + id, true
	case "monitoring.step":
		s := p.pick("监测流程 #"+id+" ", "monitoring process #"+id+": ") + p.T("monitoring.act."+str("monitoring_step"))
		if next := str("monitoring_next"); next != "" {
			return s + p.pick(" → ", " → ") + p.T("monitoring.step."+next), true
		}
		return s + p.pick(" → ", " → ") + p.T("monitoring.status."+str("monitoring_status")), true
	case "monitoring.assessment":
		pc := int64(0)
		if v, ok := d["per_capita_fen"].(float64); ok {
			pc = int64(v)
		}
		return p.pick("监测收入复核：人均 ", "income review: per person ") + safetynet.FormatYuan(pc) + p.T("common.yuan") + " · " + str("on"), true
	}
	return "", false
}

// monitoringDetailValue names the codes of monitoring audit details.
func (p *page) monitoringDetailValue(key, v string) (string, bool) {
	switch key {
	case "monitoring_step", "monitoring_next":
		if v == "" {
			return "", true
		}
		return p.T("monitoring.step." + v), true
	case "monitoring_status":
		return p.T("monitoring.status." + v), true
	case "monitoring_kind":
		return p.T("monitoring.kind." + v), true
	case "monitoring_origin":
		return p.L("monitoring_origin", v), true
	}
	return "", false
}

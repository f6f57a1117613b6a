package httpserver

import "safetynet"

func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "settings.visits", ZH: "修改走访计划", EN: "visit plan changed"},
		safetynet.Option{Code: "visits.mark", ZH: "标为重点家庭", EN: "marked as key family"},
		safetynet.Option{Code: "visits.unmark", ZH: "取消重点家庭", EN: "key family unmarked"},
		safetynet.Option{Code: "visits.pair", ZH: "安排包户走访", EN: "visitor paired"},
		safetynet.Option{Code: "visits.unpair", ZH: "移除包户走访", EN: "visitor removed"},
		safetynet.Option{Code: "visits.must", ZH: "登记必访情形", EN: "must-visit occasion recorded"})
	for k, v := range map[string][2]string{"pair": {"包户关系", "visit pair"}, "version": {"版本", "version"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
	idKeys["pair"] = true
}

// visitsEventText describes the household timeline's visit events.
func (p *page) visitsEventText(kind string, d map[string]any) (string, bool) {
	str := func(k string) string { v, _ := d[k].(string); return v }
	switch kind {
	case "visit":
		return p.T("visits.kind."+str("kind")) + p.pick("走访：", " visit: ") + p.T(map[string]string{"fine": "visits.fine",
			"not_fine": "visits.not_fine"}[str("result")]), true
	case "visits.mark":
		return p.T("visits.mark"), true
	case "visits.unmark":
		return p.T("visits.unmark"), true
	case "visits.must":
		return p.T("visits.must") + p.T("common.colon") + p.T("visits.trigger."+str("trigger")), true
	}
	return "", false
}

package httpserver

import "safetynet"

// The audit log's names for verification and settlement.
func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "service.review", ZH: "核验服务", EN: "service reviewed"},
		safetynet.Option{Code: "service.sample", ZH: "抽取核验样本", EN: "verification sample drawn"},
		safetynet.Option{Code: "settlement.approve", ZH: "批准月度结算（关账）", EN: "monthly settlement approved (month closed)"},
		safetynet.Option{Code: "settlement.adjust", ZH: "录入结算调整", EN: "settlement adjustment entered"})
	auditObjects["service_record"] = struct{ zh, en, path string }{"服务记录", "service record", "/verification/"}
	auditObjects["service_sample"] = struct{ zh, en, path string }{"核验样本", "verification sample", "/verification?sample="}
	auditObjects["settlement"] = struct{ zh, en, path string }{"月度结算", "monthly settlement", "/settlements/"}
	for k, v := range map[string][2]string{"service_decision": {"核验结论", "decision"}, "month": {"月份", "month"},
		"percent": {"抽查比例（%）", "sample (%)"}, "seed": {"随机种子", "seed"}, "pool": {"待核验服务", "pending services"},
		"drawn": {"抽取", "drawn"}, "total_fen": {"结算总额", "total"}, "accepted": {"通过", "accepted"}, "rejected": {"不通过", "rejected"},
		"about_month": {"更正月份", "corrects"}, "amount_fen": {"金额", "amount"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
}

// settlementDetailValue names the codes of verification audit details.
func (p *page) settlementDetailValue(key, v string) (string, bool) {
	if key == "service_decision" {
		return p.T("settlement.status." + v), true
	}
	return "", false
}

package httpserver

import (
	"safetynet"
	"safetynet/campaigns"
)

// The names of concentrated screening's audit entries and the
// vocabularies its form lists.
func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "screening.record", ZH: "登记集中排查", EN: "household screened"},
		safetynet.Option{Code: "screening.correct", ZH: "修改集中排查记录", EN: "screening corrected"},
		safetynet.Option{Code: "screening.handover", ZH: "排查户转入纳入监测流程", EN: "screened household handed to inclusion"})
	auditObjects["screening"] = struct{ zh, en, path string }{"排查记录", "screening record", ""}
	for k, v := range map[string][2]string{"campaign_id": {"专项行动", "campaign"}, "suggests": {"提示纳入监测", "suggests monitoring"},
		"started": {"新发起流程", "new process started"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
	idKeys["campaign_id"] = true
	vocabs["screening_income"] = campaigns.IncomeSources
	vocabs["screening_expense"] = campaigns.RigidExpenses
	vocabs["screening_finding"] = campaigns.Findings
}

package httpserver

import (
	"safetynet"
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "enrol.add", ZH: "登记造册：登记人员", EN: "survey and register: person listed"},
		safetynet.Option{Code: "enrol.remove", ZH: "登记造册：移出人员", EN: "survey and register: person removed"},
		safetynet.Option{Code: "enrol.submit", ZH: "登记造册：提交名单", EN: "survey and register: list submitted"},
		safetynet.Option{Code: "enrol.reopen", ZH: "登记造册：退回修改", EN: "survey and register: list reopened"})
	auditObjects["campaign_enrol"] = struct{ zh, en, path string }{"登记造册名单", "survey-and-register list", "/campaigns/"}
	vocabs["village_status"] = campaigns.VillageStatuses
	for k, v := range map[string][2]string{"group": {"对象类别", "group"}, "person": {"人员", "person"}, "category_added": {"台账新增类别", "category added to the register"},
		"counts": {"确认人数", "confirmed counts"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
}

// campaignsCat names a category code in lang.
func campaignsCat(code, lang string) string { return safetynet.CategoryLabel(code, lang) }

// enrolNotice is the inbox's line of a register-stage reminder: to a
// village, its list is due soon or late; to a lead unit's members, how many
// villages are late.
func (p *page) enrolNotice(n sqlstore.Notification) string {
	d := n.Detail
	if n.Kind == campaigns.NoticeStageSoon {
		return p.pick("专项行动登记造册将于 "+detailStr(d, "ends")+" 截止，本村尚未提交", "campaign survey-and-register list due "+detailStr(d, "ends")+"; not yet submitted")
	}
	if c := detailNum(d, "count"); c != "" {
		return p.pick("专项行动登记造册："+c+" 个村逾期未提交", "campaign survey-and-register: "+c+" villages late")
	}
	return p.pick("专项行动登记造册已逾期（截止 "+detailStr(d, "ends")+"），请尽快提交", "campaign survey-and-register list late (due "+detailStr(d, "ends")+"): please submit")
}

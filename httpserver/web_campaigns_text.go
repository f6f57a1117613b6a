package httpserver

import (
	"safetynet"
	"safetynet/campaigns"
)

// The audit log's names of the campaigns capability's entries.
func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "campaign.create", ZH: "新建专项行动", EN: "campaign created"},
		safetynet.Option{Code: "campaign.update", ZH: "修改专项行动", EN: "campaign changed"},
		safetynet.Option{Code: "campaign.start", ZH: "启动专项行动", EN: "campaign started"},
		safetynet.Option{Code: "campaign.end", ZH: "结束专项行动", EN: "campaign ended"},
		safetynet.Option{Code: "campaign.activity", ZH: "登记专项行动活动", EN: "campaign activity recorded"},
		safetynet.Option{Code: "org_unit.create", ZH: "新建站所", EN: "unit created"},
		safetynet.Option{Code: "org_unit.update", ZH: "修改站所", EN: "unit changed"})
	auditObjects["campaign"] = struct{ zh, en, path string }{"专项行动", "campaign", "/campaigns/"}
	auditObjects["campaign_activity"] = struct{ zh, en, path string }{"专项行动活动", "campaign activity", ""}
	auditObjects["org_unit"] = struct{ zh, en, path string }{"站所", "unit", "/org-units?edit="}
	for k, v := range map[string][2]string{"campaign_kind": {"行动类型", "kind"}, "campaign_status": {"状态", "status"},
		"items": {"工作内容数", "work items"}, "goals": {"目标数", "goals"}, "stages": {"阶段数", "stages"}, "villages": {"实施村数", "villages"},
		"copied_from": {"复制自", "copied from"}, "campaign_id": {"专项行动", "campaign"}, "item_id": {"工作内容", "work item"},
		"held_on": {"活动日期", "date"}, "participants": {"参与人次", "participants"}, "photo": {"照片", "photo"},
		"active": {"在用", "active"}, "title": {"名称", "title"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
	for _, k := range []string{"campaign_id", "item_id", "copied_from"} {
		idKeys[k] = true
	}
}

// campaignsDetailValue names the codes of campaigns audit details.
func (p *page) campaignsDetailValue(key, v string) (string, bool) {
	switch key {
	case "campaign_kind":
		return campaigns.Kinds.Label(v, p.Lang), true
	case "campaign_status":
		return campaigns.Statuses.Label(v, p.Lang), true
	}
	return "", false
}

package httpserver

import "safetynet"

// The audit log's words for unannounced inspections. Their entries show
// only to the inspectors until the inspection starts (sqlstore's
// inspectionAuditHidden).
func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "inspection.create", ZH: "新建督查", EN: "inspection created"},
		safetynet.Option{Code: "inspection.draw", ZH: "督查抽样", EN: "inspection sample drawn"},
		safetynet.Option{Code: "inspection.start", ZH: "督查开始", EN: "inspection started"},
		safetynet.Option{Code: "inspection.check", ZH: "督查入户检查", EN: "household checked"},
		safetynet.Option{Code: "inspection.close", ZH: "督查结束", EN: "inspection closed"})
	auditObjects["inspection"] = struct{ zh, en, path string }{"督查", "inspection", "/inspections/"}
	for k, v := range map[string][2]string{"seed": {"随机种子", "seed"}, "digest": {"候选名单指纹", "candidates' digest"},
		"villages": {"村数", "villages"}, "inspectors": {"检查人数", "inspectors"}, "checked": {"已检查", "checked"},
		"not_found": {"未找到", "not found"}, "sample_id": {"抽查农户", "sampled household"}, "found": {"找到该户", "household found"},
		"photos": {"照片数", "photos"}, "campaign_id": {"专项行动", "campaign"}, "key_share_pct": {"重点户占比（%）", "key households (%)"},
		"title": {"标题", "title"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
	idKeys["sample_id"], idKeys["campaign_id"] = true, true
}

package httpserver

import (
	"safetynet"
	"safetynet/services"
)

// The audit log's names of the services capability's entries.
func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "service.org.create", ZH: "登记服务机构", EN: "service organisation registered"},
		safetynet.Option{Code: "service.contract.create", ZH: "登记服务合同", EN: "service contract registered"},
		safetynet.Option{Code: "service.coverage.add", ZH: "扩大合同服务范围", EN: "contract coverage added"},
		safetynet.Option{Code: "service.worker.add", ZH: "添加服务人员", EN: "service worker added"},
		safetynet.Option{Code: "service.plan.create", ZH: "制定服务计划", EN: "service plan made"},
		safetynet.Option{Code: "service.team.add", ZH: "添加帮扶团队成员", EN: "team member added"},
		safetynet.Option{Code: "service.code.issue", ZH: "发放服务确认码", EN: "confirmation code issued"},
		safetynet.Option{Code: "service.record", ZH: "登记服务", EN: "service recorded"})
	auditObjects["service_org"] = struct{ zh, en, path string }{"服务机构", "service organisation", "/services/orgs/"}
	auditObjects["service_contract"] = struct{ zh, en, path string }{"服务合同", "service contract", ""}
	auditObjects["service_record"] = struct{ zh, en, path string }{"服务记录", "service record", "/services/records/"}
	for k, v := range map[string][2]string{"service_type": {"服务类型", "service"}, "worker_id": {"服务人员", "worker"},
		"plan_id": {"服务计划", "plan"}, "frequency": {"频次", "frequency"}, "org_id": {"服务机构", "organisation"},
		"title": {"名称", "title"}, "budget_fen": {"预算", "budget"}, "team_role": {"团队角色", "team role"},
		"worker_kind": {"人员类别", "kind of worker"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
	for _, k := range []string{"worker_id", "plan_id", "org_id"} {
		idKeys[k] = true
	}
}

// servicesDetailValue names the codes of services audit details.
func (p *page) servicesDetailValue(key, v string) (string, bool) {
	switch key {
	case "service_type":
		return services.Type(v).Name(p.Lang), true
	case "frequency":
		return services.Frequency(v).Name(p.Lang), true
	case "team_role":
		return services.TeamRole(v).Name(p.Lang), true
	case "worker_kind":
		return services.WorkerKind(v).Name(p.Lang), true
	}
	return "", false
}

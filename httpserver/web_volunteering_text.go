package httpserver

import "safetynet"

// The audit log's words for volunteer relays.
func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "volunteer.relay.create", ZH: "发起接龙", EN: "relay opened"},
		safetynet.Option{Code: "volunteer.relay.close", ZH: "结束接龙", EN: "relay closed"},
		safetynet.Option{Code: "volunteer.relay.link", ZH: "生成接龙报名链接", EN: "relay sign-up link made"},
		safetynet.Option{Code: "volunteer.signup", ZH: "邻居报名接龙", EN: "neighbour signed up"},
		safetynet.Option{Code: "volunteer.take", ZH: "认领时段", EN: "slot taken"},
		safetynet.Option{Code: "volunteer.release", ZH: "退回时段", EN: "slot given back"},
		safetynet.Option{Code: "volunteer.done", ZH: "完成时段", EN: "slot done"},
		safetynet.Option{Code: "volunteer.team.create", ZH: "新建志愿队伍", EN: "volunteer team created"},
		safetynet.Option{Code: "volunteer.team.member", ZH: "调整志愿队员", EN: "volunteer team member changed"})
	auditObjects["volunteer_relay"] = struct{ zh, en, path string }{"接龙", "relay", "/volunteering/relays/"}
	auditObjects["volunteer_slot"] = struct{ zh, en, path string }{"接龙时段", "relay slot", ""}
	auditObjects["volunteer"] = struct{ zh, en, path string }{"志愿者", "volunteer", ""}
	auditObjects["volunteer_team"] = struct{ zh, en, path string }{"志愿队伍", "volunteer team", ""}
	for k, v := range map[string][2]string{"relay_id": {"接龙", "relay"}, "volunteer_id": {"志愿者", "volunteer"}, "slots": {"时段数", "slots"},
		"tasks": {"任务数", "tasks"}, "title": {"标题", "title"}, "in": {"加入", "joined"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
	idKeys["relay_id"], idKeys["volunteer_id"] = true, true
}

package i18n

func init() { add(relayZH, relayEN) }

var relayZH = map[string]string{
	"report.title": "上报急难线索", "report.nav": "上报线索", "report.who": "谁遇到了困难", "report.filter": "输入姓名或地址筛选",
	"report.many": "家庭较多，请先在台账中查找，再从家庭页面上报。", "report.unregistered": "未登记的人员",
	"report.what": "发生了什么（可多选）", "report.urgency": "紧急程度", "report.source": "线索来源", "report.note": "简要说明",
	"report.photo": "照片（可选）", "report.submit": "上报", "report.offline": "当前没有网络：上报内容已保存在手机上，联网后会自动发送。",
	"report.offline_ok": "没有信号也可以上报：内容会先保存在手机上，联网后自动发送，不会重复。", "report.queued": "待发送",
	"report.waiting": "等待联网发送", "report.sent": "已送达，线索", "report.sent_list": "刚刚送达", "report.remove": "删除",
	"report.login_again": "登录已过期：请重新登录，待发送的线索会在登录后自动发送。", "report.need_kinds": "请勾选发生了什么",
	"report.need_who": "请选择家庭，或填写未登记人员的姓名",

	"work.title": "待办", "work.mine": "我的待办", "work.overdue": "逾期", "work.all": "全部在办", "work.clues": "线索",
	"work.count": "共", "work.empty": "没有待办事项", "work.escalated": "已升级到",

	"step.clue.acknowledge": "待响应", "step.clue.verify": "待上门核实", "step.case.help": "待救助",
	"step.application.decide": "待审批", "step.followup.visit": "待回访",
	"time.days": "天", "time.hours": "小时", "time.minutes": "分钟", "time.late": "已超时", "time.left": "剩余",

	"clue.title": "线索", "clue.source": "来源", "clue.reported_at": "发现时间", "clue.received": "收到",
	"clue.acknowledged": "响应", "clue.verified": "核实", "clue.acknowledge": "响应（我来处理）", "clue.verify": "上门核实",
	"clue.checklist": "两不愁三保障及饮水、收入、劳动力", "clue.risks": "风险类型", "clue.decision": "核实结论",
	"clue.verify_submit": "提交核实结果", "clue.visit": "核实记录", "clue.unregistered": "该人员尚未登记，立案前请先登记家庭：",
	"clue.link_household": "或填写已登记的家庭编号", "clue.link": "关联",
	"clue.status.reported": "待响应", "clue.status.acknowledged": "已响应，待核实", "clue.status.closed": "已核实，无需帮扶",
	"clue.status.case": "已立案",
	"check.ok":         "正常", "check.problem": "有问题", "check.na": "不适用",

	"case.title": "案件", "case.open": "办理中", "case.closed": "已结案", "case.opened": "立案", "case.first_help": "首次救助",
	"case.measures": "救助与帮扶措施", "case.emergency": "紧急救助", "case.no_measures": "尚无措施", "case.add_emergency": "记录紧急救助",
	"case.what": "采取的措施", "case.provider": "由谁", "case.cost": "费用（元）", "case.apply": "申请帮扶措施", "case.measure": "措施",
	"case.amount": "金额（元）", "case.period_start": "开始日期", "case.period_end": "结束日期", "case.apply_submit": "提交申请",
	"case.approve": "批准", "case.reject": "不予批准", "case.reason": "理由", "case.followups": "跟踪回访", "case.visited": "已回访",
	"case.to_visit": "待回访", "case.visit_note": "回访情况", "case.next_visit": "下次回访", "case.record_visit": "记录回访",
	"case.visit_date": "回访日期", "case.schedule": "安排回访", "case.close": "结案", "case.outcome": "结案结果",
	"case.close_confirm": "确定结案吗？风险消除时，家庭的风险标注将同时结束。", "case.reopen": "重新办理",
	"measure.status.done": "已完成", "measure.status.applied": "审批中", "measure.status.approved": "已批准",
	"measure.status.rejected": "未批准", "measure.status.withdrawn": "已撤回",

	"household.help": "救助帮扶", "household.in_force": "正在享受的帮扶措施", "household.cases": "案件", "household.clues": "急难线索",
	"household.open_case": "直接立案",

	"inbox.title": "消息", "inbox.empty": "没有消息", "inbox.read_all": "全部标为已读",

	"figures.title": "统计", "figures.open": "在办事项", "figures.overdue": "逾期事项", "figures.current": "本期", "figures.previous": "上期",
	"figures.clues": "线索", "figures.cases": "立案", "figures.helped": "主动发现并帮扶的家庭", "figures.eliminated": "风险消除",
	"figures.to_ack": "上报到响应（中位数 / 90%）", "figures.to_verify": "上报到核实", "figures.to_help": "上报到首次救助",
	"figures.to_close": "上报到结案", "figures.by_place": "各下级地区",
	"figures.help": "统计本期收到的线索；上期为紧接本期之前、长度相同的一段时间。主动发现指网格员上报、走访和部门推送的线索。",

	"settings.title": "设置", "settings.limits": "办结时限", "settings.followup_days": "回访间隔（天）",
	"settings.limits_help": "超过时限的事项会自动升级到上一级（网格→村→乡镇→县），并通知该级工作人员；新时限只适用于之后产生的事项。",
	"settings.measures":    "帮扶措施目录", "settings.zh": "中文名称", "settings.en": "英文名称", "settings.level": "审批层级",
	"settings.county_above": "超过此金额由县级审批（元）", "settings.decision_days": "审批时限（工作日）", "settings.working_days": "个工作日",

	"flash.reported": "线索已上报", "flash.acknowledged": "已响应", "flash.verified": "核实结果已保存", "flash.case_opened": "已立案",
	"flash.applied": "申请已提交", "flash.decided": "审批已保存", "flash.case_closed": "已结案",
}

var relayEN = map[string]string{
	"report.title": "Report a hardship clue", "report.nav": "Report", "report.who": "Who is in difficulty", "report.filter": "Filter by name or address",
	"report.many": "Too many households to list: find the household in the register and report from its page.", "report.unregistered": "Someone not registered",
	"report.what": "What happened (tick all that apply)", "report.urgency": "Urgency", "report.source": "Source", "report.note": "Note",
	"report.photo": "Photo (optional)", "report.submit": "Report", "report.offline": "No connection: the report is kept on this phone and sent when the connection returns.",
	"report.offline_ok": "Works with no signal: reports are kept on the phone and sent when the connection returns, never twice.", "report.queued": "Waiting to be sent",
	"report.waiting": "waiting for a connection", "report.sent": "Sent, clue", "report.sent_list": "Just sent", "report.remove": "Remove",
	"report.login_again": "Your login has expired: log in again and waiting reports will be sent.", "report.need_kinds": "Tick what happened",
	"report.need_who": "Choose a household, or give the name of someone not registered",

	"work.title": "To do", "work.mine": "Mine", "work.overdue": "Overdue", "work.all": "All open", "work.clues": "Clues",
	"work.count": "Total", "work.empty": "Nothing to do", "work.escalated": "escalated to",

	"step.clue.acknowledge": "to acknowledge", "step.clue.verify": "to verify at home", "step.case.help": "to help",
	"step.application.decide": "to decide", "step.followup.visit": "to follow up",
	"time.days": " d", "time.hours": " h", "time.minutes": " min", "time.late": "late by ", "time.left": "due in ",

	"clue.title": "Clue", "clue.source": "Source", "clue.reported_at": "Seen", "clue.received": "received",
	"clue.acknowledged": "Acknowledged", "clue.verified": "Verified", "clue.acknowledge": "Acknowledge (I take it)", "clue.verify": "Home visit",
	"clue.checklist": "Food, clothing, schooling, medical care, housing, water, income, labour", "clue.risks": "Risk types", "clue.decision": "Decision",
	"clue.verify_submit": "Save the visit", "clue.visit": "Visit", "clue.unregistered": "This person is not registered: register the household before opening a case:",
	"clue.link_household": "or give the number of a registered household", "clue.link": "Link",
	"clue.status.reported": "to acknowledge", "clue.status.acknowledged": "acknowledged, to verify", "clue.status.closed": "verified, no action",
	"clue.status.case": "case opened",
	"check.ok":         "ok", "check.problem": "problem", "check.na": "n/a",

	"case.title": "Case", "case.open": "open", "case.closed": "closed", "case.opened": "Opened", "case.first_help": "First help",
	"case.measures": "Help and measures", "case.emergency": "emergency", "case.no_measures": "No measures yet", "case.add_emergency": "Record emergency help",
	"case.what": "What was done", "case.provider": "By whom", "case.cost": "Cost (yuan)", "case.apply": "Apply for a measure", "case.measure": "Measure",
	"case.amount": "Amount (yuan)", "case.period_start": "From", "case.period_end": "Until", "case.apply_submit": "Apply",
	"case.approve": "Approve", "case.reject": "Reject", "case.reason": "Reason", "case.followups": "Follow-up visits", "case.visited": "visited",
	"case.to_visit": "to visit", "case.visit_note": "How it went", "case.next_visit": "Next visit", "case.record_visit": "Record visit",
	"case.visit_date": "Visit on", "case.schedule": "Schedule", "case.close": "Close case", "case.outcome": "Outcome",
	"case.close_confirm": "Close the case? With risk eliminated, the household's risk labels end too.", "case.reopen": "Reopen",
	"measure.status.done": "done", "measure.status.applied": "to decide", "measure.status.approved": "approved",
	"measure.status.rejected": "rejected", "measure.status.withdrawn": "withdrawn",

	"household.help": "Assistance", "household.in_force": "Measures in force", "household.cases": "Cases", "household.clues": "Hardship clues",
	"household.open_case": "Open a case",

	"inbox.title": "Inbox", "inbox.empty": "No messages", "inbox.read_all": "Mark all read",

	"figures.title": "Figures", "figures.open": "Open items", "figures.overdue": "Overdue items", "figures.current": "This period", "figures.previous": "Previous period",
	"figures.clues": "Clues", "figures.cases": "Cases", "figures.helped": "Households helped through active discovery", "figures.eliminated": "Risk eliminated",
	"figures.to_ack": "Report to acknowledgement (median / 90%)", "figures.to_verify": "Report to verification", "figures.to_help": "Report to first help",
	"figures.to_close": "Report to closure", "figures.by_place": "By place below",
	"figures.help": "Counts the clues received in the period; the previous period is as long and ends where this one starts. Active discovery means clues from grid workers, visits and departments.",

	"settings.title": "Settings", "settings.limits": "Time limits", "settings.followup_days": "Follow-up interval (days)",
	"settings.limits_help": "An item past its limit moves one level up (grid → village → town → county) and that level is told; new limits apply to new items.",
	"settings.measures":    "Measure catalogue", "settings.zh": "Chinese name", "settings.en": "English name", "settings.level": "Decided at",
	"settings.county_above": "County decides above (yuan)", "settings.decision_days": "Time to decide (working days)", "settings.working_days": " working days",

	"flash.reported": "Clue reported", "flash.acknowledged": "Acknowledged", "flash.verified": "Visit saved", "flash.case_opened": "Case opened",
	"flash.applied": "Application made", "flash.decided": "Decision saved", "flash.case_closed": "Case closed",
}

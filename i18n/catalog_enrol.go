package i18n

func init() { add(enrolZH, enrolEN) }

// The survey-and-register stage (登记造册) and the campaign progress page.
var enrolZH = map[string]string{
	"enrol.title": "登记造册", "enrol.progress": "登记造册进度", "enrol.help": "按工作对象逐类登记本村人员：系统列出户籍台账中已有该类别的人员供确认，也可按姓名查找；新登记的人员会同时在台账中加上该类别。核对人数后提交，提交后如需修改须由乡镇退回。",
	"enrol.items": "对应工作：", "enrol.years": "岁", "enrol.none": "尚未登记。", "enrol.proposals": "台账中已有该类别、尚未登记的人员",
	"enrol.add": "登记", "enrol.remove": "移出", "enrol.remove_submit": "确认移出", "enrol.reason": "原因",
	"enrol.search": "按姓名或住址查找本村人员", "enrol.search_hint": "如：张", "enrol.search_submit": "查找",
	"enrol.will_assign": "将在台账中加上类别：", "enrol.submit_title": "核对人数并提交", "enrol.confirm": "我已核对以上各类人数无误",
	"enrol.submit": "提交登记名单", "enrol.submitted_by": "已提交：", "enrol.frozen": "名单已锁定，如需修改请联系乡镇退回",
	"enrol.reopened_by": "乡镇已退回修改：", "enrol.reopen": "退回村里修改", "enrol.reopen_submit": "退回",
	"enrol.submitted_late": "逾期提交", "enrol.all": "全部", "enrol.ends": "截止", "enrol.open_list": "查看本村登记名单",
	"enrol.villages": "实施村数", "enrol.members": "各类登记人数", "enrol.total": "合计", "enrol.of_late": "其中逾期",
	"enrol.villages_with": "村（社区）：",
	"enrol.added":         "已登记。", "enrol.removed": "已移出。", "enrol.submitted": "登记名单已提交。", "enrol.reopened": "已退回村里修改。",
	"step.campaign.stage": "登记造册逾期未提交",
}

var enrolEN = map[string]string{
	"enrol.title": "Survey and register", "enrol.progress": "Survey-and-register progress", "enrol.help": "List the village's people group by group: the register proposes those who already hold the category, or find people by name; a person listed here gets the category in the register too. Check the counts and submit; after that, only the town can reopen the list.",
	"enrol.items": "Work items: ", "enrol.years": " years", "enrol.none": "No one listed yet.", "enrol.proposals": "In the register with this category, not yet listed",
	"enrol.add": "List", "enrol.remove": "Remove", "enrol.remove_submit": "Remove", "enrol.reason": "Reason",
	"enrol.search": "Find a resident by name or address", "enrol.search_hint": "e.g. Zhang", "enrol.search_submit": "Find",
	"enrol.will_assign": "will get the category in the register: ", "enrol.submit_title": "Check the counts and submit", "enrol.confirm": "I have checked the counts above",
	"enrol.submit": "Submit the list", "enrol.submitted_by": "Submitted by", "enrol.frozen": "the list is locked; ask the town to reopen it for changes",
	"enrol.reopened_by": "Reopened by the town:", "enrol.reopen": "Reopen for the village", "enrol.reopen_submit": "Reopen",
	"enrol.submitted_late": "submitted late", "enrol.all": "all", "enrol.ends": "ends", "enrol.open_list": "Open the village's list",
	"enrol.villages": "Villages", "enrol.members": "Listed per group", "enrol.total": "Total", "enrol.of_late": "late:",
	"enrol.villages_with": "Villages: ",
	"enrol.added":         "Listed.", "enrol.removed": "Removed.", "enrol.submitted": "The list is submitted.", "enrol.reopened": "The list is reopened for the village.",
	"step.campaign.stage": "survey-and-register list not submitted",
}

package i18n

func init() { add(uiZH, uiEN) }

// The phone shell: punctuation, who did what, how much is due, the audit
// log's filters and the printed household form.
var uiZH = map[string]string{
	"common.system": "系统", "common.colon": "：", "common.comma": "，", "common.lparen": "（", "common.rparen": "）",

	"time.due_now": "即将到期（不到1分钟）", "time.just_late": "刚刚超时（不到1分钟）",

	"home.work": "待办事项", "home.open": "在办（含下级）", "home.mine": "本级要办", "home.overdue": "已超时",
	"home.subplaces_help": "标签是地区级别，数字是它下面的地区数。",

	"audit.all_users": "全部用户", "audit.all_actions": "全部操作", "audit.all_objects": "全部对象",

	"print.title": "社会救助家庭信息表（一户一表）", "print.head_signature": "户主签字", "print.filled_by": "填表人",
	"print.verified_by": "核实人", "print.date": "日期",
}

var uiEN = map[string]string{
	"common.system": "the system", "common.colon": ": ", "common.comma": ", ", "common.lparen": " (", "common.rparen": ")",

	"time.due_now": "due in less than a minute", "time.just_late": "late by less than a minute",

	"home.work": "Work to do", "home.open": "Open (with places below)", "home.mine": "For your level", "home.overdue": "Overdue",
	"home.subplaces_help": "The label is the level of the place; the number is how many places lie below it.",

	"audit.all_users": "All users", "audit.all_actions": "All actions", "audit.all_objects": "All records",

	"print.title": "Household information form (one form per household)", "print.head_signature": "Signature of the head of household",
	"print.filled_by": "Filled in by", "print.verified_by": "Verified by", "print.date": "Date",
}

package i18n

func init() { add(uiZH, uiEN) }

// The phone shell: who did what, how much is due, and the printed form.
var uiZH = map[string]string{
	"common.system": "系统", "common.colon": "：", "common.comma": "，", "common.lparen": "（", "common.rparen": "）",
	"audit.all_users": "全部用户", "audit.all_actions": "全部操作", "audit.all_objects": "全部对象",
}

var uiEN = map[string]string{
	"common.system": "the system", "common.colon": ": ", "common.comma": ", ", "common.lparen": " (", "common.rparen": ")",
	"audit.all_users": "All users", "audit.all_actions": "All actions", "audit.all_objects": "All records",
}

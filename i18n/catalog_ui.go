package i18n

func init() { add(uiZH, uiEN) }

// The phone shell: who did what, how much is due, and the printed form.
var uiZH = map[string]string{
	"common.system": "系统", "common.colon": "：",
}

var uiEN = map[string]string{
	"common.system": "the system", "common.colon": ": ",
}

package i18n

func init() { add(dashboardsZH, dashboardsEN) }

var dashboardsZH = map[string]string{
	"dash.nav": "数据看板", "dash.title": "数据看板", "dash.period": "统计期间", "dash.kind.month": "按月", "dash.kind.quarter": "按季",
	"dash.kind.year": "按年", "dash.kind.custom": "自定义", "dash.at": "所在日期", "dash.from": "开始日期", "dash.to": "结束日期",
	"dash.show": "查看", "dash.current": "本期", "dash.previous": "上期", "dash.change": "较上期", "dash.figure": "指标",
	"dash.now_note": "在办和逾期事项、风险颜色为当前数", "dash.list": "明细", "dash.by_place": "各地区", "dash.place": "地区",
	"dash.own": "本级直接登记", "dash.total": "合计", "dash.times": "办理时长（中位数）", "dash.to_help": "线索上报到首次救助",
	"dash.apply": "申请到审批", "dash.count": "件数", "dash.chart.places": "各下级地区：%s", "dash.chart.categories": "各类对象（期末）", "dash.unit.household": "户", "dash.unit.person": "人",
	"dash.chart.colours": "风险颜色户数（当前）", "dash.chart.measures": "在享救助措施（期末）", "dash.chart.legend": "深色为本期，浅色为上期",
	"dash.table": "图表数据", "dash.measure": "措施", "dash.households": "户数", "dash.amount": "金额（元）",
	"dash.xlsx": "导出 Excel", "dash.print": "打印", "dash.up": "返回上级", "dash.pact_rate": "“拉窗帘”报平安率",
	"dash.print_title": "社会救助数据看板", "dash.colour": "颜色", "dash.category": "类别", "dash.none": "暂无数据。",
	"dash.asof": "统计时间", "dash.drill": "查看下级", "dash.campaigns": "专项行动进度", "dash.help": "本级数字等于各下级地区之和加本级直接登记的数（如县级资金来源）。点击指标看各下级地区的分布，点击地区逐级查看到村。",
	"dash.choose": "按此指标比较各地区",
}

var dashboardsEN = map[string]string{
	"dash.nav": "Dashboard", "dash.title": "Dashboard", "dash.period": "Period", "dash.kind.month": "Month", "dash.kind.quarter": "Quarter",
	"dash.kind.year": "Year", "dash.kind.custom": "Custom", "dash.at": "A day in it", "dash.from": "First day", "dash.to": "Last day",
	"dash.show": "Show", "dash.current": "This period", "dash.previous": "Previous", "dash.change": "Change", "dash.figure": "Figure",
	"dash.now_note": "Open and overdue work and the risk colours are counted now", "dash.list": "List", "dash.by_place": "By place", "dash.place": "Place",
	"dash.own": "Kept at this level", "dash.total": "Total", "dash.times": "How long it took (median)", "dash.to_help": "From a clue to first help",
	"dash.apply": "From an application to its decision", "dash.count": "Count", "dash.chart.places": "Places below: %s", "dash.chart.categories": "People and households per category (at the end)", "dash.unit.household": "households", "dash.unit.person": "persons",
	"dash.chart.colours": "Households per risk colour (now)", "dash.chart.measures": "Measures in force (at the end)", "dash.chart.legend": "Dark: this period; light: the previous one",
	"dash.table": "The chart's numbers", "dash.measure": "Measure", "dash.households": "Households", "dash.amount": "Amount (yuan)",
	"dash.xlsx": "Export to Excel", "dash.print": "Print", "dash.up": "Up a level", "dash.pact_rate": "Check-in rate",
	"dash.print_title": "Social assistance dashboard", "dash.colour": "Colour", "dash.category": "Category", "dash.none": "No figures yet.",
	"dash.asof": "Counted at", "dash.drill": "Places below", "dash.campaigns": "Campaign progress", "dash.help": "A level's figures are the sum of its places' plus what is kept at the level itself (such as a county's fund sources). Choose a figure to compare the places below; choose a place to go down to the village.",
	"dash.choose": "Compare the places by this figure",
}

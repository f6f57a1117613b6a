package httpserver

import (
	"bytes"

	"github.com/xuri/excelize/v2"

	"safetynet"
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// goalsReportXLSX writes a campaign's report: the goals with their
// progress, the progress per place, the work figures, the late villages
// and the typical cases, one sheet each. Headings are in Chinese (English
// with lang "en"); places and people are named, shares are numbers in
// per cent so that the office can sum and sort them.
func goalsReportXLSX(r sqlstore.CampaignReport, lang string) ([]byte, error) {
	tr := func(zh, en string) string {
		if lang == "en" {
			return en
		}
		return zh
	}
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	first := true
	sheet := func(name string, head []string, rows [][]any) error {
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		all := append([][]any{anyRow(head)}, rows...)
		for i, row := range all {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				return err
			}
		}
		last, _ := excelize.CoordinatesToCellName(len(head), 1)
		_ = f.SetCellStyle(name, "A1", last, bold)
		_ = f.SetColWidth(name, "A", "K", 16)
		return nil
	}
	c := r.Goals.Campaign
	pct := func(v int64) float64 { return float64(v) / 10 }
	value := func(g sqlstore.GoalProgress, row sqlstore.GoalPlaceRow) []any {
		if g.Share {
			return []any{pct(row.Value), row.Figure.Num, row.Figure.Den, pct(row.Figure.Target)}
		}
		return []any{row.Figure.Num, "", "", row.Figure.Target}
	}
	status := func(s string) string { return campaigns.GoalStatuses.Label(s, lang) }
	summary := [][]any{
		{tr("行动名称", "Campaign"), c.Title},
		{tr("文号", "Document"), c.DocNo},
		{tr("牵头地区", "Place"), c.PlaceName},
		{tr("统计范围", "Figures for"), r.Goals.PlaceName},
		{tr("行动期间", "Period"), c.StartsOn + " — " + c.EndsOn},
		{tr("时间进度（%）", "Period elapsed (%)"), pct(r.Goals.Elapsed)},
		{tr("统计日期", "As of"), r.Goals.Today},
		{},
		{tr("目标", "Goal"), tr("指标", "Metric"), tr("对象", "Group"), tr("工作内容", "Work item"), tr("完成值", "Figure"),
			tr("已完成（户/人）", "Reached"), tr("应完成（户/人）", "Of"), tr("目标值", "Target"), tr("完成进度（%）", "Target reached (%)"),
			tr("状态", "Status"), tr("滞后地区数", "Places behind")},
	}
	var byPlace [][]any
	for _, g := range r.Goals.Goals {
		v := value(g, g.Total)
		summary = append(summary, []any{g.Title, campaigns.Metrics.Label(g.Metric, lang), groupName(g.GroupCode, lang), g.ItemTitle,
			v[0], v[1], v[2], v[3], pct(g.Total.Reached), status(g.Total.Status), g.BehindRows})
		for _, row := range g.Rows {
			v := value(g, row)
			byPlace = append(byPlace, []any{g.Title, row.PlaceName, row.Villages, v[0], v[1], v[2], v[3], pct(row.Reached), status(row.Status)})
		}
	}
	if err := sheet(tr("目标进度", "Goals"), []string{c.Title, ""}, summary); err != nil {
		return nil, err
	}
	if err := sheet(tr("分地区进度", "By place"), []string{tr("目标", "Goal"), tr("地区", "Place"), tr("村数", "Villages"),
		tr("完成值", "Figure"), tr("已完成（户/人）", "Reached"), tr("应完成（户/人）", "Of"), tr("目标值", "Target"),
		tr("完成进度（%）", "Target reached (%)"), tr("状态", "Status")}, byPlace); err != nil {
		return nil, err
	}
	fig := r.Figures
	work := [][]any{
		{tr("开展活动（次）", "Activities"), fig.Activities},
		{tr("参与人次", "Participants"), fig.Participants},
		{tr("标记本行动的走访（次）", "Visits for the campaign"), fig.VisitsTagged},
		{tr("标记本行动的服务（次）", "Services for the campaign"), fig.ServicesTagged},
		{},
		{tr("对象类别", "Group"), tr("登记造册人数", "Members registered")},
	}
	for _, g := range fig.Registered {
		work = append(work, []any{groupName(g.GroupCode, lang), g.Members})
	}
	work = append(work, []any{}, []any{tr("工作内容", "Work item"), tr("活动（次）", "Activities"), tr("参与人次", "Participants")})
	for _, it := range fig.Items {
		work = append(work, []any{it.Title, it.Activities, it.Participants})
	}
	if err := sheet(tr("工作数据", "Figures"), []string{tr("项目", "Item"), tr("数量", "Number")}, work); err != nil {
		return nil, err
	}
	var late [][]any
	for _, l := range r.Late {
		sub := l.Submitted
		if sub == "" {
			sub = tr("未提交", "not submitted")
		}
		late = append(late, []any{l.TownName, l.VillageName, l.StageTitle, l.StageEnd, sub, l.DaysLate})
	}
	if err := sheet(tr("逾期村", "Late villages"), []string{tr("乡镇", "Town"), tr("村（社区）", "Village"), tr("阶段", "Stage"),
		tr("截止日期", "Stage end"), tr("提交日期", "Submitted"), tr("逾期天数", "Days late")}, late); err != nil {
		return nil, err
	}
	var ex [][]any
	for _, e := range r.Examples {
		ex = append(ex, []any{e.VillageName, e.HouseholdName, e.Title, e.Text, e.MarkedBy})
	}
	if err := sheet(tr("典型案例", "Typical cases"), []string{tr("村（社区）", "Village"), tr("家庭", "Household"), tr("标题", "Title"),
		tr("案例说明", "Text"), tr("标记人", "Marked by")}, ex); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func groupName(code, lang string) string {
	if code == "" {
		return ""
	}
	return safetynet.CategoryLabel(code, lang)
}

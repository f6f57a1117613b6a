package httpserver

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"

	"safetynet/settlement"
	"safetynet/sqlstore"
)

// settlementXLSX writes an organisation's month for the finance office:
// a summary per worker, the paid lines, the rejected services with their
// reasons, the adjustments and the contracts' budgets. Headings are in
// Chinese (English with lang "en"); people are named, amounts in yuan.
func settlementXLSX(st sqlstore.Settlement, lang string) ([]byte, error) {
	tr := func(zh, en string) string {
		if lang == "en" {
			return en
		}
		return zh
	}
	yuan := func(fen int64) float64 { return float64(fen) / 100 } // written as numbers for the office's sums
	f := excelize.NewFile()
	defer f.Close()
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	sheet := func(name string, first bool, head []string, rows [][]any, moneyCols ...int) error {
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
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
		for _, c := range moneyCols {
			col, _ := excelize.ColumnNumberToName(c)
			_ = f.SetCellStyle(name, fmt.Sprintf("%s2", col), fmt.Sprintf("%s%d", col, len(all)), money)
		}
		_ = f.SetColWidth(name, "A", "J", 16)
		return nil
	}
	status := tr("草稿（未批准）", "draft (not approved)")
	if st.Approved {
		status = tr("已批准", "approved") + " · " + st.Approver + " · " + st.ApprovedAt.In(settlement.Zone).Format("2006-01-02 15:04")
	}
	summary := [][]any{
		{tr("服务机构", "Organisation"), st.OrgName},
		{tr("结算月份", "Month"), st.Month},
		{tr("状态", "Status"), status},
		{tr("通过的服务（次）", "Accepted services"), st.Accepted},
		{tr("未通过的服务（次）", "Rejected services"), st.Rejected},
		{tr("服务金额（元）", "Services (yuan)"), yuan(st.ServicesFen)},
		{tr("调整金额（元）", "Adjustments (yuan)"), yuan(st.AdjustmentsFen)},
		{tr("结算总额（元）", "Total (yuan)"), yuan(st.TotalFen)},
		{},
		{tr("服务人员", "Worker"), tr("通过（次）", "Accepted"), tr("未通过（次）", "Rejected"), tr("金额（元）", "Amount (yuan)")},
	}
	for _, w := range st.Workers {
		summary = append(summary, []any{w.Name, w.Accepted, w.Rejected, yuan(w.AmountFen)})
	}
	summary = append(summary, []any{tr("合计", "Total"), st.Accepted, st.Rejected, yuan(st.ServicesFen)})
	if err := sheet(tr("汇总", "Summary"), true, []string{tr("按劳定酬结算表", "Settlement per verified service"), ""}, summary, 2, 4); err != nil {
		return nil, err
	}
	var lines [][]any
	for _, l := range st.Lines {
		lines = append(lines, []any{l.WorkerName, typeName(l.Type, lang), yuan(l.PriceFen), l.Services, yuan(l.AmountFen)})
	}
	if err := sheet(tr("明细", "Lines"), false, []string{tr("服务人员", "Worker"), tr("服务类型", "Service"), tr("单价（元）", "Price (yuan)"),
		tr("次数", "Services"), tr("金额（元）", "Amount (yuan)")}, lines, 3, 5); err != nil {
		return nil, err
	}
	var rejected [][]any
	for _, it := range st.RejectedList {
		rejected = append(rejected, []any{it.Started.In(settlement.Zone).Format("2006-01-02 15:04"), it.WorkerName, it.HeadName, it.PlaceName,
			typeName(it.Type, lang), yuan(it.PriceFen), it.Reason, it.ReviewedBy})
	}
	if err := sheet(tr("未通过", "Rejected"), false, []string{tr("服务时间", "Time"), tr("服务人员", "Worker"), tr("户主", "Household head"),
		tr("地点", "Place"), tr("服务类型", "Service"), tr("单价（元）", "Price (yuan)"), tr("原因", "Reason"), tr("核验人", "Reviewer")}, rejected, 6); err != nil {
		return nil, err
	}
	var adj [][]any
	for _, a := range st.Adjustments {
		adj = append(adj, []any{a.AboutMonth, a.ContractTitle, a.WorkerName, yuan(a.AmountFen), a.Reason, a.CreatedBy})
	}
	if err := sheet(tr("调整", "Adjustments"), false, []string{tr("更正月份", "Corrects"), tr("合同", "Contract"), tr("服务人员", "Worker"),
		tr("金额（元）", "Amount (yuan)"), tr("原因", "Reason"), tr("录入人", "Entered by")}, adj, 4); err != nil {
		return nil, err
	}
	var budgets [][]any
	for _, b := range st.Budgets {
		budgets = append(budgets, []any{b.Title, b.StartsOn + " — " + b.EndsOn, yuan(b.BudgetFen), yuan(b.SpentBeforeFen), yuan(b.ThisMonthFen), yuan(b.RemainingFen)})
	}
	if err := sheet(tr("预算", "Budget"), false, []string{tr("合同", "Contract"), tr("合同期", "Period"), tr("预算（元）", "Budget (yuan)"),
		tr("此前已结算（元）", "Spent before (yuan)"), tr("本月（元）", "This month (yuan)"), tr("剩余（元）", "Remaining (yuan)")}, budgets, 3, 4, 5, 6); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func anyRow(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

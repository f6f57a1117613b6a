package httpserver

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"safetynet"
	"safetynet/access"
	"safetynet/inspections"
	"safetynet/sqlstore"
)

// inspScoresPage is the score of each village of an inspection, with the
// inspector's form for a village finding.
type inspScoresPage struct {
	S      sqlstore.InspectionScores
	Form   map[string]string
	Today  string
	MaxDue string
}

func (s *Server) webInspectionScores(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showInspectionScores(w, r, rc, nil, nil)
}

func (s *Server) showInspectionScores(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	id, err := pathID(r, "inspectionID")
	if err != nil {
		return err
	}
	sc, err := s.store.InspectionScores(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{}
	}
	now := s.store.Now()
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "inspection_scores", "rectify.scores_title", inspScoresPage{S: sc, Form: form,
		Today: inspections.RectifyDay(now), MaxDue: inspections.RectifyDay(now.AddDate(0, 0, inspections.MaxRectifyDays))}, formErr)
}

// villageScorePage is a village's score with the records behind it.
type villageScorePage struct {
	D   sqlstore.ScoreDetail
	Now time.Time
}

func (s *Server) webInspectionVillageScore(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "inspectionID")
	if err != nil {
		return err
	}
	d, err := s.store.VillageScoreDetail(r.Context(), rc.actor, id, r.URL.Query().Get("village"))
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "inspection_scores_village", "rectify.village_score", villageScorePage{D: d, Now: s.store.Now()}, nil)
}

// scoreFilter reads a summary's query: campaign or year (this year by
// default), place.
func (s *Server) scoreFilter(r *http.Request) (sqlstore.ScoreFilter, error) {
	q := r.URL.Query()
	f := sqlstore.ScoreFilter{Place: q.Get("place")}
	if v := q.Get("campaign"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return f, safetynet.Invalid("campaign", "专项行动编号无效", "campaign must be a number")
		}
		f.CampaignID = n
		return f, nil
	}
	f.Year = s.store.Now().In(inspections.RectifyZone).Year()
	if v := q.Get("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return f, safetynet.Invalid("year", "年度无效", "year must be a number")
		}
		f.Year = n
	}
	return f, nil
}

// scoreSumPage sums the scores of a campaign or a year over a place.
type scoreSumPage struct {
	S     sqlstore.ScoreSummary
	Years []int
	Query string // the filter as a query string, without the place
}

func (s *Server) webScoreSummary(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.InspectionView); err != nil {
		return err
	}
	f, err := s.scoreFilter(r)
	if err != nil {
		return err
	}
	sum, err := s.store.ScoreSummary(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	this := s.store.Now().In(inspections.RectifyZone).Year()
	pg := scoreSumPage{S: sum, Years: []int{this, this - 1, this - 2}, Query: scoreQuery(f)}
	return s.render(w, r, rc, http.StatusOK, "inspection_scores_sum", "rectify.sum_title", pg, nil)
}

func scoreQuery(f sqlstore.ScoreFilter) string {
	if f.CampaignID > 0 {
		return fmt.Sprintf("campaign=%d", f.CampaignID)
	}
	return fmt.Sprintf("year=%d", f.Year)
}

func (s *Server) webScoreHelp(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.InspectionView); err != nil {
		return err
	}
	type row struct {
		Item  string
		Label string
		Rule  inspections.ItemRule
	}
	var rows []row
	for _, it := range inspections.Items {
		rows = append(rows, row{Item: it.Code, Label: inspections.Items.Label(it.Code, rc.lang), Rule: inspections.RuleOf(it.Code)})
	}
	rows = append(rows, row{Item: inspections.VillageFinding, Label: inspections.RectifyItemLabel(inspections.VillageFinding, rc.lang),
		Rule: inspections.RuleOf(inspections.VillageFinding)})
	data := struct {
		Items                             []row
		Full, NotFound, Overdue, Reopened int
	}{rows, inspections.ScoreFull, inspections.ScoreNotFound, inspections.ScoreOverdue, inspections.ScoreReopened}
	return s.render(w, r, rc, http.StatusOK, "inspection_scores_help", "rectify.help_title", data, nil)
}

// webScoreSummaryXLSX answers GET /inspection-scores.xlsx and its API
// twin: the summary's rows and every village score behind them with its
// deductions, headings in the reader's language.
func (s *Server) webScoreSummaryXLSX(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.InspectionView); err != nil {
		return err
	}
	f, err := s.scoreFilter(r)
	if err != nil {
		return err
	}
	sum, err := s.store.ScoreSummary(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	b, err := scoresXLSX(sum, rc.lang)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("督查评分-%s-%s.xlsx", sum.PlaceName, scoreQuery(f))
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\"scores.xlsx\"; filename*=UTF-8''"+urlPathEscape(name))
	_, err = w.Write(b)
	return err
}

// scoresXLSX writes a summary: a sheet of the places' figures and a sheet
// of the village scores with the points lost for each reason.
func scoresXLSX(sum sqlstore.ScoreSummary, lang string) ([]byte, error) {
	tr := func(zh, en string) string {
		if lang == "en" {
			return en
		}
		return zh
	}
	f := excelize.NewFile()
	defer f.Close()
	what := fmt.Sprintf(tr("%d年度", "year %d"), sum.Filter.Year)
	if sum.Filter.CampaignID > 0 {
		what = sum.CampaignName
	}
	rows := [][]any{
		{tr("督查评分汇总", "Inspection scores"), sum.PlaceName, what},
		{},
		{tr("地区", "Place"), tr("村次（评分个数）", "Village scores"), tr("得分合计", "Sum"), tr("平均分", "Average"), tr("扣分合计", "Points lost")},
	}
	for _, r := range sum.Rows {
		rows = append(rows, []any{r.Name, r.Count, r.Sum, r.Average(), r.Lost})
	}
	rows = append(rows, []any{tr("合计", "Total"), sum.Total.Count, sum.Total.Sum, sum.Total.Average(), sum.Lost})
	if err := rectSheet(f, "Sheet1", tr("汇总", "Summary"), rows); err != nil {
		return nil, err
	}
	detail := [][]any{{tr("督查", "Inspection"), tr("开始日期", "Started"), tr("村", "Village"), tr("得分", "Score"),
		tr("检查户数", "Households checked"), tr("问题项", "Problems"), tr("问题扣分", "Problem points"), tr("未找到户数", "Not found"),
		tr("逾期整改", "Overdue"), tr("退回次数", "Reopened"), tr("扣分合计", "Points lost")}}
	for _, v := range sum.Scores {
		problems := 0
		for _, d := range v.Deductions {
			if d.Kind == inspections.DeductProblem {
				problems += d.Points
			}
		}
		detail = append(detail, []any{v.InspectionTitle, inspections.RectifyDay(v.StartedAt), v.VillageName, v.Score.Score, v.Checked, v.Problems,
			problems, v.NotFound, v.Overdue, v.Reopens, v.Lost})
	}
	if _, err := f.NewSheet(tr("各村评分", "Village scores")); err != nil {
		return nil, err
	}
	if err := rectSheet(f, tr("各村评分", "Village scores"), "", detail); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func rectSheet(f *excelize.File, sheet, rename string, rows [][]any) error {
	if rename != "" {
		if err := f.SetSheetName(sheet, rename); err != nil {
			return err
		}
		sheet = rename
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	return f.SetColWidth(sheet, "A", "K", 16)
}

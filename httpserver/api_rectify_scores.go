package httpserver

import (
	"net/http"
	"time"

	"safetynet/inspections"
	"safetynet/sqlstore"
)

// deductionJSON is a line behind a score.
type deductionJSON struct {
	Kind     string `json:"kind"` // problem, not_found, overdue, reopened
	Item     string `json:"item,omitempty"`
	ItemName string `json:"item_name,omitempty"`
	Count    int    `json:"count"`
	Each     int    `json:"each"`
	Points   int    `json:"points"`
}

// villageScoreJSON is a village's score in one inspection.
type villageScoreJSON struct {
	InspectionID    int64           `json:"inspection_id"`
	InspectionTitle string          `json:"inspection_title"`
	StartedAt       time.Time       `json:"started_at"`
	VillageCode     string          `json:"village_code"`
	VillageName     string          `json:"village_name"`
	Score           int             `json:"score"`
	Lost            int             `json:"lost"`
	Checked         int             `json:"checked"`
	Problems        int             `json:"problems"`
	NotFound        int             `json:"not_found"`
	Rectifications  int             `json:"rectifications"`
	Overdue         int             `json:"overdue"`
	Reopens         int             `json:"reopens"`
	Deductions      []deductionJSON `json:"deductions"`
}

// scoreTotalJSON is a count, sum and average of village scores.
type scoreTotalJSON struct {
	Count   int     `json:"count"`
	Sum     int     `json:"sum"`
	Average float64 `json:"average"`
}

type inspectionScoresJSON struct {
	InspectionID int64              `json:"inspection_id"`
	Title        string             `json:"title"`
	CampaignID   int64              `json:"campaign_id"`
	CampaignName string             `json:"campaign_name,omitempty"`
	Status       string             `json:"status"`
	Total        scoreTotalJSON     `json:"total"`
	Villages     []villageScoreJSON `json:"villages"`
}

type scoreCheckJSON struct {
	CheckID     int64    `json:"check_id"`
	HouseholdID int64    `json:"household_id"`
	Household   string   `json:"household"`
	Problems    []string `json:"problems"`
}

type villageScoreDetailJSON struct {
	villageScoreJSON
	Checks         []scoreCheckJSON    `json:"checks"`
	NotFoundList   []scoreCheckJSON    `json:"not_found_households"`
	Rectifications []rectificationJSON `json:"rectification_items"`
}

type scoreRowJSON struct {
	PlaceCode string `json:"place_code"`
	PlaceName string `json:"place_name"`
	Level     string `json:"level"`
	scoreTotalJSON
	Lost int `json:"lost"`
}

type scoreSummaryJSON struct {
	PlaceCode    string             `json:"place_code"`
	PlaceName    string             `json:"place_name"`
	Year         int                `json:"year,omitempty"`
	CampaignID   int64              `json:"campaign_id,omitempty"`
	CampaignName string             `json:"campaign_name,omitempty"`
	Total        scoreTotalJSON     `json:"total"`
	Lost         int                `json:"lost"`
	Rows         []scoreRowJSON     `json:"rows"`
	Scores       []villageScoreJSON `json:"scores"`
}

func toScoreTotalJSON(t inspections.ScoreTotal) scoreTotalJSON {
	return scoreTotalJSON{Count: t.Count, Sum: t.Sum, Average: t.Average()}
}

func toVillageScoreJSON(v sqlstore.VillageScore, lang string) villageScoreJSON {
	out := villageScoreJSON{InspectionID: v.InspectionID, InspectionTitle: v.InspectionTitle, StartedAt: v.StartedAt, VillageCode: v.Village,
		VillageName: v.VillageName, Score: v.Score.Score, Lost: v.Lost, Checked: v.Checked, Problems: v.Problems, NotFound: v.NotFound,
		Rectifications: v.Rects, Overdue: v.Overdue, Reopens: v.Reopens, Deductions: []deductionJSON{}}
	for _, d := range v.Deductions {
		x := deductionJSON{Kind: d.Kind, Item: d.Item, Count: d.Count, Each: d.Each, Points: d.Points}
		if d.Item != "" {
			x.ItemName = inspections.RectifyItemLabel(d.Item, lang)
		}
		out.Deductions = append(out.Deductions, x)
	}
	return out
}

// apiInspectionScores answers GET /api/v1/inspections/{inspectionID}/scores.
func (s *Server) apiInspectionScores(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "inspectionID")
	if err != nil {
		return err
	}
	sc, err := s.store.InspectionScores(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	out := inspectionScoresJSON{InspectionID: sc.ID, Title: sc.Title, CampaignID: sc.CampaignID, CampaignName: sc.CampaignName, Status: sc.Status,
		Total: toScoreTotalJSON(sc.Total), Villages: []villageScoreJSON{}}
	for _, v := range sc.Villages {
		out.Villages = append(out.Villages, toVillageScoreJSON(v, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiInspectionVillageScore answers GET /api/v1/inspections/{inspectionID}/scores/{village}.
func (s *Server) apiInspectionVillageScore(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "inspectionID")
	if err != nil {
		return err
	}
	d, err := s.store.VillageScoreDetail(r.Context(), rc.actor, id, r.URL.Query().Get("village"))
	if err != nil {
		return err
	}
	out := villageScoreDetailJSON{villageScoreJSON: toVillageScoreJSON(d.VillageScore, rc.lang), Checks: []scoreCheckJSON{},
		NotFoundList: []scoreCheckJSON{}, Rectifications: []rectificationJSON{}}
	for _, c := range d.Checks {
		out.Checks = append(out.Checks, scoreCheckJSON{CheckID: c.CheckID, HouseholdID: c.HouseholdID, Household: c.HouseholdName,
			Problems: append([]string{}, c.Problems...)})
	}
	for _, c := range d.NotFoundHouseholds {
		out.NotFoundList = append(out.NotFoundList, scoreCheckJSON{HouseholdID: c.HouseholdID, Household: c.HouseholdName, Problems: []string{}})
	}
	for _, x := range d.Rects {
		out.Rectifications = append(out.Rectifications, toRectificationJSON(x, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiScoreSummary answers GET /api/v1/inspection-scores.
func (s *Server) apiScoreSummary(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	f, err := s.scoreFilter(r)
	if err != nil {
		return err
	}
	sum, err := s.store.ScoreSummary(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	out := scoreSummaryJSON{PlaceCode: sum.Filter.Place, PlaceName: sum.PlaceName, Year: sum.Filter.Year, CampaignID: sum.Filter.CampaignID,
		CampaignName: sum.CampaignName, Total: toScoreTotalJSON(sum.Total), Lost: sum.Lost, Rows: []scoreRowJSON{}, Scores: []villageScoreJSON{}}
	for _, x := range sum.Rows {
		out.Rows = append(out.Rows, scoreRowJSON{PlaceCode: x.Code, PlaceName: x.Name, Level: string(x.Level), scoreTotalJSON: toScoreTotalJSON(x.ScoreTotal), Lost: x.Lost})
	}
	for _, v := range sum.Scores {
		out.Scores = append(out.Scores, toVillageScoreJSON(v, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

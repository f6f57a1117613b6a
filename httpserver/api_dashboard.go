package httpserver

import (
	"fmt"
	"net/http"
	"time"

	"github.com/xuri/excelize/v2"

	"safetynet/dashboards"
	"safetynet/i18n"
	"safetynet/sqlstore"
)

type dashTimeJSON struct {
	N         int     `json:"n"`
	MedianMin float64 `json:"median_minutes"`
}

type dashTimesJSON struct {
	ToHelp dashTimeJSON `json:"clue_to_help"`
	Apply  dashTimeJSON `json:"application_to_decision"`
}

type dashRowJSON struct {
	Code     string            `json:"code"`
	Name     string            `json:"name"`
	Level    string            `json:"level"`
	Current  dashboards.Values `json:"current"`
	Previous dashboards.Values `json:"previous"`
	Times    struct {
		Current  dashTimesJSON `json:"current"`
		Previous dashTimesJSON `json:"previous"`
	} `json:"times"`
}

type dashboardJSON struct {
	Period struct {
		Kind      string `json:"kind"`
		From      string `json:"from"`
		To        string `json:"to"`
		PrevFrom  string `json:"previous_from"`
		PrevTo    string `json:"previous_to"`
		Label     string `json:"label"`
		PrevLabel string `json:"previous_label"`
	} `json:"period"`
	AsOf   time.Time     `json:"as_of"`
	Place  dashRowJSON   `json:"place"`
	Own    dashRowJSON   `json:"own"`
	Places []dashRowJSON `json:"places"`
}

func toDashTimes(t dashboards.Times) dashTimesJSON {
	return dashTimesJSON{ToHelp: dashTimeJSON{N: t.ToHelp.N, MedianMin: t.ToHelp.Median.Minutes()},
		Apply: dashTimeJSON{N: t.Apply.N, MedianMin: t.Apply.Median.Minutes()}}
}

func toDashRow(r sqlstore.DashboardRow) dashRowJSON {
	j := dashRowJSON{Code: r.Place.Code, Name: r.Place.Name, Level: string(r.Place.Level), Current: r.Cur, Previous: r.Prev}
	j.Times.Current, j.Times.Previous = toDashTimes(r.CurT), toDashTimes(r.PrevT)
	return j
}

// apiDashboard answers GET /api/v1/dashboard?place=&period=&at=&from=&to=:
// the figures of the place, of what is kept at the place itself and of
// each place below, for the period and the previous one.
func (s *Server) apiDashboard(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	d, _, err := s.dashboardOf(r, rc)
	if err != nil {
		return err
	}
	var j dashboardJSON
	p := d.Period
	j.Period.Kind, j.Period.From, j.Period.To = p.Kind, p.From.Format("2006-01-02"), p.Last().Format("2006-01-02")
	j.Period.PrevFrom, j.Period.PrevTo = p.PrevFrom.Format("2006-01-02"), p.PrevLast().Format("2006-01-02")
	j.Period.Label, j.Period.PrevLabel = p.Label(rc.lang), p.PrevLabel(rc.lang)
	j.AsOf = d.AsOf
	j.Place, j.Own = toDashRow(d.Total), toDashRow(d.Own)
	j.Places = []dashRowJSON{}
	for _, c := range d.Children {
		j.Places = append(j.Places, toDashRow(c))
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// dashboardXLSX answers GET /dashboard.xlsx and its API twin: sheet 1 the
// headline figures of the place (this period, the previous one, the
// change), the times and the charts' tables; sheet 2 every figure of
// each place below, amounts in yuan beside integer fen.
func (s *Server) dashboardXLSX(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	d, dq, err := s.dashboardOf(r, rc)
	if err != nil {
		return err
	}
	pg := s.dashboardPageOf(r, rc, d, dq)
	lang := rc.lang
	T := func(k string) string { return i18n.T(lang, k) }
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	name := d.Total.Place.Name
	f.SetSheetName(sh, clipSheet(name))
	sh = clipSheet(name)
	row := 1
	put := func(vals ...any) {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		_ = f.SetSheetRow(sh, cell, &vals)
		row++
	}
	put(T("dash.title") + " · " + name)
	put(T("dash.period"), pg.PeriodLabel, T("dash.previous"), pg.PrevLabel)
	put()
	put(T("dash.figure"), T("dash.current"), T("dash.previous"), T("dash.change"))
	for _, fg := range pg.Figures {
		put(fg.Label, fg.Cur, fg.Prev, fg.Change)
	}
	put(T("dash.pact_rate"), pg.PactRate[0], pg.PactRate[1])
	put()
	put(T("dash.times"), T("dash.current"), T("dash.count"), T("dash.previous"), T("dash.count"), T("dash.change"))
	for _, t := range pg.Times {
		vals := make([]any, len(t))
		for i, v := range t {
			vals[i] = v
		}
		put(vals...)
	}
	for _, c := range pg.Charts {
		put()
		put(c.Title)
		head := make([]any, len(c.Head))
		for i, h := range c.Head {
			head[i] = h
		}
		put(head...)
		for _, cr := range c.Rows {
			vals := make([]any, len(cr))
			for i, v := range cr {
				vals[i] = v.Text
			}
			put(vals...)
		}
	}
	_ = f.SetColWidth(sh, "A", "A", 36)
	_ = f.SetColWidth(sh, "B", "F", 16)
	if len(d.Children) > 0 {
		ps := T("dash.by_place")
		if _, err := f.NewSheet(ps); err != nil {
			return err
		}
		sh, row = ps, 1
		head := []any{T("dash.place")}
		for _, fg := range dashboards.Figures {
			unit := ""
			if fg.Unit == dashboards.Fen {
				unit = "（分）"
				if lang == "en" {
					unit = " (fen)"
				}
			} else if fg.Unit == dashboards.Minutes {
				unit = "（分钟）"
				if lang == "en" {
					unit = " (minutes)"
				}
			}
			head = append(head, fg.Label(lang)+unit)
		}
		put(head...)
		rows := append([]sqlstore.DashboardRow{}, d.Children...)
		own := d.Own
		own.Place.Name = T("dash.own")
		total := d.Total
		total.Place.Name = T("dash.total")
		rows = append(rows, own, total)
		for _, c := range rows {
			vals := []any{c.Place.Name}
			for _, fg := range dashboards.Figures {
				vals = append(vals, c.Cur[fg.Key])
			}
			put(vals...)
		}
		_ = f.SetColWidth(sh, "A", "A", 24)
	}
	file := fmt.Sprintf("%s-%s-%s.xlsx", T("dash.title"), name, d.Period.From.Format("20060102"))
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\"dashboard.xlsx\"; filename*=UTF-8''"+urlPathEscape(file))
	return f.Write(w)
}

// clipSheet makes a sheet name of a place's name (at most 31 characters).
func clipSheet(s string) string {
	r := []rune(s)
	if len(r) > 31 {
		r = r[:31]
	}
	if len(r) == 0 {
		return "Sheet1"
	}
	return string(r)
}

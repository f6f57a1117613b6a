package httpserver

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"safetynet"
	"safetynet/dashboards"
	"safetynet/i18n"
	"safetynet/sqlstore"
)

// dashQuery reads the dashboard's place and period from the query:
// place, period (month, quarter, year, custom), at (a day of the period,
// YYYY-MM-DD or YYYY-MM; today by default), from and to (custom, both
// days included) and fig (the figure compared across the places below).
type dashQuery struct {
	Place, Kind, At, From, To, Fig string
}

func (s *Server) dashboardOf(r *http.Request, rc *reqCtx) (sqlstore.Dashboard, dashQuery, error) {
	q := r.URL.Query()
	dq := dashQuery{Place: q.Get("place"), Kind: q.Get("period"), At: q.Get("at"), From: q.Get("from"), To: q.Get("to"), Fig: q.Get("fig")}
	now := s.store.Now()
	loc := now.Location()
	at := now
	if dq.At != "" {
		v := dq.At
		if len(v) == len("2006-01") {
			v += "-01"
		}
		t, err := dashboards.ParseDay(v, loc)
		if err != nil {
			return sqlstore.Dashboard{}, dq, safetynet.Invalid("at", "日期格式应为 年-月-日", "the day is YYYY-MM-DD")
		}
		at = t
	}
	var from, to time.Time
	for _, f := range []struct {
		name, v string
		into    *time.Time
	}{{"from", dq.From, &from}, {"to", dq.To, &to}} {
		if f.v == "" || (dq.Kind != dashboards.Custom) {
			continue
		}
		t, err := dashboards.ParseDay(f.v, loc)
		if err != nil {
			return sqlstore.Dashboard{}, dq, safetynet.Invalid(f.name, "日期格式应为 年-月-日", "the day is YYYY-MM-DD")
		}
		*f.into = t
	}
	p, err := dashboards.NewPeriod(dq.Kind, at, from, to)
	if err != nil {
		return sqlstore.Dashboard{}, dq, err
	}
	dq.Kind = p.Kind
	if dq.At == "" {
		dq.At = at.Format("2006-01-02")
	}
	if _, ok := dashboards.FigureOf(dq.Fig); !ok {
		dq.Fig = dashboards.KeyHelped
	}
	d, err := s.store.Dashboard(r.Context(), rc.actor, dq.Place, p)
	return d, dq, err
}

// dashFig is a headline figure as shown.
type dashFig struct {
	Key, Label, Cur, Prev, Change string
	HasChange, Good, Now, Chosen  bool
	Link, Choose                  string
}

// dashCell is a cell of a chart's table, with a link when it leads on.
type dashCell struct{ Text, Link string }

// dashChart is a chart with the table of its numbers.
type dashChart struct {
	ID, Title, Legend string
	SVG               template.HTML
	Head              []string
	Rows              [][]dashCell
}

// dashPlaceRow is a place below in the table of places.
type dashPlaceRow struct {
	Name, Link string
	Cells      []string
}

type dashboardPage struct {
	D                      sqlstore.Dashboard
	Q                      dashQuery
	PeriodLabel, PrevLabel string
	FromStr, ToStr         string // the period's first and last days
	Figures                []dashFig
	Times                  [][]string
	PactRate               [2]string
	Charts                 []dashChart
	PlaceHead              []string
	Places                 []dashPlaceRow
	Kinds                  []string
	XLSX, Up               string
}

// dashURL is the dashboard's own URL for place, keeping the period.
func (dq dashQuery) url(path, place, fig string) string {
	v := url.Values{}
	v.Set("place", place)
	v.Set("period", dq.Kind)
	if dq.Kind == dashboards.Custom {
		v.Set("from", dq.From)
		v.Set("to", dq.To)
	} else {
		v.Set("at", dq.At)
	}
	if fig != "" {
		v.Set("fig", fig)
	}
	return path + "?" + v.Encode()
}

// dashList is the list behind a figure: the existing page with its
// filters for the place and period.
func dashList(list, place, from, to string) string {
	v := url.Values{}
	v.Set("place", place)
	switch list {
	case "work":
		return "/work"
	case "services":
		return "/settlements/figures?" + v.Encode()
	case "funds":
		return "/funds/figures?" + v.Encode()
	case "monitoring.include", "monitoring.eliminate":
		v.Set("kind", strings.TrimPrefix(list, "monitoring."))
		return "/monitoring?" + v.Encode()
	}
	v.Set("from", from)
	v.Set("to", to)
	switch list {
	case "pacts":
		return "/pacts/figures?" + v.Encode()
	case "volunteering":
		return "/volunteering/hours?" + v.Encode()
	case "visits":
		return "/visits?" + v.Encode()
	}
	return "/figures?" + v.Encode()
}

func (s *Server) dashboardPageOf(r *http.Request, rc *reqCtx, d sqlstore.Dashboard, dq dashQuery) dashboardPage {
	lang := rc.lang
	T := func(k string) string { return i18n.T(lang, k) }
	p := d.Period
	pg := dashboardPage{D: d, Q: dq, PeriodLabel: p.Label(lang), PrevLabel: p.PrevLabel(lang),
		FromStr: p.From.Format("2006-01-02"), ToStr: p.Last().Format("2006-01-02"), Kinds: dashboards.Kinds}
	if dq.Kind == dashboards.Custom && dq.From == "" {
		pg.Q.From, pg.Q.To = pg.FromStr, pg.ToStr
	}
	place := d.Total.Place.Code
	pg.XLSX = dq.url("/dashboard.xlsx", place, dq.Fig)
	if len(d.Path) > 1 {
		pg.Up = dq.url("/dashboard", d.Path[len(d.Path)-2].Code, dq.Fig)
	}
	cur, prev := d.Total.Cur, d.Total.Prev
	chosen, _ := dashboards.FigureOf(dq.Fig)
	for _, f := range dashboards.Figures {
		unit := f.Unit
		df := dashFig{Key: f.Key, Label: f.Label(lang), Cur: dashboards.FormatValue(cur[f.Key], unit, lang), Now: f.Now,
			Chosen: f.Key == dq.Fig, Link: dashList(f.List, place, pg.FromStr, pg.ToStr)}
		if len(d.Children) > 0 {
			df.Choose = dq.url("/dashboard", place, f.Key) + "#dash-places"
		}
		if !f.Now {
			df.Prev = dashboards.FormatValue(prev[f.Key], unit, lang)
			c := dashboards.Compare(cur[f.Key], prev[f.Key], f.LowerBetter)
			df.Change, df.HasChange, df.Good = c.String(), c.Has, c.Good
		} else {
			df.Prev, df.Change = "—", "—"
		}
		pg.Figures = append(pg.Figures, df)
	}
	pg.PactRate = [2]string{dashboards.Rate(cur[dashboards.KeyPactKept], cur[dashboards.KeyPactDays]), dashboards.Rate(prev[dashboards.KeyPactKept], prev[dashboards.KeyPactDays])}
	for _, tm := range []struct {
		label    string
		cur, pre dashboards.Durations
	}{{T("dash.to_help"), d.Total.CurT.ToHelp, d.Total.PrevT.ToHelp}, {T("dash.apply"), d.Total.CurT.Apply, d.Total.PrevT.Apply}} {
		c := dashboards.Compare(int64(tm.cur.Median), int64(tm.pre.Median), true)
		ch := c.String()
		if tm.cur.N == 0 || tm.pre.N == 0 {
			ch = "—"
		}
		pg.Times = append(pg.Times, []string{tm.label, dashboards.Span(tm.cur.Median, lang), fmt.Sprint(tm.cur.N), dashboards.Span(tm.pre.Median, lang), fmt.Sprint(tm.pre.N), ch})
	}
	// The places below, compared by the chosen figure.
	if len(d.Children) > 0 {
		format := func(v int64) string { return dashboards.FormatValue(v, chosen.Unit, lang) }
		var bars []dashboards.Bar
		ch := dashChart{ID: "dash-chart-places", Title: fmt.Sprintf(T("dash.chart.places"), chosen.Label(lang)), Legend: T("dash.chart.legend"),
			Head: []string{T("dash.place"), T("dash.current"), T("dash.previous"), T("dash.change")}}
		rows := d.Children
		if len(d.Own.Cur) > 0 && d.Own.Cur[chosen.Key] != 0 {
			own := d.Own
			own.Place.Name = T("dash.own")
			rows = append(rows, own)
		}
		for i, c := range rows {
			link := ""
			if i < len(d.Children) {
				link = dq.url("/dashboard", c.Place.Code, dq.Fig)
			}
			pv := c.Prev[chosen.Key]
			if chosen.Now {
				pv = 0
			}
			bars = append(bars, dashboards.Bar{Label: c.Place.Name, Cur: c.Cur[chosen.Key], Prev: pv, Link: link})
			cmp := dashboards.Compare(c.Cur[chosen.Key], pv, chosen.LowerBetter)
			ch.Rows = append(ch.Rows, []dashCell{{Text: c.Place.Name, Link: link}, {Text: format(c.Cur[chosen.Key])}, {Text: format(pv)}, {Text: cmp.String()}})
		}
		ch.SVG = template.HTML(dashboards.BarChart(bars, !chosen.Now, format))
		pg.Charts = append(pg.Charts, ch)
		pg.PlaceHead = []string{T("dash.place")}
		keys := []string{dashboards.KeyHelped, dashboards.KeyResolved, dashboards.KeyOpen, dashboards.KeyOverdue, dashboards.KeyVisits, dashboards.KeySvcTimes, dashboards.KeyFundSpent}
		for _, k := range keys {
			f, _ := dashboards.FigureOf(k)
			pg.PlaceHead = append(pg.PlaceHead, f.Label(lang))
		}
		for _, c := range d.Children {
			r := dashPlaceRow{Name: c.Place.Name, Link: dq.url("/dashboard", c.Place.Code, dq.Fig)}
			for _, k := range keys {
				f, _ := dashboards.FigureOf(k)
				r.Cells = append(r.Cells, dashboards.FormatValue(c.Cur[k], f.Unit, lang))
			}
			pg.Places = append(pg.Places, r)
		}
	}
	// Households per category at the period's end, with the previous end.
	{
		var bars []dashboards.Bar
		ch := dashChart{ID: "dash-chart-categories", Title: T("dash.chart.categories"), Legend: T("dash.chart.legend"),
			Head: []string{T("dash.category"), T("dash.current"), T("dash.previous"), T("dash.change")}}
		for _, code := range dashboards.Codes(dashboards.KeyCategory, cur, prev) {
			k := dashboards.KeyCategory + code
			link := "/register?" + url.Values{"place": {place}, "category": {code}}.Encode()
			name := safetynet.CategoryLabel(code, lang)
			if c, ok := safetynet.CategoryByCode(code); ok {
				name += "（" + T("dash.unit."+string(c.For)) + "）"
				if lang == "en" {
					name = safetynet.CategoryLabel(code, lang) + " (" + T("dash.unit."+string(c.For)) + ")"
				}
			}
			bars = append(bars, dashboards.Bar{Label: name, Cur: cur[k], Prev: prev[k], Link: link})
			ch.Rows = append(ch.Rows, []dashCell{{Text: name, Link: link}, {Text: dashboards.Thousands(cur[k])}, {Text: dashboards.Thousands(prev[k])},
				{Text: dashboards.Compare(cur[k], prev[k], false).String()}})
		}
		ch.SVG = template.HTML(dashboards.BarChart(bars, true, dashboards.Thousands))
		pg.Charts = append(pg.Charts, ch)
	}
	// Risk colours now.
	{
		var slices []dashboards.Slice
		var total int64
		ch := dashChart{ID: "dash-chart-colours", Title: T("dash.chart.colours"), Head: []string{T("dash.colour"), T("dash.households")}}
		for _, code := range []string{"red", "yellow", "green"} {
			k := dashboards.KeyColour + code
			link := "/register?" + url.Values{"place": {place}, "colour": {code}}.Encode()
			name := T("colour." + code)
			slices = append(slices, dashboards.Slice{Label: name, Value: cur[k], Colour: dashboards.RiskColours[code], Link: link})
			total += cur[k]
			ch.Rows = append(ch.Rows, []dashCell{{Text: name, Link: link}, {Text: dashboards.Thousands(cur[k])}})
		}
		ch.SVG = template.HTML(dashboards.Donut(slices, dashboards.Thousands(total)))
		pg.Charts = append(pg.Charts, ch)
	}
	// Measures in force at the period's end, by measure, with amounts.
	{
		names := map[string]string{}
		if ms, err := s.store.Measures(r.Context(), true); err == nil {
			for _, m := range ms {
				names[m.Code] = m.ZH
				if lang == "en" {
					names[m.Code] = m.EN
				}
			}
		}
		var bars []dashboards.Bar
		ch := dashChart{ID: "dash-chart-measures", Title: T("dash.chart.measures"), Legend: T("dash.chart.legend"),
			Head: []string{T("dash.measure"), T("dash.current"), T("dash.amount"), T("dash.previous"), T("dash.amount")}}
		for _, code := range dashboards.Codes(dashboards.KeyMeasureN, cur, prev) {
			n, fen := dashboards.KeyMeasureN+code, dashboards.KeyMeasureFen+code
			name := names[code]
			if name == "" {
				name = code
			}
			bars = append(bars, dashboards.Bar{Label: name, Cur: cur[n], Prev: prev[n]})
			ch.Rows = append(ch.Rows, []dashCell{{Text: name}, {Text: dashboards.Thousands(cur[n])}, {Text: dashboards.Yuan(cur[fen])},
				{Text: dashboards.Thousands(prev[n])}, {Text: dashboards.Yuan(prev[fen])}})
		}
		ch.SVG = template.HTML(dashboards.BarChart(bars, true, dashboards.Thousands))
		pg.Charts = append(pg.Charts, ch)
	}
	return pg
}

// webDashboard answers GET /dashboard: the dashboard of a place (the
// user's own by default) for a period compared with the one before.
func (s *Server) webDashboard(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	d, dq, err := s.dashboardOf(r, rc)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "dashboard", "dash.title", s.dashboardPageOf(r, rc, d, dq), nil)
}

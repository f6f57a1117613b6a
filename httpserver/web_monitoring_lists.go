package httpserver

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"github.com/xuri/excelize/v2"

	"safetynet"
	"safetynet/access"
	"safetynet/i18n"
	"safetynet/monitoring"
	"safetynet/sqlstore"
)

// noticeList is the public notice list (公示名单) of the processes whose
// notice is due: household head, village, type, risk causes, income per
// person, the notice's dates and where to object. ID numbers are never on
// it.
type noticeList struct {
	Kind    monitoring.Kind
	Title   string
	Start   string
	End     string
	Where   string
	Contact string
	Place   string
	Rows    []sqlstore.MonitoringProcess
	Issued  string
}

// meetingList is the county's confirmation meeting list: the processes
// that wait for the county, with their review, notice and town answer.
type meetingList struct {
	Title string
	Rows  []sqlstore.MonitoringProcess
	Date  string
}

func (s *Server) noticeListOf(r *http.Request, rc *reqCtx) (noticeList, error) {
	q := r.URL.Query()
	settings, err := s.store.MonitoringSettings(r.Context())
	if err != nil {
		return noticeList{}, err
	}
	today := s.store.Now()
	l := noticeList{Kind: monitoring.Include, Start: q.Get("start"), End: q.Get("end"), Where: q.Get("where"), Contact: q.Get("contact"),
		Issued: today.Format("2006-01-02"), Place: q.Get("place")}
	if q.Get("kind") == string(monitoring.Eliminate) {
		l.Kind = monitoring.Eliminate
	}
	start := today
	if l.Start != "" {
		if start, err = dateParam(l.Start, "start"); err != nil {
			return l, err
		}
	}
	l.Start = start.Format("2006-01-02")
	if l.End == "" {
		l.End = start.AddDate(0, 0, settings.NoticeMinDays-1).Format("2006-01-02")
	} else if _, err := dateParam(l.End, "end"); err != nil {
		return l, err
	}
	if l.Where == "" {
		l.Where = i18n.T(rc.lang, "monitoring.notice.where_default")
	}
	if l.Contact == "" {
		l.Contact = i18n.T(rc.lang, "monitoring.notice.contact_default")
	}
	l.Title = i18n.T(rc.lang, "monitoring.notice.title."+string(l.Kind))
	l.Rows, err = s.store.MonitoringProcesses(r.Context(), rc.actor, sqlstore.MonitoringFilter{Place: q.Get("place"),
		Step: monitoring.StepNotice, Kind: string(l.Kind), Limit: 1000})
	return l, err
}

func (s *Server) meetingListOf(r *http.Request, rc *reqCtx) (meetingList, error) {
	rows, err := s.store.MonitoringProcesses(r.Context(), rc.actor, sqlstore.MonitoringFilter{Place: r.URL.Query().Get("place"),
		Step: monitoring.StepCounty, WithRecords: true, Limit: 1000})
	return meetingList{Title: i18n.T(rc.lang, "monitoring.meeting.title"), Rows: rows, Date: s.store.Now().Format("2006-01-02")}, err
}

// webNoticeList is the printable public notice list.
func (s *Server) webNoticeList(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.noticeListOf(r, rc)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "monitoring_notice", "monitoring.notice.list", l, nil)
}

// webMeetingList is the printable confirmation meeting list.
func (s *Server) webMeetingList(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.meetingListOf(r, rc)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "monitoring_meeting", "monitoring.meeting.title", l, nil)
}

func causesText(codes []string, lang string) string {
	p := &page{Lang: lang}
	return p.MonitoringCauses(codes)
}

func recordText(p sqlstore.MonitoringProcess, action, lang string) (date, detail string) {
	rec, ok := p.Last(action)
	if !ok {
		return "", ""
	}
	pg := &page{Lang: lang}
	switch action {
	case monitoring.ActReview:
		res := i18n.T(lang, "monitoring.passed")
		if !rec.Passed {
			res = i18n.T(lang, "monitoring.not_passed")
		}
		return rec.Date.Format("2006-01-02"), fmt.Sprintf("%s%s%d%s", res, pg.pick("，", ", "), rec.Count, i18n.T(lang, "monitoring.persons"))
	case monitoring.ActNotice:
		obj := rec.Objection
		if obj == "" {
			obj = i18n.T(lang, "monitoring.no_objection")
		}
		return rec.Start.Format("2006-01-02") + " – " + rec.End.Format("2006-01-02"), obj
	}
	return rec.Date.Format("2006-01-02"), rec.Note
}

// writeXLSX sends a one-sheet workbook with a title row, a header row and
// the rows.
func writeXLSX(w http.ResponseWriter, name, title string, header []string, rows [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	_ = f.SetCellValue(sheet, "A1", title)
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		_ = f.SetCellValue(sheet, cell, h)
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+3)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				return fmt.Errorf("monitoring list: %w", err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return fmt.Errorf("monitoring list: %w", err)
	}
	sendFile(w, name, xlsxType, buf.Bytes())
	return nil
}

// noticeXLSX answers …/monitoring/notice.xlsx: the public notice list.
func (s *Server) noticeXLSX(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.noticeListOf(r, rc)
	if err != nil {
		return err
	}
	T := func(k string) string { return i18n.T(rc.lang, k) }
	header := []string{T("monitoring.col.no"), T("monitoring.col.head"), T("monitoring.col.village"), T("monitoring.col.type"),
		T("monitoring.col.causes"), T("monitoring.col.members"), T("monitoring.col.per_capita"), T("monitoring.col.notice"),
		T("monitoring.col.where"), T("monitoring.col.contact")}
	var rows [][]any
	for i, p := range l.Rows {
		rows = append(rows, []any{i + 1, p.HeadName, p.VillageName, safetynet.CategoryLabel(p.Category, rc.lang),
			causesText(p.RiskCauses, rc.lang), p.Members, safetynet.FormatYuan(p.PerCapitaFen), l.Start + " – " + l.End, l.Where, l.Contact})
	}
	return writeXLSX(w, fmt.Sprintf("notice-%s.xlsx", l.Issued), l.Title, header, rows)
}

// meetingXLSX answers …/monitoring/meeting.xlsx: the county's
// confirmation meeting list.
func (s *Server) meetingXLSX(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.meetingListOf(r, rc)
	if err != nil {
		return err
	}
	T := func(k string) string { return i18n.T(rc.lang, k) }
	header := []string{T("monitoring.col.no"), T("monitoring.col.kind"), T("monitoring.col.head"), T("monitoring.col.town"),
		T("monitoring.col.village"), T("monitoring.col.type"), T("monitoring.col.causes"), T("monitoring.col.members"),
		T("monitoring.col.per_capita"), T("monitoring.col.review"), T("monitoring.col.notice"), T("monitoring.col.objection"),
		T("monitoring.col.town_review"), T("monitoring.col.proposed")}
	var rows [][]any
	for i, p := range l.Rows {
		rd, rt := recordText(p, monitoring.ActReview, rc.lang)
		nd, nt := recordText(p, monitoring.ActNotice, rc.lang)
		td, _ := recordText(p, monitoring.ActTown, rc.lang)
		rows = append(rows, []any{i + 1, T("monitoring.kind." + string(p.Kind)), p.HeadName, p.TownName, p.VillageName,
			safetynet.CategoryLabel(p.Category, rc.lang), causesText(p.RiskCauses, rc.lang), p.Members, safetynet.FormatYuan(p.PerCapitaFen),
			rd + " " + rt, nd, nt, td, p.ProposedAt.Format("2006-01-02")})
	}
	return writeXLSX(w, fmt.Sprintf("meeting-%s.xlsx", l.Date), l.Title, header, rows)
}

// RecordText is recordText for templates: "2026-07-01 通过，21人"; notes
// and objections are marked as what users wrote.
func (p *page) RecordText(mp sqlstore.MonitoringProcess, action string) template.HTML {
	d, t := recordText(mp, action, p.Lang)
	if t == "" {
		return markUserData(d)
	}
	if action != monitoring.ActReview {
		if rec, _ := mp.Last(action); !(action == monitoring.ActNotice && rec.Objection == "") {
			t = ud(t)
		}
	}
	return markUserData(d + " " + t)
}

// monitoringSettingsPage is the settings of monitoring.
type monitoringSettingsPage struct {
	S monitoring.Settings
}

func (s *Server) webMonitoringSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showMonitoringSettings(w, r, rc, nil)
}

func (s *Server) showMonitoringSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	if err := rc.actor.Require(access.SettingsEdit); err != nil {
		return err
	}
	v, err := s.store.MonitoringSettings(r.Context())
	if err != nil {
		return err
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "monitoring_settings", "monitoring.settings", monitoringSettingsPage{S: v}, formErr)
}

func (s *Server) webSetMonitoringSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	err := func() error {
		var v monitoring.Settings
		for _, f := range []struct {
			name string
			dst  *int
		}{{"review_days", &v.ReviewDays}, {"notice_days", &v.NoticeDays}, {"town_days", &v.TownDays}, {"county_days", &v.CountyDays},
			{"notice_min_days", &v.NoticeMinDays}, {"above_months", &v.AboveMonths}, {"min_monitored_months", &v.MinMonitoredMonths},
			{"review_months", &v.ReviewMonths}} {
			n, err := strconv.Atoi(r.PostForm.Get(f.name))
			if err != nil {
				return safetynet.Invalid(f.name, "请填写整数", "a whole number is required")
			}
			*f.dst = n
		}
		return s.store.SetMonitoringSettings(r.Context(), rc.actor, v)
	}()
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showMonitoringSettings(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/monitoring/settings", "monitoring.settings_saved")
	return nil
}

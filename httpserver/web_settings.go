package httpserver

import (
	"net/http"
	"strconv"
	"time"

	"safetynet"
	"safetynet/access"
)

type settingsPage struct {
	Limits   safetynet.TimeLimits
	Measures []safetynet.Measure
	Levels   []safetynet.Level
}

// Hours formats a time limit in hours for the form.
func (p *page) Hours(d safetynet.Duration) string {
	return strconv.FormatFloat(time.Duration(d).Hours(), 'f', -1, 64)
}

func (s *Server) webSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showSettings(w, r, rc, nil)
}

func (s *Server) showSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	if err := rc.actor.Require(access.SettingsEdit); err != nil {
		return err
	}
	l, err := s.store.TimeLimits(r.Context())
	if err != nil {
		return err
	}
	ms, err := s.store.Measures(r.Context(), true)
	if err != nil {
		return err
	}
	pg := settingsPage{Limits: l, Measures: ms, Levels: []safetynet.Level{safetynet.LevelVillage, safetynet.LevelTown, safetynet.LevelCounty}}
	return s.render(w, r, rc, http.StatusOK, "settings", "settings.title", pg, formErr)
}

// webSetTimeLimits saves the time limits, given in hours.
func (s *Server) webSetTimeLimits(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	hours := func(name string) (safetynet.Duration, error) {
		v, err := strconv.ParseFloat(r.PostForm.Get(name), 64)
		if err != nil || v <= 0 {
			return 0, safetynet.Invalid("limits", "时限请填写小时数", "time limits are numbers of hours")
		}
		return safetynet.Duration(time.Duration(v * float64(time.Hour))), nil
	}
	var l safetynet.TimeLimits
	var err error
	for _, f := range []struct {
		dst  *safetynet.Duration
		name string
	}{{&l.Urgent.Acknowledge, "urgent_acknowledge"}, {&l.Urgent.Verify, "urgent_verify"}, {&l.Urgent.Help, "urgent_help"},
		{&l.Normal.Acknowledge, "normal_acknowledge"}, {&l.Normal.Verify, "normal_verify"}, {&l.Normal.Help, "normal_help"}} {
		if *f.dst, err = hours(f.name); err != nil {
			break
		}
	}
	if err == nil {
		l.FollowupDays, _ = strconv.Atoi(r.PostForm.Get("followup_days"))
		err = s.store.SetTimeLimits(r.Context(), rc.actor, l)
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showSettings(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/settings", "flash.saved")
	return nil
}

// webSaveMeasure saves one entry of the measure catalogue.
func (s *Server) webSaveMeasure(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formValues{r}
	above, err := safetynet.ParseYuan(formStr(f, "county_above"))
	if err == nil {
		days, _ := strconv.Atoi(formStr(f, "decision_days"))
		pos, _ := strconv.Atoi(formStr(f, "position"))
		m := safetynet.Measure{Code: r.PathValue("measureCode"), ZH: formStr(f, "zh"), EN: formStr(f, "en"), Kind: formStr(f, "kind"),
			Unit: formStr(f, "unit"), Level: safetynet.Level(formStr(f, "approval_level")), CountyAboveFen: above, DecisionDays: days,
			Active: r.PostForm.Get("active") == "1", Position: pos}
		err = s.store.SaveMeasure(r.Context(), rc.actor, m)
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showSettings(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/settings#measures", "flash.saved")
	return nil
}

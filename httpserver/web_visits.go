package httpserver

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
	"safetynet/visits"
)

// VisitsDay reports whether the viewer has a day list (今日).
func (p *page) VisitsDay() bool { return p.User != nil && visits.DayScope(p.actor) != visits.DayNone }

// WhatText names a day item in the page's language.
func (p *page) WhatText(it visits.Item) string { return itemLabel(it, p.Lang) }

// DueKind is the kind a one-tap record of an item uses: a home visit
// for a home revisit or a must-visit, a call otherwise.
func (p *page) DueKind(it visits.Item) string {
	if it.What == visits.NeedAny {
		return visits.KindCall
	}
	return visits.KindHome
}

// VisitKinds and VisitChecklist are the record form's choices.
func (p *page) VisitKinds() []string     { return visits.Kinds }
func (p *page) VisitChecklist() []string { return visits.Checklist }

// todayPage is 今日: the viewer's day.
type todayPage struct {
	Day sqlstore.Day
	Now time.Time
	// Campaigns are the running campaigns (专项行动) a visit of each
	// household may be tagged with.
	Campaigns map[int64][]sqlstore.CampaignRef
}

func (s *Server) webToday(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	d, err := s.store.VisitDay(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "today", "visits.today.title", todayPage{Day: d, Now: s.store.Now(), Campaigns: s.visitDayCampaigns(r, d)}, nil)
}

// webRecordVisit records a visit from the day's form without script:
// "有困难" records it and opens the clue form for the household.
func (s *Server) webRecordVisit(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := r.ParseMultipartForm(8 << 20); err != nil && err != http.ErrNotMultipart {
		return safetynet.Invalid("", "表单无效", "the form is invalid")
	}
	f := r.Form
	due, _ := strconv.ParseInt(f.Get("due_id"), 10, 64)
	hh, _ := strconv.ParseInt(f.Get("household_id"), 10, 64)
	v := visits.NewVisit{ClientID: f.Get("client_id"), DueID: due, HouseholdID: hh, Kind: f.Get("kind"), Result: f.Get("result"),
		Note: f.Get("note"), Checklist: f["checklist"]}
	v.CampaignID, _ = strconv.ParseInt(f.Get("campaign_id"), 10, 64)
	if v.ClientID == "" {
		v.ClientID = "web-" + strconv.FormatInt(rc.actor.UserID, 10) + "-" + strconv.FormatInt(s.store.Now().UnixNano(), 36)
	}
	rec, _, err := s.store.RecordVisit(r.Context(), rc.actor, v)
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error {
			d, derr := s.store.VisitDay(r.Context(), rc.actor)
			if derr != nil {
				return derr
			}
			return s.render(w, r, rc, statusOf(s.publicError(r, err)), "today", "visits.today.title", todayPage{Day: d, Now: s.store.Now(), Campaigns: s.visitDayCampaigns(r, d)}, err)
		})
	}
	if rec.Result == visits.ResultNotFine {
		http.Redirect(w, r, "/report?household="+strconv.FormatInt(rec.HouseholdID, 10), http.StatusSeeOther)
		return nil
	}
	s.flashRedirect(w, r, "/today", "visits.recorded")
	return nil
}

// planPage is 设置 › 走访计划.
type planPage struct {
	Plan   sqlstore.VisitPlan
	Rows   []planRow
	Within []visits.Within
}

type planRow struct {
	Group, Need string
	Every       int
	Unit        string
}

func (s *Server) webVisitPlan(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showVisitPlan(w, r, rc, nil)
}

func (s *Server) showVisitPlan(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	if err := rc.actor.Require(access.SettingsEdit); err != nil {
		return err
	}
	p, err := s.store.VisitPlan(r.Context())
	if err != nil {
		return err
	}
	pg := planPage{Plan: p}
	for _, g := range visits.Groups {
		for _, n := range visits.Needs {
			row := planRow{Group: g, Need: n, Unit: visits.UnitDay}
			for _, f := range p.Frequencies {
				if f.Group == g && f.Need == n {
					row.Every, row.Unit = f.Every, f.Unit
				}
			}
			pg.Rows = append(pg.Rows, row)
		}
	}
	for _, t := range visits.Triggers {
		pg.Within = append(pg.Within, visits.Within{Trigger: t, Hours: visits.HoursFor(p.Within, t)})
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "visit_plan", "visits.plan", pg, formErr)
}

func (s *Server) webSetVisitPlan(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	version, err := strconv.Atoi(f.Get("version"))
	if err != nil || version < 0 {
		return errVersionRequired
	}
	var p sqlstore.VisitPlan
	for _, g := range visits.Groups {
		for _, n := range visits.Needs {
			key := g + "_" + n
			every := strings.TrimSpace(f.Get("every_" + key))
			if every == "" || every == "0" {
				continue
			}
			k, err := strconv.Atoi(every)
			if err != nil {
				return s.formFailed(w, r, rc, safetynet.Invalid("every_"+key, "周期应为整数", "the interval must be a whole number"),
					func() error {
						return s.showVisitPlan(w, r, rc, safetynet.Invalid("every_"+key, "周期应为整数", "the interval must be a whole number"))
					})
			}
			p.Frequencies = append(p.Frequencies, visits.Frequency{Group: g, Need: n, Every: k, Unit: f.Get("unit_" + key)})
		}
	}
	for _, t := range visits.Triggers {
		h, err := strconv.Atoi(strings.TrimSpace(f.Get("hours_" + t)))
		if err != nil {
			e := safetynet.Invalid("hours_"+t, "时限应为整数小时", "hours must be a whole number")
			return s.formFailed(w, r, rc, e, func() error { return s.showVisitPlan(w, r, rc, e) })
		}
		p.Within = append(p.Within, visits.Within{Trigger: t, Hours: h})
	}
	if _, err := s.store.SetVisitPlan(r.Context(), rc.actor, p, version); err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showVisitPlan(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/settings/visits", "visits.saved")
	return nil
}

// coveragePage is 走访覆盖: figures per child place and the households to
// visit soon.
type coveragePage struct {
	C        sqlstore.Coverage
	From, To string
}

func (s *Server) webVisitCoverage(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	place, from, to, days, err := coverageQuery(r, s.store.Now())
	if err != nil {
		return err
	}
	c, err := s.store.VisitCoverage(r.Context(), rc.actor, place, from, to, days)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "visit_coverage", "visits.coverage", coveragePage{C: c,
		From: from.Format(visits.DateLayout), To: to.AddDate(0, 0, -1).Format(visits.DateLayout)}, nil)
}

// visitHouseholdPage is a household's visit arrangements: key family,
// who visits it, and must-visit occasions.
type visitHouseholdPage struct {
	Household safetynet.Household
	KeyFamily bool
	Pairs     []sqlstore.VisitPair
	Users     []safetynet.User
	Levels    []string
	Triggers  []string
}

func (s *Server) webVisitHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showVisitHousehold(w, r, rc, nil)
}

func (s *Server) showVisitHousehold(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	v, err := s.store.HouseholdView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	pg := visitHouseholdPage{Household: v.Household, Levels: visits.PairLevels, Triggers: visits.Triggers[1:]}
	if pg.Pairs, err = s.store.VisitPairs(r.Context(), rc.actor, id); err != nil {
		return err
	}
	ks, err := s.store.KeyFamilies(r.Context(), rc.actor, v.Household.PlaceCode)
	if err != nil {
		return err
	}
	for _, k := range ks {
		pg.KeyFamily = pg.KeyFamily || k.HouseholdID == id
	}
	if rc.actor.Can(access.RegisterEdit) && rc.actor.Can(access.UserView) {
		if pg.Users, err = s.store.VisitorsFor(r.Context(), rc.actor, v.Household.PlaceCode); err != nil {
			return err
		}
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "visit_household", "visits.pairs", pg, formErr)
}

func (s *Server) webVisitHouseholdPost(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		id, err := pathID(r, "householdID")
		if err != nil {
			return err
		}
		if err := parseForm(r); err != nil {
			return err
		}
		f := r.PostForm
		switch action {
		case "mark":
			err = s.store.MarkKeyFamily(r.Context(), rc.actor, id, f.Get("on") == "1", f.Get("note"))
		case "pair":
			uid, _ := strconv.ParseInt(f.Get("user_id"), 10, 64)
			_, err = s.store.PairVisitor(r.Context(), rc.actor, sqlstore.NewVisitPair{HouseholdID: id, Level: f.Get("level"), UserID: uid,
				Name: f.Get("name"), Phone: f.Get("phone")})
		case "unpair":
			pid, _ := strconv.ParseInt(f.Get("pair_id"), 10, 64)
			err = s.store.UnpairVisitor(r.Context(), rc.actor, pid)
		case "must":
			err = s.store.QueueMustVisit(r.Context(), rc.actor, id, f.Get("trigger"))
		}
		if err != nil {
			return s.formFailed(w, r, rc, err, func() error { return s.showVisitHousehold(w, r, rc, err) })
		}
		s.flashRedirect(w, r, "/visits/households/"+strconv.FormatInt(id, 10), "visits.recorded")
		return nil
	}
}

// VisitUnits are the plan form's units.
func (p *page) VisitUnits() []string {
	return []string{visits.UnitDay, visits.UnitWeek, visits.UnitMonth}
}

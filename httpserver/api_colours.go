package httpserver

import (
	"context"
	"net/http"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
	"safetynet/sqlstore"
)

// colourJSON is a monitored household's risk colour (红黄绿) with why.
type colourJSON struct {
	Colour      string    `json:"colour"`
	Label       string    `json:"label"`
	Reason      string    `json:"reason"`
	RuleVersion int       `json:"rule_version"`
	Since       time.Time `json:"since"`
}

func toColourJSON(c sqlstore.HouseholdColour, lang string) *colourJSON {
	j := &colourJSON{Colour: c.Colour, Label: rules.ColourLabel(c.Colour, lang), Reason: c.ExplainEN, RuleVersion: c.RuleVersion, Since: c.Since}
	if lang == "zh" {
		j.Reason = c.ExplainZH
	}
	return j
}

// addColours sets the colour of the households of hs that have one.
func (s *Server) addColours(ctx context.Context, rc *reqCtx, hs []householdJSON) error {
	ids := make([]int64, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	cs, err := s.store.HouseholdColours(ctx, rc.actor, ids)
	if err != nil {
		return err
	}
	for i := range hs {
		if c, ok := cs[hs[i].ID]; ok {
			hs[i].Colour = toColourJSON(c, rc.lang)
		}
	}
	return nil
}

// colourChangeJSON is a line of a household's colour history; colour is
// "" when the household left monitoring.
type colourChangeJSON struct {
	At          time.Time `json:"at"`
	Colour      string    `json:"colour"`
	Previous    string    `json:"previous"`
	RuleVersion int       `json:"rule_version"`
	Reason      string    `json:"reason"`
}

// householdColourJSON is a household's colour (absent when it is not
// monitored) and its history, newest first.
type householdColourJSON struct {
	Colour  *colourJSON        `json:"colour,omitempty"`
	History []colourChangeJSON `json:"history"`
}

// apiHouseholdColour answers GET /api/v1/households/{householdID}/colour.
func (s *Server) apiHouseholdColour(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	c, ok, hist, err := s.store.HouseholdColour(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	out := householdColourJSON{History: make([]colourChangeJSON, 0, len(hist))}
	if ok {
		out.Colour = toColourJSON(c, rc.lang)
	}
	for _, h := range hist {
		j := colourChangeJSON{At: h.At, Colour: h.Colour, Previous: h.Previous, RuleVersion: h.RuleVersion, Reason: h.ExplainEN}
		if rc.lang == "zh" {
			j.Reason = h.ExplainZH
		}
		out.History = append(out.History, j)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// colourCountsJSON counts monitored households by colour.
type colourCountsJSON struct {
	Red    int `json:"red"`
	Yellow int `json:"yellow"`
	Green  int `json:"green"`
}

func toColourCountsJSON(m map[string]int) colourCountsJSON {
	return colourCountsJSON{Red: m[rules.ColourRed], Yellow: m[rules.ColourYellow], Green: m[rules.ColourGreen]}
}

// apiColourCounts answers GET /api/v1/colours/counts?place=: the
// monitored households of the actor's scope (or of place's subtree) by
// colour.
func (s *Server) apiColourCounts(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	place := r.URL.Query().Get("place")
	if place != "" {
		if _, err := s.store.Place(r.Context(), rc.actor, place); err != nil {
			return err
		}
	}
	m, err := s.store.ColourCounts(r.Context(), rc.actor, place)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toColourCountsJSON(m))
	return nil
}

// colourRuleVersionJSON is one published version of a county's colour rules.
type colourRuleVersionJSON struct {
	Number      int       `json:"number"`
	Red         string    `json:"red"`
	Yellow      string    `json:"yellow"`
	PublishedAt time.Time `json:"published_at"`
	PublishedBy string    `json:"published_by"`
}

// colourRulesJSON is a county's colour rules in force and its versions.
type colourRulesJSON struct {
	County      string                  `json:"county"`
	CountyName  string                  `json:"county_name"`
	Red         string                  `json:"red"`
	Yellow      string                  `json:"yellow"`
	Published   int                     `json:"published"`
	Version     int                     `json:"version"`
	PublishedAt *time.Time              `json:"published_at,omitempty"`
	PublishedBy string                  `json:"published_by,omitempty"`
	Versions    []colourRuleVersionJSON `json:"versions"`
}

func toColourRulesJSON(cur sqlstore.ColourRuleSet, versions []sqlstore.ColourRuleSet) colourRulesJSON {
	j := colourRulesJSON{County: cur.County, CountyName: cur.CountyName, Red: cur.Red, Yellow: cur.Yellow, Published: cur.Published,
		Version: cur.Version, PublishedAt: timePtr(cur.PublishedAt), PublishedBy: cur.PublishedBy,
		Versions: make([]colourRuleVersionJSON, 0, len(versions))}
	for _, v := range versions {
		j.Versions = append(j.Versions, colourRuleVersionJSON{Number: v.Published, Red: v.Red, Yellow: v.Yellow,
			PublishedAt: v.PublishedAt, PublishedBy: v.PublishedBy})
	}
	return j
}

// colourCounty is the county asked for, or the actor's first one.
func (s *Server) colourCounty(ctx context.Context, rc *reqCtx, county string) (string, error) {
	if county != "" {
		return county, nil
	}
	cs, err := s.store.ColourCounties(ctx, rc.actor)
	if err != nil {
		return "", err
	}
	if len(cs) == 0 {
		return "", safetynet.Invalid("county", "请选择县（区）", "choose a county")
	}
	return cs[0].Code, nil
}

// apiColourRules answers GET /api/v1/colours/rules?county=.
func (s *Server) apiColourRules(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	county, err := s.colourCounty(r.Context(), rc, r.URL.Query().Get("county"))
	if err != nil {
		return err
	}
	cur, versions, err := s.store.ColourRules(r.Context(), rc.actor, county)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toColourRulesJSON(cur, versions))
	return nil
}

// colourRulesInputJSON is what an author sends to preview or publish.
type colourRulesInputJSON struct {
	County  string `json:"county"`
	Red     string `json:"red"`
	Yellow  string `json:"yellow"`
	Version int    `json:"version"`
}

// colourPreviewJSON counts the monitored households of the county in the
// author's scope by colour under the proposed rules and as they are now.
type colourPreviewJSON struct {
	Counts   colourCountsJSON `json:"counts"`
	Current  colourCountsJSON `json:"current"`
	Total    int              `json:"total"`
	Errors   int              `json:"errors"`
	Warnings []string         `json:"warnings"`
}

// colourWarnings warns loudly about rules that make (almost) every
// monitored household red, or none of them anything but green.
func colourWarnings(pv sqlstore.ColourPreview, lang string) []string {
	out := []string{}
	zh := lang == "zh"
	if pv.Total >= 10 && pv.Counts[rules.ColourRed]*100 >= pv.Total*95 {
		if zh {
			out = append(out, "几乎所有监测户都会是红色，请检查红色规则")
		} else {
			out = append(out, "almost every monitored household would be red: check the red rule")
		}
	}
	if pv.Errors > 0 {
		if zh {
			out = append(out, "规则在部分家庭上计算出错，这些家庭会显示为红色")
		} else {
			out = append(out, "the rules fail on some households, which would show red")
		}
	}
	return out
}

// apiPreviewColours answers POST /api/v1/colours/rules/preview.
func (s *Server) apiPreviewColours(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in colourRulesInputJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := rc.actor.Require(access.RulesEdit); err != nil {
		return err
	}
	county, err := s.colourCounty(r.Context(), rc, in.County)
	if err != nil {
		return err
	}
	pv, err := s.store.PreviewColours(r.Context(), rc.actor, county, in.Red, in.Yellow)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, colourPreviewJSON{Counts: toColourCountsJSON(pv.Counts), Current: toColourCountsJSON(pv.Current),
		Total: pv.Total, Errors: pv.Errors, Warnings: colourWarnings(pv, rc.lang)})
	return nil
}

// apiPublishColours answers POST /api/v1/colours/rules/publish: a new
// version of the county's rules; households take their colours within
// seconds.
func (s *Server) apiPublishColours(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in colourRulesInputJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := rc.actor.Require(access.RulesEdit); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	county, err := s.colourCounty(r.Context(), rc, in.County)
	if err != nil {
		return err
	}
	if _, err := s.store.PublishColourRules(r.Context(), rc.actor, county, in.Red, in.Yellow, in.Version); err != nil {
		return err
	}
	cur, versions, err := s.store.ColourRules(r.Context(), rc.actor, county)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toColourRulesJSON(cur, versions))
	return nil
}

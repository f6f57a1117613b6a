package httpserver

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
	"safetynet/sqlstore"
)

// colourShapes give each colour a shape of its own, so that the badge
// does not speak by colour alone (with the word 红, 黄 or 绿 beside it).
var colourShapes = map[string]string{rules.ColourRed: "▲", rules.ColourYellow: "◆", rules.ColourGreen: "●"}

// ColourLabel is the colour's word in the page's language.
func (p *page) ColourLabel(code string) string { return p.T("colour." + code) }

// ColourBadge is a household's colour as a badge: shape and word, the
// reason in its title; nothing for a household without a colour.
func (p *page) ColourBadge(c sqlstore.HouseholdColour) template.HTML {
	if !rules.ValidColour(c.Colour) {
		return ""
	}
	why := c.ExplainEN
	if p.Lang == "zh" {
		why = c.ExplainZH
	}
	return template.HTML(`<span class="badge colour colour-` + c.Colour + `" title="` + template.HTMLEscapeString(why) + `">` +
		colourShapes[c.Colour] + " " + template.HTMLEscapeString(p.ColourLabel(c.Colour)) + `</span>`)
}

// ColourReason is the colour's reason in the page's language.
func (p *page) ColourReason(c sqlstore.HouseholdColour) string {
	if p.Lang == "zh" {
		return c.ExplainZH
	}
	return c.ExplainEN
}

// colourCounts are the monitored households of a place by colour, for
// home pages, with the register list each count opens.
type colourCounts struct {
	Place              string
	Red, Yellow, Green int
}

// Link is the register list of the place's households of colour.
func (c colourCounts) Link(colour string) string {
	v := url.Values{"colour": {colour}}
	if c.Place != "" {
		v.Set("place", c.Place)
	}
	return "/register?" + v.Encode()
}

// homeColours counts the colours of the user's area for the home page of
// town and county staff (and anyone above); nil for others.
func (s *Server) homeColours(r *http.Request, rc *reqCtx, place safetynet.Place) (*colourCounts, error) {
	if !rc.actor.Can(access.RegisterView) || place.Level == safetynet.LevelVillage || place.Level == safetynet.LevelGroup ||
		place.Level == safetynet.LevelGrid {
		return nil, nil
	}
	m, err := s.store.ColourCounts(r.Context(), rc.actor, "")
	if err != nil {
		return nil, err
	}
	return &colourCounts{Red: m[rules.ColourRed], Yellow: m[rules.ColourYellow], Green: m[rules.ColourGreen]}, nil
}

// coloursPage is 设置 › 风险颜色: a county's red and yellow rules, as in
// force or as being written, with the preview of the counts per colour.
type coloursPage struct {
	Counties []safetynet.Place
	Rules    sqlstore.ColourRuleSet // in force
	Versions []sqlstore.ColourRuleSet
	Red      string // as typed
	Yellow   string
	Preview  *sqlstore.ColourPreview
	Warnings []string
	CanEdit  bool
	Colours  []rules.Colour
}

func (s *Server) showColours(w http.ResponseWriter, r *http.Request, rc *reqCtx, county string, pg coloursPage, formErr error) error {
	if err := rc.actor.Require(access.RulesView); err != nil {
		return err
	}
	var err error
	if pg.Counties, err = s.store.ColourCounties(r.Context(), rc.actor); err != nil {
		return err
	}
	if county == "" {
		if len(pg.Counties) == 0 {
			return safetynet.NotFound("县（区）", "county")
		}
		county = pg.Counties[0].Code
	}
	if pg.Rules, pg.Versions, err = s.store.ColourRules(r.Context(), rc.actor, county); err != nil {
		return err
	}
	if pg.Red == "" && pg.Yellow == "" {
		pg.Red, pg.Yellow = pg.Rules.Red, pg.Rules.Yellow
	}
	pg.CanEdit, pg.Colours = rc.actor.Can(access.RulesEdit), rules.Colours
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "colours", "colours.title", pg, formErr)
}

// webColours answers GET /settings/colours?county=.
func (s *Server) webColours(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showColours(w, r, rc, r.URL.Query().Get("county"), coloursPage{}, nil)
}

// webPreviewColours answers POST /settings/colours/preview: the counts per
// colour under the rules as typed; nothing is saved.
func (s *Server) webPreviewColours(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	county := r.PostForm.Get("county")
	pg := coloursPage{Red: r.PostForm.Get("red"), Yellow: r.PostForm.Get("yellow")}
	pv, err := s.store.PreviewColours(r.Context(), rc.actor, county, pg.Red, pg.Yellow)
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showColours(w, r, rc, county, pg, err) })
	}
	pg.Preview, pg.Warnings = &pv, colourWarnings(pv, rc.lang)
	return s.showColours(w, r, rc, county, pg, nil)
}

// webPublishColours answers POST /settings/colours/publish.
func (s *Server) webPublishColours(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	county := r.PostForm.Get("county")
	pg := coloursPage{Red: r.PostForm.Get("red"), Yellow: r.PostForm.Get("yellow")}
	version, err := formVersion(r)
	if err == nil {
		_, err = s.store.PublishColourRules(r.Context(), rc.actor, county, pg.Red, pg.Yellow, version)
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showColours(w, r, rc, county, pg, err) })
	}
	s.flashRedirect(w, r, "/settings/colours?county="+url.QueryEscape(strings.TrimSpace(county)), "colours.published")
	return nil
}

func householdIDs(hs []safetynet.Household) []int64 {
	ids := make([]int64, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	return ids
}

// Colours are the colours, for filters.
func (p *page) Colours() []rules.Colour { return rules.Colours }

// workColours are the colours of the households of work items, in one
// query: the badge beside each item of the work list.
func (s *Server) workColours(r *http.Request, rc *reqCtx, items []sqlstore.WorkItem) (map[int64]sqlstore.HouseholdColour, error) {
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		if it.HouseholdID != 0 {
			ids = append(ids, it.HouseholdID)
		}
	}
	return s.store.HouseholdColours(r.Context(), rc.actor, ids)
}

func init() {
	// The audit log names the publishing of colour rules and links the county's page.
	auditActions = append(auditActions, safetynet.Option{Code: "colours.publish", ZH: "发布风险颜色规则", EN: "risk colour rules published"})
	auditObjects["colour_rules"] = struct{ zh, en, path string }{"风险颜色规则", "risk colour rules", "/settings/colours?county="}
}

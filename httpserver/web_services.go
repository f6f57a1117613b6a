package httpserver

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/services"
	"safetynet/sqlstore"
)

// SvcType, SvcFreq, SvcKind and SvcRole name the services vocabulary in
// the page's language.
func (p *page) SvcType(t services.Type) string       { return t.Name(p.Lang) }
func (p *page) SvcFreq(f services.Frequency) string  { return f.Name(p.Lang) }
func (p *page) SvcKind(k services.WorkerKind) string { return k.Name(p.Lang) }
func (p *page) SvcRole(r services.TeamRole) string   { return r.Name(p.Lang) }
func (p *page) SvcTypes() []services.Type            { return services.Types }
func (p *page) SvcFreqs() []services.Frequency       { return services.Frequencies }
func (p *page) SvcKinds() []services.WorkerKind      { return services.WorkerKinds }
func (p *page) SvcRoles() []services.TeamRole        { return services.TeamRoles }
func (p *page) Category(code string) string          { return safetynet.CategoryLabel(code, p.Lang) }
func (p *page) SvcCategories() []safetynet.Category  { return safetynet.Categories }
func (p *page) Clock(t time.Time) string             { return t.In(serviceLoc).Format("15:04") }
func (p *page) DateTimeLocal(t time.Time) string {
	return t.In(serviceLoc).Format("2006-01-02T15:04")
}
func (p *page) SvcStatus(status string) string              { return p.T("services.review." + status) }
func (p *page) SvcConfirm(kind string) string               { return p.T("services.confirm." + kind) }
func (p *page) SvcEvidence(e sqlstore.ServiceEvidence) bool { return e.Kind == "photo" }

// serviceLoc is the zone of the dates and times of service pages and
// forms, as p.Time shows times.
var serviceLoc = time.Local

// servicesPage is 服务机构: the organisations the viewer sees and the
// latest services recorded.
type servicesPage struct {
	Orgs    []sqlstore.ServiceOrg
	Records []sqlstore.ServiceRecord
}

func (s *Server) webServices(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	orgs, err := s.store.ServiceOrgs(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	recs, err := s.store.ServiceRecords(r.Context(), rc.actor, sqlstore.ServiceRecordFilter{Limit: 30})
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "services", "services.title", servicesPage{Orgs: orgs, Records: recs}, nil)
}

// orgFormPage is the form registering an organisation with its contract.
type orgFormPage struct {
	Form   map[string]string
	Cats   map[string]bool
	Place  string
	Places []safetynet.Place // the buyers to choose from: the actor's county and towns
}

func (s *Server) webNewServiceOrg(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := rc.actor.Require(access.ServiceManage); err != nil {
		return err
	}
	today := time.Now().In(serviceLoc)
	form := map[string]string{"starts_on": today.Format("2006-01-02"), "ends_on": time.Date(today.Year(), 12, 31, 0, 0, 0, 0, serviceLoc).Format("2006-01-02")}
	return s.render(w, r, rc, http.StatusOK, "services_org_new", "services.org_new", orgFormPage{Form: form, Cats: map[string]bool{}, Place: rc.actor.Place, Places: s.buyerPlaces(r, rc)}, nil)
}

// contractFromForm reads the contract fields of a form.
func contractFromForm(f map[string][]string) (services.NewContract, map[string]string, error) {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	form := map[string]string{}
	for _, k := range []string{"title", "doc_no", "starts_on", "ends_on", "budget", "place_code", "name", "contact", "note"} {
		form[k] = get(k)
	}
	k := services.NewContract{PlaceCode: form["place_code"], Title: form["title"], DocNo: form["doc_no"], StartsOn: form["starts_on"],
		EndsOn: form["ends_on"], Categories: f["categories"]}
	budget, ok := services.ParseYuan(form["budget"])
	if !ok {
		return k, form, safetynet.Invalid("budget_fen", "预算请填写金额（元，最多两位小数）", "the budget must be an amount in yuan")
	}
	k.BudgetFen = budget
	for _, t := range services.Types {
		v := get("price_" + string(t))
		form["price_"+string(t)] = v
		if v == "" {
			continue
		}
		fen, ok := services.ParseYuan(v)
		if !ok {
			return k, form, safetynet.Text(safetynet.EInvalid, "prices", t.Name("zh")+"单价请填写金额（元）", t.Name("en")+": the price must be an amount in yuan")
		}
		k.Prices = append(k.Prices, services.Price{Type: t, PriceFen: fen})
	}
	return k, form, nil
}

func (s *Server) webCreateServiceOrg(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	k, form, err := contractFromForm(r.PostForm)
	cats := map[string]bool{}
	for _, c := range k.Categories {
		cats[c] = true
	}
	var id int64
	if err == nil {
		id, err = s.store.CreateServiceOrg(r.Context(), rc.actor, sqlstore.NewServiceOrg{Name: form["name"], PlaceCode: form["place_code"],
			Contact: form["contact"], Note: form["note"], Contract: &k})
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error {
			return s.render(w, r, rc, statusOf(s.publicError(r, err)), "services_org_new", "services.org_new",
				orgFormPage{Form: form, Cats: cats, Place: form["place_code"], Places: s.buyerPlaces(r, rc)}, err)
		})
	}
	s.flashRedirect(w, r, "/services/orgs/"+strconv.FormatInt(id, 10), "services.org_created")
	return nil
}

// orgPage is one organisation: its contracts (prices, coverage) and
// workers, with the forms of those who manage it.
type orgPage struct {
	Org    sqlstore.ServiceOrg
	Plans  []sqlstore.ServicePlan
	Form   map[string]string
	Cats   map[string]bool
	Place  string
	Places []safetynet.Place
}

func (s *Server) webServiceOrg(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showServiceOrg(w, r, rc, nil, nil)
}

func (s *Server) showServiceOrg(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	id, err := pathID(r, "serviceOrgID")
	if err != nil {
		return err
	}
	o, err := s.store.ServiceOrg(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	pg := orgPage{Org: o, Form: form, Cats: map[string]bool{}, Place: rc.actor.Place, Places: s.buyerPlaces(r, rc)}
	if pg.Form == nil {
		today := s.store.Now().In(serviceLoc)
		pg.Form = map[string]string{"starts_on": today.Format("2006-01-02"), "ends_on": time.Date(today.Year(), 12, 31, 0, 0, 0, 0, serviceLoc).Format("2006-01-02")}
	}
	for _, k := range o.Contracts {
		ps, err := s.store.ServicePlans(r.Context(), rc.actor, k.ID, 0)
		if err != nil {
			return err
		}
		pg.Plans = append(pg.Plans, ps...)
	}
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "services_org", "services.org", pg, formErr)
}

func (s *Server) webAddServiceWorker(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "serviceOrgID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	person, _ := strconv.ParseInt(strings.TrimSpace(f.Get("person_id")), 10, 64)
	_, err = s.store.AddServiceWorker(r.Context(), rc.actor, id, sqlstore.NewServiceWorker{Name: f.Get("worker_name"),
		Kind: services.WorkerKind(f.Get("kind")), Certified: f.Get("certified") == "1", Username: f.Get("username"), PersonID: person})
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showServiceOrg(w, r, rc, nil, err) })
	}
	s.flashRedirect(w, r, "/services/orgs/"+strconv.FormatInt(id, 10), "services.worker_added")
	return nil
}

func (s *Server) webAddServiceContract(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "serviceOrgID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	k, form, err := contractFromForm(r.PostForm)
	if err == nil {
		_, err = s.store.AddServiceContract(r.Context(), rc.actor, id, k)
	}
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showServiceOrg(w, r, rc, form, err) })
	}
	s.flashRedirect(w, r, "/services/orgs/"+strconv.FormatInt(id, 10), "services.contract_added")
	return nil
}

// webContractPost handles the forms that add to a contract from a
// household's page or the organisation's: coverage, a plan, a team member.
func (s *Server) webContractPost(what string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		if err := parseForm(r); err != nil {
			return err
		}
		f := r.PostForm
		// The household page's forms choose the contract in a select and
		// post to contract 0.
		if r.PathValue("serviceContractID") == "0" {
			r.SetPathValue("serviceContractID", f.Get("contract"))
		}
		id, err := pathID(r, "serviceContractID")
		if err != nil {
			return err
		}
		num := func(k string) int64 { n, _ := strconv.ParseInt(strings.TrimSpace(f.Get(k)), 10, 64); return n }
		back := f.Get("back")
		if !strings.HasPrefix(back, "/households/") && !strings.HasPrefix(back, "/services/orgs/") {
			back = "/services"
		}
		var msg string
		switch what {
		case "coverage":
			err, msg = s.store.AddServiceCoverage(r.Context(), rc.actor, id, num("household_id"), f.Get("category")), "services.coverage_added"
		case "plan":
			_, err = s.store.CreateServicePlan(r.Context(), rc.actor, services.NewPlan{ContractID: id, HouseholdID: num("household_id"),
				PersonID: num("person_id"), Type: services.Type(f.Get("service_type")), Frequency: services.Frequency(f.Get("frequency")),
				WorkerID: num("worker_id"), StartsOn: f.Get("starts_on"), EndsOn: f.Get("ends_on")})
			msg = "services.plan_added"
		case "team":
			_, err = s.store.AddTeamMember(r.Context(), rc.actor, id, num("person_id"), services.TeamRole(f.Get("role")), num("worker_id"))
			msg = "services.team_added"
		}
		if err != nil {
			if e := safetynet.AsError(err); e != nil && e.Code != safetynet.ENotFound && e.Code != safetynet.EForbidden {
				return s.render(w, r, rc, statusOf(s.publicError(r, err)), "services_failed", "services.failed", back, err)
			}
			return err
		}
		s.flashRedirect(w, r, back, msg)
		return nil
	}
}

// codePage shows a household's new confirmation code once, to print.
type codePage struct {
	HouseholdID int64
	Name        string
	Code        string
}

func (s *Server) webIssueHouseholdCode(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	code, err := s.store.IssueHouseholdCode(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	v, err := s.store.HouseholdView(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, rc, http.StatusOK, "services_code", "services.code", codePage{HouseholdID: id, Name: headName(v), Code: code}, nil)
}

// recordPage is one recorded service with its evidence.
type recordPage struct {
	R sqlstore.ServiceRecord
}

func (s *Server) webServiceRecord(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "serviceRecordID")
	if err != nil {
		return err
	}
	rec, err := s.store.ServiceRecordByID(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "services_record", "services.record", recordPage{R: rec}, nil)
}

// serviceEvidence serves a photo or signature (web and API), scope-checked.
func (s *Server) serviceEvidence(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "evidenceID")
	if err != nil {
		return err
	}
	f, err := s.store.ServiceEvidenceFile(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.Mime)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(f.Data)
	return err
}

// householdServices is the services block of a household's page.
type householdServices struct {
	Records   []sqlstore.ServiceRecord
	Plans     []sqlstore.ServicePlan
	Team      []sqlstore.TeamMember
	Contracts []sqlstore.ServiceContract // those the viewer may add the household to
	Workers   []sqlstore.ServiceWorker
	Today     string
	Until     string
}

// householdServicesOf loads the block, nil for who may not see services.
func (s *Server) householdServicesOf(r *http.Request, rc *reqCtx, id int64) (*householdServices, error) {
	if !rc.actor.Can(access.ServiceView) {
		return nil, nil
	}
	hs := &householdServices{Today: s.store.Now().In(serviceLoc).Format("2006-01-02")}
	hs.Until = time.Date(s.store.Now().In(serviceLoc).Year(), 12, 31, 0, 0, 0, 0, serviceLoc).Format("2006-01-02")
	var err error
	if hs.Records, err = s.store.ServiceRecords(r.Context(), rc.actor, sqlstore.ServiceRecordFilter{HouseholdID: id, Limit: 10}); err != nil {
		return nil, err
	}
	if hs.Plans, err = s.store.ServicePlans(r.Context(), rc.actor, 0, id); err != nil {
		return nil, err
	}
	if hs.Team, err = s.store.ServiceTeam(r.Context(), rc.actor, id); err != nil {
		if safetynet.CodeOf(err) == safetynet.ENotFound {
			return nil, nil // an organisation's staff on a household their contracts do not cover
		}
		return nil, err
	}
	if rc.actor.Can(access.ServiceManage) {
		orgs, err := s.store.ServiceOrgs(r.Context(), rc.actor)
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			for _, k := range o.Contracts {
				if k.Status == "active" {
					hs.Contracts = append(hs.Contracts, k)
				}
			}
			full, err := s.store.ServiceOrg(r.Context(), rc.actor, o.ID)
			if err != nil {
				return nil, err
			}
			for _, w := range full.Workers {
				if w.Status == "active" {
					w.Name = o.Name + " · " + w.Name
					hs.Workers = append(hs.Workers, w)
				}
			}
		}
	}
	return hs, nil
}

// headName is the name of a household's head (its first member).
func headName(v sqlstore.HouseholdView) string {
	if len(v.Members) > 0 {
		return v.Members[0].Name
	}
	return ""
}

// buyerPlaces are the places a contract may be bought by, among the
// actor's: their own county or town and, below a county, its towns
// (政府购买服务 is bought by a town or a county), shown by their names. A
// failed read leaves the list empty and the form falls back to the
// actor's own place.
func (s *Server) buyerPlaces(r *http.Request, rc *reqCtx) []safetynet.Place {
	var out []safetynet.Place
	own, err := s.store.Place(r.Context(), rc.actor, rc.actor.Place)
	if err != nil {
		return nil
	}
	if own.Level == safetynet.LevelCounty || own.Level == safetynet.LevelTown {
		out = append(out, own)
	}
	if own.Level == safetynet.LevelCounty {
		kids, err := s.store.PlaceChildren(r.Context(), rc.actor, own.Code)
		if err != nil {
			return nil
		}
		for _, k := range kids {
			if k.Level == safetynet.LevelTown {
				out = append(out, k)
			}
		}
	}
	return out
}

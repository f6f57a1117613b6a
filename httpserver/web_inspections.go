package httpserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/inspections"
	"safetynet/services"
	"safetynet/sqlstore"
)

// The pages of unannounced inspections (四不两直): the list, the form that
// creates one, the inspection with its sample (draw, start, close) and the
// checklist of a sampled household on the inspector's phone.

type inspListPage struct {
	Items     []sqlstore.Inspection
	Counts    map[string]int // by status, of the inspections the user sees
	CanManage bool
}

func (s *Server) webInspections(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.store.Inspections(r.Context(), rc.actor, sqlstore.InspectionFilter{})
	if err != nil {
		return err
	}
	counts, err := s.store.CountInspections(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	return s.render(w, r, rc, http.StatusOK, "inspections", "inspections.title", inspListPage{Items: l, Counts: counts,
		CanManage: rc.actor.Can(access.InspectionManage)}, nil)
}

type inspNewPage struct {
	ClientID   string
	Areas      []sqlstore.InspectionArea
	Campaigns  []sqlstore.InspectionCampaign
	Candidates []sqlstore.InspectorCandidate
	Form       map[string]string
	Chosen     map[int64]bool
	Me         int64
	Today      string
}

func (s *Server) webNewInspection(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showNewInspection(w, r, rc, nil, nil, nil)
}

func (s *Server) showNewInspection(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, chosen map[int64]bool, formErr error) error {
	areas, camps, err := s.store.InspectionAreas(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	cands, err := s.store.InspectorCandidates(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	today := time.Now().In(inspZone).Format(time.DateOnly)
	if form == nil {
		form = map[string]string{"planned_on": today, "villages": "5", "households": "10"}
		if len(areas) > 0 {
			form["place_code"] = areas[0].Code
		}
	}
	if chosen == nil {
		chosen = map[int64]bool{}
	}
	pg := inspNewPage{ClientID: form["client_id"], Areas: areas, Campaigns: camps, Candidates: cands, Form: form, Chosen: chosen,
		Me: rc.actor.UserID, Today: today}
	if pg.ClientID == "" {
		pg.ClientID = newClientID()
	}
	return s.render(w, r, rc, http.StatusOK, "inspection_new", "inspections.new", pg, formErr)
}

// inspZone is the local time zone of inspections' dates and times.
var inspZone = time.FixedZone("CST", 8*3600)

func (s *Server) webCreateInspection(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	form := map[string]string{}
	for _, k := range []string{"client_id", "title", "scope", "place_code", "campaign_id", "planned_on", "villages", "households"} {
		form[k] = strings.TrimSpace(f.Get(k))
	}
	chosen := map[int64]bool{}
	in := inspections.NewInspection{ClientID: form["client_id"], Title: form["title"], PlannedOn: form["planned_on"]}
	for _, v := range f["inspectors"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s.showNewInspection(w, r, rc, form, chosen, safetynet.Invalid("inspectors", "检查人员无效", "an inspector is invalid"))
		}
		chosen[id] = true
		in.InspectorIDs = append(in.InspectorIDs, id)
	}
	num := func(k, zh, en string) (int, error) {
		n, err := strconv.Atoi(form[k])
		if err != nil {
			return 0, safetynet.Text(safetynet.EInvalid, k, zh, en)
		}
		return n, nil
	}
	var err error
	if in.Villages, err = num("villages", "请填写抽查村数", "villages must be a number"); err != nil {
		return s.showNewInspection(w, r, rc, form, chosen, err)
	}
	if in.Households, err = num("households", "请填写每村抽查户数", "households must be a number"); err != nil {
		return s.showNewInspection(w, r, rc, form, chosen, err)
	}
	if form["scope"] == "campaign" {
		if in.CampaignID, err = strconv.ParseInt(form["campaign_id"], 10, 64); err != nil || in.CampaignID <= 0 {
			return s.showNewInspection(w, r, rc, form, chosen, safetynet.Invalid("campaign_id", "请选择专项行动", "choose a campaign"))
		}
	} else {
		in.PlaceCode = form["place_code"]
	}
	got, _, err := s.store.CreateInspection(r.Context(), rc.actor, in)
	if err != nil {
		if safetynet.CodeOf(err) == safetynet.EInternal {
			return err
		}
		return s.showNewInspection(w, r, rc, form, chosen, err)
	}
	s.flashRedirect(w, r, fmt.Sprintf("/inspections/%d", got.ID), "inspections.created")
	return nil
}

type inspPage struct {
	sqlstore.InspectionView
	Redraw *sqlstore.Redraw
}

func (s *Server) webInspection(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showInspection(w, r, rc, nil)
}

func (s *Server) showInspection(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	id, err := pathID(r, "inspectionID")
	if err != nil {
		return err
	}
	v, err := s.store.InspectionByID(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	pg := inspPage{InspectionView: v}
	if r.URL.Query().Get("verify") == "1" && v.Seed != 0 {
		rd, err := s.store.RedrawInspection(r.Context(), rc.actor, id)
		if err != nil && safetynet.CodeOf(err) != safetynet.EForbidden {
			return err
		}
		if err == nil {
			pg.Redraw = &rd
		}
	}
	return s.render(w, r, rc, http.StatusOK, "inspection", "inspections.title", pg, formErr)
}

// webInspectionAction answers the inspection page's buttons: draw, start
// and close, each with the version the page showed.
func (s *Server) webInspectionAction(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
		id, err := pathID(r, "inspectionID")
		if err != nil {
			return err
		}
		if err := parseForm(r); err != nil {
			return err
		}
		version, _ := strconv.Atoi(r.PostForm.Get("version"))
		switch action {
		case "draw":
			_, err = s.store.DrawInspection(r.Context(), rc.actor, id, version)
		case "start":
			err = s.store.StartInspection(r.Context(), rc.actor, id, version)
		case "close":
			err = s.store.CloseInspection(r.Context(), rc.actor, id, version)
		}
		if err != nil {
			if c := safetynet.CodeOf(err); c == safetynet.EInvalid || c == safetynet.EConflict {
				return s.showInspection(w, r, rc, err)
			}
			return err
		}
		s.flashRedirect(w, r, fmt.Sprintf("/inspections/%d", id), "inspections.done_"+action)
		return nil
	}
}

type inspSamplePage struct {
	sqlstore.SampleDetail
	ClientID string
	Form     map[string]string
}

func (s *Server) webInspectionSample(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showInspectionSample(w, r, rc, nil, nil)
}

func (s *Server) showInspectionSample(w http.ResponseWriter, r *http.Request, rc *reqCtx, form map[string]string, formErr error) error {
	id, err := pathID(r, "sampleID")
	if err != nil {
		return err
	}
	d, err := s.store.SampleByID(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string]string{"found": "1"}
	}
	pg := inspSamplePage{SampleDetail: d, ClientID: form["client_id"], Form: form}
	if pg.ClientID == "" {
		pg.ClientID = newClientID()
	}
	return s.render(w, r, rc, http.StatusOK, "inspection_sample", "inspections.check", pg, formErr)
}

// webRecordInspectionCheck records a household's check from the form when
// the page has no script (the script queues it on the phone and sends
// JSON to the API).
func (s *Server) webRecordInspectionCheck(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "sampleID")
	if err != nil {
		return err
	}
	if err := parseMultipartForm(r, 8<<20); err != nil {
		if safetynet.AsError(err) != nil {
			return err
		}
		return safetynet.Invalid("photos", "照片过大或表单无效", "the photos are too large or the form is invalid")
	}
	f := r.Form
	form := map[string]string{}
	for k := range f {
		form[k] = strings.TrimSpace(f.Get(k))
	}
	nc := inspections.NewCheck{ClientID: form["client_id"], SampleID: id, Found: form["found"] != "0",
		HouseholdSays: form["household_says"], Note: form["note"]}
	if nc.Found {
		for _, it := range inspections.Items {
			nc.Answers = append(nc.Answers, inspections.Answer{Item: it.Code, Answer: form["a_"+it.Code], Note: form["n_"+it.Code]})
		}
	}
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["photos"] {
			b, err := readServicePhoto(fh, inspections.MaxPhotoSize, "photos")
			if err != nil {
				return s.showInspectionSample(w, r, rc, form, err)
			}
			nc.Photos = append(nc.Photos, b)
		}
	}
	c, _, err := s.store.RecordCheck(r.Context(), rc.actor, nc)
	if err != nil {
		if c := safetynet.CodeOf(err); c == safetynet.EInvalid || c == safetynet.EConflict {
			return s.showInspectionSample(w, r, rc, form, err)
		}
		return err
	}
	s.flashRedirect(w, r, fmt.Sprintf("/inspections/%d#village-%s", c.InspectionID, c.VillageCode), "inspections.checked")
	return nil
}

// inspectionPhoto serves a check's photo (web and API).
func (s *Server) inspectionPhoto(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "photoID")
	if err != nil {
		return err
	}
	data, ct, err := s.store.InspectionPhoto(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = w.Write(data)
	return err
}

// Words of the inspection pages, in the page's language.

// InspStatus names an inspection's status.
func (p *page) InspStatus(code string) string { return inspections.Statuses.Label(code, p.Lang) }

// InspHouseholdStatus names a sampled household's status.
func (p *page) InspHouseholdStatus(code string) string {
	return inspections.HouseholdStatuses.Label(code, p.Lang)
}

// InspStatuses is the vocabulary of inspection statuses.
func (p *page) InspStatuses() safetynet.Vocab { return inspections.Statuses }

// InspItems is the checklist.
func (p *page) InspItems() safetynet.Vocab { return inspections.Items }

// InspItem names a checklist item.
func (p *page) InspItem(code string) string { return inspections.Items.Label(code, p.Lang) }

// InspAnswers is the vocabulary of answers.
func (p *page) InspAnswers() safetynet.Vocab { return inspections.Answers }

// InspAnswer names an answer.
func (p *page) InspAnswer(code string) string { return inspections.Answers.Label(code, p.Lang) }

// InspCategory names a register category.
func (p *page) InspCategory(code string) string {
	if c, ok := safetynet.CategoryByCode(code); ok {
		return p.pick(c.ZH, c.EN)
	}
	return code
}

// InspService names a service type.
func (p *page) InspService(code string) string { return services.Type(code).Name(p.Lang) }

// InspMeasure names a measure in force in the page's language.
func (p *page) InspMeasure(m sqlstore.PrefillMeasure) string { return p.pick(m.NameZH, m.NameEN) }

// InspDate is a local date and time.
func (p *page) InspDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(inspZone).Format("2006-01-02 15:04")
}

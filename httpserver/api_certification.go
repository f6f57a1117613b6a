package httpserver

import (
	"net/http"
	"strconv"
	"time"

	"safetynet"
	"safetynet/certification"
	"safetynet/sqlstore"
)

// certificationJSON is a recipient's certification due.
type certificationJSON struct {
	ID          int64      `json:"id"`
	PersonID    int64      `json:"person_id"`
	HouseholdID int64      `json:"household_id"`
	Person      string     `json:"person"`
	PlaceCode   string     `json:"place_code"`
	PlaceName   string     `json:"place_name"`
	Measure     string     `json:"measure"`
	MeasureName string     `json:"measure_name"`
	BasisDate   string     `json:"basis_date"`
	DueDate     string     `json:"due_date"`
	LastDone    string     `json:"last_done,omitempty"`
	Status      string     `json:"status"`
	DaysLeft    int        `json:"days_left"`
	Review      string     `json:"review,omitempty"`
	ReviewNote  string     `json:"review_note,omitempty"`
	ReviewedAt  *time.Time `json:"reviewed_at,omitempty"`
	Version     int        `json:"version"`
}

type certificationListJSON struct {
	Items []certificationJSON `json:"items"`
}

type certificationRecordJSON struct {
	ID       int64     `json:"id"`
	Method   string    `json:"method"`
	Date     string    `json:"date"`
	DueDate  string    `json:"due_date"`
	Late     bool      `json:"late"`
	Evidence string    `json:"evidence,omitempty"`
	Photo    bool      `json:"photo"`
	Note     string    `json:"note,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

type certificationReviewJSON struct {
	Decision string    `json:"decision"`
	Note     string    `json:"note,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

type certificationDetailJSON struct {
	certificationJSON
	Records []certificationRecordJSON `json:"records"`
	Reviews []certificationReviewJSON `json:"reviews"`
}

type certificationRecordedJSON struct {
	ID        int64 `json:"id"`
	Duplicate bool  `json:"duplicate"`
}

type certificationSettingJSON struct {
	Measure     string `json:"measure"`
	MeasureName string `json:"measure_name"`
	Months      int    `json:"months"`
	Active      bool   `json:"active"`
	Version     int    `json:"version"`
}

type certificationSettingsJSON struct {
	Items []certificationSettingJSON `json:"items"`
}

type certCountsJSON struct {
	Face   int `json:"face"`
	Home   int `json:"home"`
	Data   int `json:"data"`
	Done   int `json:"done"`
	Late   int `json:"late"`
	Missed int `json:"missed"`
}

type certPlaceFiguresJSON struct {
	PlaceCode string         `json:"place_code"`
	PlaceName string         `json:"place_name"`
	Current   certCountsJSON `json:"current"`
	Previous  certCountsJSON `json:"previous"`
	DueSoon   int            `json:"due_soon"`
	Overdue   int            `json:"overdue"`
}

type certFiguresJSON struct {
	From    string                 `json:"from"`
	To      string                 `json:"to"`
	Place   certPlaceFiguresJSON   `json:"place"`
	ByChild []certPlaceFiguresJSON `json:"by_child"`
}

func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(certification.Zone).Format("2006-01-02")
}

func measureName(zh, en, lang string) string {
	if lang == "en" {
		return en
	}
	return zh
}

func toCertificationJSON(c sqlstore.CertificationDue, lang string) certificationJSON {
	out := certificationJSON{ID: c.ID, PersonID: c.PersonID, HouseholdID: c.HouseholdID, Person: c.PersonName, PlaceCode: c.PlaceCode,
		PlaceName: c.PlaceName, Measure: c.Measure, MeasureName: measureName(c.MeasureZH, c.MeasureEN, lang), BasisDate: dayText(c.BasisDate),
		DueDate: dayText(c.DueDate), LastDone: dayText(c.LastDone), Status: c.Status, DaysLeft: c.DaysLeft, Review: c.Review,
		ReviewNote: c.ReviewNote, Version: c.Version}
	if !c.ReviewedAt.IsZero() {
		at := c.ReviewedAt
		out.ReviewedAt = &at
	}
	return out
}

func toCertCountsJSON(c sqlstore.CertCounts) certCountsJSON {
	return certCountsJSON{Face: c.Face, Home: c.Home, Data: c.Data, Done: c.Done, Late: c.Late, Missed: c.Missed}
}

func toCertPlaceFiguresJSON(p sqlstore.CertPlaceFigures) certPlaceFiguresJSON {
	return certPlaceFiguresJSON{PlaceCode: p.Place.Code, PlaceName: p.Place.Name, Current: toCertCountsJSON(p.Current),
		Previous: toCertCountsJSON(p.Previous), DueSoon: p.DueSoon, Overdue: p.Overdue}
}

// certFilter reads the list's query: within (days), overdue, review, place, limit.
func certFilter(r *http.Request) (sqlstore.CertificationFilter, error) {
	q := r.URL.Query()
	f := sqlstore.CertificationFilter{Place: q.Get("place"), Review: q.Get("review")}
	if v := q.Get("within"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 400 {
			return f, safetynet.Invalid("within", "within 应为 0 到 400 的天数", "within must be a number of days from 0 to 400")
		}
		f.Within = time.Duration(n) * 24 * time.Hour
	}
	overdue, err := boolParam(r, "overdue")
	if err != nil {
		return f, err
	}
	f.Overdue = overdue
	if f.Limit, err = queryLimit(r, 0, 5000, 0); err != nil {
		return f, err
	}
	return f, nil
}

// apiCertifications answers GET /api/v1/certifications.
func (s *Server) apiCertifications(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	f, err := certFilter(r)
	if err != nil {
		return err
	}
	l, err := s.store.Certifications(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	out := certificationListJSON{Items: make([]certificationJSON, 0, len(l))}
	for _, c := range l {
		out.Items = append(out.Items, toCertificationJSON(c, rc.lang))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiCertification answers GET /api/v1/certifications/{dueID}.
func (s *Server) apiCertification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "dueID")
	if err != nil {
		return err
	}
	d, err := s.store.Certification(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	out := certificationDetailJSON{certificationJSON: toCertificationJSON(d.CertificationDue, rc.lang),
		Records: []certificationRecordJSON{}, Reviews: []certificationReviewJSON{}}
	for _, x := range d.Records {
		by := x.DisplayName
		if by == "" {
			by = x.Username
		}
		out.Records = append(out.Records, certificationRecordJSON{ID: x.ID, Method: x.Method, Date: dayText(x.On), DueDate: dayText(x.DueDate),
			Late: x.Late, Evidence: x.Evidence, Photo: x.HasPhoto, Note: x.Note, By: by, At: x.At})
	}
	for _, x := range d.Reviews {
		out.Reviews = append(out.Reviews, certificationReviewJSON{Decision: x.Decision, Note: x.Note, By: x.Username, At: x.At})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiRecordCertification answers POST /api/v1/certifications/{dueID}/records.
func (s *Server) apiRecordCertification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "dueID")
	if err != nil {
		return err
	}
	var in struct {
		ClientID string `json:"client_id"`
		Method   string `json:"method"`
		Date     string `json:"date"`
		Evidence string `json:"evidence"`
		Note     string `json:"note"`
		Photo    string `json:"photo"` // a data: URL or base64 of a JPEG or PNG
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	on, err := certDate("date", in.Date)
	if err != nil {
		return err
	}
	photo, err := decodePhoto(in.Photo)
	if err != nil {
		return err
	}
	rid, dup, err := s.store.RecordCertification(r.Context(), rc.actor, id, sqlstore.CertificationInput{ClientID: in.ClientID,
		Record: certification.Record{Method: in.Method, On: on, Evidence: in.Evidence, Note: in.Note, Photo: photo}})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if dup {
		status = http.StatusOK
	}
	writeJSON(w, status, certificationRecordedJSON{ID: rid, Duplicate: dup})
	return nil
}

// certDate reads a local day.
func certDate(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	d, ok := certification.ParseDay(v)
	if !ok {
		return d, safetynet.Invalid(field, "日期格式应为 2006-01-02", "dates are written 2006-01-02")
	}
	return d, nil
}

// apiReviewCertification answers POST /api/v1/certifications/{dueID}/review.
func (s *Server) apiReviewCertification(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "dueID")
	if err != nil {
		return err
	}
	var in struct {
		Decision string `json:"decision"`
		Note     string `json:"note"`
		Version  int    `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	if err := s.store.ReviewCertification(r.Context(), rc.actor, id, in.Decision, in.Note, in.Version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiCertificationPhoto answers GET /api/v1/certifications/records/{recordID}/photo.
func (s *Server) apiCertificationPhoto(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "recordID")
	if err != nil {
		return err
	}
	b, err := s.store.CertificationPhoto(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", http.DetectContentType(b))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
	return nil
}

func toCertSettingsJSON(l []sqlstore.CertificationSetting, lang string) certificationSettingsJSON {
	out := certificationSettingsJSON{Items: make([]certificationSettingJSON, 0, len(l))}
	for _, x := range l {
		out.Items = append(out.Items, certificationSettingJSON{Measure: x.Measure, MeasureName: measureName(x.ZH, x.EN, lang),
			Months: x.Months, Active: x.Active, Version: x.Version})
	}
	return out
}

// apiCertificationSettings answers GET /api/v1/certifications/settings.
func (s *Server) apiCertificationSettings(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.store.CertificationSettings(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCertSettingsJSON(l, rc.lang))
	return nil
}

// apiSetCertificationSetting answers PUT /api/v1/certifications/settings/{measure}.
func (s *Server) apiSetCertificationSetting(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in struct {
		Months  int  `json:"months"`
		Active  bool `json:"active"`
		Version int  `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Version < 0 {
		return safetynet.Invalid("version", "版本号无效", "version must be 0 or more")
	}
	if err := s.store.SetCertificationSetting(r.Context(), rc.actor, certification.Setting{Measure: r.PathValue("measure"),
		Months: in.Months, Active: in.Active}, in.Version); err != nil {
		return err
	}
	l, err := s.store.CertificationSettings(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCertSettingsJSON(l, rc.lang))
	return nil
}

// certPeriod reads from and to (local days; the last 30 days by default).
func certPeriod(r *http.Request, now time.Time) (time.Time, time.Time, error) {
	q := r.URL.Query()
	to := certification.Day(now).AddDate(0, 0, 1)
	from := to.AddDate(0, 0, -30)
	if v := q.Get("from"); v != "" {
		d, err := certDate("from", v)
		if err != nil {
			return from, to, err
		}
		from = d
	}
	if v := q.Get("to"); v != "" {
		d, err := certDate("to", v)
		if err != nil {
			return from, to, err
		}
		to = d.AddDate(0, 0, 1) // the last day included
	}
	if !to.After(from) {
		return from, to, safetynet.Invalid("to", "结束日期应晚于开始日期", "the period must end after it starts")
	}
	return from, to, nil
}

// apiCertificationFigures answers GET /api/v1/certifications/figures.
func (s *Server) apiCertificationFigures(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	from, to, err := certPeriod(r, s.store.Now())
	if err != nil {
		return err
	}
	f, err := s.store.CertificationFigures(r.Context(), rc.actor, r.URL.Query().Get("place"), from, to)
	if err != nil {
		return err
	}
	out := certFiguresJSON{From: dayText(f.From), To: dayText(f.To.AddDate(0, 0, -1)), Place: toCertPlaceFiguresJSON(f.Place),
		ByChild: make([]certPlaceFiguresJSON, 0, len(f.ByChild))}
	for _, c := range f.ByChild {
		out.ByChild = append(out.ByChild, toCertPlaceFiguresJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

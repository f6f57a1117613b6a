package httpserver

import (
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/services"
	"safetynet/sqlstore"
)

// minePage is 我的服务: the services due to the viewer's organisation
// (overdue first), each with the form that records it.
type minePage struct {
	Day      sqlstore.ServiceDay
	Now      time.Time
	Start    string // default start and end of a service just done
	End      string
	ClientID string
	// Campaigns are the running campaigns (专项行动) a service of each
	// household may be tagged with; AllCampaigns those of any of them.
	Campaigns    map[int64][]sqlstore.CampaignRef
	AllCampaigns []sqlstore.CampaignRef
}

func (s *Server) webMyServices(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	return s.showMyServices(w, r, rc, nil)
}

// showMyServices renders the day; after a refused form it keeps the
// form's client ID, so that sending it again is still the same record.
func (s *Server) showMyServices(w http.ResponseWriter, r *http.Request, rc *reqCtx, formErr error) error {
	d, err := s.store.MyServices(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	now := s.store.Now()
	pg := minePage{Day: d, Now: now, Start: now.Add(-time.Hour).In(serviceLoc).Format("2006-01-02T15:04"),
		End: now.In(serviceLoc).Format("2006-01-02T15:04"), ClientID: r.FormValue("client_id")}
	if pg.ClientID == "" || r.Method == http.MethodGet {
		pg.ClientID = newClientID()
	}
	pg.Campaigns, pg.AllCampaigns = s.dayCampaigns(r, d)
	status := http.StatusOK
	if formErr != nil {
		status = statusOf(s.publicError(r, formErr))
	}
	return s.render(w, r, rc, status, "services_mine", "services.mine", pg, formErr)
}

// readServicePhoto reads one uploaded photo of a form, at most max bytes.
func readServicePhoto(fh *multipart.FileHeader, max int, field string) ([]byte, error) {
	if fh.Size > int64(max) {
		return nil, safetynet.Invalid(field, "图片太大", "the image is too large")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, safetynet.Invalid(field, "图片无法读取", "the image cannot be read")
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, int64(max)+1))
}

// webRecordService records a service from the day's form when the page
// has no script (the script queues it on the phone and sends JSON).
func (s *Server) webRecordService(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	if err := parseMultipartForm(r, 8<<20); err != nil {
		if safetynet.AsError(err) != nil {
			return err
		}
		return safetynet.Invalid("photos", "照片过大或表单无效", "the photos are too large or the form is invalid")
	}
	f := r.Form
	num := func(k string) int64 { n, _ := strconv.ParseInt(strings.TrimSpace(f.Get(k)), 10, 64); return n }
	in := services.NewRecord{ClientID: f.Get("client_id"), DueID: num("due_id"), HouseholdID: num("household_id"), WorkerID: num("worker_id"),
		Type: services.Type(f.Get("service_type")), Code: f.Get("code"), Note: f.Get("note"), CampaignID: num("campaign_id")}
	if in.ClientID == "" {
		in.ClientID = newClientID()
	}
	var err error
	if in.StartedAt, err = time.ParseInLocation("2006-01-02T15:04", f.Get("started_at"), serviceLoc); err != nil {
		return s.showMyServices(w, r, rc, safetynet.Invalid("started_at", "请填写开始时间", "started_at is required"))
	}
	if in.EndedAt, err = time.ParseInLocation("2006-01-02T15:04", f.Get("ended_at"), serviceLoc); err != nil {
		return s.showMyServices(w, r, rc, safetynet.Invalid("ended_at", "请填写结束时间", "ended_at is required"))
	}
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["photos"] {
			b, err := readServicePhoto(fh, services.MaxPhotoBytes, "photos")
			if err != nil {
				return s.showMyServices(w, r, rc, err)
			}
			in.Photos = append(in.Photos, b)
		}
	}
	if sig := f.Get("signature"); sig != "" {
		b, err := decodePhoto(sig)
		if err != nil {
			return s.showMyServices(w, r, rc, safetynet.Invalid("signature", "签名无效", "the signature is invalid"))
		}
		in.Signature = b
	}
	rec, _, err := s.store.RecordService(r.Context(), rc.actor, in)
	if err != nil {
		return s.formFailed(w, r, rc, err, func() error { return s.showMyServices(w, r, rc, err) })
	}
	s.flashRedirect(w, r, "/services/records/"+strconv.FormatInt(rec.ID, 10), "services.recorded")
	return nil
}

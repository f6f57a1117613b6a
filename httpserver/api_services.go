package httpserver

import (
	"net/http"
	"strconv"
	"time"

	"safetynet"
	"safetynet/services"
	"safetynet/sqlstore"
)

type serviceOrgListJSON struct {
	Items []sqlstore.ServiceOrg `json:"items"`
}

type servicePlanListJSON struct {
	Items []sqlstore.ServicePlan `json:"items"`
}

type serviceTeamJSON struct {
	Items []sqlstore.TeamMember `json:"items"`
}

type serviceRecordListJSON struct {
	Items []sqlstore.ServiceRecord `json:"items"`
}

// serviceCodeJSON is a household's new confirmation code, shown once.
type serviceCodeJSON struct {
	HouseholdID int64  `json:"household_id"`
	Code        string `json:"code"`
}

// serviceRecordOutJSON is a recorded service; created is false when the
// same client_id was sent before.
type serviceRecordOutJSON struct {
	sqlstore.ServiceRecord
	Created bool `json:"created"`
}

// serviceRecordInJSON is a service as the phone sends it.
type serviceRecordInJSON struct {
	ClientID    string             `json:"client_id"`
	ContractID  int64              `json:"contract_id"`
	DueID       int64              `json:"due_id"`
	WorkerID    int64              `json:"worker_id"`
	HouseholdID int64              `json:"household_id"`
	PersonID    int64              `json:"person_id"`
	ServiceType string             `json:"service_type"`
	StartedAt   string             `json:"started_at"`
	EndedAt     string             `json:"ended_at"`
	Location    *services.Location `json:"location"`
	Photos      []string           `json:"photos"`    // data URLs or base64 of JPEG or PNG
	Signature   string             `json:"signature"` // a PNG data URL
	Code        string             `json:"code"`
	Note        string             `json:"note"`
	CampaignID  int64              `json:"campaign_id"`
}

func (j serviceRecordInJSON) record() (services.NewRecord, error) {
	in := services.NewRecord{ClientID: j.ClientID, ContractID: j.ContractID, DueID: j.DueID, WorkerID: j.WorkerID, HouseholdID: j.HouseholdID,
		PersonID: j.PersonID, Type: services.Type(j.ServiceType), Location: j.Location, Code: j.Code, Note: j.Note, CampaignID: j.CampaignID}
	var err error
	if in.StartedAt, err = time.Parse(time.RFC3339, j.StartedAt); err != nil {
		return in, safetynet.Invalid("started_at", "开始时间格式应为 RFC 3339", "started_at must be an RFC 3339 time")
	}
	if in.EndedAt, err = time.Parse(time.RFC3339, j.EndedAt); err != nil {
		return in, safetynet.Invalid("ended_at", "结束时间格式应为 RFC 3339", "ended_at must be an RFC 3339 time")
	}
	if len(j.Photos) > services.MaxPhotos {
		return in, safetynet.Invalid("photos", "最多上传4张照片", "at most 4 photos")
	}
	for _, p := range j.Photos {
		b, err := decodePhoto(p)
		if err != nil {
			return in, safetynet.Invalid("photos", "照片只能是 JPEG 或 PNG", "photos must be JPEG or PNG")
		}
		in.Photos = append(in.Photos, b)
	}
	if j.Signature != "" {
		b, err := decodePhoto(j.Signature)
		if err != nil {
			return in, safetynet.Invalid("signature", "签名应为 PNG 图片", "the signature must be a PNG")
		}
		in.Signature = b
	}
	return in, nil
}

// apiServiceOrgs answers GET /api/v1/services/orgs.
func (s *Server) apiServiceOrgs(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	l, err := s.store.ServiceOrgs(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, serviceOrgListJSON{Items: l})
	return nil
}

// apiCreateServiceOrg answers POST /api/v1/services/orgs.
func (s *Server) apiCreateServiceOrg(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var in sqlstore.NewServiceOrg
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	id, err := s.store.CreateServiceOrg(r.Context(), rc.actor, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdJSON{ID: id})
	return nil
}

// apiServiceOrg answers GET /api/v1/services/orgs/{serviceOrgID}.
func (s *Server) apiServiceOrg(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "serviceOrgID")
	if err != nil {
		return err
	}
	o, err := s.store.ServiceOrg(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

// apiAddServiceContract answers POST /api/v1/services/orgs/{serviceOrgID}/contracts.
func (s *Server) apiAddServiceContract(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "serviceOrgID")
	if err != nil {
		return err
	}
	var in services.NewContract
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	k, err := s.store.AddServiceContract(r.Context(), rc.actor, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdJSON{ID: k})
	return nil
}

// apiAddServiceWorker answers POST /api/v1/services/orgs/{serviceOrgID}/workers.
func (s *Server) apiAddServiceWorker(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "serviceOrgID")
	if err != nil {
		return err
	}
	var in sqlstore.NewServiceWorker
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	wid, err := s.store.AddServiceWorker(r.Context(), rc.actor, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdJSON{ID: wid})
	return nil
}

// apiAddServiceCoverage answers POST /api/v1/services/contracts/{serviceContractID}/coverage.
func (s *Server) apiAddServiceCoverage(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "serviceContractID")
	if err != nil {
		return err
	}
	var in struct {
		HouseholdID int64  `json:"household_id"`
		Category    string `json:"category"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.AddServiceCoverage(r.Context(), rc.actor, id, in.HouseholdID, in.Category); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiCreateServicePlan answers POST /api/v1/services/contracts/{serviceContractID}/plans.
func (s *Server) apiCreateServicePlan(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "serviceContractID")
	if err != nil {
		return err
	}
	var in services.NewPlan
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	in.ContractID = id
	pid, err := s.store.CreateServicePlan(r.Context(), rc.actor, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdJSON{ID: pid})
	return nil
}

// apiAddTeamMember answers POST /api/v1/services/contracts/{serviceContractID}/team.
func (s *Server) apiAddTeamMember(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "serviceContractID")
	if err != nil {
		return err
	}
	var in struct {
		PersonID int64             `json:"person_id"`
		Role     services.TeamRole `json:"role"`
		WorkerID int64             `json:"worker_id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	mid, err := s.store.AddTeamMember(r.Context(), rc.actor, id, in.PersonID, in.Role, in.WorkerID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdJSON{ID: mid})
	return nil
}

// apiServicePlans answers GET /api/v1/services/plans?contract=&household=.
func (s *Server) apiServicePlans(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	contract, _ := strconv.ParseInt(q.Get("contract"), 10, 64)
	household, _ := strconv.ParseInt(q.Get("household"), 10, 64)
	l, err := s.store.ServicePlans(r.Context(), rc.actor, contract, household)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, servicePlanListJSON{Items: l})
	return nil
}

// apiServiceTeam answers GET /api/v1/households/{householdID}/service-team.
func (s *Server) apiServiceTeam(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	l, err := s.store.ServiceTeam(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, serviceTeamJSON{Items: l})
	return nil
}

// apiIssueHouseholdCode answers POST /api/v1/households/{householdID}/service-code.
func (s *Server) apiIssueHouseholdCode(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "householdID")
	if err != nil {
		return err
	}
	code, err := s.store.IssueHouseholdCode(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, serviceCodeJSON{HouseholdID: id, Code: code})
	return nil
}

// apiMyServices answers GET /api/v1/services/mine.
func (s *Server) apiMyServices(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	d, err := s.store.MyServices(r.Context(), rc.actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// apiRecordService answers POST /api/v1/services/records.
func (s *Server) apiRecordService(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	var j serviceRecordInJSON
	if err := decodeJSON(r, &j); err != nil {
		return err
	}
	in, err := j.record()
	if err != nil {
		return err
	}
	rec, created, err := s.store.RecordService(r.Context(), rc.actor, in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, serviceRecordOutJSON{ServiceRecord: rec, Created: created})
	return nil
}

// apiServiceRecords answers GET /api/v1/services/records?household=&org=&month=&limit=.
func (s *Server) apiServiceRecords(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	q := r.URL.Query()
	limit, err := queryLimit(r, 1, 500, 100)
	if err != nil {
		return err
	}
	f := sqlstore.ServiceRecordFilter{Month: q.Get("month"), Limit: limit}
	f.HouseholdID, _ = strconv.ParseInt(q.Get("household"), 10, 64)
	f.OrgID, _ = strconv.ParseInt(q.Get("org"), 10, 64)
	l, err := s.store.ServiceRecords(r.Context(), rc.actor, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, serviceRecordListJSON{Items: l})
	return nil
}

// apiServiceRecord answers GET /api/v1/services/records/{serviceRecordID}.
func (s *Server) apiServiceRecord(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	id, err := pathID(r, "serviceRecordID")
	if err != nil {
		return err
	}
	rec, err := s.store.ServiceRecordByID(r.Context(), rc.actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

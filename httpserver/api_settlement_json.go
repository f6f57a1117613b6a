package httpserver

import (
	"time"

	"safetynet/services"
	"safetynet/settlement"
	"safetynet/sqlstore"
)

// The JSON of verification and settlement (按劳定酬).

type verifyRecordJSON struct {
	ID          int64      `json:"id"`
	OrgID       int64      `json:"org_id"`
	Org         string     `json:"org"`
	ContractID  int64      `json:"contract_id"`
	Contract    string     `json:"contract"`
	WorkerID    int64      `json:"worker_id"`
	Worker      string     `json:"worker"`
	HouseholdID int64      `json:"household_id"`
	Head        string     `json:"head"`
	Address     string     `json:"address"`
	PersonID    int64      `json:"person_id"`
	Person      string     `json:"person"`
	PlaceCode   string     `json:"place_code"`
	PlaceName   string     `json:"place_name"`
	Type        string     `json:"type"`
	TypeName    string     `json:"type_name"`
	StartedAt   time.Time  `json:"started_at"`
	EndedAt     time.Time  `json:"ended_at"`
	Month       string     `json:"month"`
	LatE6       *int64     `json:"lat_e6"`
	LonE6       *int64     `json:"lon_e6"`
	ConfirmKind string     `json:"confirm_kind"`
	PriceFen    int64      `json:"price_fen"`
	Note        string     `json:"note"`
	Status      string     `json:"status"`
	Reason      string     `json:"reason"`
	ReviewedBy  string     `json:"reviewed_by"`
	ReviewedAt  *time.Time `json:"reviewed_at"`
	Flags       int        `json:"flags"`
	Flag        string     `json:"flag"`
	Version     int        `json:"version"`
}

type verifyRecordListJSON struct {
	Items []verifyRecordJSON `json:"items"`
}

type verifyFlagJSON struct {
	ID            int64     `json:"id"`
	Kind          string    `json:"kind"`
	KindName      string    `json:"kind_name"`
	OtherRecordID int64     `json:"other_record_id"`
	Explanation   string    `json:"explanation"`
	Open          bool      `json:"open"`
	ResolvedBy    string    `json:"resolved_by"`
	CreatedAt     time.Time `json:"created_at"`
}

type verifyEvidenceJSON struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"`
	Mime string `json:"mime"`
	Size int    `json:"size"`
	URL  string `json:"url"`
}

type verifyReviewJSON struct {
	Decision string    `json:"decision"`
	Reason   string    `json:"reason"`
	Reviewer string    `json:"reviewer"`
	SampleID int64     `json:"sample_id"`
	At       time.Time `json:"at"`
}

type verifyRecordDetailJSON struct {
	Record   verifyRecordJSON     `json:"record"`
	Flags    []verifyFlagJSON     `json:"flags"`
	Evidence []verifyEvidenceJSON `json:"evidence"`
	Reviews  []verifyReviewJSON   `json:"reviews"`
	Closed   bool                 `json:"closed"`
}

type verifySampleJSON struct {
	ID        int64     `json:"id"`
	PlaceCode string    `json:"place_code"`
	PlaceName string    `json:"place_name"`
	Month     string    `json:"month"`
	Percent   int       `json:"percent"`
	Seed      int64     `json:"seed"`
	Pool      int       `json:"pool"`
	Drawn     int       `json:"drawn"`
	Pending   int       `json:"pending"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

type verifySampleListJSON struct {
	Items []verifySampleJSON `json:"items"`
}

type settlementLineJSON struct {
	ContractID int64  `json:"contract_id"`
	WorkerID   int64  `json:"worker_id"`
	Worker     string `json:"worker"`
	Type       string `json:"type"`
	TypeName   string `json:"type_name"`
	PriceFen   int64  `json:"price_fen"`
	Services   int    `json:"services"`
	AmountFen  int64  `json:"amount_fen"`
}

type settlementWorkerJSON struct {
	WorkerID  int64  `json:"worker_id"`
	Worker    string `json:"worker"`
	Accepted  int    `json:"accepted"`
	Rejected  int    `json:"rejected"`
	Pending   int    `json:"pending"`
	Flagged   int    `json:"flagged"`
	AmountFen int64  `json:"amount_fen"`
}

type settlementItemJSON struct {
	RecordID   int64     `json:"record_id"`
	StartedAt  time.Time `json:"started_at"`
	Worker     string    `json:"worker"`
	Head       string    `json:"head"`
	PlaceName  string    `json:"place_name"`
	Type       string    `json:"type"`
	TypeName   string    `json:"type_name"`
	PriceFen   int64     `json:"price_fen"`
	Status     string    `json:"status"`
	Reason     string    `json:"reason"`
	ReviewedBy string    `json:"reviewed_by"`
	Flags      int       `json:"flags"`
	Flag       string    `json:"flag"`
}

type settlementAdjustmentJSON struct {
	ID         int64     `json:"id"`
	AboutMonth string    `json:"about_month"`
	ContractID int64     `json:"contract_id"`
	Contract   string    `json:"contract"`
	Worker     string    `json:"worker"`
	RecordID   int64     `json:"record_id"`
	AmountFen  int64     `json:"amount_fen"`
	Reason     string    `json:"reason"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

type settlementBudgetJSON struct {
	ContractID     int64  `json:"contract_id"`
	Title          string `json:"title"`
	StartsOn       string `json:"starts_on"`
	EndsOn         string `json:"ends_on"`
	BudgetFen      int64  `json:"budget_fen"`
	SpentBeforeFen int64  `json:"spent_before_fen"`
	ThisMonthFen   int64  `json:"this_month_fen"`
	RemainingFen   int64  `json:"remaining_fen"`
}

type settlementJSON struct {
	OrgID          int64                      `json:"org_id"`
	Org            string                     `json:"org"`
	PlaceName      string                     `json:"place_name"`
	Month          string                     `json:"month"`
	Status         string                     `json:"status"`
	Accepted       int                        `json:"accepted"`
	Rejected       int                        `json:"rejected"`
	Pending        int                        `json:"pending"`
	Flagged        int                        `json:"flagged"`
	ServicesFen    int64                      `json:"services_fen"`
	AdjustmentsFen int64                      `json:"adjustments_fen"`
	TotalFen       int64                      `json:"total_fen"`
	Lines          []settlementLineJSON       `json:"lines"`
	Workers        []settlementWorkerJSON     `json:"workers"`
	RejectedList   []settlementItemJSON       `json:"rejected_list"`
	Blocking       []settlementItemJSON       `json:"blocking"`
	Adjustments    []settlementAdjustmentJSON `json:"adjustments"`
	Budgets        []settlementBudgetJSON     `json:"budgets"`
	Approver       string                     `json:"approver"`
	ApprovedAt     *time.Time                 `json:"approved_at"`
}

type settlementSummaryJSON struct {
	OrgID     int64  `json:"org_id"`
	Org       string `json:"org"`
	PlaceName string `json:"place_name"`
	Month     string `json:"month"`
	Status    string `json:"status"`
	Records   int    `json:"records"`
	Accepted  int    `json:"accepted"`
	Rejected  int    `json:"rejected"`
	Pending   int    `json:"pending"`
	Flagged   int    `json:"flagged"`
	AmountFen int64  `json:"amount_fen"`
}

type settlementListJSON struct {
	Month string                  `json:"month"`
	Items []settlementSummaryJSON `json:"items"`
}

type adjustmentCreatedJSON struct {
	ID        int64 `json:"id"`
	Duplicate bool  `json:"duplicate"`
}

type serviceCountsJSON struct {
	Services     int     `json:"services"`
	Households   int     `json:"households"`
	Reviewed     int     `json:"reviewed"`
	Rejected     int     `json:"rejected"`
	VerifiedRate float64 `json:"verified_rate"`
	RejectedRate float64 `json:"rejected_rate"`
	SettledFen   int64   `json:"settled_fen"`
}

type servicePlaceFiguresJSON struct {
	PlaceCode string            `json:"place_code"`
	PlaceName string            `json:"place_name"`
	Current   serviceCountsJSON `json:"current"`
	Previous  serviceCountsJSON `json:"previous"`
}

type serviceGroupFiguresJSON struct {
	Key      string            `json:"key"`
	Name     string            `json:"name"`
	Current  serviceCountsJSON `json:"current"`
	Previous serviceCountsJSON `json:"previous"`
}

type serviceFiguresJSON struct {
	From       string                    `json:"from"`
	To         string                    `json:"to"`
	PrevFrom   string                    `json:"prev_from"`
	PrevTo     string                    `json:"prev_to"`
	Place      servicePlaceFiguresJSON   `json:"place"`
	ByChild    []servicePlaceFiguresJSON `json:"by_child"`
	ByType     []serviceGroupFiguresJSON `json:"by_type"`
	ByProvider []serviceGroupFiguresJSON `json:"by_provider"`
}

func typeName(t, lang string) string { return services.Type(t).Name(lang) }

func toVerifyRecordJSON(r sqlstore.ServiceRecordView, lang string) verifyRecordJSON {
	out := verifyRecordJSON{ID: r.ID, OrgID: r.OrgID, Org: r.OrgName, ContractID: r.ContractID, Contract: r.ContractTitle, WorkerID: r.WorkerID,
		Worker: r.WorkerName, HouseholdID: r.HouseholdID, Head: r.HeadName, Address: r.Address, PersonID: r.PersonID, Person: r.PersonName,
		PlaceCode: r.PlaceCode, PlaceName: r.PlaceName, Type: r.Type, TypeName: typeName(r.Type, lang), StartedAt: r.Started, EndedAt: r.Ended,
		Month: r.Month, ConfirmKind: r.ConfirmKind, PriceFen: r.PriceFen, Note: r.Note, Status: r.Status, Reason: r.Reason,
		ReviewedBy: r.ReviewedBy, Flags: r.Flags, Flag: r.Flag(lang), Version: r.Version}
	if r.HasLocation {
		lat, lon := r.LatE6, r.LonE6
		out.LatE6, out.LonE6 = &lat, &lon
	}
	if !r.ReviewedAt.IsZero() {
		at := r.ReviewedAt
		out.ReviewedAt = &at
	}
	return out
}

func toVerifyRecordDetailJSON(d sqlstore.ServiceRecordDetail, lang string) verifyRecordDetailJSON {
	out := verifyRecordDetailJSON{Record: toVerifyRecordJSON(d.ServiceRecordView, lang), Flags: []verifyFlagJSON{},
		Evidence: []verifyEvidenceJSON{}, Reviews: []verifyReviewJSON{}, Closed: d.Closed}
	for _, f := range d.FlagList {
		out.Flags = append(out.Flags, verifyFlagJSON{ID: f.ID, Kind: f.Kind, KindName: settlement.FlagName(f.Kind, lang), OtherRecordID: f.OtherRecord,
			Explanation: f.Explanation(lang), Open: f.Open, ResolvedBy: f.ResolvedBy, CreatedAt: f.CreatedAt})
	}
	for _, e := range d.Evidence {
		out.Evidence = append(out.Evidence, verifyEvidenceJSON{ID: e.ID, Kind: e.Kind, Mime: e.Mime, Size: e.Size, URL: evidenceURL(e.ID)})
	}
	for _, r := range d.Reviews {
		out.Reviews = append(out.Reviews, verifyReviewJSON{Decision: r.Decision, Reason: r.Reason, Reviewer: r.Reviewer, SampleID: r.SampleID, At: r.At})
	}
	return out
}

func toVerifySampleJSON(x sqlstore.ServiceSample) verifySampleJSON {
	return verifySampleJSON{ID: x.ID, PlaceCode: x.PlaceCode, PlaceName: x.PlaceName, Month: x.Month, Percent: x.Percent, Seed: x.Seed,
		Pool: x.Pool, Drawn: x.Drawn, Pending: x.Pending, CreatedBy: x.CreatedBy, CreatedAt: x.CreatedAt}
}

func toSettlementItems(l []sqlstore.SettlementItem, lang string) []settlementItemJSON {
	out := make([]settlementItemJSON, 0, len(l))
	for _, it := range l {
		flag := it.FlagZH
		if lang == "en" {
			flag = it.FlagEN
		}
		out = append(out, settlementItemJSON{RecordID: it.RecordID, StartedAt: it.Started, Worker: it.WorkerName, Head: it.HeadName,
			PlaceName: it.PlaceName, Type: it.Type, TypeName: typeName(it.Type, lang), PriceFen: it.PriceFen, Status: it.Status, Reason: it.Reason,
			ReviewedBy: it.ReviewedBy, Flags: it.Flags, Flag: flag})
	}
	return out
}

func toSettlementJSON(st sqlstore.Settlement, lang string) settlementJSON {
	out := settlementJSON{OrgID: st.OrgID, Org: st.OrgName, PlaceName: st.PlaceName, Month: st.Month, Status: "draft", Accepted: st.Accepted,
		Rejected: st.Rejected, Pending: st.Pending, Flagged: st.Flagged, ServicesFen: st.ServicesFen, AdjustmentsFen: st.AdjustmentsFen,
		TotalFen: st.TotalFen, Lines: []settlementLineJSON{}, Workers: []settlementWorkerJSON{}, RejectedList: toSettlementItems(st.RejectedList, lang),
		Blocking: toSettlementItems(st.Blocking, lang), Adjustments: []settlementAdjustmentJSON{}, Budgets: []settlementBudgetJSON{}, Approver: st.Approver}
	if st.Approved {
		out.Status = "approved"
		at := st.ApprovedAt
		out.ApprovedAt = &at
	}
	for _, l := range st.Lines {
		out.Lines = append(out.Lines, settlementLineJSON{ContractID: l.ContractID, WorkerID: l.WorkerID, Worker: l.WorkerName, Type: l.Type,
			TypeName: typeName(l.Type, lang), PriceFen: l.PriceFen, Services: l.Services, AmountFen: l.AmountFen})
	}
	for _, w := range st.Workers {
		out.Workers = append(out.Workers, settlementWorkerJSON{WorkerID: w.WorkerID, Worker: w.Name, Accepted: w.Accepted, Rejected: w.Rejected,
			Pending: w.Pending, Flagged: w.Flagged, AmountFen: w.AmountFen})
	}
	for _, a := range st.Adjustments {
		out.Adjustments = append(out.Adjustments, settlementAdjustmentJSON{ID: a.ID, AboutMonth: a.AboutMonth, ContractID: a.ContractID,
			Contract: a.ContractTitle, Worker: a.WorkerName, RecordID: a.RecordID, AmountFen: a.AmountFen, Reason: a.Reason, CreatedBy: a.CreatedBy,
			CreatedAt: a.CreatedAt})
	}
	for _, b := range st.Budgets {
		out.Budgets = append(out.Budgets, settlementBudgetJSON{ContractID: b.ContractID, Title: b.Title, StartsOn: b.StartsOn, EndsOn: b.EndsOn,
			BudgetFen: b.BudgetFen, SpentBeforeFen: b.SpentBeforeFen, ThisMonthFen: b.ThisMonthFen, RemainingFen: b.RemainingFen})
	}
	return out
}

func toServiceCountsJSON(c sqlstore.ServiceCounts) serviceCountsJSON {
	return serviceCountsJSON{Services: c.Services, Households: c.Households, Reviewed: c.Reviewed, Rejected: c.Rejected,
		VerifiedRate: c.VerifiedRate(), RejectedRate: c.RejectedRate(), SettledFen: c.SettledFen}
}

func toServiceFiguresJSON(f sqlstore.ServiceFigures, lang string) serviceFiguresJSON {
	place := func(p sqlstore.ServicePlaceFigures) servicePlaceFiguresJSON {
		return servicePlaceFiguresJSON{PlaceCode: p.Place.Code, PlaceName: p.Place.Name, Current: toServiceCountsJSON(p.Current),
			Previous: toServiceCountsJSON(p.Previous)}
	}
	out := serviceFiguresJSON{From: f.From, To: f.To, PrevFrom: f.PrevFrom, PrevTo: f.PrevTo, Place: place(f.Place),
		ByChild: []servicePlaceFiguresJSON{}, ByType: []serviceGroupFiguresJSON{}, ByProvider: []serviceGroupFiguresJSON{}}
	for _, c := range f.ByChild {
		out.ByChild = append(out.ByChild, place(c))
	}
	for _, g := range f.ByType {
		out.ByType = append(out.ByType, serviceGroupFiguresJSON{Key: g.Key, Name: typeName(g.Key, lang), Current: toServiceCountsJSON(g.Current),
			Previous: toServiceCountsJSON(g.Previous)})
	}
	for _, g := range f.ByProvider {
		out.ByProvider = append(out.ByProvider, serviceGroupFiguresJSON{Key: g.Key, Name: g.Key, Current: toServiceCountsJSON(g.Current),
			Previous: toServiceCountsJSON(g.Previous)})
	}
	return out
}

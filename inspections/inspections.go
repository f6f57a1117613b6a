// Package inspections is unannounced inspections (四不两直: no notice, no
// greeting, no briefing, no escort; straight to the village, straight to
// the scene).
//
// An inspector creates an inspection of a campaign (its implementing
// villages) or of routine work (an area: a county or a town in their
// scope), names its inspectors and draws its sample from a random seed:
// villages first, then households in each (see Draw). Until the
// inspection starts — the inspectors arrive at the first village — the
// inspection, its sample, its planned date and even its existence are
// seen by its inspectors only (Visible). From the start, those who may
// view inspections in the area see it. Each sampled household gets one
// check: the checklist (Items) answered ok, problem or not applicable
// with a note, what the household says, photos; a household not found is
// recorded as such. The inspection closes when every sampled household is
// checked.
//
// Findings (problem answers) become rectification items; the village
// scores are computed from the checks (rectify*.go, score*.go).
package inspections

import (
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
)

// Statuses of an inspection, in order.
const (
	StatusDraft   = "draft"   // created, no sample yet
	StatusDrawn   = "drawn"   // the sample is drawn; secret until the start
	StatusStarted = "started" // the inspectors arrived: visible in the area
	StatusClosed  = "closed"  // every sampled household checked
)

// Statuses is the vocabulary of inspection statuses.
var Statuses = safetynet.Vocab{
	{Code: StatusDraft, ZH: "待抽样", EN: "not drawn"},
	{Code: StatusDrawn, ZH: "已抽样（保密）", EN: "drawn (secret)"},
	{Code: StatusStarted, ZH: "检查中", EN: "in progress"},
	{Code: StatusClosed, ZH: "已结束", EN: "closed"},
}

// Secret reports whether an inspection of status is still seen by its
// inspectors only.
func Secret(status string) bool { return status == StatusDraft || status == StatusDrawn }

// Visible decides whether an actor sees an inspection: its inspectors
// always; once started, those who may view inspections (canView) and
// whose scope holds its area or one of its sampled villages (inScope).
// Storage applies the same rule in its queries (sqlstore's
// inspectionVisible); this is its statement.
func Visible(status string, isInspector, canView, inScope bool) bool {
	if isInspector {
		return true
	}
	return !Secret(status) && canView && inScope
}

// Statuses of a sampled household.
const (
	HouseholdPending  = "pending"
	HouseholdChecked  = "checked"
	HouseholdNotFound = "not_found"
)

// HouseholdStatuses is the vocabulary of a sampled household's status.
var HouseholdStatuses = safetynet.Vocab{
	{Code: HouseholdPending, ZH: "待检查", EN: "to check"},
	{Code: HouseholdChecked, ZH: "已检查", EN: "checked"},
	{Code: HouseholdNotFound, ZH: "未找到该户", EN: "household not found"},
}

// Limits of an inspection's sample.
const (
	MaxVillages   = 200
	MaxHouseholds = 50 // per village
	MaxInspectors = 10
)

// NewInspection is an inspection as its creator enters it.
type NewInspection struct {
	ClientID     string
	Title        string
	CampaignID   int64  // 0: routine work of PlaceCode
	PlaceCode    string // the area: a county or a town (a campaign's owner when CampaignID is set)
	PlannedOn    string // YYYY-MM-DD
	Villages     int
	Households   int     // per village
	InspectorIDs []int64 // users; the creator is always one of them
}

// CheckNew checks an inspection as entered: a client ID, a title of at
// most 100 characters, an area, a planned date not in the past (today
// counts), 1–200 villages and 1–50 households per village, at most 10
// inspectors. today is the local date.
func CheckNew(in NewInspection, today string) (NewInspection, error) {
	in.ClientID = strings.TrimSpace(in.ClientID)
	in.Title = strings.TrimSpace(in.Title)
	in.PlaceCode = strings.TrimSpace(in.PlaceCode)
	in.PlannedOn = strings.TrimSpace(in.PlannedOn)
	switch {
	case in.ClientID == "" || len(in.ClientID) > 64:
		return in, safetynet.Invalid("client_id", "缺少或过长的记录编号", "client_id is required (at most 64 characters)")
	case in.Title == "":
		return in, safetynet.Invalid("title", "请填写检查名称", "title is required")
	case utf8.RuneCountInString(in.Title) > 100:
		return in, safetynet.Invalid("title", "检查名称不能超过100字", "title is longer than 100 characters")
	case in.CampaignID < 0:
		return in, safetynet.Invalid("campaign_id", "专项行动无效", "campaign_id is invalid")
	case in.CampaignID == 0 && in.PlaceCode == "":
		return in, safetynet.Invalid("place_code", "请选择检查的县或乡镇", "place_code (a county or town) is required for routine work")
	}
	d, err := time.Parse(time.DateOnly, in.PlannedOn)
	if err != nil {
		return in, safetynet.Invalid("planned_on", "计划日期格式应为 年-月-日", "planned_on must be a date YYYY-MM-DD")
	}
	if in.PlannedOn = d.Format(time.DateOnly); in.PlannedOn < today {
		return in, safetynet.Invalid("planned_on", "计划日期不能早于今天", "planned_on is in the past")
	}
	switch {
	case in.Villages < 1 || in.Villages > MaxVillages:
		return in, safetynet.Invalid("villages", "抽查村数应为1到200", "villages must be from 1 to 200")
	case in.Households < 1 || in.Households > MaxHouseholds:
		return in, safetynet.Invalid("households", "每村抽查户数应为1到50", "households per village must be from 1 to 50")
	case len(in.InspectorIDs) > MaxInspectors:
		return in, safetynet.Invalid("inspectors", "检查人员不能超过10人", "at most 10 inspectors")
	}
	seen := map[int64]bool{}
	ids := in.InspectorIDs[:0:0]
	for _, id := range in.InspectorIDs {
		if id <= 0 {
			return in, safetynet.Invalid("inspectors", "检查人员无效", "an inspector is invalid")
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	in.InspectorIDs = ids
	return in, nil
}

// AreaLevel reports whether a place of level l may be an inspection's
// area: a county or a town.
func AreaLevel(l safetynet.Level) bool { return l == safetynet.LevelCounty || l == safetynet.LevelTown }

// CanClose reports whether an inspection may close: started, and no
// sampled household left pending. It returns how many are left.
func CanClose(status string, pending int) error {
	if status != StatusStarted {
		return safetynet.Conflict("status", "只有检查中的督查可以结束", "only an inspection in progress can be closed")
	}
	if pending > 0 {
		return safetynet.Conflict("status", "还有 %d 户未检查", "%d sampled households are not checked yet", pending)
	}
	return nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/inspections"
)

// Inspection is an unannounced inspection (四不两直) as its viewer sees it.
type Inspection struct {
	ID            int64            `json:"id"`
	Title         string           `json:"title"`
	CampaignID    int64            `json:"campaign_id"` // 0: routine work
	CampaignTitle string           `json:"campaign_title"`
	PlaceCode     string           `json:"place_code"`
	PlaceName     string           `json:"place_name"`
	PlannedOn     string           `json:"planned_on"`
	Villages      int              `json:"villages"`   // to draw
	Households    int              `json:"households"` // to draw per village
	Seed          int64            `json:"seed"`       // 0 until drawn
	Status        string           `json:"status"`
	DrawnAt       time.Time        `json:"drawn_at"`
	StartedAt     time.Time        `json:"started_at"`
	ClosedAt      time.Time        `json:"closed_at"`
	CreatedBy     string           `json:"created_by"` // display name
	CreatedAt     time.Time        `json:"created_at"`
	Version       int              `json:"version"`
	Inspectors    []InspectorRef   `json:"inspectors"`
	Counts        InspectionCounts `json:"counts"`       // of the sample the viewer sees
	IsInspector   bool             `json:"is_inspector"` // the viewer is one of its inspectors
}

// InspectorRef is an inspector by name.
type InspectorRef struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// InspectionCounts counts a sample's households by status.
type InspectionCounts struct {
	Villages   int `json:"villages"`
	Households int `json:"households"`
	Checked    int `json:"checked"`
	NotFound   int `json:"not_found"`
	Pending    int `json:"pending"`
	Problems   int `json:"problems"` // checks with at least one problem answer
}

// inspectionVisible is the secrecy rule of inspections.Visible as SQL on
// the inspections row aliased i: its inspectors always; once started,
// actors who may view inspections and whose place's subtree holds its
// area or one of its sampled villages. It is the only place where the
// rule becomes a query: lists, counts, pages, the API and the audit log
// view all go through it.
func inspectionVisible(a access.Actor) (string, []any) {
	cond := "EXISTS (SELECT 1 FROM inspection_inspectors ii WHERE ii.inspection_id = i.id AND ii.user_id = ?)"
	args := []any{a.UserID}
	if a.Can(access.InspectionView) && a.Place != "" {
		sc := access.Scope{Kind: access.ScopeSubtree, Place: a.Place}
		c1, a1 := scopeCheck(sc, "i.place_code")
		c2, a2 := scopeCheck(sc, "iv.village_code")
		cond += " OR (i.status IN ('" + inspections.StatusStarted + "', '" + inspections.StatusClosed + "') AND (" + c1 +
			" OR EXISTS (SELECT 1 FROM inspection_villages iv WHERE iv.inspection_id = i.id AND " + c2 + ")))"
		args = append(append(args, a1...), a2...)
	}
	return "(" + cond + ")", args
}

// inspectionAuditHidden is the audit log view's condition that hides the
// entries of an inspection not yet started from all but its inspectors:
// its creation and the draw with its seed tell that it exists, where and
// when. The entries show from the start on like any other.
func inspectionAuditHidden(a access.Actor) (string, []any) {
	return `NOT (object_type = 'inspection' AND EXISTS (SELECT 1 FROM inspections i WHERE CAST(i.id AS TEXT) = audit_log.object_id
		AND i.status IN ('` + inspections.StatusDraft + `', '` + inspections.StatusDrawn + `')
		AND NOT EXISTS (SELECT 1 FROM inspection_inspectors ii WHERE ii.inspection_id = i.id AND ii.user_id = ?)))`, []any{a.UserID}
}

const inspectionColumns = `i.id, i.title, i.campaign_id, COALESCE((SELECT c.title FROM campaigns c WHERE c.id = i.campaign_id), ''),
	i.place_code, COALESCE((SELECT p.name FROM places p WHERE p.code = i.place_code), ''), i.planned_on, i.villages_n, i.households_n,
	i.sample_seed, i.status, i.drawn_at, i.started_at, i.closed_at,
	COALESCE((SELECT NULLIF(u.display_name, '') FROM users u WHERE u.username = i.created_by), i.created_by), i.created_at, i.version,
	CASE WHEN EXISTS (SELECT 1 FROM inspection_inspectors ii WHERE ii.inspection_id = i.id AND ii.user_id = ?) THEN 1 ELSE 0 END`

func scanInspection(sc interface{ Scan(...any) error }) (Inspection, error) {
	var in Inspection
	var drawn, started, closed, created int64
	var mine int
	err := sc.Scan(&in.ID, &in.Title, &in.CampaignID, &in.CampaignTitle, &in.PlaceCode, &in.PlaceName, &in.PlannedOn, &in.Villages, &in.Households,
		&in.Seed, &in.Status, &drawn, &started, &closed, &in.CreatedBy, &created, &in.Version, &mine)
	in.DrawnAt, in.StartedAt, in.ClosedAt, in.CreatedAt = fromMS(drawn), fromMS(started), fromMS(closed), fromMS(created)
	in.IsInspector = mine == 1
	return in, err
}

// InspectionFilter narrows the list of inspections.
type InspectionFilter struct {
	Status string // one of inspections.Statuses, or all
	Limit  int
}

// Inspections lists the inspections the actor sees (inspectionVisible),
// newest planned first, with their counts.
func (s *Store) Inspections(ctx context.Context, a access.Actor, f InspectionFilter) ([]Inspection, error) {
	if !a.Can(access.InspectionView) && !a.Can(access.InspectionManage) {
		return nil, safetynet.Forbidden()
	}
	vis, args := inspectionVisible(a)
	conds := []string{vis}
	if f.Status != "" {
		conds, args = append(conds, "i.status = ?"), append(args, f.Status)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	var out []Inspection
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, "SELECT "+inspectionColumns+" FROM inspections i WHERE "+strings.Join(conds, " AND ")+
			fmt.Sprintf(" ORDER BY i.planned_on DESC, i.id DESC LIMIT %d", limit), append([]any{a.UserID}, args...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: inspections: %w", err)
		}
		for rows.Next() {
			in, err := scanInspection(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: inspections: %w", err)
			}
			out = append(out, in)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlstore: inspections: %w", err)
		}
		for i := range out {
			if err := s.inspectionDetails(ctx, t, a, &out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// CountInspections counts the inspections the actor sees by status (for
// the home page and the menu); secret ones count for their inspectors only.
func (s *Store) CountInspections(ctx context.Context, a access.Actor) (map[string]int, error) {
	out := map[string]int{}
	if !a.Can(access.InspectionView) && !a.Can(access.InspectionManage) {
		return out, nil
	}
	vis, args := inspectionVisible(a)
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, "SELECT i.status, COUNT(*) FROM inspections i WHERE "+vis+" GROUP BY i.status", args...)
		if err != nil {
			return fmt.Errorf("sqlstore: count inspections: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var st string
			var n int
			if err := rows.Scan(&st, &n); err != nil {
				return fmt.Errorf("sqlstore: count inspections: %w", err)
			}
			out[st] = n
		}
		return rows.Err()
	})
	return out, err
}

// inspection reads one inspection the actor sees; not found otherwise,
// whether it exists or not.
func (s *Store) inspection(ctx context.Context, t *tx, a access.Actor, id int64) (Inspection, error) {
	vis, args := inspectionVisible(a)
	in, err := scanInspection(t.queryRow(ctx, "SELECT "+inspectionColumns+" FROM inspections i WHERE i.id = ? AND "+vis,
		append([]any{a.UserID, id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return in, safetynet.NotFound("督查", "inspection")
	}
	if err != nil {
		return in, fmt.Errorf("sqlstore: inspection %d: %w", id, err)
	}
	return in, s.inspectionDetails(ctx, t, a, &in)
}

// inspectionDetails adds the inspectors and the counts of the sample the
// actor sees (sampleScope).
func (s *Store) inspectionDetails(ctx context.Context, t *tx, a access.Actor, in *Inspection) error {
	rows, err := t.query(ctx, `SELECT u.id, COALESCE(NULLIF(u.display_name, ''), u.username) FROM inspection_inspectors ii
		JOIN users u ON u.id = ii.user_id WHERE ii.inspection_id = ? ORDER BY u.id`, in.ID)
	if err != nil {
		return fmt.Errorf("sqlstore: inspectors: %w", err)
	}
	in.Inspectors = []InspectorRef{}
	for rows.Next() {
		var r InspectorRef
		if err := rows.Scan(&r.UserID, &r.Name); err != nil {
			rows.Close()
			return fmt.Errorf("sqlstore: inspectors: %w", err)
		}
		in.Inspectors = append(in.Inspectors, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlstore: inspectors: %w", err)
	}
	where, args := sampleScope(a, *in, "h.village_code")
	err = t.queryRow(ctx, `SELECT COUNT(DISTINCT h.village_code), COUNT(*),
		COALESCE(SUM(CASE WHEN h.status = 'checked' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN h.status = 'not_found' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN h.status = 'pending' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM inspection_checks c WHERE c.sample_id = h.id AND c.answers LIKE '%=problem%') THEN 1 ELSE 0 END), 0)
		FROM inspection_households h WHERE h.inspection_id = ? AND `+where, append([]any{in.ID}, args...)...).Scan(
		&in.Counts.Villages, &in.Counts.Households, &in.Counts.Checked, &in.Counts.NotFound, &in.Counts.Pending, &in.Counts.Problems)
	if err != nil {
		return fmt.Errorf("sqlstore: inspection counts: %w", err)
	}
	return nil
}

// sampleScope limits the sample rows an actor sees of a visible
// inspection: all for its inspectors and for those whose place holds the
// area; else the sampled villages in their place's subtree (a village
// sees its own households, not its neighbours').
func sampleScope(a access.Actor, in Inspection, column string) (string, []any) {
	if in.IsInspector || a.Place == safetynet.RootPlaceCode || a.Place == in.PlaceCode {
		return "1 = 1", nil
	}
	return scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, column)
}

// InspectionView is an inspection with its sample.
type InspectionView struct {
	Inspection
	Sample []SampleVillage `json:"sample"`
}

// SampleVillage is a drawn village with its drawn households, in draw order.
type SampleVillage struct {
	Code       string            `json:"code"`
	Name       string            `json:"name"`
	TownName   string            `json:"town_name"`
	Seq        int               `json:"seq"`
	Households []SampleHousehold `json:"households"`
}

// SampleHousehold is a drawn household and where its check stands.
type SampleHousehold struct {
	ID          int64  `json:"id"` // the sample row: a check is recorded against it
	HouseholdID int64  `json:"household_id"`
	VillageCode string `json:"village_code"`
	Seq         int    `json:"seq"`
	Status      string `json:"status"` // inspections.HouseholdStatuses
	HeadName    string `json:"head_name"`
	Address     string `json:"address"`
	CheckID     int64  `json:"check_id"`
	Problems    int    `json:"problems"`
}

// InspectionByID returns an inspection the actor sees with the part of
// its sample they see; not found when it is secret to them.
func (s *Store) InspectionByID(ctx context.Context, a access.Actor, id int64) (InspectionView, error) {
	if !a.Can(access.InspectionView) && !a.Can(access.InspectionManage) {
		return InspectionView{}, safetynet.Forbidden()
	}
	var v InspectionView
	err := s.read(ctx, func(t *tx) error {
		in, err := s.inspection(ctx, t, a, id)
		if err != nil {
			return err
		}
		v.Inspection = in
		v.Sample, err = s.inspectionSample(ctx, t, a, in)
		return err
	})
	return v, err
}

func (s *Store) inspectionSample(ctx context.Context, t *tx, a access.Actor, in Inspection) ([]SampleVillage, error) {
	where, args := sampleScope(a, in, "v.village_code")
	rows, err := t.query(ctx, `SELECT v.village_code, COALESCE(p.name, ''), COALESCE(tp.name, ''), v.seq FROM inspection_villages v
		LEFT JOIN places p ON p.code = v.village_code LEFT JOIN places tp ON tp.code = p.parent_code
		WHERE v.inspection_id = ? AND `+where+` ORDER BY v.seq`, append([]any{in.ID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: inspection villages: %w", err)
	}
	out := []SampleVillage{}
	at := map[string]int{}
	for rows.Next() {
		var sv SampleVillage
		if err := rows.Scan(&sv.Code, &sv.Name, &sv.TownName, &sv.Seq); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlstore: inspection villages: %w", err)
		}
		sv.Households = []SampleHousehold{}
		at[sv.Code] = len(out)
		out = append(out, sv)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: inspection villages: %w", err)
	}
	where, args = sampleScope(a, in, "s.village_code")
	rows, err = t.query(ctx, `SELECT s.id, s.household_id, s.village_code, s.seq, s.status,
		COALESCE((SELECT pe.name FROM persons pe WHERE pe.id = hh.head_person_id), ''), hh.address,
		COALESCE(c.id, 0), COALESCE(c.answers, '')
		FROM inspection_households s JOIN households hh ON hh.id = s.household_id
		LEFT JOIN inspection_checks c ON c.sample_id = s.id
		WHERE s.inspection_id = ? AND `+where+` ORDER BY s.village_code, s.seq`, append([]any{in.ID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: inspection households: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h SampleHousehold
		var answers string
		if err := rows.Scan(&h.ID, &h.HouseholdID, &h.VillageCode, &h.Seq, &h.Status, &h.HeadName, &h.Address, &h.CheckID, &answers); err != nil {
			return nil, fmt.Errorf("sqlstore: inspection households: %w", err)
		}
		h.Problems = strings.Count(answers, "="+inspections.AnswerProblem)
		if i, ok := at[h.VillageCode]; ok {
			out[i].Households = append(out[i].Households, h)
		}
	}
	return out, rows.Err()
}

// inspectionID is how audit entries name an inspection.
func inspectionID(id int64) string { return strconv.FormatInt(id, 10) }

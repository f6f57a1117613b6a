package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
)

// ScreeningCount is the progress of one place: households of the area in
// the register, screened, suggesting monitoring, handed to the inclusion
// flow. Counted from the records and the register, never typed.
type ScreeningCount struct {
	PlaceCode  string `json:"place_code"`
	PlaceName  string `json:"place_name"`
	Level      string `json:"level"`
	Households int    `json:"households"`
	Screened   int    `json:"screened"`
	Suggested  int    `json:"suggested"`
	HandedOver int    `json:"handed_over"`
	Leaf       bool   `json:"-"` // no place below with households of the area
}

// Share is the share screened, in per mille.
func (c ScreeningCount) Share() int { return campaigns.Share(c.Screened, c.Households) }

// Todo is the households not yet screened.
func (c ScreeningCount) Todo() int { return c.Households - c.Screened }

// Percent is the share screened as a percentage with one decimal.
func (c ScreeningCount) Percent() string {
	sh := c.Share()
	return fmt.Sprintf("%d.%d%%", sh/10, sh%10)
}

// ScreeningProgress is a place's progress and that of the places below it.
type ScreeningProgress struct {
	Campaign ScreeningCampaign
	Place    safetynet.Place
	Crumbs   []safetynet.Place // from the actor's top down to the place's parent
	Total    ScreeningCount
	Rows     []ScreeningCount
	LineFen  int64 // the monitoring line of the campaign's county this year, 0 if none
}

// ScreeningProgressView returns the progress of a screening campaign at
// place (the actor's top when empty), with one row per place below it.
func (s *Store) ScreeningProgressView(ctx context.Context, a access.Actor, campaignID int64, place string) (ScreeningProgress, error) {
	var v ScreeningProgress
	if err := a.Require(access.CampaignView); err != nil {
		return v, err
	}
	err := s.read(ctx, func(t *tx) error {
		var err error
		if v.Campaign, err = s.screeningCampaign(ctx, t, a, campaignID); err != nil {
			return err
		}
		if v.Place, err = s.screeningPlace(ctx, t, a, v.Campaign, place); err != nil {
			return err
		}
		if v.LineFen, err = s.monitoringLine(ctx, t, v.Campaign.PlaceCode, s.now().In(screeningZone).Year()); err != nil {
			return err
		}
		if v.Crumbs, err = s.screeningCrumbs(ctx, t, v.Campaign.Top, v.Place.Code); err != nil {
			return err
		}
		counts := `COUNT(*), COUNT(sr.id), COALESCE(SUM(sr.suggests), 0), COALESCE(SUM(CASE WHEN sr.process_id <> 0 THEN 1 ELSE 0 END), 0)`
		scope, sargs := scopeClause(a.Scope(access.Register), "h.place_code")
		from := ` FROM households h LEFT JOIN screening_records sr ON sr.campaign_id = ? AND sr.household_id = h.id
			WHERE h.status = 'active' AND ` + screeningArea + ` AND ` + scope
		args := append([]any{campaignID, campaignID}, sargs...)
		v.Total = ScreeningCount{PlaceCode: v.Place.Code, PlaceName: v.Place.Name, Level: string(v.Place.Level)}
		if err := t.queryRow(ctx, `SELECT `+counts+from+` AND h.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)`,
			append(args, v.Place.Code)...).Scan(&v.Total.Households, &v.Total.Screened, &v.Total.Suggested, &v.Total.HandedOver); err != nil {
			return fmt.Errorf("sqlstore: screening progress: %w", err)
		}
		rows, err := t.query(ctx, `SELECT c.code, c.name, c.level, `+counts+`,
				CASE WHEN EXISTS (SELECT 1 FROM places g WHERE g.parent_code = c.code) THEN 0 ELSE 1 END
			FROM places c JOIN place_tree pt ON pt.ancestor = c.code JOIN households h ON h.place_code = pt.descendant
			LEFT JOIN screening_records sr ON sr.campaign_id = ? AND sr.household_id = h.id
			WHERE c.parent_code = ? AND h.status = 'active' AND `+screeningArea+` AND `+scope+`
			GROUP BY c.code, c.name, c.level ORDER BY c.code`, append([]any{campaignID, v.Place.Code, campaignID}, sargs...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: screening progress: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c ScreeningCount
			var leaf int
			if err := rows.Scan(&c.PlaceCode, &c.PlaceName, &c.Level, &c.Households, &c.Screened, &c.Suggested, &c.HandedOver, &leaf); err != nil {
				return err
			}
			c.Leaf = leaf == 1
			v.Rows = append(v.Rows, c)
		}
		return rows.Err()
	})
	return v, err
}

// screeningCrumbs lists the places from top down to place's parent.
func (s *Store) screeningCrumbs(ctx context.Context, t *tx, top, place string) ([]safetynet.Place, error) {
	if top == place {
		return nil, nil
	}
	rows, err := t.query(ctx, `SELECT p.code, p.name FROM place_tree up JOIN places p ON p.code = up.ancestor
		WHERE up.descendant = ? AND up.depth > 0 AND EXISTS (SELECT 1 FROM place_tree d WHERE d.ancestor = ? AND d.descendant = up.ancestor)
		ORDER BY up.depth DESC`, place, top)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: screening crumbs: %w", err)
	}
	defer rows.Close()
	var out []safetynet.Place
	for rows.Next() {
		var p safetynet.Place
		if err := rows.Scan(&p.Code, &p.Name); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Lists of a screening's households.
const (
	ScreeningTodo      = "todo"      // not yet screened: the screeners' to-do list
	ScreeningDone      = "screened"  // screened
	ScreeningSuggested = "suggested" // screened and suggesting monitoring
)

// ScreeningLists are the lists' codes.
var ScreeningLists = []string{ScreeningTodo, ScreeningDone, ScreeningSuggested}

// ScreeningPageSize is the households per page of a list.
const ScreeningPageSize = 50

// ScreeningHousehold is one household of a list, with its record if
// screened.
type ScreeningHousehold struct {
	HouseholdID int64  `json:"household_id"`
	HeadName    string `json:"head_name"`
	PlaceCode   string `json:"place_code"`
	PlaceName   string `json:"place_name"`
	Address     string `json:"address"`
	Members     int    `json:"members"`
	// The record, when screened.
	RecordID     int64     `json:"record_id"`
	ScreenedOn   time.Time `json:"-"`
	PerCapitaFen int64     `json:"per_capita_fen"`
	LineFen      int64     `json:"line_fen"`
	Suggests     bool      `json:"suggests"`
	Findings     []string  `json:"findings"`
	Version      int       `json:"version"`
	// Handover: the process the record was handed to, another open
	// process of the household, whether it is monitored already, whether
	// it is a formerly poor household (脱贫户, for the proposal's type).
	ProcessID     int64  `json:"process_id"`
	ProcessStatus string `json:"process_status"`
	ProcessStep   string `json:"process_step"`
	OpenProcessID int64  `json:"open_process_id"`
	Monitored     bool   `json:"monitored"`
	FormerlyPoor  bool   `json:"formerly_poor"`
}

// Handover is the handover status of a suggesting household: handed (a
// process holds it), open (another open process of the household, which
// a handover links), monitored (already a monitored household), or to do.
func (h ScreeningHousehold) Handover() string {
	switch {
	case h.ProcessID != 0:
		return "handed"
	case h.OpenProcessID != 0:
		return "open"
	case h.Monitored:
		return "monitored"
	}
	return "todo"
}

// Suggestion is what the record suggests, as decided when recorded.
func (h ScreeningHousehold) Suggestion() campaigns.Suggestion {
	return campaigns.Suggest(h.PerCapitaFen, h.LineFen, h.Findings)
}

// Prefill is the proposal the handover offers (campaigns.SuggestHandover).
func (h ScreeningHousehold) Prefill() campaigns.Handover {
	return campaigns.SuggestHandover(h.Suggestion(), h.FormerlyPoor)
}

// ScreeningList is one page of a list.
type ScreeningList struct {
	Campaign ScreeningCampaign
	Place    safetynet.Place
	List     string
	Page     int // from 1
	More     bool
	Rows     []ScreeningHousehold
}

// ScreeningHouseholds lists the households of a screening under place in
// the actor's scope: list is ScreeningTodo, ScreeningDone or
// ScreeningSuggested; ordered by grid, address and household, paged.
func (s *Store) ScreeningHouseholds(ctx context.Context, a access.Actor, campaignID int64, place, list string, page int) (ScreeningList, error) {
	v := ScreeningList{List: list, Page: max(page, 1)}
	if err := a.Require(access.CampaignView); err != nil {
		return v, err
	}
	var cond string
	switch list {
	case ScreeningTodo:
		cond = "sr.id IS NULL"
	case ScreeningDone:
		cond = "sr.id IS NOT NULL"
	case ScreeningSuggested:
		cond = "sr.suggests = 1"
	default:
		return v, safetynet.Invalid("list", "名单无效（可选：todo、screened、suggested）", "list must be todo, screened or suggested")
	}
	err := s.read(ctx, func(t *tx) error {
		var err error
		if v.Campaign, err = s.screeningCampaign(ctx, t, a, campaignID); err != nil {
			return err
		}
		if v.Place, err = s.screeningPlace(ctx, t, a, v.Campaign, place); err != nil {
			return err
		}
		scope, sargs := scopeClause(a.Scope(access.Register), "h.place_code")
		args := append([]any{campaignID, campaignID}, sargs...)
		args = append(args, v.Place.Code, ScreeningPageSize+1, (v.Page-1)*ScreeningPageSize)
		rows, err := t.query(ctx, `SELECT h.id, COALESCE((SELECT hp.name FROM persons hp WHERE hp.id = h.head_person_id), ''), h.place_code, pl.name,
				h.address, h.member_count, COALESCE(sr.id, 0), COALESCE(sr.screened_on, ''), COALESCE(sr.per_capita_fen, 0), COALESCE(sr.line_fen, 0),
				COALESCE(sr.suggests, 0), COALESCE(sr.findings, ''), COALESCE(sr.version, 0), COALESCE(sr.process_id, 0),
				COALESCE(mp.status, ''), COALESCE(mp.step, ''),
				COALESCE((SELECT MIN(op.id) FROM monitoring_processes op WHERE op.household_id = h.id AND op.status = 'open'), 0),
				CASE WHEN EXISTS (SELECT 1 FROM assignments m WHERE m.subject = 'household' AND m.subject_id = h.id AND m.end_date = ''
					AND m.category IN (?, ?, ?) AND m.source <> 'case') THEN 1 ELSE 0 END,
				CASE WHEN EXISTS (SELECT 1 FROM assignments f WHERE f.subject = 'household' AND f.subject_id = h.id AND f.end_date = ''
					AND f.category = 'tuopin') THEN 1 ELSE 0 END
			FROM households h JOIN places pl ON pl.code = h.place_code
			LEFT JOIN screening_records sr ON sr.campaign_id = ? AND sr.household_id = h.id
			LEFT JOIN monitoring_processes mp ON mp.id = sr.process_id
			WHERE h.status = 'active' AND `+screeningArea+` AND `+scope+`
				AND h.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) AND `+cond+`
			ORDER BY h.place_code, h.address, h.id LIMIT ? OFFSET ?`,
			append([]any{safetynet.CatMonitorUnstable, safetynet.CatMonitorMarginal, safetynet.CatMonitorSudden}, args...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: screening list: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var h ScreeningHousehold
			var on, findings string
			var suggests, monitored, poor int
			if err := rows.Scan(&h.HouseholdID, &h.HeadName, &h.PlaceCode, &h.PlaceName, &h.Address, &h.Members, &h.RecordID, &on,
				&h.PerCapitaFen, &h.LineFen, &suggests, &findings, &h.Version, &h.ProcessID, &h.ProcessStatus, &h.ProcessStep,
				&h.OpenProcessID, &monitored, &poor); err != nil {
				return err
			}
			h.ScreenedOn, h.Suggests, h.Monitored, h.FormerlyPoor = parseDate(on), suggests == 1, monitored == 1, poor == 1
			h.Findings = campaigns.SplitFindings(findings)
			v.Rows = append(v.Rows, h)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(v.Rows) > ScreeningPageSize {
			v.Rows, v.More = v.Rows[:ScreeningPageSize], true
		}
		return nil
	})
	return v, err
}

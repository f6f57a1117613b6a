package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/inspections"
)

// Rectification is a rectification item with its inspection, village,
// household and the deadline running on it.
type Rectification struct {
	ID              int64
	InspectionID    int64
	InspectionTitle string
	CheckID         int64
	HouseholdID     int64
	HouseholdName   string
	Village         string
	VillageName     string
	Item            string
	Finding         string
	DueOn           string
	Status          string
	Report          string
	HasPhoto        bool   // the village sent a photo with its report
	ReportedBy      string // display names
	ReportedAt      time.Time
	AcceptedBy      string
	AcceptedAt      time.Time
	RaisedBy        string
	RaisedAt        time.Time
	Version         int
	Reopens         int
	Overdue         bool
	// The open deadline, if any: who answers now and by when.
	Level       safetynet.Level
	OwnerName   string
	DeadlineAt  time.Time
	Escalations int
	History     []RectifyEvent
	// IsInspector: the reader is one of the inspection's inspectors.
	IsInspector bool
}

// RectifyEvent is a line of a rectification's history (from the audit log).
type RectifyEvent struct {
	At     time.Time
	Who    string
	Action string // rectify.raise, rectify.report, rectify.accept, rectify.reopen
	Text   string // the finding, report or reason
	DueOn  string
}

// ScoreRect is what a score reads of the item.
func (r Rectification) ScoreRect() inspections.ScoreRect {
	return inspections.ScoreRect{Status: r.Status, DueOn: r.DueOn, ReportedAt: r.ReportedAt, Reopens: r.Reopens}
}

const rectCols = `r.id, r.inspection_id, i.title, r.check_id, r.household_id, COALESCE(hp.name, ''), r.village_code, vp.name, r.item, r.finding,
	r.due_on, r.status, r.report, COALESCE(NULLIF(ur.display_name, ''), r.reported_by), r.reported_at,
	COALESCE(NULLIF(ua.display_name, ''), r.accepted_by), r.accepted_at, COALESCE(NULLIF(ui.display_name, ''), r.raised_by), r.raised_at,
	r.version, (SELECT COUNT(*) FROM deadlines x WHERE x.kind = '` + inspections.KindRectify + `' AND x.item_id = r.id) - 1,
	COALESCE(d.level, ''), COALESCE(op.name, ''), COALESCE(d.due_at, 0), COALESCE(d.escalations, 0),
	CASE WHEN r.report_photo IS NULL THEN 0 ELSE 1 END`

const rectFrom = ` FROM rectifications r JOIN inspections i ON i.id = r.inspection_id JOIN places vp ON vp.code = r.village_code
	LEFT JOIN households h ON h.id = r.household_id AND r.household_id > 0 LEFT JOIN persons hp ON hp.id = h.head_person_id
	LEFT JOIN users ur ON ur.username = r.reported_by AND r.reported_by <> '' LEFT JOIN users ua ON ua.username = r.accepted_by AND r.accepted_by <> ''
	LEFT JOIN users ui ON ui.username = r.raised_by
	LEFT JOIN deadlines d ON d.kind = '` + inspections.KindRectify + `' AND d.item_id = r.id AND d.status = 'open'
	LEFT JOIN places op ON op.code = d.owner_place `

func (s *Store) scanRects(ctx context.Context, t *tx, q string, args ...any) ([]Rectification, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: rectifications: %w", err)
	}
	defer rows.Close()
	now := s.now()
	var out []Rectification
	for rows.Next() {
		var r Rectification
		var reported, accepted, raised, deadline int64
		var level string
		if err := rows.Scan(&r.ID, &r.InspectionID, &r.InspectionTitle, &r.CheckID, &r.HouseholdID, &r.HouseholdName, &r.Village, &r.VillageName,
			&r.Item, &r.Finding, &r.DueOn, &r.Status, &r.Report, &r.ReportedBy, &reported, &r.AcceptedBy, &accepted, &r.RaisedBy, &raised,
			&r.Version, &r.Reopens, &level, &r.OwnerName, &deadline, &r.Escalations, &r.HasPhoto); err != nil {
			return nil, err
		}
		r.ReportedAt, r.AcceptedAt, r.RaisedAt = rectTime(reported), rectTime(accepted), fromMS(raised)
		r.Level = safetynet.Level(level)
		r.DeadlineAt = rectTime(deadline)
		r.Reopens = max(r.Reopens, 0)
		r.Overdue = r.ScoreRect().Late(now)
		out = append(out, r)
	}
	return out, rows.Err()
}

func rectTime(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return fromMS(v)
}

// rectVisible is the condition that a rectification is in a's scope: its
// village within a's place, its inspection started (always true of a
// rectification, and said again so that no list can ever show an
// inspection before it starts).
func rectVisible(a access.Actor) (string, []any) {
	where, args := scopeClause(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "r.village_code")
	if a.Place == "" || !a.Can(access.InspectionView) {
		where, args = "1 = 0", nil
	}
	return where + " AND i.status IN ('started', 'closed')", args
}

// Rectification returns one item of a's scope with its history.
func (s *Store) Rectification(ctx context.Context, a access.Actor, id int64) (Rectification, error) {
	var out Rectification
	err := s.read(ctx, func(t *tx) error {
		r, err := s.rectForChange(ctx, t, a, id)
		if err != nil {
			return err
		}
		l, err := s.scanRects(ctx, t, `SELECT `+rectCols+rectFrom+`WHERE r.id = ?`, id)
		if err != nil {
			return err
		}
		if len(l) == 0 {
			return safetynet.NotFound("整改事项", "rectification")
		}
		out = l[0]
		out.IsInspector = r.insp.isInspector || a.Role == safetynet.RoleAdmin
		rows, err := t.query(ctx, `SELECT l.at, COALESCE(NULLIF(u.display_name, ''), l.username), l.action, l.detail FROM audit_log l
			LEFT JOIN users u ON u.id = l.user_id AND l.user_id > 0
			WHERE l.object_type = 'rectification' AND l.object_id = ? AND l.action LIKE 'rectify.%' ORDER BY l.id`, fmt.Sprint(id))
		if err != nil {
			return fmt.Errorf("sqlstore: rectification history: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e RectifyEvent
			var at int64
			var detail string
			if err := rows.Scan(&at, &e.Who, &e.Action, &detail); err != nil {
				return err
			}
			var d struct {
				Finding, Report, Reason string
				DueOn                   string `json:"due_on"`
			}
			_ = json.Unmarshal([]byte(detail), &d)
			e.At, e.DueOn = fromMS(at), d.DueOn
			e.Text = d.Finding + d.Report + d.Reason
			out.History = append(out.History, e)
		}
		return rows.Err()
	})
	return out, err
}

// RectifyFilter selects rectifications.
type RectifyFilter struct {
	InspectionID int64
	Status       string // one of inspections.RectifyStatuses, "" for all
	Place        string // within this place
	Overdue      bool
	Limit        int
	Offset       int
}

// Rectifications lists the items of a's scope, open ones by due date first.
func (s *Store) Rectifications(ctx context.Context, a access.Actor, f RectifyFilter) ([]Rectification, int, error) {
	if err := a.Require(access.InspectionView); err != nil {
		return nil, 0, err
	}
	where, args := rectVisible(a)
	conds := []string{where}
	if f.InspectionID > 0 {
		conds, args = append(conds, "r.inspection_id = ?"), append(args, f.InspectionID)
	}
	if f.Status != "" {
		ok := false
		for _, st := range inspections.RectifyStatuses {
			ok = ok || st == f.Status
		}
		if !ok {
			return nil, 0, safetynet.Invalid("status", "整改状态无效", "unknown status %q", f.Status)
		}
		conds, args = append(conds, "r.status = ?"), append(args, f.Status)
	}
	if f.Place != "" {
		conds, args = append(conds, "r.village_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"), append(args, f.Place)
	}
	if f.Overdue {
		// Open past the end of the due day (the day's start in local time is
		// compared as text: YYYY-MM-DD sorts as dates do).
		conds, args = append(conds, "r.status IN ('open', 'reopened') AND r.due_on < ?"), append(args, inspections.RectifyDay(s.now()))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	cond := strings.Join(conds, " AND ")
	var out []Rectification
	var total int
	err := s.read(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM rectifications r JOIN inspections i ON i.id = r.inspection_id WHERE `+cond, args...).Scan(&total); err != nil {
			return fmt.Errorf("sqlstore: rectifications: %w", err)
		}
		var err error
		out, err = s.scanRects(ctx, t, `SELECT `+rectCols+rectFrom+`WHERE `+cond+fmt.Sprintf(` ORDER BY CASE r.status WHEN 'open' THEN 0
			WHEN 'reopened' THEN 0 WHEN 'reported' THEN 1 ELSE 2 END, r.due_on, r.id LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), args...)
		return err
	})
	return out, total, err
}

// RectifyCheck is a household check seen by its inspector to raise items:
// its answers and the items already raised.
type RectifyCheck struct {
	CheckID         int64
	InspectionID    int64
	InspectionTitle string
	HouseholdID     int64
	HouseholdName   string
	Village         string
	VillageName     string
	Answers         []inspections.Answer
	Problems        []inspections.Answer // with the inspector's note: the finding
	HouseholdSays   string
	Note            string
	Raised          map[string]int64 // item → rectification id
	Today           string
}

// RectifyCheck returns a check of an inspection for raising items: the
// inspector's view.
func (s *Store) RectifyCheck(ctx context.Context, a access.Actor, inspectionID, checkID int64) (RectifyCheck, error) {
	var c RectifyCheck
	err := s.read(ctx, func(t *tx) error {
		insp, err := s.rectInspection(ctx, t, a, inspectionID, false)
		if err != nil {
			return err
		}
		if err := rectRequireInspector(a, insp); err != nil {
			return err
		}
		var answers, notes string
		err = t.queryRow(ctx, `SELECT c.id, c.inspection_id, c.household_id, COALESCE(hp.name, ''), c.village_code, vp.name, c.answers,
			c.item_notes, c.household_says, c.note FROM inspection_checks c JOIN places vp ON vp.code = c.village_code
			LEFT JOIN households h ON h.id = c.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id
			WHERE c.id = ? AND c.inspection_id = ?`, checkID, inspectionID).Scan(&c.CheckID, &c.InspectionID, &c.HouseholdID, &c.HouseholdName,
			&c.Village, &c.VillageName, &answers, &notes, &c.HouseholdSays, &c.Note)
		if isNoRows(err) {
			return safetynet.NotFound("入户检查记录", "check")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: check %d: %w", checkID, err)
		}
		m := map[string]string{}
		_ = json.Unmarshal([]byte(notes), &m)
		c.Answers = inspections.DecodeAnswers(answers, m)
		c.InspectionTitle, c.Problems = insp.title, inspections.Problems(c.Answers)
		c.Raised, c.Today = map[string]int64{}, inspections.RectifyDay(s.now())
		rows, err := t.query(ctx, `SELECT item, id FROM rectifications WHERE inspection_id = ? AND check_id = ? ORDER BY id`, inspectionID, checkID)
		if err != nil {
			return fmt.Errorf("sqlstore: check %d: %w", checkID, err)
		}
		defer rows.Close()
		for rows.Next() {
			var item string
			var id int64
			if err := rows.Scan(&item, &id); err != nil {
				return err
			}
			if _, ok := c.Raised[item]; !ok {
				c.Raised[item] = id
			}
		}
		return rows.Err()
	})
	return c, err
}

// RectifyInspection checks that a's may see the rectifications and
// scores of an inspection: not found before it starts or outside a's area.
func (s *Store) RectifyInspection(ctx context.Context, a access.Actor, id int64) error {
	return s.read(ctx, func(t *tx) error {
		_, err := s.rectInspection(ctx, t, a, id, false)
		return err
	})
}

package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
)

// WorkEvent is a line of the timeline of a clue or case.
type WorkEvent struct {
	At       time.Time
	ClueID   int64
	CaseID   int64
	Kind     string
	Detail   map[string]any
	Username string
}

func (s *Store) workEvents(ctx context.Context, t *tx, where string, args ...any) ([]WorkEvent, error) {
	rows, err := t.query(ctx, `SELECT at, clue_id, case_id, kind, detail, username FROM work_events WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: timeline: %w", err)
	}
	defer rows.Close()
	var out []WorkEvent
	for rows.Next() {
		var e WorkEvent
		var at int64
		var d string
		if err := rows.Scan(&at, &e.ClueID, &e.CaseID, &e.Kind, &d, &e.Username); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		_ = json.Unmarshal([]byte(d), &e.Detail)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ClueView is a clue with its visits, steps and timeline.
type ClueView struct {
	Clue          Clue
	Verifications []Verification
	Steps         []Step
	Events        []WorkEvent
}

// ClueView loads everything the clue page shows.
func (s *Store) ClueView(ctx context.Context, a access.Actor, id int64) (ClueView, error) {
	var v ClueView
	if err := a.Require(access.WorkView); err != nil {
		return v, err
	}
	err := s.read(ctx, func(t *tx) error {
		var err error
		if v.Clue, err = s.clueInScope(ctx, t, a, id); err != nil {
			return err
		}
		if v.Steps, err = s.steps(ctx, t, "clue_id", id); err != nil {
			return err
		}
		if len(v.Steps) > 0 {
			v.Clue.Due = &v.Steps[0]
		}
		v.Events, err = s.workEvents(ctx, t, "clue_id = ? AND case_id = 0", id)
		return err
	})
	if err != nil {
		return v, err
	}
	v.Verifications, err = s.Verifications(ctx, a, id)
	return v, err
}

// CaseView is a case with everything done for it.
type CaseView struct {
	Case      Case
	Clue      *Clue
	Measures  []CaseMeasure
	Followups []Followup
	Steps     []Step
	Events    []WorkEvent
}

// CaseView loads everything the case page shows; the view is audited.
func (s *Store) CaseView(ctx context.Context, a access.Actor, id int64) (CaseView, error) {
	var v CaseView
	if err := a.Require(access.WorkView); err != nil {
		return v, err
	}
	err := s.read(ctx, func(t *tx) error {
		var err error
		if v.Case, err = s.caseInScope(ctx, t, a, id); err != nil {
			return err
		}
		if v.Case.ClueID != 0 {
			if c, err := s.clueInScope(ctx, t, a, v.Case.ClueID); err == nil {
				v.Clue = &c
			}
		}
		rows, err := t.query(ctx, `SELECT `+caseMeasureCols+` FROM case_measures WHERE case_id = ? ORDER BY id`, id)
		if err != nil {
			return fmt.Errorf("sqlstore: measures of %d: %w", id, err)
		}
		for rows.Next() {
			m, err := scanCaseMeasure(rows)
			if err != nil {
				rows.Close()
				return err
			}
			v.Measures = append(v.Measures, m)
		}
		rows.Close()
		if v.Followups, err = s.followups(ctx, t, id); err != nil {
			return err
		}
		if v.Steps, err = s.steps(ctx, t, "case_id", id); err != nil {
			return err
		}
		where, args := "case_id = ?", []any{id}
		if v.Case.ClueID != 0 {
			where, args = "case_id = ? OR (clue_id = ? AND case_id = 0)", []any{id, v.Case.ClueID}
		}
		v.Events, err = s.workEvents(ctx, t, where, args...)
		return err
	})
	if err != nil {
		return v, err
	}
	return v, s.RecordView(ctx, a, "case.view", "case", fmt.Sprint(id), v.Case.PlaceCode, nil)
}

func (s *Store) followups(ctx context.Context, t *tx, caseID int64) ([]Followup, error) {
	rows, err := t.query(ctx, `SELECT id, case_id, due_date, done_at, done_by, note, created_by FROM followups WHERE case_id = ? ORDER BY due_date, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: follow-ups: %w", err)
	}
	defer rows.Close()
	var out []Followup
	for rows.Next() {
		var f Followup
		var due string
		var done int64
		if err := rows.Scan(&f.ID, &f.CaseID, &due, &done, &f.DoneBy, &f.Note, &f.CreatedBy); err != nil {
			return nil, err
		}
		f.Due, f.DoneAt = parseDate(due), fromMS(done)
		out = append(out, f)
	}
	return out, rows.Err()
}

// HouseholdWork is what the relay shows on a household's form: its open
// cases, measures in force, and recent clues.
type HouseholdWork struct {
	Cases    []Case
	InForce  []CaseMeasure
	Clues    []Clue
	Measures map[string]safetynet.Measure
}

// HouseholdWork loads the relay's part of a household's form.
func (s *Store) HouseholdWork(ctx context.Context, a access.Actor, householdID int64) (HouseholdWork, error) {
	var w HouseholdWork
	if !a.Can(access.WorkView) {
		return w, nil
	}
	where, args := scopeCheck(a.Scope(access.Work), "k.place_code")
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+caseCols+caseFrom+`WHERE k.household_id = ? AND `+where+` ORDER BY k.id DESC LIMIT 20`,
			append([]any{householdID}, args...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: cases of %d: %w", householdID, err)
		}
		var ids []int64
		for rows.Next() {
			k, err := scanCase(rows)
			if err != nil {
				rows.Close()
				return err
			}
			w.Cases = append(w.Cases, k)
			ids = append(ids, k.ID)
		}
		rows.Close()
		if len(ids) > 0 {
			in := make([]any, len(ids))
			for i, id := range ids {
				in[i] = id
			}
			rows, err := t.query(ctx, `SELECT `+caseMeasureCols+` FROM case_measures WHERE status = 'approved' AND case_id IN (`+placeholders(len(ids))+`) ORDER BY id`, in...)
			if err != nil {
				return err
			}
			today := s.now()
			for rows.Next() {
				m, err := scanCaseMeasure(rows)
				if err != nil {
					rows.Close()
					return err
				}
				if m.InForce(today) {
					w.InForce = append(w.InForce, m)
				}
			}
			rows.Close()
		}
		cw, cargs := scopeCheck(a.Scope(access.Work), "c.place_code")
		crows, err := t.query(ctx, `SELECT `+clueCols+clueFrom+`WHERE c.household_id = ? AND `+cw+` ORDER BY c.id DESC LIMIT 20`,
			append([]any{householdID}, cargs...)...)
		if err != nil {
			return err
		}
		defer crows.Close()
		for crows.Next() {
			c, err := scanClue(crows)
			if err != nil {
				return err
			}
			w.Clues = append(w.Clues, c)
		}
		return crows.Err()
	})
	if err != nil {
		return w, err
	}
	ms, err := s.Measures(ctx, true)
	w.Measures = map[string]safetynet.Measure{}
	for _, m := range ms {
		w.Measures[m.Code] = m
	}
	return w, err
}

// WorkFilter selects the steps of a work list.
type WorkFilter struct {
	// Mine lists the steps owned by the actor's own place (the to-do
	// list); otherwise every open step of the actor's subtree.
	Mine    bool
	Overdue bool   // only steps past their deadline
	Place   string // within this place's subtree
	Limit   int
	Offset  int
}

// WorkItem is an open step with what it is about.
type WorkItem struct {
	Step
	Urgency     string
	Subject     string // the person or household concerned
	PlaceName   string
	HouseholdID int64
	Kinds       []string
	Link        string // the page the step is handled on
}

// WorkList lists open steps, the soonest deadline first, with the total.
// Every level sees the overdue steps of its whole subtree.
func (s *Store) WorkList(ctx context.Context, a access.Actor, f WorkFilter) ([]WorkItem, int, error) {
	if err := a.Require(access.WorkView); err != nil {
		return nil, 0, err
	}
	where, args := scopeClause(a.Scope(access.Work), "d.place_code")
	// Due visits (visit.due) have their own list: the grid worker's day.
	conds := []string{"d.status = 'open'", "d.kind <> 'visit.due'", where}
	if f.Mine {
		conds, args = append(conds, "d.owner_place = ?"), append(args, a.Place)
	}
	if f.Overdue {
		conds, args = append(conds, "d.due_at <= ?"), append(args, ms(s.now()))
	}
	if f.Place != "" {
		conds, args = append(conds, "d.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"), append(args, f.Place)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	cond := strings.Join(conds, " AND ")
	var out []WorkItem
	var total int
	err := s.read(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM deadlines d WHERE `+cond, args...).Scan(&total); err != nil {
			return fmt.Errorf("sqlstore: work list: %w", err)
		}
		// SQLite has no statistics to choose between walking every open step
		// in due order and sorting the few of a small place: say which.
		// A few thousand steps are sorted in a moment; past that, walking
		// the open steps in due order finds the first page sooner.
		from := "deadlines d"
		if s.d.name == "sqlite" && !f.Mine && (where != "1 = 1" || f.Place != "") {
			from = "deadlines d INDEXED BY deadlines_open_place"
			if total > 20000 {
				from = "deadlines d INDEXED BY deadlines_open_due"
			}
		}
		rows, err := t.query(ctx, `SELECT `+stepCols+`, COALESCE(c.urgency, k.urgency, ''), COALESCE(c.subject_name, `+deadlineSubjectSQL+`, ''),
			COALESCE(k.household_id, c.household_id, mp.household_id, cd.household_id, 0), pl.name, COALESCE(c.kinds, ''), `+deadlineLinkSQL+`
			FROM `+from+` JOIN places op ON op.code = d.owner_place JOIN places pl ON pl.code = d.place_code
			LEFT JOIN clues c ON c.id = d.clue_id AND d.clue_id > 0 LEFT JOIN cases k ON k.id = d.case_id AND d.case_id > 0
			LEFT JOIN monitoring_processes mp ON mp.id = d.item_id AND d.kind LIKE 'monitoring.%'
			LEFT JOIN certification_dues cd ON cd.id = d.item_id AND d.kind LIKE 'certification.%'
			WHERE `+cond+fmt.Sprintf(` ORDER BY d.due_at, d.id LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), args...)
		if err != nil {
			return fmt.Errorf("sqlstore: work list: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var w WorkItem
			var level, kinds string
			var due int64
			if err := rows.Scan(&w.ID, &w.Kind, &level, &w.OwnerPlace, &w.OwnerName, &due, &w.Escalations, &w.ClueID, &w.CaseID, &w.ItemID,
				&w.Urgency, &w.Subject, &w.HouseholdID, &w.PlaceName, &kinds, &w.Link); err != nil {
				return err
			}
			w.Level, w.DueAt = safetynet.Level(level), fromMS(due)
			w.Overdue = !w.DueAt.After(s.now())
			if kinds != "" {
				w.Kinds = strings.Split(kinds, ",")
			}
			out = append(out, w)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	if err := s.fillSubjects(ctx, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// fillSubjects names the household of case steps that have no clue name.
func (s *Store) fillSubjects(ctx context.Context, items []WorkItem) error {
	for i := range items {
		if items[i].Subject != "" || items[i].HouseholdID == 0 {
			continue
		}
		_ = s.queryRow(ctx, `SELECT COALESCE(hp.name, '') FROM households h LEFT JOIN persons hp ON hp.id = h.head_person_id
			WHERE h.id = ?`, items[i].HouseholdID).Scan(&items[i].Subject)
	}
	return nil
}

// ClueFilter selects clues.
type ClueFilter struct {
	Status  string // reported, acknowledged, closed, case; "" for all
	Place   string
	AfterID int64 // keyset, newest first: clues with a smaller ID
	Limit   int
}

// Clues lists clues of the actor's scope, newest first.
func (s *Store) Clues(ctx context.Context, a access.Actor, f ClueFilter) ([]Clue, error) {
	if err := a.Require(access.WorkView); err != nil {
		return nil, err
	}
	where, args := scopeClause(a.Scope(access.Work), "c.place_code")
	conds := []string{where}
	if f.Status != "" {
		conds, args = append(conds, "c.status = ?"), append(args, f.Status)
	}
	if f.Place != "" {
		conds, args = append(conds, "c.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"), append(args, f.Place)
	}
	if f.AfterID > 0 {
		conds, args = append(conds, "c.id < ?"), append(args, f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var out []Clue
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+clueCols+clueFrom+`WHERE `+strings.Join(conds, " AND ")+fmt.Sprintf(` ORDER BY c.id DESC LIMIT %d`, limit), args...)
		if err != nil {
			return fmt.Errorf("sqlstore: clues: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanClue(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// CaseFilter selects cases.
type CaseFilter struct {
	Status  string // open, closed, "" for all
	Place   string
	AfterID int64
	Limit   int
}

// Cases lists cases of the actor's scope, newest first.
func (s *Store) Cases(ctx context.Context, a access.Actor, f CaseFilter) ([]Case, error) {
	if err := a.Require(access.WorkView); err != nil {
		return nil, err
	}
	where, args := scopeClause(a.Scope(access.Work), "k.place_code")
	conds := []string{where}
	if f.Status != "" {
		conds, args = append(conds, "k.status = ?"), append(args, f.Status)
	}
	if f.Place != "" {
		conds, args = append(conds, "k.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"), append(args, f.Place)
	}
	if f.AfterID > 0 {
		conds, args = append(conds, "k.id < ?"), append(args, f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var out []Case
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+caseCols+caseFrom+`WHERE `+strings.Join(conds, " AND ")+fmt.Sprintf(` ORDER BY k.id DESC LIMIT %d`, limit), args...)
		if err != nil {
			return fmt.Errorf("sqlstore: cases: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			k, err := scanCase(rows)
			if err != nil {
				return err
			}
			out = append(out, k)
		}
		return rows.Err()
	})
	return out, err
}

package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/relay"
	"safetynet/visits"
)

// StepVisit is the kind of a due visit's step in the deadlines table.
const StepVisit = "visit.due"

// planStep is how long each level gets with an overdue planned visit
// before it goes one level up.
const planStep = 24 * time.Hour

// monitoredCategories are the register's categories of monitored
// households (防返贫监测对象).
var monitoredCategories = []string{safetynet.CatMonitorSudden, safetynet.CatMonitorUnstable, safetynet.CatMonitorMarginal}

// VisitGeneration says what a day's generation did.
type VisitGeneration struct {
	Date    string `json:"date"`
	Created int    `json:"created"`
}

// GenerateVisits makes the visits due on the local date of now for the
// whole register: for every household of a target group and every need,
// the most frequent frequency of its groups decides (the latest cut-off,
// see visits.Cutoff) and a visit falls due when the last visit meeting
// the need is on or before the cut-off, unless one is open already. Each
// due visit gets a step owned by the household's grid (else its village)
// that escalates at the end of the day. The work is three statements
// whatever the register's size; running it twice a day adds nothing.
func (s *Store) GenerateVisits(ctx context.Context) (VisitGeneration, error) {
	now := s.now()
	today := visits.LocalDate(now, visitZone)
	res := VisitGeneration{Date: today.Format(visits.DateLayout)}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	batch := "plan-" + res.Date + "-" + hex.EncodeToString(b)
	colours, err := s.hasTable(ctx, "household_colours")
	if err != nil {
		return res, err
	}
	err = s.write(ctx, func(t *tx) error {
		res.Created = 0
		if _, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES ('visits.generated', ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, res.Date); err != nil {
			return fmt.Errorf("sqlstore: generate visits: %w", err)
		}
		plan, err := s.visitPlan(ctx, t)
		if err != nil {
			return err
		}
		var freq []string
		var args []any
		for _, f := range plan.Frequencies {
			if f.Every <= 0 {
				continue
			}
			freq = append(freq, `SELECT CAST(? AS TEXT) AS grp, CAST(? AS TEXT) AS need, CAST(? AS TEXT) AS cutoff`)
			args = append(args, f.Group, f.Need, visits.Cutoff(today, f).Format(visits.DateLayout))
		}
		if len(freq) == 0 {
			return nil
		}
		mon := "'" + strings.Join(monitoredCategories, "', '") + "'"
		groups := `SELECT household_id, 'key_family' AS grp FROM visit_marks
			UNION ALL SELECT DISTINCT household_id, 'elderly_alone' FROM assignments WHERE category = 'elderly_alone' AND end_date = ''
			UNION ALL SELECT DISTINCT household_id, 'monitored' FROM assignments WHERE category IN (` + mon + `) AND end_date = ''`
		if colours {
			groups += ` UNION ALL SELECT household_id, 'colour_' || colour FROM household_colours WHERE colour IN ('red', 'yellow')`
		}
		dueAt := ms(visits.EndOfDay(today))
		args = append(args, res.Date, dueAt, batch, ms(now))
		r, err := t.exec(ctx, `INSERT INTO visit_due (household_id, place_code, need, due_date, due_at, status, batch, created_at)
			SELECT w.household_id, h.place_code, w.need, ?, ?, 'open', ?, ?
			FROM (SELECT g.household_id, f.need, MAX(f.cutoff) AS cutoff FROM (`+groups+`) g
				JOIN (`+strings.Join(freq, " UNION ALL ")+`) f ON f.grp = g.grp GROUP BY g.household_id, f.need) w
			JOIN households h ON h.id = w.household_id AND h.status = 'active'
			LEFT JOIN visit_last l ON l.household_id = w.household_id AND l.need = w.need
			WHERE (l.last_date IS NULL OR l.last_date <= w.cutoff)
			AND NOT EXISTS (SELECT 1 FROM visit_due d WHERE d.household_id = w.household_id AND d.need = w.need
				AND d.status = 'open' AND d.trigger_code = '')
			ON CONFLICT (household_id, need) WHERE status = 'open' AND trigger_code = '' DO NOTHING`, reorder(args, len(freq)*3)...)
		if err != nil {
			return fmt.Errorf("sqlstore: generate visits: %w", err)
		}
		n, _ := r.RowsAffected()
		res.Created = int(n)
		if n == 0 {
			return nil
		}
		return s.openVisitSteps(ctx, t, batch, planStep, now)
	})
	return res, err
}

// GenerateVisitsDaily generates the day's due visits unless they were
// generated already on the local date of now (ran is false then): the
// jobs loop calls it every minute, so it runs once soon after midnight.
func (s *Store) GenerateVisitsDaily(ctx context.Context) (VisitGeneration, bool, error) {
	today := visits.LocalDate(s.now(), visitZone).Format(visits.DateLayout)
	var last string
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT value FROM settings WHERE name = 'visits.generated'`).Scan(&last)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil || last == today {
		return VisitGeneration{Date: today}, false, err
	}
	g, err := s.GenerateVisits(ctx)
	return g, err == nil, err
}

// reorder moves the first n arguments (the frequencies, used in the
// subquery) after the others (used in the SELECT list before it).
func reorder(args []any, n int) []any {
	return append(slices.Clone(args[n:]), args[:n]...)
}

// openVisitSteps opens the steps of the due visits of a batch, owned by
// the nearest grid above (or at) each household's place, else its
// village.
func (s *Store) openVisitSteps(ctx context.Context, t *tx, batch string, step time.Duration, now time.Time) error {
	if _, err := t.exec(ctx, `INSERT INTO deadlines (kind, item_id, place_code, level, owner_place, due_at, interval_ms, status, created_at)
		SELECT ?, x.id, x.place_code, p.level, x.owner, x.due_at, ?, 'open', ?
		FROM (SELECT d.id, d.place_code, d.due_at, (SELECT pt.ancestor FROM place_tree pt JOIN places a ON a.code = pt.ancestor
				WHERE pt.descendant = d.place_code AND a.level IN ('grid', 'village') ORDER BY pt.depth LIMIT 1) AS owner
			FROM visit_due d WHERE d.batch = ?) x
		JOIN places p ON p.code = x.owner`, StepVisit, step.Milliseconds(), ms(now), batch); err != nil {
		return fmt.Errorf("sqlstore: visit steps: %w", err)
	}
	return nil
}

// hasTable reports whether a table exists (the colours table comes with
// a capability this one may run without).
func (s *Store) hasTable(ctx context.Context, name string) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if s.d.name == "postgres" {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	var n int
	err := s.read(ctx, func(t *tx) error { return t.queryRow(ctx, q, name).Scan(&n) })
	return n > 0, err
}

// clueMustVisit queues the must-visit a clue about a household is (see
// visits.TriggerOfClue); department warnings come through here too.
func (s *Store) clueMustVisit(ctx context.Context, t *tx, clueID int64, in safetynet.NewClue) error {
	trigger, ok := visits.TriggerOfClue(in.Source, in.Kinds)
	if !ok || in.HouseholdID == 0 {
		return nil
	}
	return s.queueMustVisit(ctx, t, trigger, in.HouseholdID, clueID)
}

// queueMustVisit adds a must-visit for a household due within the time
// of its occasion, with a step for the grid that escalates.
func (s *Store) queueMustVisit(ctx context.Context, t *tx, trigger string, householdID, sourceID int64) error {
	var place string
	err := t.queryRow(ctx, `SELECT place_code FROM households WHERE id = ? AND status = 'active'`, householdID).Scan(&place)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlstore: must-visit: %w", err)
	}
	plan, err := s.visitPlan(ctx, t)
	if err != nil {
		return err
	}
	now := s.now()
	due, step := visits.MustVisitDue(plan.Within, trigger, now)
	var id int64
	if err := t.queryRow(ctx, `INSERT INTO visit_due (household_id, place_code, need, trigger_code, source_id, due_date, due_at, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?) RETURNING id`, householdID, place, visits.NeedHome, trigger, sourceID,
		visits.LocalDate(due, visitZone).Format(visits.DateLayout), ms(due), ms(now)).Scan(&id); err != nil {
		return fmt.Errorf("sqlstore: must-visit: %w", err)
	}
	_, _, err = s.openDeadline(ctx, t, deadline{Opening: relay.Opening{Kind: StepVisit, Level: safetynet.LevelGrid, Due: due, Interval: step},
		itemID: id, place: place})
	return err
}

// QueueMustVisit records an occasion in a household of the actor's scope
// that needs a visit (a wedding, a death, a disaster, a campaign's
// screening) and queues the visit.
func (s *Store) QueueMustVisit(ctx context.Context, a access.Actor, householdID int64, trigger string) error {
	if err := a.Require(access.ClueReport); err != nil {
		return err
	}
	if !slices.Contains(visits.Triggers, trigger) || trigger == visits.TriggerClue {
		return safetynet.Invalid("trigger", "必访情形无效", "unknown occasion %q", trigger)
	}
	return s.write(ctx, func(t *tx) error {
		h, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false)
		if err != nil {
			return err
		}
		if err := s.queueMustVisit(ctx, t, trigger, h.ID, 0); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, h.ID, 0, h.PlaceCode, "visits.must", map[string]any{"trigger": trigger}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "visits.must", objType: "household", objID: fmt.Sprint(h.ID), place: h.PlaceCode})
	})
}

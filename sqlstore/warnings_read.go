package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/relay"
	"safetynet/rules"
)

// Warning outcomes, as a department sees them (结果反馈).
const (
	WarnPending   = "pending"   // 待响应: the village has not acknowledged the clue
	WarnVerifying = "verifying" // 核实中
	WarnNoRisk    = "no_risk"   // 核实无风险
	WarnCase      = "case"      // 已立案
	WarnHelped    = "helped"    // 已救助: an application approved
	WarnClosed    = "closed"    // 已办结
)

// WarningStatuses are the outcomes in order.
var WarningStatuses = []string{WarnPending, WarnVerifying, WarnNoRisk, WarnCase, WarnHelped, WarnClosed}

// monitoringCategories are the household categories of the monitoring
// (纳入监测).
var monitoringCategories = []string{safetynet.CatMonitorUnstable, safetynet.CatMonitorMarginal, safetynet.CatMonitorSudden}

// EventAmount is a yuan amount of an event.
type EventAmount struct {
	Field  string
	ZH, EN string
	Fen    int64
}

// Warning is a department warning with what became of it.
type Warning struct {
	ID          int64
	RuleID      int64
	RuleName    string
	RuleVersion int
	EventID     int64
	Department  string // safetynet.Departments code
	EventType   string // safetynet.EventTypes code
	EventDate   string
	Amounts     []EventAmount
	PersonID    int64
	HouseholdID int64
	Name        string
	Address     string // the department's address of the person (for someone not in the register)
	PlaceCode   string
	PlaceName   string
	ClueID      int64
	ExplainZH   string
	ExplainEN   string
	CreatedAt   time.Time
	// Status is one of WarningStatuses.
	Status    string
	CaseID    int64
	Outcome   string   // the case's outcome code when closed
	Measures  []string // codes of the measures approved for the case
	MeasureZH []string // their Chinese names
	MeasureEN []string
	// Monitoring is the monitoring category the household gained on or
	// after the warning's day ("" if none).
	Monitoring string
}

// WarningFilter narrows Warnings.
type WarningFilter struct {
	Department, EventType, Status string
	// Limit bounds the lines (200 if 0).
	Limit int
}

const warningCols = `w.id, w.rule_id, r.name, w.rule_version, w.event_id, w.department, w.event_type, w.event_date, w.person_id,
	w.household_id, COALESCE(c.subject_name, ''), w.place_code, pl.name, w.clue_id, w.explain_zh, w.explain_en, w.created_at,
	COALESCE(c.status, ''), COALESCE(c.case_id, 0), COALESCE(k.status, ''), COALESCE(k.outcome, ''), COALESCE(e.fields, '{}'), COALESCE(e.address, '')`

const warningFrom = ` FROM warnings w JOIN rules r ON r.id = w.rule_id JOIN places pl ON pl.code = w.place_code
	LEFT JOIN clues c ON c.id = w.clue_id LEFT JOIN cases k ON k.id = c.case_id LEFT JOIN feed_events e ON e.id = w.event_id`

func scanWarning(r scanner) (Warning, string, string, error) {
	var w Warning
	var at int64
	var clueStatus, caseStatus, fields string
	err := r.Scan(&w.ID, &w.RuleID, &w.RuleName, &w.RuleVersion, &w.EventID, &w.Department, &w.EventType, &w.EventDate, &w.PersonID,
		&w.HouseholdID, &w.Name, &w.PlaceCode, &w.PlaceName, &w.ClueID, &w.ExplainZH, &w.ExplainEN, &at, &clueStatus, &w.CaseID,
		&caseStatus, &w.Outcome, &fields, &w.Address)
	if err != nil {
		return w, "", "", err
	}
	w.CreatedAt = fromMS(at)
	ev := &feedEvent{typ: w.EventType}
	_ = scanFieldsJSON(fields, ev)
	et, _ := safetynet.EventTypeOf(w.EventType)
	for _, f := range et.Fields {
		if f.Kind != safetynet.FieldYuan {
			continue
		}
		if n, ok := fieldNumber(ev.fields[f.Name]); ok {
			w.Amounts = append(w.Amounts, EventAmount{Field: f.Name, ZH: f.ZH, EN: f.EN, Fen: n})
		}
	}
	return w, clueStatus, caseStatus, nil
}

// warningStatus decides a warning's outcome from its clue and case.
func warningStatus(w *Warning, clueStatus, caseStatus string) string {
	switch {
	case w.CaseID != 0 && caseStatus == "closed":
		return WarnClosed
	case w.CaseID != 0 && len(w.Measures) > 0:
		return WarnHelped
	case w.CaseID != 0:
		return WarnCase
	case clueStatus == relay.ClueClosed:
		return WarnNoRisk
	case clueStatus == relay.ClueAcknowledged:
		return WarnVerifying
	}
	return WarnPending
}

// Warnings lists the warnings an actor may see, newest first, with their
// outcome: staff (work.view) those whose clue landed in their scope; a
// department account only the warnings raised from its department's
// events in its county.
func (s *Store) Warnings(ctx context.Context, a access.Actor, f WarningFilter) ([]Warning, error) {
	var cond string
	var args []any
	switch {
	case a.Role == safetynet.RoleDepartment:
		// A department account sees the warnings raised from its
		// department's events in its county, whoever of the department
		// pushed them; an account without a department sees none.
		var own string
		if err := s.read(ctx, func(t *tx) (err error) {
			own, err = s.userDepartment(ctx, t, a.UserID)
			return err
		}); err != nil {
			return nil, err
		}
		if own == "" {
			return nil, nil
		}
		cond, args = scopeClause(a.Scope(access.Feeds), "w.place_code")
		cond, args = cond+" AND w.department = ?", append(args, own)
	case a.Can(access.WorkView):
		cond, args = scopeClause(a.Scope(access.Work), "w.place_code")
	default:
		return nil, safetynet.Forbidden()
	}
	if f.Department != "" {
		cond += " AND w.department = ?"
		args = append(args, f.Department)
	}
	if f.EventType != "" {
		cond += " AND w.event_type = ?"
		args = append(args, f.EventType)
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	fetch := f.Limit
	if f.Status != "" {
		fetch = 5 * f.Limit // the outcome is decided below
	}
	var out []Warning
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+warningCols+warningFrom+` WHERE `+cond+` ORDER BY w.id DESC LIMIT ?`, append(args, fetch)...)
		if err != nil {
			return fmt.Errorf("sqlstore: warnings: %w", err)
		}
		var statuses [][2]string
		for rows.Next() {
			w, cs, ks, err := scanWarning(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, w)
			statuses = append(statuses, [2]string{cs, ks})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := s.warningOutcomes(ctx, t, out); err != nil {
			return err
		}
		for i := range out {
			out[i].Status = warningStatus(&out[i], statuses[i][0], statuses[i][1])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if f.Status != "" {
		kept := out[:0]
		for _, w := range out {
			if w.Status == f.Status || f.Status == "monitored" && w.Monitoring != "" {
				kept = append(kept, w)
			}
		}
		out = kept
	}
	if len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// warningOutcomes fills the measures approved for the warnings' cases and
// the monitoring category their households gained since.
func (s *Store) warningOutcomes(ctx context.Context, t *tx, ws []Warning) error {
	var cases, hids []int64
	for _, w := range ws {
		if w.CaseID != 0 {
			cases = append(cases, w.CaseID)
		}
		if w.HouseholdID != 0 {
			hids = append(hids, w.HouseholdID)
		}
	}
	measures := map[int64][][3]string{}
	if len(cases) > 0 {
		in, args := idList(cases)
		rows, err := t.query(ctx, `SELECT m.case_id, m.measure, COALESCE(c.zh, m.measure), COALESCE(c.en, m.measure) FROM case_measures m
			LEFT JOIN measure_catalogue c ON c.code = m.measure WHERE m.case_id IN `+in+` AND m.kind = 'application' AND m.status = 'approved'
			ORDER BY m.id`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: warning measures: %w", err)
		}
		for rows.Next() {
			var id int64
			var m [3]string
			if err := rows.Scan(&id, &m[0], &m[1], &m[2]); err != nil {
				rows.Close()
				return err
			}
			measures[id] = append(measures[id], m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	type gained struct {
		cat, start string
	}
	monitoring := map[int64][]gained{}
	if len(hids) > 0 {
		in, args := idList(hids)
		cats, cargs := strList(monitoringCategories)
		// A case's provisional mark (source 'case') is not an inclusion:
		// only a category given by the register or the monitoring cycle is.
		rows, err := t.query(ctx, `SELECT subject_id, category, start_date FROM assignments WHERE subject = 'household'
			AND subject_id IN `+in+` AND category IN `+cats+` AND source <> 'case' ORDER BY start_date`, append(args, cargs...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: warning monitoring: %w", err)
		}
		for rows.Next() {
			var id int64
			var g gained
			if err := rows.Scan(&id, &g.cat, &g.start); err != nil {
				rows.Close()
				return err
			}
			monitoring[id] = append(monitoring[id], g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i := range ws {
		w := &ws[i]
		for _, m := range measures[w.CaseID] {
			if !slices.Contains(w.Measures, m[0]) {
				w.Measures, w.MeasureZH, w.MeasureEN = append(w.Measures, m[0]), append(w.MeasureZH, m[1]), append(w.MeasureEN, m[2])
			}
		}
		day := dateStr(w.CreatedAt)
		for _, g := range monitoring[w.HouseholdID] {
			if g.start >= day {
				w.Monitoring = g.cat
				break
			}
		}
	}
	return nil
}

// ClueWarning returns the warning a clue was raised for, if any (nil
// otherwise); the actor must see the clue.
func (s *Store) ClueWarning(ctx context.Context, a access.Actor, clueID int64) (*Warning, error) {
	if _, err := s.Clue(ctx, a, clueID); err != nil {
		return nil, err
	}
	var out *Warning
	err := s.read(ctx, func(t *tx) error {
		w, cs, ks, err := scanWarning(t.queryRow(ctx, `SELECT `+warningCols+warningFrom+` WHERE w.clue_id = ?`, clueID))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("sqlstore: warning of clue %d: %w", clueID, err)
		}
		ws := []Warning{w}
		if err := s.warningOutcomes(ctx, t, ws); err != nil {
			return err
		}
		ws[0].Status = warningStatus(&ws[0], cs, ks)
		out = &ws[0]
		return nil
	})
	return out, err
}

// WarningError is an event a warning rule failed on.
type WarningError struct {
	EventID     int64
	RuleID      int64
	RuleVersion int
	ZH, EN      string
	At          time.Time
}

// WarningErrors lists the latest evaluation errors of a warning rule the
// actor may read.
func (s *Store) WarningErrors(ctx context.Context, a access.Actor, ruleID int64) ([]WarningError, error) {
	if _, err := s.WarningRule(ctx, a, ruleID); err != nil {
		return nil, err
	}
	var out []WarningError
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT event_id, rule_id, rule_version, error_zh, error_en, at FROM warning_errors WHERE rule_id = ?
			ORDER BY id DESC LIMIT 50`, ruleID)
		if err != nil {
			return fmt.Errorf("sqlstore: warning errors: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e WarningError
			var at int64
			if err := rows.Scan(&e.EventID, &e.RuleID, &e.RuleVersion, &e.ZH, &e.EN, &at); err != nil {
				return err
			}
			e.At = fromMS(at)
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// ruleKind returns the kind of a rule the actor may read.
func (s *Store) ruleKind(ctx context.Context, a access.Actor, id int64) (string, error) {
	x, err := s.Rule(ctx, a, id)
	return x.Kind, err
}

// WarningPreviewDays is how far back a warning rule's preview looks.
const WarningPreviewDays = 90

// PreviewWarningRule evaluates the draft of a warning rule over the stored
// events of its types of the last days days in its place, narrowed to the
// author's scope: the count, the first 50 matched with why, the sanity
// warnings and the examples that fail. Dedupe is not applied.
func (s *Store) PreviewWarningRule(ctx context.Context, a access.Actor, id int64, days int) (Preview, error) {
	var pv Preview
	if err := a.Require(access.RulesEdit); err != nil {
		return pv, err
	}
	if days <= 0 || days > 3660 {
		return pv, safetynet.Invalid("days", "天数须在1至3660之间", "days must be between 1 and 3660")
	}
	env, err := s.WarningEnv(ctx)
	if err != nil {
		return pv, err
	}
	err = s.snapshot(ctx, func(t *tx) error {
		x, err := s.ruleInScope(ctx, t, a, id)
		if err != nil {
			return err
		}
		if x.Kind != rules.KindWarning {
			return errRuleNotFound
		}
		w, err := s.warningRuleOf(ctx, t, x)
		if err != nil {
			return err
		}
		p, err := env.Check(x.Source)
		if err != nil {
			return compileError(err)
		}
		params, err := s.warningParams(ctx, t, x.Place, s.now().Year())
		if err != nil {
			return err
		}
		pv.Failures = rules.RunEventExamples(ctx, p, params, x.Name, w.Examples)
		place := x.Place
		if sc := a.Scope(access.Register); sc.Kind == access.ScopeSubtree {
			if in, err := isDescendant(ctx, t, sc.Place, x.Place); err == nil && in {
				place = sc.Place
			}
		}
		cond, cargs := scopeClause(subtree(place), "e.place_code")
		types, targs := strList(w.EventTypes)
		since := dateStr(s.now().AddDate(0, 0, -days))
		var last int64
		for {
			rows, err := t.query(ctx, `SELECT e.id FROM feed_events e WHERE e.id > ? AND e.event_type IN `+types+` AND e.event_date >= ? AND `+
				cond+` ORDER BY e.id LIMIT 1000`, append(append(append([]any{last}, targs...), since), cargs...)...)
			if err != nil {
				return fmt.Errorf("sqlstore: preview events: %w", err)
			}
			var ids []int64
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				ids = append(ids, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil || len(ids) == 0 {
				return err
			}
			last = ids[len(ids)-1]
			evs, err := loadFeedEvents(ctx, t, ids)
			if err != nil {
				return err
			}
			ins, err := s.warningInputs(ctx, t, evs)
			if err != nil {
				return err
			}
			for i, ev := range evs {
				pv.Total++
				r := p.EvalEvent(ctx, params, &ins[i])
				switch {
				case r.Err != nil:
					pv.Errors++
				case r.Matched:
					pv.Count++
					if len(pv.Lines) < previewMax {
						ex := p.ExplainEvent(ctx, params, &ins[i])
						name := ev.name
						if ev.personID != 0 {
							_ = t.queryRow(ctx, `SELECT name FROM persons WHERE id = ?`, ev.personID).Scan(&name)
						}
						var pl string
						_ = t.queryRow(ctx, `SELECT name FROM places WHERE code = ?`, ev.place).Scan(&pl)
						pv.Lines = append(pv.Lines, PreviewLine{HouseholdID: ins[i].Household.ID, Name: name, PlaceCode: ev.place,
							PlaceName: pl, ExplainZH: ex.ZH(), ExplainEN: ex.EN()})
					}
				case len(r.Missing) > 0:
					pv.Missing++
				}
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	})
	if err != nil {
		return pv, err
	}
	if pv.Total > 0 {
		pv.Warnings = rules.Share{Sample: pv.Total, Matched: pv.Count, Missing: pv.Missing, Errors: pv.Errors}.Warnings(rules.DefaultThresholds)
	}
	return pv, nil
}

// CountWarnings counts every warning raised (for benchmarks and tools).
func (s *Store) CountWarnings(ctx context.Context) (int, error) {
	var n int
	err := s.read(ctx, func(t *tx) error { return t.queryRow(ctx, `SELECT COUNT(*) FROM warnings`).Scan(&n) })
	return n, err
}

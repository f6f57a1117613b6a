package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
)

// Warning rules (部门预警规则) are rules of kind rules.KindWarning in the
// rules table: the same drafts, versions, scope, dates, publishing and
// history as eligibility rules. Their event types are kept in
// rules.measure (comma-separated codes) and, with what they raise, in
// warning_rule_settings; their examples (rule tests) are
// rules.EventExample values in rules.examples.

// Dedupe periods of a warning rule: a person warned once by a rule is not
// warned again by it within the period.
const (
	PeriodYear  = "year"  // calendar year of the event (default)
	PeriodMonth = "month" // calendar month of the event
	PeriodEvent = "event" // every matching event warns
)

// WarningPeriods are the dedupe periods, in the editor's order.
var WarningPeriods = []string{PeriodYear, PeriodMonth, PeriodEvent}

// WarningRule is a warning rule with what it raises.
type WarningRule struct {
	Rule
	EventTypes []string // safetynet.EventTypes codes
	Urgency    string   // of the clue raised
	ClueKinds  []string // safetynet.ClueKinds codes; empty: from the event types
	Period     string
	Examples   []rules.EventExample
}

// WarningRuleInput is what an author writes.
type WarningRuleInput struct {
	Name, Place        string
	ValidFrom, ValidTo time.Time
	Source             string
	EventTypes         []string
	Urgency            string
	ClueKinds          []string
	Period             string
	Examples           []rules.EventExample
}

// ClueKindOfEvent is the clue kind a warning about an event type raises
// when its rule names none.
var ClueKindOfEvent = map[string]string{
	"hospitalisation": "illness", "outpatient_large": "illness", "disability_certified": "illness", "death": "death",
	"unemployment": "income_loss", "work_injury": "income_loss", "school_dropout": "dropout", "education_cost": "other",
	"dangerous_housing": "house_damage", "disaster_damage": "disaster", "utility_cut": "power_water",
	"assistance_stopped": "income_loss",
}

// warnEnvs caches the warning rules' environment per store and measure
// catalogue: building a CEL environment takes milliseconds, the drain
// runs every few seconds.
var warnEnvs = struct {
	sync.Mutex
	m map[*Store]warnEnvEntry
}{m: map[*Store]warnEnvEntry{}}

type warnEnvEntry struct {
	key string
	env *rules.EventEnv
}

// WarningEnv builds (or returns the cached) environment of warning rules
// over the measure catalogue.
func (s *Store) WarningEnv(ctx context.Context) (*rules.EventEnv, error) {
	ms, err := s.Measures(ctx, true)
	if err != nil {
		return nil, err
	}
	var key strings.Builder
	names := make([]rules.Name, len(ms))
	for i, m := range ms {
		names[i] = rules.Name{Code: m.Code, ZH: m.ZH, EN: m.EN}
		key.WriteString(m.Code + "\x00" + m.ZH + "\x00" + m.EN + "\x00")
	}
	warnEnvs.Lock()
	defer warnEnvs.Unlock()
	if e, ok := warnEnvs.m[s]; ok && e.key == key.String() {
		return e.env, nil
	}
	env, err := rules.NewEventEnv(rules.Config{Measures: names})
	if err != nil {
		return nil, err
	}
	warnEnvs.m[s] = warnEnvEntry{key.String(), env}
	return env, nil
}

func splitCodes(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// checkWarningInput validates an input in t like checkRuleInput does for
// eligibility rules.
func (s *Store) checkWarningInput(ctx context.Context, t *tx, a access.Actor, env *rules.EventEnv, in WarningRuleInput) (WarningRuleInput, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 100 {
		return in, safetynet.Invalid("name", "请填写规则名称（不超过100字）", "a rule name of at most 100 characters is required")
	}
	if len(in.EventTypes) == 0 {
		return in, safetynet.Invalid("event_types", "请选择规则适用的事件类型", "choose the event types the rule applies to")
	}
	var types []string
	for _, code := range in.EventTypes {
		et, ok := safetynet.EventTypeOf(code)
		if !ok {
			return in, safetynet.Invalid("event_types", "未知的事件类型“%s”", "unknown event type %q", code)
		}
		if !slices.Contains(types, et.Code) {
			types = append(types, et.Code)
		}
	}
	in.EventTypes = types
	if in.Urgency == "" {
		in.Urgency = "normal"
	}
	if !safetynet.Urgencies.Valid(in.Urgency) {
		return in, safetynet.Invalid("urgency", "紧急程度应为紧急或一般", "urgency must be urgent or normal")
	}
	var kinds []string
	for _, k := range in.ClueKinds {
		if !safetynet.ClueKinds.Valid(k) {
			return in, safetynet.Invalid("clue_kinds", "情况类型无效：%s", "unknown clue kind %q", k)
		}
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	in.ClueKinds = kinds
	if in.Period == "" {
		in.Period = PeriodYear
	}
	if !slices.Contains(WarningPeriods, in.Period) {
		return in, safetynet.Invalid("period", "去重周期应为 year、month 或 event", "period must be year, month or event")
	}
	if !in.ValidTo.IsZero() && in.ValidTo.Before(in.ValidFrom) {
		return in, safetynet.Invalid("valid_to", "结束日期早于开始日期", "valid_to is before valid_from")
	}
	p, err := s.placeInScope(ctx, t, a.Scope(access.Register), in.Place)
	if err != nil {
		return in, safetynet.Invalid("place", "地区不存在或不在您的范围内", "the place does not exist or is outside your scope")
	}
	if p.Level != safetynet.LevelCounty && p.Level != safetynet.LevelTown {
		return in, safetynet.Invalid("place", "规则的适用范围须为县或乡镇", "a rule applies to a county or a town")
	}
	if _, err := env.Check(in.Source); err != nil {
		return in, compileError(err)
	}
	for i, ex := range in.Examples {
		if strings.TrimSpace(ex.Name) == "" {
			return in, safetynet.Invalid(fmt.Sprintf("examples[%d].name", i), "请填写示例名称", "an example needs a name")
		}
		if _, ok := safetynet.EventTypeOf(ex.Event.Type); !ok {
			return in, safetynet.Invalid(fmt.Sprintf("examples[%d].event.type", i), "示例的事件类型无效", "the example's event type is unknown")
		}
	}
	if in.Examples == nil {
		in.Examples = []rules.EventExample{}
	}
	return in, nil
}

// CheckWarningRule compiles src as a warning rule, as the editor does
// while one types: nil issues when it compiles.
func (s *Store) CheckWarningRule(ctx context.Context, a access.Actor, src string) ([]rules.Issue, error) {
	if err := a.Require(access.RulesEdit); err != nil {
		return nil, err
	}
	env, err := s.WarningEnv(ctx)
	if err != nil {
		return nil, err
	}
	_, err = env.Check(src)
	return compileIssues(err)
}

func (s *Store) saveWarningSettings(ctx context.Context, t *tx, id int64, in WarningRuleInput) error {
	if _, err := t.exec(ctx, `DELETE FROM warning_rule_settings WHERE rule_id = ?`, id); err != nil {
		return fmt.Errorf("sqlstore: warning rule settings: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO warning_rule_settings (rule_id, event_types, urgency, clue_kinds, period) VALUES (?, ?, ?, ?, ?)`,
		id, strings.Join(in.EventTypes, ","), in.Urgency, strings.Join(in.ClueKinds, ","), in.Period); err != nil {
		return fmt.Errorf("sqlstore: warning rule settings: %w", err)
	}
	return nil
}

// CreateWarningRule saves a new draft warning rule.
func (s *Store) CreateWarningRule(ctx context.Context, a access.Actor, in WarningRuleInput) (int64, error) {
	if err := a.Require(access.RulesEdit); err != nil {
		return 0, err
	}
	env, err := s.WarningEnv(ctx)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, func(t *tx) error {
		in, err := s.checkWarningInput(ctx, t, a, env, in)
		if err != nil {
			return err
		}
		ex, _ := json.Marshal(in.Examples)
		now := ms(s.now())
		if err := t.queryRow(ctx, `INSERT INTO rules (name, measure, kind, place_code, valid_from, valid_to, status, source, examples,
			created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Name, strings.Join(in.EventTypes, ","), rules.KindWarning, in.Place, dateStr(in.ValidFrom), dateStr(in.ValidTo),
			in.Source, string(ex), a.Username, now, a.Username, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: create warning rule: %w", err)
		}
		if err := s.saveWarningSettings(ctx, t, id, in); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "rule.create", objType: "rule", objID: fmt.Sprint(id), place: in.Place,
			detail: map[string]any{"name": in.Name, "kind": rules.KindWarning}})
	})
	return id, err
}

// UpdateWarningRule edits a warning rule's draft; its published version
// keeps running until it is published again.
func (s *Store) UpdateWarningRule(ctx context.Context, a access.Actor, id int64, in WarningRuleInput, version int) error {
	if err := a.Require(access.RulesEdit); err != nil {
		return err
	}
	env, err := s.WarningEnv(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		old, err := s.ruleEditable(ctx, t, a, id)
		if err != nil {
			return err
		}
		if old.Kind != rules.KindWarning {
			return errRuleNotFound
		}
		if version != old.Version {
			return s.conflict(ctx, t, "rule", fmt.Sprint(id))
		}
		if old.Status == RuleRetired {
			return safetynet.Conflict("status", "该规则已停用", "the rule is retired")
		}
		in, err := s.checkWarningInput(ctx, t, a, env, in)
		if err != nil {
			return err
		}
		ex, _ := json.Marshal(in.Examples)
		res, err := t.exec(ctx, `UPDATE rules SET name = ?, measure = ?, place_code = ?, valid_from = ?, valid_to = ?,
			source = ?, examples = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ? AND version = ?`,
			in.Name, strings.Join(in.EventTypes, ","), in.Place, dateStr(in.ValidFrom), dateStr(in.ValidTo), in.Source, string(ex),
			a.Username, ms(s.now()), id, version)
		if err != nil {
			return fmt.Errorf("sqlstore: update warning rule: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return s.conflict(ctx, t, "rule", fmt.Sprint(id))
		}
		if err := s.saveWarningSettings(ctx, t, id, in); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "rule.update", objType: "rule", objID: fmt.Sprint(id), place: in.Place,
			detail: map[string]any{"name": in.Name, "kind": rules.KindWarning}})
	})
}

func (s *Store) warningRuleOf(ctx context.Context, t *tx, x Rule) (WarningRule, error) {
	w := WarningRule{Rule: x}
	var types, kinds string
	if err := t.queryRow(ctx, `SELECT event_types, urgency, clue_kinds, period FROM warning_rule_settings WHERE rule_id = ?`, x.ID).
		Scan(&types, &w.Urgency, &kinds, &w.Period); err != nil {
		return w, fmt.Errorf("sqlstore: warning rule %d settings: %w", x.ID, err)
	}
	w.EventTypes, w.ClueKinds = splitCodes(types), splitCodes(kinds)
	var src string
	if err := t.queryRow(ctx, `SELECT examples FROM rules WHERE id = ?`, x.ID).Scan(&src); err != nil {
		return w, err
	}
	if err := json.Unmarshal([]byte(src), &w.Examples); err != nil {
		return w, fmt.Errorf("sqlstore: warning rule %d examples: %w", x.ID, err)
	}
	w.Rule.Examples = nil
	return w, nil
}

// WarningRule returns one warning rule the actor may read.
func (s *Store) WarningRule(ctx context.Context, a access.Actor, id int64) (WarningRule, error) {
	if err := a.Require(access.RulesView); err != nil {
		return WarningRule{}, err
	}
	var w WarningRule
	err := s.read(ctx, func(t *tx) error {
		x, err := s.ruleInScope(ctx, t, a, id)
		if err != nil {
			return err
		}
		if x.Kind != rules.KindWarning {
			return errRuleNotFound
		}
		w, err = s.warningRuleOf(ctx, t, x)
		return err
	})
	return w, err
}

// WarningRules lists the warning rules the actor may read.
func (s *Store) WarningRules(ctx context.Context, a access.Actor) ([]WarningRule, error) {
	list, err := s.Rules(ctx, a, RuleFilter{Kind: rules.KindWarning})
	if err != nil {
		return nil, err
	}
	out := make([]WarningRule, 0, len(list))
	err = s.read(ctx, func(t *tx) error {
		for _, x := range list {
			w, err := s.warningRuleOf(ctx, t, x)
			if err != nil {
				return err
			}
			out = append(out, w)
		}
		return nil
	})
	return out, err
}

// warningParams returns the parameter values of the county of place for
// year, completed by the defaults of the warning parameters.
func (s *Store) warningParams(ctx context.Context, t *tx, place string, year int) (rules.Params, error) {
	p, err := s.paramValues(ctx, t, place, year)
	if err != nil {
		return nil, err
	}
	return rules.WithDefaults(p), nil
}

// publishWarning freezes a warning rule's draft as a new version after
// its examples pass (PublishRule calls it for rules of kind warning).
func (s *Store) publishWarning(ctx context.Context, t *tx, a access.Actor, x Rule) (int, error) {
	env, err := s.WarningEnv(ctx)
	if err != nil {
		return 0, err
	}
	w, err := s.warningRuleOf(ctx, t, x)
	if err != nil {
		return 0, err
	}
	p, err := env.Check(x.Source)
	if err != nil {
		return 0, compileError(err)
	}
	params, err := s.warningParams(ctx, t, x.Place, s.now().Year())
	if err != nil {
		return 0, err
	}
	if fails := rules.RunEventExamples(ctx, p, params, x.Name, w.Examples); len(fails) > 0 {
		f := fails[0]
		want := map[bool]string{true: "符合", false: "不符合"}[f.Want]
		return 0, safetynet.Text(safetynet.EInvalid, "examples", fmt.Sprintf("示例“%s”未通过：应为%s（共%d个未通过）", f.Example, want, len(fails)),
			fmt.Sprintf("example %s fails (%d failing)", f.String(), len(fails)))
	}
	number := x.Published + 1
	now := ms(s.now())
	ex, _ := json.Marshal(w.Examples)
	if _, err := t.exec(ctx, `INSERT INTO rule_versions (rule_id, number, source, examples, published_at, published_by)
		VALUES (?, ?, ?, ?, ?, ?)`, x.ID, number, x.Source, string(ex), now, a.Username); err != nil {
		return 0, fmt.Errorf("sqlstore: publish rule: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE rules SET status = 'published', published = ?, version = version + 1, updated_by = ?,
		updated_at = ? WHERE id = ?`, number, a.Username, now, x.ID); err != nil {
		return 0, fmt.Errorf("sqlstore: publish rule: %w", err)
	}
	return number, s.audit(ctx, t, a, auditRec{action: "rule.publish", objType: "rule", objID: fmt.Sprint(x.ID), place: x.Place,
		detail: map[string]any{"name": x.Name, "version": number, "kind": rules.KindWarning}})
}

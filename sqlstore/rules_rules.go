package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
)

// Rule is an eligibility or exit rule of a measure (政策找人). The draft's
// source is edited freely; publishing freezes it as a new version, and
// screening runs the current published version.
type Rule struct {
	ID                   int64
	Name                 string
	Measure              string
	MeasureZH, MeasureEN string
	Kind                 string // rules.KindEligibility or rules.KindExit
	Place                string // county or town
	PlaceName            string
	ValidFrom, ValidTo   time.Time // zero: open
	Status               string    // draft, published, retired
	Source               string
	Examples             []rules.Example
	Version              int // edit version, for stale-write checks
	Published            int // current published version number, 0 if never
	PublishedAt          time.Time
	PublishedBy          string
	UpdatedAt            time.Time
	UpdatedBy            string
}

// RuleInput is what an author writes.
type RuleInput struct {
	Name, Measure, Kind, Place string
	ValidFrom, ValidTo         time.Time
	Source                     string
	Examples                   []rules.Example
}

// RuleFilter narrows Rules.
type RuleFilter struct{ Measure, Kind, Status string }

// RuleVersion is a published, immutable version of a rule.
type RuleVersion struct {
	RuleID      int64
	Number      int
	Source      string
	Examples    []rules.Example
	PublishedAt time.Time
	PublishedBy string
}

// Rule statuses.
const (
	RuleDraft     = "draft"
	RulePublished = "published"
	RuleRetired   = "retired"
)

var errRuleNotFound = safetynet.NotFound("规则", "rule")

// RulesEnv builds the rules environment over the measure catalogue.
func (s *Store) RulesEnv(ctx context.Context) (*rules.Env, error) {
	ms, err := s.Measures(ctx, true)
	if err != nil {
		return nil, err
	}
	names := make([]rules.Name, len(ms))
	for i, m := range ms {
		names[i] = rules.Name{Code: m.Code, ZH: m.ZH, EN: m.EN}
	}
	return rules.NewEnv(rules.Config{Measures: names})
}

const ruleCols = `r.id, r.name, r.measure, COALESCE(m.zh, r.measure), COALESCE(m.en, r.measure), r.kind, r.place_code, p.name,
	r.valid_from, r.valid_to, r.status, r.source, r.examples, r.version, r.published, r.updated_at, r.updated_by,
	COALESCE(v.published_at, 0), COALESCE(v.published_by, '')`

const ruleFrom = ` FROM rules r JOIN places p ON p.code = r.place_code
	LEFT JOIN measure_catalogue m ON m.code = r.measure
	LEFT JOIN rule_versions v ON v.rule_id = r.id AND v.number = r.published`

func scanRule(r scanner) (Rule, error) {
	var x Rule
	var from, to, ex string
	var upd, pub int64
	err := r.Scan(&x.ID, &x.Name, &x.Measure, &x.MeasureZH, &x.MeasureEN, &x.Kind, &x.Place, &x.PlaceName, &from, &to,
		&x.Status, &x.Source, &ex, &x.Version, &x.Published, &upd, &x.UpdatedBy, &pub, &x.PublishedBy)
	if err != nil {
		return x, err
	}
	x.ValidFrom, x.ValidTo, x.UpdatedAt, x.PublishedAt = parseDate(from), parseDate(to), fromMS(upd), fromMS(pub)
	if err := json.Unmarshal([]byte(ex), &x.Examples); err != nil {
		return x, fmt.Errorf("rule %d examples: %w", x.ID, err)
	}
	return x, nil
}

// ruleVisible is the condition on r.place_code of the rules an actor may
// read: those of places in the scope and of the places above it.
func ruleVisible(a access.Actor) (string, []any) {
	sc := a.Scope(access.Register)
	if sc.Kind != access.ScopeSubtree {
		return "1 = 0", nil
	}
	if sc.Place == safetynet.RootPlaceCode {
		return "1 = 1", nil
	}
	return `(r.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)
		OR r.place_code IN (SELECT ancestor FROM place_tree WHERE descendant = ?))`, []any{sc.Place, sc.Place}
}

// Rules lists the rules the actor may read.
func (s *Store) Rules(ctx context.Context, a access.Actor, f RuleFilter) ([]Rule, error) {
	if err := a.Require(access.RulesView); err != nil {
		return nil, err
	}
	cond, args := ruleVisible(a)
	q := `SELECT ` + ruleCols + ruleFrom + ` WHERE ` + cond
	for col, v := range map[string]string{"r.measure": f.Measure, "r.kind": f.Kind, "r.status": f.Status} {
		if v != "" {
			q += " AND " + col + " = ?"
			args = append(args, v)
		}
	}
	var out []Rule
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, q+` ORDER BY r.measure, r.kind, r.id`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: rules: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			x, err := scanRule(rows)
			if err != nil {
				return fmt.Errorf("sqlstore: rules: %w", err)
			}
			out = append(out, x)
		}
		return rows.Err()
	})
	return out, err
}

func (s *Store) ruleInScope(ctx context.Context, t *tx, a access.Actor, id int64) (Rule, error) {
	cond, args := ruleVisible(a)
	x, err := scanRule(t.queryRow(ctx, `SELECT `+ruleCols+ruleFrom+` WHERE r.id = ? AND `+cond, append([]any{id}, args...)...))
	if err != nil {
		return x, errRuleNotFound
	}
	return x, nil
}

// Rule returns one rule.
func (s *Store) Rule(ctx context.Context, a access.Actor, id int64) (Rule, error) {
	if err := a.Require(access.RulesView); err != nil {
		return Rule{}, err
	}
	var x Rule
	err := s.read(ctx, func(t *tx) error {
		var err error
		x, err = s.ruleInScope(ctx, t, a, id)
		return err
	})
	return x, err
}

// compileError turns a rules compile error into bad input naming the
// source and the first position.
func compileError(err error) error {
	var ce *rules.CompileError
	if errors.As(err, &ce) && len(ce.Issues) > 0 {
		var zh, en []string
		for _, is := range ce.Issues {
			zh = append(zh, fmt.Sprintf("第%d行第%d列：%s", is.Line, is.Column, is.ZH))
			en = append(en, fmt.Sprintf("line %d, column %d: %s", is.Line, is.Column, is.EN))
		}
		return safetynet.Text(safetynet.EInvalid, "source", strings.Join(zh, "；"), strings.Join(en, "; "))
	}
	return safetynet.Invalid("source", "规则无法编译", "the rule does not compile")
}

// checkRuleInput validates an input in t: the measure exists, the place is
// a county or town of the author's scope, the kind and dates are valid and
// the source compiles.
func (s *Store) checkRuleInput(ctx context.Context, t *tx, a access.Actor, env *rules.Env, in RuleInput) (RuleInput, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 100 {
		return in, safetynet.Invalid("name", "请填写规则名称（不超过100字）", "a rule name of at most 100 characters is required")
	}
	if _, ok := env.Measure(in.Measure); !ok {
		return in, safetynet.Invalid("measure", "措施目录中没有“%s”", "the measure catalogue has no %q", in.Measure)
	}
	if in.Kind != rules.KindEligibility && in.Kind != rules.KindExit {
		return in, safetynet.Invalid("kind", "规则类型须为准入规则或退出规则", "kind must be eligibility or exit")
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
	}
	if in.Examples == nil {
		in.Examples = []rules.Example{}
	}
	return in, nil
}

// CheckRule compiles src as the editor does while one types: nil issues
// when it compiles.
func (s *Store) CheckRule(ctx context.Context, a access.Actor, src string) ([]rules.Issue, error) {
	if err := a.Require(access.RulesEdit); err != nil {
		return nil, err
	}
	env, err := s.RulesEnv(ctx)
	if err != nil {
		return nil, err
	}
	_, err = env.Check(src)
	return compileIssues(err)
}

// CreateRule saves a new draft rule.
func (s *Store) CreateRule(ctx context.Context, a access.Actor, in RuleInput) (int64, error) {
	if err := a.Require(access.RulesEdit); err != nil {
		return 0, err
	}
	env, err := s.RulesEnv(ctx)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, func(t *tx) error {
		in, err := s.checkRuleInput(ctx, t, a, env, in)
		if err != nil {
			return err
		}
		ex, _ := json.Marshal(in.Examples)
		now := ms(s.now())
		if err := t.queryRow(ctx, `INSERT INTO rules (name, measure, kind, place_code, valid_from, valid_to, status, source, examples,
			created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Name, in.Measure, in.Kind, in.Place, dateStr(in.ValidFrom), dateStr(in.ValidTo), in.Source, string(ex),
			a.Username, now, a.Username, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: create rule: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "rule.create", objType: "rule", objID: fmt.Sprint(id), place: in.Place,
			detail: map[string]any{"name": in.Name, "measure": in.Measure, "kind": in.Kind}})
	})
	return id, err
}

// UpdateRule edits a rule's draft. A published rule keeps running its
// published version until it is published again.
func (s *Store) UpdateRule(ctx context.Context, a access.Actor, id int64, in RuleInput, version int) error {
	if err := a.Require(access.RulesEdit); err != nil {
		return err
	}
	env, err := s.RulesEnv(ctx)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		old, err := s.ruleEditable(ctx, t, a, id)
		if err != nil {
			return err
		}
		if version != old.Version {
			return s.conflict(ctx, t, "rule", fmt.Sprint(id))
		}
		if old.Status == RuleRetired {
			return safetynet.Conflict("status", "该规则已停用", "the rule is retired")
		}
		in, err := s.checkRuleInput(ctx, t, a, env, in)
		if err != nil {
			return err
		}
		ex, _ := json.Marshal(in.Examples)
		res, err := t.exec(ctx, `UPDATE rules SET name = ?, measure = ?, kind = ?, place_code = ?, valid_from = ?, valid_to = ?,
			source = ?, examples = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ? AND version = ?`,
			in.Name, in.Measure, in.Kind, in.Place, dateStr(in.ValidFrom), dateStr(in.ValidTo), in.Source, string(ex),
			a.Username, ms(s.now()), id, version)
		if err != nil {
			return fmt.Errorf("sqlstore: update rule: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return s.conflict(ctx, t, "rule", fmt.Sprint(id))
		}
		return s.audit(ctx, t, a, auditRec{action: "rule.update", objType: "rule", objID: fmt.Sprint(id), place: in.Place,
			detail: map[string]any{"name": in.Name, "measure": in.Measure, "kind": in.Kind}})
	})
}

// ruleEditable loads a rule the actor may change: its place is in the
// actor's scope (a town officer cannot change the county's rules).
func (s *Store) ruleEditable(ctx context.Context, t *tx, a access.Actor, id int64) (Rule, error) {
	x, err := s.ruleInScope(ctx, t, a, id)
	if err != nil {
		return x, err
	}
	if _, err := s.placeInScope(ctx, t, a.Scope(access.Register), x.Place); err != nil {
		return x, safetynet.Forbidden()
	}
	return x, nil
}

// PublishRule freezes the draft as a new version and screens the rule's
// place. It refuses a draft that does not compile or whose examples fail.
func (s *Store) PublishRule(ctx context.Context, a access.Actor, id int64, version int) (int, error) {
	if err := a.Require(access.RulesEdit); err != nil {
		return 0, err
	}
	env, err := s.RulesEnv(ctx)
	if err != nil {
		return 0, err
	}
	var number int
	err = s.write(ctx, func(t *tx) error {
		x, err := s.ruleEditable(ctx, t, a, id)
		if err != nil {
			return err
		}
		if version != x.Version {
			return s.conflict(ctx, t, "rule", fmt.Sprint(id))
		}
		if x.Kind == rules.KindWarning {
			number, err = s.publishWarning(ctx, t, a, x)
			return err
		}
		p, err := env.Check(x.Source)
		if err != nil {
			return compileError(err)
		}
		params, err := s.paramValues(ctx, t, x.Place, s.now().Year())
		if err != nil {
			return err
		}
		if fails := rules.RunExamples(ctx, p, params, x.Name, x.Examples); len(fails) > 0 {
			f := fails[0]
			want := map[bool]string{true: "符合", false: "不符合"}[f.Want]
			return safetynet.Text(safetynet.EInvalid, "examples", fmt.Sprintf("示例“%s”未通过：应为%s（共%d个未通过）", f.Example, want, len(fails)),
				fmt.Sprintf("example %s fails (%d failing)", f.String(), len(fails)))
		}
		number = x.Published + 1
		now := ms(s.now())
		ex, _ := json.Marshal(x.Examples)
		if _, err := t.exec(ctx, `INSERT INTO rule_versions (rule_id, number, source, examples, published_at, published_by)
			VALUES (?, ?, ?, ?, ?, ?)`, id, number, x.Source, string(ex), now, a.Username); err != nil {
			return fmt.Errorf("sqlstore: publish rule: %w", err)
		}
		if _, err := t.exec(ctx, `UPDATE rules SET status = 'published', published = ?, version = version + 1, updated_by = ?,
			updated_at = ? WHERE id = ?`, number, a.Username, now, id); err != nil {
			return fmt.Errorf("sqlstore: publish rule: %w", err)
		}
		if err := s.enqueuePlace(ctx, t, x.Place); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "rule.publish", objType: "rule", objID: fmt.Sprint(id), place: x.Place,
			detail: map[string]any{"name": x.Name, "version": number}})
	})
	return number, err
}

// RetireRule stops a rule: its open lines close at the next screening;
// results and history already recorded stay as they were.
func (s *Store) RetireRule(ctx context.Context, a access.Actor, id int64, version int) error {
	if err := a.Require(access.RulesEdit); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		x, err := s.ruleEditable(ctx, t, a, id)
		if err != nil {
			return err
		}
		if version != x.Version {
			return s.conflict(ctx, t, "rule", fmt.Sprint(id))
		}
		if x.Status == RuleRetired {
			return safetynet.Conflict("status", "该规则已停用", "the rule is already retired")
		}
		if _, err := t.exec(ctx, `UPDATE rules SET status = 'retired', version = version + 1, updated_by = ?, updated_at = ?
			WHERE id = ?`, a.Username, ms(s.now()), id); err != nil {
			return fmt.Errorf("sqlstore: retire rule: %w", err)
		}
		if x.Kind != rules.KindWarning { // a warning rule's retirement changes no list
			if err := s.enqueuePlace(ctx, t, x.Place); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, a, auditRec{action: "rule.retire", objType: "rule", objID: fmt.Sprint(id), place: x.Place,
			detail: map[string]any{"name": x.Name}})
	})
}

// RuleVersions lists the published versions of a rule, newest first.
func (s *Store) RuleVersions(ctx context.Context, a access.Actor, id int64) ([]RuleVersion, error) {
	if err := a.Require(access.RulesView); err != nil {
		return nil, err
	}
	var out []RuleVersion
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.ruleInScope(ctx, t, a, id); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT number, source, examples, published_at, published_by FROM rule_versions
			WHERE rule_id = ? ORDER BY number DESC`, id)
		if err != nil {
			return fmt.Errorf("sqlstore: rule versions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			v := RuleVersion{RuleID: id}
			var ex string
			var at int64
			if err := rows.Scan(&v.Number, &v.Source, &ex, &at, &v.PublishedBy); err != nil {
				return err
			}
			v.PublishedAt = fromMS(at)
			if err := json.Unmarshal([]byte(ex), &v.Examples); err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// compileIssues turns a compile error into the issues the editor shows
// (nil when the rule compiles); any other error is returned as is.
func compileIssues(err error) ([]rules.Issue, error) {
	var ce *rules.CompileError
	if err == nil {
		return nil, nil
	}
	if errors.As(err, &ce) {
		return ce.Issues, nil
	}
	return nil, err
}

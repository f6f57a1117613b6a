package rules

import (
	"fmt"
	"strings"

	"safetynet"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/parser"
)

// Name is an entry of a vocabulary h.has and m.has accept: a code, its
// labels and synonyms. Measures of the catalogue are passed as Names.
type Name struct {
	Code     string
	ZH, EN   string
	Synonyms []string
}

// Config configures an Env.
type Config struct {
	// Params declares the parameters rules may read (DefaultParams if nil).
	Params []Param
	// Measures is the measure catalogue (code, labels) h.has accepts.
	Measures []Name
	// CostLimit refuses rules whose estimated worst-case cost exceeds it
	// (at compile time) and stops an evaluation that exceeds it (at run
	// time). Zero means DefaultCostLimit.
	CostLimit uint64
	// CacheSize bounds the compiled programs kept (DefaultCacheSize if 0).
	CacheSize int
}

// Defaults.
const (
	DefaultCostLimit = 20000
	DefaultCacheSize = 512
	// MaxMembers is the household size the cost estimate assumes.
	MaxMembers = 50
	// MaxRuleLength bounds a rule's text, in characters.
	MaxRuleLength = 4000
)

// hasKey is what a name given to has() stands for.
type hasKey struct {
	measure bool
	code    string
}

// Env compiles and runs rules over the schema. It is safe for concurrent
// use; build one per parameter set and measure catalogue.
type Env struct {
	cel       *cel.Env
	prov      *provider
	params    []Param
	paramBy   map[string]Param
	hVocab    map[string][]hasKey // normalised name → categories/measures
	mVocab    map[string][]hasKey
	hNames    []string // labels for error messages
	mNames    []string
	costLimit uint64
	cache     *lru
	measures  map[string]Name
}

// extraSynonyms are names rule authors write that the register's
// vocabulary does not list.
var extraSynonyms = map[string][]string{
	"tekun":        {"特困供养", "特困人员供养"},
	"dibao":        {"低保对象户"},
	"tekun_person": {"特困供养对象"},
}

func norm(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// lookup finds a name as written (labels and codes usually are), else
// normalised: has() runs once per household and rule.
func lookup(m map[string][]hasKey, s string) ([]hasKey, bool) {
	if keys, ok := m[s]; ok {
		return keys, true
	}
	keys, ok := m[norm(s)]
	return keys, ok
}

func addNames(m map[string][]hasKey, k hasKey, names ...string) {
	for _, n := range names {
		n = norm(n)
		if n == "" {
			continue
		}
		dup := false
		for _, e := range m[n] {
			dup = dup || e == k
		}
		if !dup {
			m[n] = append(m[n], k)
		}
	}
}

// NewEnv builds an Env.
func NewEnv(cfg Config) (*Env, error) {
	if cfg.Params == nil {
		cfg.Params = DefaultParams
	}
	e := &Env{params: cfg.Params, paramBy: map[string]Param{}, hVocab: map[string][]hasKey{}, mVocab: map[string][]hasKey{},
		costLimit: cfg.CostLimit}
	if e.costLimit == 0 {
		e.costLimit = DefaultCostLimit
	}
	size := cfg.CacheSize
	if size <= 0 {
		size = DefaultCacheSize
	}
	e.cache = newLRU(size)
	for _, p := range cfg.Params {
		if err := CheckParamDecl(p); err != nil {
			return nil, fmt.Errorf("rules: parameter %q: %w", p.Name, err)
		}
		if _, dup := e.paramBy[p.Name]; dup {
			return nil, fmt.Errorf("rules: parameter %q declared twice", p.Name)
		}
		e.paramBy[p.Name] = p
	}
	for _, c := range safetynet.Categories {
		k := hasKey{code: c.Code}
		names := append([]string{c.Code, c.ZH, c.EN}, c.Synonyms...)
		names = append(names, extraSynonyms[c.Code]...)
		if c.For == safetynet.SubjectHousehold {
			addNames(e.hVocab, k, names...)
			e.hNames = append(e.hNames, c.ZH)
		} else {
			addNames(e.mVocab, k, names...)
			e.mNames = append(e.mNames, c.ZH)
		}
	}
	e.measures = map[string]Name{}
	for _, m := range cfg.Measures {
		e.measures[m.Code] = m
		addNames(e.hVocab, hasKey{measure: true, code: m.Code}, append([]string{m.Code, m.ZH, m.EN}, m.Synonyms...)...)
		e.hNames = append(e.hNames, m.ZH)
	}
	reg, err := types.NewRegistry()
	if err != nil {
		return nil, err
	}
	e.prov = &provider{Registry: reg, params: e.paramBy}
	e.cel, err = cel.NewEnv(
		cel.CustomTypeProvider(e.prov),
		cel.Variable("h", householdType),
		cel.Variable("params", paramsType),
		cel.CrossTypeNumericComparisons(true),
		cel.EnableMacroCallTracking(),
		cel.ParserExpressionSizeLimit(MaxRuleLength),
		cel.Macros(countMacro),
		cel.Function("has",
			cel.MemberOverload("household_has_string", []*cel.Type{householdType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(e.householdHas)),
			cel.MemberOverload("member_has_string", []*cel.Type{memberType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(e.memberHas))),
	)
	if err != nil {
		return nil, fmt.Errorf("rules: env: %w", err)
	}
	return e, nil
}

// countMacro expands h.count(m, cond) to a fold counting the living
// members satisfying cond, like size(h.members.filter(m, cond)) without
// building the list. A member for whom cond is unknown makes the count
// unknown, as with filter.
var countMacro = cel.ReceiverMacro("count", 2, func(eh parser.ExprHelper, target ast.Expr, args []ast.Expr) (ast.Expr, *cel.Error) {
	if args[0].Kind() != ast.IdentKind {
		return nil, eh.NewError(args[0].ID(), "argument is not an identifier")
	}
	v := args[0].AsIdent()
	if v == eh.AccuIdentName() || v == parser.AccumulatorName {
		return nil, eh.NewError(args[0].ID(), "iteration variable overwrites accumulator variable")
	}
	step := eh.NewCall(operators.Conditional, args[1],
		eh.NewCall(operators.Add, eh.NewAccuIdent(), eh.NewLiteral(types.Int(1))), eh.NewAccuIdent())
	return eh.NewComprehension(eh.NewSelect(target, "members"), v, eh.AccuIdentName(),
		eh.NewLiteral(types.Int(0)), eh.NewLiteral(types.True), step, eh.NewAccuIdent()), nil
})

func (e *Env) householdHas(lhs, rhs ref.Val) ref.Val {
	h, ok := lhs.Value().(*Household)
	s, ok2 := rhs.(types.String)
	if !ok || !ok2 {
		return types.NoSuchOverloadErr()
	}
	keys, found := lookup(e.hVocab, string(s))
	if !found {
		return types.NewErr("unknown category or measure %q", string(s))
	}
	for _, k := range keys {
		if k.measure && hasCode(h.Measures, k.code) || !k.measure && hasCode(h.Categories, k.code) {
			return types.True
		}
	}
	return types.False
}

func (e *Env) memberHas(lhs, rhs ref.Val) ref.Val {
	m, ok := lhs.Value().(*Member)
	s, ok2 := rhs.(types.String)
	if !ok || !ok2 {
		return types.NoSuchOverloadErr()
	}
	keys, found := lookup(e.mVocab, string(s))
	if !found {
		return types.NewErr("unknown person category %q", string(s))
	}
	for _, k := range keys {
		if hasCode(m.Categories, k.code) {
			return types.True
		}
	}
	return types.False
}

// hasLabel names what has(name) stands for in lang: the first category
// or measure the name designates, as written if unknown.
func (e *Env) hasLabel(name string, member bool, lang string) string {
	vocab := e.hVocab
	if member {
		vocab = e.mVocab
	}
	keys := vocab[norm(name)]
	if len(keys) == 0 {
		return name
	}
	k := keys[0]
	if k.measure {
		if m, ok := e.measures[k.code]; ok {
			if lang == "zh" {
				return m.ZH
			}
			return m.EN
		}
		return name
	}
	return safetynet.CategoryLabel(k.code, lang)
}

// Measure returns the catalogue entry of a measure code the env knows.
func (e *Env) Measure(code string) (Name, bool) {
	m, ok := e.measures[code]
	return m, ok
}

// Params returns the declared parameters.
func (e *Env) Params() []Param { return append([]Param(nil), e.params...) }

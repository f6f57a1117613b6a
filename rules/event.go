package rules

import (
	"context"
	"fmt"
	"reflect"
	"strconv"

	"safetynet"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/interpreter"
)

// KindWarning is the kind of a warning rule (部门预警规则): a program over
// one department event e, its person p and household h (see EventEnv).
const KindWarning = "warning"

// Event is a department event as warning rules see it (variable e).
type Event struct {
	ID         int64
	Type       string // safetynet.EventTypes code
	Date       string // YYYY-MM-DD
	Department string // safetynet.Departments code
	// Registered is true when the person was matched to the register.
	Registered bool
	// Fields are the event type's fields sent by the department: float64
	// yuan for yuan fields (the storage converts fen), int64 for integers,
	// string for texts and dates. A field left out is not recorded.
	// Storage adds the year-to-date aggregates (oop_ytd) when the
	// department did not send them.
	Fields map[string]any
	// Computed names the fields storage computed rather than received.
	Computed []string
}

// EventInput is what a warning rule is evaluated on: the event, the person
// (a member value; for someone not in the register ID 0, age and sex from
// the ID number when known, nothing else recorded) and the household (for
// someone not in the register: ID 0, no members, the event's place).
type EventInput struct {
	Event     Event
	Person    Member
	Household Household
}

// eField is a field of e.
type eField struct {
	Field
	get func(e *Event) (ref.Val, bool)
}

var eventType = types.NewObjectType("rules.Event", traits.FieldTesterType|traits.IndexerType)

// EventParams are the parameters of the warning rules, declared with the
// others (DefaultParams) and edited on the parameters page.
var EventParams = DefaultParams[len(DefaultParams)-2:]

// ParamDefaults are the values warning parameters take in a county that
// has not set them (yuan).
var ParamDefaults = Params{"medical_oop_ordinary": 20000.0, "medical_oop_monitored": 5000.0}

// WithDefaults returns params completed by ParamDefaults.
func WithDefaults(params Params) Params {
	out := Params{}
	for k, v := range ParamDefaults {
		out[k] = v
	}
	for k, v := range params {
		out[k] = v
	}
	return out
}

func vocabLabels(v safetynet.Vocab) []string {
	out := make([]string, len(v))
	for i, o := range v {
		out[i] = o.ZH
	}
	return out
}

// YTDField is the year-to-date aggregate storage computes when the
// department did not send it: the sum of oop_cost of the person's
// hospitalisation and large-outpatient events of the event's calendar
// year dated on or before the event (this event included).
const YTDField = "oop_ytd"

// MedicalEventTypes are the event types whose oop_cost counts in oop_ytd.
var MedicalEventTypes = []string{"hospitalisation", "outpatient_large"}

var (
	eventFields      []eField
	eFieldByName     = map[string]*eField{}
	eventTypeLabels  []string
	departmentLabels []string
)

func init() {
	for _, t := range safetynet.EventTypes {
		eventTypeLabels = append(eventTypeLabels, t.ZH)
	}
	departmentLabels = vocabLabels(safetynet.Departments)
	eventFields = []eField{
		{Field{Name: "type", ZH: "事件类型", EN: "event type", Type: TypeText, Vocab: eventTypeLabels, DocZH: "事件类型的中文名称（住院、死亡、危房鉴定…）", DocEN: "the event type's Chinese label (住院, 死亡, 危房鉴定…)"},
			func(e *Event) (ref.Val, bool) { return known(types.String(eventTypeLabel(e.Type))) }},
		{Field{Name: "date", ZH: "事件日期", EN: "event date", Type: TypeText, DocZH: "事件日期，文本 YYYY-MM-DD，可直接比较大小", DocEN: "the event's date, text YYYY-MM-DD (compares as text)"},
			func(e *Event) (ref.Val, bool) { return known(types.String(e.Date)) }},
		{Field{Name: "year", ZH: "事件年度", EN: "event year", Type: TypeInteger, DocZH: "事件日期的年份", DocEN: "the year of the event's date"},
			func(e *Event) (ref.Val, bool) { return known(types.Int(eventYear(e.Date))) }},
		{Field{Name: "department", ZH: "推送部门", EN: "department", Type: TypeText, Vocab: departmentLabels, DocZH: "推送部门的中文名称（医保局、残联…）", DocEN: "the department's Chinese label (医保局, 残联…)"},
			func(e *Event) (ref.Val, bool) {
				return known(types.String(safetynet.Departments.Label(e.Department, "zh")))
			}},
		{Field{Name: "registered", ZH: "已在台账", EN: "in the register", Type: TypeBool, DocZH: "该人员已与台账匹配；否则 p、h 为空", DocEN: "the person was matched to the register; else p and h are empty"},
			func(e *Event) (ref.Val, bool) { return known(types.Bool(e.Registered)) }},
	}
	seen := map[string]bool{}
	for _, t := range safetynet.EventTypes {
		for _, f := range t.Fields {
			if seen[f.Name] {
				continue
			}
			seen[f.Name] = true
			eventFields = append(eventFields, eventFieldOf(f))
		}
	}
	for i := range eventFields {
		eFieldByName[eventFields[i].Name] = &eventFields[i]
	}
}

func eventFieldOf(f safetynet.EventField) eField {
	fd := Field{Name: f.Name, ZH: f.ZH, EN: f.EN, Nullable: true}
	name := f.Name
	var types2 []string
	for _, t := range safetynet.EventTypes {
		if _, ok := t.Field(name); ok {
			types2 = append(types2, t.ZH)
		}
	}
	where := fmt.Sprint(types2)
	switch f.Kind {
	case safetynet.FieldYuan:
		fd.Type = TypeNumber
		fd.DocZH, fd.DocEN = "金额（元），可能缺失；见于 "+where, "amount in yuan, may be missing; in "+where
		if name == YTDField {
			fd.DocZH += "；部门未报送时由系统按本人本年度已存事件的本次个人自付累加（含本次）"
			fd.DocEN += "; when not sent, the system sums this year's oop_cost of the person's stored events up to this one"
		}
	case safetynet.FieldInt:
		fd.Type = TypeInteger
		fd.DocZH, fd.DocEN = "整数，可能缺失；见于 "+where, "integer, may be missing; in "+where
	default:
		fd.Type = TypeText
		fd.Vocab = vocabLabels(f.Values)
		fd.DocZH, fd.DocEN = "文本，可能缺失；见于 "+where, "text, may be missing; in "+where
		if f.Kind == safetynet.FieldDate {
			fd.DocZH, fd.DocEN = "日期文本 YYYY-MM-DD，可能缺失；见于 "+where, "date text YYYY-MM-DD, may be missing; in "+where
		}
	}
	vocab := f.Values
	get := func(e *Event) (ref.Val, bool) {
		v, ok := e.Fields[name]
		if !ok || v == nil {
			return nil, false
		}
		switch fd.Type {
		case TypeNumber:
			switch x := v.(type) {
			case float64:
				return types.Double(x), true
			case int64:
				return types.Double(x), true
			case int:
				return types.Double(x), true
			}
		case TypeInteger:
			switch x := v.(type) {
			case int64:
				return types.Int(x), true
			case int:
				return types.Int(x), true
			case float64:
				return types.Int(int64(x)), true
			}
		default:
			if s, ok := v.(string); ok {
				s = vocabLabel(vocab, s)
				return types.String(s), true
			}
		}
		return nil, false
	}
	return eField{fd, get}
}

// vocabLabel is the Chinese label of a stored vocabulary value (a code,
// as the feed stores it, or a label or synonym).
func vocabLabel(v safetynet.Vocab, s string) string {
	for _, o := range v {
		if s == o.Code {
			return o.ZH
		}
	}
	if code, found := v.Parse(s); found {
		return v.Label(code, "zh")
	}
	return s
}

func eventTypeLabel(code string) string {
	if t, ok := safetynet.EventTypeOf(code); ok {
		return t.ZH
	}
	return code
}

func eventYear(date string) int {
	if len(date) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(date[:4])
	return y
}

// eRef is an event seen by CEL.
type eRef struct{ ev *Event }

func (o *eRef) ConvertToNative(t reflect.Type) (any, error) { return convertTo(o.ev, t) }
func (o *eRef) ConvertToType(t ref.Type) ref.Val            { return convertType(o, eventType, t) }
func (o *eRef) Equal(other ref.Val) ref.Val {
	p, ok := other.(*eRef)
	return types.Bool(ok && p.ev == o.ev)
}
func (o *eRef) Type() ref.Type { return eventType }
func (o *eRef) Value() any     { return o.ev }
func (o *eRef) IsSet(f ref.Val) ref.Val {
	name, ok := f.(types.String)
	if !ok {
		return types.NoSuchOverloadErr()
	}
	ef := eFieldByName[string(name)]
	if ef == nil {
		return types.NewErr("no such field '%s'", name)
	}
	_, set := ef.get(o.ev)
	return types.Bool(set)
}
func (o *eRef) Get(f ref.Val) ref.Val {
	name, ok := f.(types.String)
	if !ok {
		return types.NoSuchOverloadErr()
	}
	ef := eFieldByName[string(name)]
	if ef == nil {
		return types.NewErr("no such field '%s'", name)
	}
	v, set := ef.get(o.ev)
	if !set {
		return types.WrapErr(&MissingError{Field: ef.Name, ZH: ef.ZH, EN: ef.EN})
	}
	return v
}

// eventProvider adds the event type to the schema's provider.
type eventProvider struct{ *provider }

func (p *eventProvider) FindStructType(name string) (*types.Type, bool) {
	if name == eventType.TypeName() {
		return types.NewTypeTypeWithParam(eventType), true
	}
	return p.provider.FindStructType(name)
}

func (p *eventProvider) FindStructFieldNames(name string) ([]string, bool) {
	if name == eventType.TypeName() {
		out := make([]string, len(eventFields))
		for i, f := range eventFields {
			out[i] = f.Name
		}
		return out, true
	}
	return p.provider.FindStructFieldNames(name)
}

func (p *eventProvider) FindStructFieldType(structType, fieldName string) (*types.FieldType, bool) {
	if structType == eventType.TypeName() {
		f, ok := eFieldByName[fieldName]
		if !ok {
			return nil, false
		}
		return celFieldType(f.Field, f.get), true
	}
	return p.provider.FindStructFieldType(structType, fieldName)
}

// EventEnv compiles and runs warning rules: CEL over e (the event), p (the
// person, of the member type), h (the household) and params. It shares the
// vocabularies, the has() functions, the cost limit, the type checks and
// the explanations of Env; programs are cached per (rule id, version) in
// a cache of its own.
type EventEnv struct {
	env *Env
}

// NewEventEnv builds the environment of warning rules. cfg.Params
// defaults to DefaultParams (which include EventParams).
func NewEventEnv(cfg Config) (*EventEnv, error) {
	base, err := NewEnv(cfg)
	if err != nil {
		return nil, err
	}
	ev := *base
	size := cfg.CacheSize
	if size <= 0 {
		size = DefaultCacheSize
	}
	ev.cache = newLRU(size)
	ev.cel, err = cel.NewEnv(
		cel.CustomTypeProvider(&eventProvider{base.prov}),
		cel.Variable("e", eventType),
		cel.Variable("p", memberType),
		cel.Variable("h", householdType),
		cel.Variable("params", paramsType),
		cel.CrossTypeNumericComparisons(true),
		cel.EnableMacroCallTracking(),
		cel.ParserExpressionSizeLimit(MaxRuleLength),
		cel.Macros(countMacro),
		cel.Function("has",
			cel.MemberOverload("household_has_string", []*cel.Type{householdType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(base.householdHas)),
			cel.MemberOverload("member_has_string", []*cel.Type{memberType, cel.StringType}, cel.BoolType,
				cel.BinaryBinding(base.memberHas))),
	)
	if err != nil {
		return nil, fmt.Errorf("rules: event env: %w", err)
	}
	return &EventEnv{env: &ev}, nil
}

// Check compiles a warning rule without caching it (the editor's
// check-as-you-type). Errors are *CompileError.
func (x *EventEnv) Check(src string) (*Program, error) { return x.env.Check(src) }

// Compile returns the program of version version of warning rule id,
// compiling only when that version is not cached.
func (x *EventEnv) Compile(id int64, version int, src string) (*Program, error) {
	return x.env.Compile(id, version, src)
}

// Params returns the declared parameters.
func (x *EventEnv) Params() []Param { return x.env.Params() }

// eventActivation binds e, p, h and params.
type eventActivation struct {
	e, p, h, params ref.Val
}

func (a *eventActivation) ResolveName(name string) (any, bool) {
	switch name {
	case "e":
		return a.e, true
	case "p":
		return a.p, true
	case "h":
		return a.h, true
	case "params":
		return a.params, true
	}
	return nil, false
}

func (a *eventActivation) Parent() interpreter.Activation { return nil }

func (p *Program) bindEvent(params Params, in *EventInput) *eventActivation {
	return &eventActivation{e: &eRef{&in.Event}, p: (*mRef)(&in.Person), h: (*hRef)(&in.Household),
		params: (*pRef)(newParamValues(p.env.prov, params))}
}

// EvalEvent runs a warning rule on one event. It never panics on the
// event's data: failures are returned in Result.Err (HouseholdID holds the
// event's id).
func (p *Program) EvalEvent(ctx context.Context, params Params, in *EventInput) (res Result) {
	res.HouseholdID = in.Event.ID
	defer func() {
		if r := recover(); r != nil {
			res = Result{HouseholdID: in.Event.ID, Err: fmt.Errorf("rules: event %d: internal error: %v", in.Event.ID, r)}
		}
	}()
	if err := ctx.Err(); err != nil {
		res.Err = err
		return res
	}
	v, _, err := p.prg.ContextEval(ctx, p.bindEvent(params, in))
	return p.classify(in.Event.ID, v, err)
}

// ExplainEvent evaluates a warning rule on one event and says which
// conditions held with the values: "年度累计个人自付 23,400 ≥ 普通农户阈值 20,000".
func (p *Program) ExplainEvent(ctx context.Context, params Params, in *EventInput) (ex Explanation) {
	ex.Result = p.EvalEvent(ctx, params, in)
	defer func() {
		if r := recover(); r != nil {
			ex.Conditions = nil
		}
	}()
	x := &explainer{ctx: ctx, act: p.bindEvent(params, in), env: p.env}
	ex.Conditions = x.why(p.tree, x.eval(p.tree))
	return ex
}

// EventExample is a rule test of a warning rule: an event, its person and
// household, and the answer the rule must give.
type EventExample struct {
	Name      string
	Event     Event
	Person    Member
	Household Household
	Expect    bool
}

// RunEventExamples evaluates p on each example and returns those that
// fail (an error never passes).
func RunEventExamples(ctx context.Context, p *Program, params Params, rule string, examples []EventExample) []Failure {
	var out []Failure
	for _, ex := range examples {
		in := EventInput{Event: ex.Event, Person: ex.Person, Household: ex.Household}
		why := p.ExplainEvent(ctx, params, &in)
		if why.Result.Err != nil || why.Result.Matched != ex.Expect {
			out = append(out, Failure{Rule: rule, Example: ex.Name, Want: ex.Expect, Got: why.Result, Why: why})
		}
	}
	return out
}

// EventSchema is the documented schema of warning rules: the fields of e,
// then those of p (a member) and h, the parameters and functions.
type EventSchema struct {
	Event []Field
	SchemaDoc
}

// Schema returns the schema of warning rules.
func (x *EventEnv) Schema() EventSchema {
	d := EventSchema{SchemaDoc: x.env.Schema()}
	for _, f := range eventFields {
		d.Event = append(d.Event, f.Field)
	}
	return d
}

// EventFieldsDoc lists the fields of e, for the help page.
func EventFieldsDoc() []Field {
	out := make([]Field, len(eventFields))
	for i, f := range eventFields {
		out[i] = f.Field
	}
	return out
}

// EventFieldValue converts a stored field value (yuan as integer fen) to
// the value rules see (yuan as float64), by the field's kind.
func EventFieldValue(kind safetynet.EventFieldKind, v any) (any, bool) {
	switch kind {
	case safetynet.FieldYuan:
		switch x := v.(type) {
		case float64:
			return x / 100, true
		case int64:
			return float64(x) / 100, true
		}
	case safetynet.FieldInt:
		switch x := v.(type) {
		case float64:
			return int64(x), true
		case int64:
			return x, true
		}
	default:
		if s, ok := v.(string); ok {
			return s, true
		}
	}
	return nil, false
}

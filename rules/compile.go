package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// Issue is one problem of a rule's text, at a 1-based line and column
// (counted in characters).
type Issue struct {
	Line, Column int
	ZH, EN       string
}

// CompileError lists the issues that stop a rule from compiling.
type CompileError struct {
	Issues []Issue
}

// Error lists the issues with their positions, English then Chinese.
func (e *CompileError) Error() string {
	var b strings.Builder
	for i, is := range e.Issues {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%d:%d: %s (%s)", is.Line, is.Column, is.EN, is.ZH)
	}
	return "rules: " + b.String()
}

// Program is a compiled, checked rule. It is immutable and safe for
// concurrent use.
type Program struct {
	env    *Env
	src    string
	ast    *cel.Ast
	prg    cel.Program // with the runtime cost limit
	fast   cel.Program // without cost tracking, for households within the estimate's bounds
	cost   cost.CostEstimate
	tree   *node
	reads  map[string]bool // nullable fields used in arithmetic or as arguments
	params []string        // parameters read
}

// Source returns the rule's text.
func (p *Program) Source() string { return p.src }

// ParamsRead lists the parameters the rule reads, once each, so that a
// new parameter value re-screens only the rules that read it.
func (p *Program) ParamsRead() []string {
	var out []string
	for _, n := range p.params {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// EstimatedCost returns the compile-time worst-case cost estimate.
func (p *Program) EstimatedCost() uint64 { return p.cost.Max }

// Compile returns the program of version version of rule id, compiling
// src only when that version is not cached yet.
func (e *Env) Compile(id int64, version int, src string) (*Program, error) {
	k := cacheKey{id, version}
	if p, ok := e.cache.get(k); ok && p.src == src {
		return p, nil
	}
	p, err := e.Check(src)
	if err != nil {
		return nil, err
	}
	e.cache.put(k, p)
	return p, nil
}

// Check compiles src without caching it, as the editor does while one
// types. Errors are *CompileError.
func (e *Env) Check(src string) (*Program, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &CompileError{[]Issue{{1, 1, "规则为空", "the rule is empty"}}}
	}
	if n := utf8.RuneCountInString(src); n > MaxRuleLength {
		return nil, &CompileError{[]Issue{{1, 1, fmt.Sprintf("规则过长：%d 个字符，上限 %d", n, MaxRuleLength),
			fmt.Sprintf("the rule is too long: %d characters, at most %d", n, MaxRuleLength)}}}
	}
	a, iss := e.cel.Compile(src)
	if iss != nil && iss.Err() != nil {
		ce := &CompileError{}
		parsed, _ := e.cel.Parse(src)
		for _, er := range iss.Errors() {
			zh, en := translate(er.Message)
			if parsed != nil {
				zh, en = e.fieldOwner(parsed.NativeRep(), er.ExprID, er.Message, zh, en)
			}
			// Some macro errors carry no position: point at the start.
			ce.Issues = append(ce.Issues, Issue{max(er.Location.Line(), 1), max(er.Location.Column()+1, 1), zh, en})
		}
		return nil, ce
	}
	if !a.OutputType().IsExactType(types.BoolType) {
		return nil, &CompileError{[]Issue{{1, 1,
			fmt.Sprintf("规则的结果必须是真/假，而不是%s", typeNameZH(a.OutputType())),
			fmt.Sprintf("a rule must give true or false, not %s", a.OutputType())}}}
	}
	p := &Program{env: e, src: src, ast: a, reads: map[string]bool{}}
	if issues := e.vet(p); len(issues) > 0 {
		return nil, &CompileError{issues}
	}
	est, err := e.cel.EstimateCost(a, sizeEstimator{})
	if err != nil {
		return nil, fmt.Errorf("rules: cost estimate: %w", err)
	}
	p.cost = est
	if est.Max > e.costLimit {
		return nil, &CompileError{[]Issue{{1, 1,
			fmt.Sprintf("规则过于复杂：估计最大计算量 %s 超过上限 %s（请减少嵌套的成员遍历）", fmtInt(est.Max), fmtInt(e.costLimit)),
			fmt.Sprintf("the rule is too costly: estimated worst case %d exceeds the limit %d (avoid nested loops over members)", est.Max, e.costLimit)}}}
	}
	p.prg, err = e.cel.Program(a, cel.CostLimit(e.costLimit), cel.InterruptCheckFrequency(64), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, fmt.Errorf("rules: program: %w", err)
	}
	// The estimate bounds the cost of every household whose lists and
	// texts fit sizeEstimator's bounds: those need no runtime tracking.
	p.fast, err = e.cel.Program(a, cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, fmt.Errorf("rules: program: %w", err)
	}
	p.tree = e.buildTree(a.NativeRep(), a.NativeRep().Expr(), 0)
	return p, nil
}

func typeNameZH(t *types.Type) string {
	switch t.Kind() {
	case types.DoubleKind:
		return "数字"
	case types.IntKind, types.UintKind:
		return "整数"
	case types.StringKind:
		return "文本"
	case types.ListKind:
		return "列表"
	}
	return t.String()
}

var (
	reUndeclared = regexp.MustCompile(`undeclared reference to '([^']+)'`)
	reUndefField = regexp.MustCompile(`undefined field '([^']+)'`)
	reNoOverload = regexp.MustCompile(`found no matching overload for '([^']+)' applied to '\(([^)]*)\)'`)
	reSyntax     = regexp.MustCompile(`^Syntax error: (.*)`)
)

var opZH = map[string]string{
	operators.Less: "<", operators.LessEquals: "<=", operators.Greater: ">", operators.GreaterEquals: ">=",
	operators.Equals: "==", operators.NotEquals: "!=", operators.Add: "+", operators.Subtract: "-",
	operators.Multiply: "*", operators.Divide: "/", operators.Modulo: "%", operators.LogicalAnd: "&&",
	operators.LogicalOr: "||", operators.LogicalNot: "!", operators.In: "in", operators.Negate: "-",
}

var typeWordZH = strings.NewReplacer("double", "数字", "int", "整数", "string", "文本", "bool", "真/假",
	"list(rules.Member)", "成员列表", "rules.Household", "户", "rules.Member", "成员", "rules.Params", "参数", "rules.Event", "事件", "list", "列表")

// translate turns a CEL checker or parser message into Chinese and a
// plainer English.
func translate(msg string) (zh, en string) {
	if m := reUndeclared.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("未知名称“%s”：规则只能引用户 h、参数 params，以及成员遍历中的变量（如 m）；预警规则另有事件 e 和人员 p", m[1]),
			fmt.Sprintf("unknown name %q: a rule may reference h, params and the variable of a member loop (m); warning rules also e and p", m[1])
	}
	if m := reUndefField.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("未知字段“%s”（可用字段见帮助）", m[1]),
			fmt.Sprintf("unknown field %q (see the help for the fields)", m[1])
	}
	if m := reNoOverload.FindStringSubmatch(msg); m != nil {
		op := m[1]
		if s, ok := opZH[op]; ok {
			op = s
		}
		return fmt.Sprintf("类型不匹配：%s 不能用于（%s）", op, typeWordZH.Replace(m[2])),
			fmt.Sprintf("wrong types: %s cannot apply to (%s)", op, m[2])
	}
	if strings.Contains(msg, "argument must be a simple name") || strings.Contains(msg, "argument is not an identifier") {
		return "遍历变量必须是一个名字，如 h.members.exists(m, m.age >= 16)", "the loop variable must be a name, e.g. h.members.exists(m, m.age >= 16)"
	}
	if m := reSyntax.FindStringSubmatch(msg); m != nil {
		return "语法错误：" + m[1], "syntax error: " + m[1]
	}
	return "规则有误：" + msg, msg
}

// fieldOwner says whose field an unknown field was asked of: the
// household, a member, or the parameters (listing the declared ones).
func (e *Env) fieldOwner(a *ast.AST, id int64, msg, zh, en string) (string, string) {
	m := reUndefField.FindStringSubmatch(msg)
	if m == nil || id == 0 {
		return zh, en
	}
	var found ast.Expr
	ast.PostOrderVisit(a.Expr(), ast.NewExprVisitor(func(x ast.Expr) {
		if x.ID() == id {
			found = x
		}
	}))
	if found == nil || found.Kind() != ast.SelectKind || found.AsSelect().Operand().Kind() != ast.IdentKind {
		return zh, en
	}
	switch found.AsSelect().Operand().AsIdent() {
	case "params":
		var names []string
		for _, p := range e.params {
			names = append(names, p.Name+"（"+p.ZH+"）")
		}
		return fmt.Sprintf("未声明的参数“%s”，已声明：%s", m[1], strings.Join(names, "、")),
			fmt.Sprintf("undeclared parameter %q", m[1])
	case "e":
		return fmt.Sprintf("事件没有字段“%s”（可用字段见帮助）", m[1]), fmt.Sprintf("an event has no field %q (see the help)", m[1])
	case "h":
		return fmt.Sprintf("户没有字段“%s”（可用字段见帮助）", m[1]), fmt.Sprintf("a household has no field %q (see the help)", m[1])
	default:
		return fmt.Sprintf("成员没有字段“%s”（可用字段见帮助）", m[1]), fmt.Sprintf("a member has no field %q (see the help)", m[1])
	}
}

// sizeEstimator bounds the lists of the schema for the cost estimate.
type sizeEstimator struct{}

func (sizeEstimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	if n.Type() != nil && n.Type().Kind() == types.ListKind {
		s := cost.SizeEstimate{Min: 0, Max: MaxMembers}
		return &s
	}
	if n.Type() != nil && n.Type().Kind() == types.StringKind && len(n.Path()) > 0 {
		s := cost.SizeEstimate{Min: 0, Max: 64}
		return &s
	}
	return nil
}

func (sizeEstimator) EstimateCallCost(function, overloadID string, target *cost.AstNode, args []cost.AstNode) *cost.CallEstimate {
	return nil
}

// objectKind tells which schema object an expression is: "h", "m",
// "params" or "".
func objectKind(a *ast.AST, e ast.Expr) string {
	switch a.GetType(e.ID()).TypeName() {
	case householdType.TypeName():
		return "h"
	case memberType.TypeName():
		return "m"
	case paramsType.TypeName():
		return "params"
	case eventType.TypeName():
		return "e"
	}
	return ""
}

package rules

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"safetynet"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"
	"cel.dev/cel-go/parser"
)

// node is the top-level &&, ||, ! structure of a rule; leaves are the
// conditions explanations speak of, each compiled on its own.
type node struct {
	op   string // "and", "or", "not", "leaf"
	kids []*node
	a    *ast.AST
	expr ast.Expr
	prg  cel.Program    // the leaf's condition
	opnd [2]cel.Program // a comparison's non-literal operands
	who  cel.Program    // for exists over members: the members satisfying it
}

func (e *Env) subProgram(a *ast.AST, x ast.Expr) cel.Program {
	text, err := parser.Unparse(x, a.SourceInfo())
	if err != nil {
		return nil
	}
	return e.textProgram(text)
}

func (e *Env) textProgram(text string) cel.Program {
	sub, iss := e.cel.Compile(text)
	if iss != nil && iss.Err() != nil {
		return nil
	}
	prg, err := e.cel.Program(sub, cel.CostLimit(e.costLimit), cel.InterruptCheckFrequency(64))
	if err != nil {
		return nil
	}
	return prg
}

func (e *Env) buildTree(a *ast.AST, x ast.Expr, depth int) *node {
	if x.Kind() == ast.CallKind && depth < 32 {
		c := x.AsCall()
		switch c.FunctionName() {
		case operators.LogicalAnd, operators.LogicalOr:
			n := &node{op: "and"}
			if c.FunctionName() == operators.LogicalOr {
				n.op = "or"
			}
			for _, arg := range c.Args() {
				k := e.buildTree(a, arg, depth+1)
				if k.op == n.op { // flatten a && b && c
					n.kids = append(n.kids, k.kids...)
				} else {
					n.kids = append(n.kids, k)
				}
			}
			return n
		case operators.LogicalNot:
			return &node{op: "not", kids: []*node{e.buildTree(a, c.Args()[0], depth+1)}}
		}
	}
	n := &node{op: "leaf", a: a, expr: x, prg: e.subProgram(a, x)}
	if call, ok := a.SourceInfo().GetMacroCall(x.ID()); ok && call.Kind() == ast.CallKind {
		c := call.AsCall()
		if (c.FunctionName() == "exists" || c.FunctionName() == "exists_one") && c.IsMemberFunction() && len(c.Args()) == 2 {
			target, err1 := parser.Unparse(c.Target(), a.SourceInfo())
			cond, err2 := parser.Unparse(c.Args()[1], a.SourceInfo())
			if err1 == nil && err2 == nil && c.Args()[0].Kind() == ast.IdentKind {
				n.who = e.textProgram(target + ".filter(" + c.Args()[0].AsIdent() + ", " + cond + ")")
			}
		}
	}
	if c, ok := comparison(x); ok {
		for i, arg := range c.Args() {
			if arg.Kind() != ast.LiteralKind && arg.Kind() != ast.ListKind {
				n.opnd[i] = e.subProgram(a, arg)
			}
		}
	}
	return n
}

func comparison(x ast.Expr) (ast.CallExpr, bool) {
	if x.Kind() != ast.CallKind {
		return nil, false
	}
	c := x.AsCall()
	return c, comparisons[c.FunctionName()] && len(c.Args()) == 2
}

// tri is a condition's value under the null semantics.
type tri struct {
	b       bool
	missing *MissingError
	err     error
}

func triOf(v ref.Val, err error) tri {
	if err != nil {
		var me *MissingError
		if errors.As(err, &me) {
			return tri{missing: me}
		}
		return tri{err: err}
	}
	if b, ok := v.(types.Bool); ok {
		return tri{b: bool(b)}
	}
	return tri{err: fmt.Errorf("not a bool: %v", v)}
}

func (t tri) isTrue() bool  { return t.missing == nil && t.err == nil && t.b }
func (t tri) isFalse() bool { return t.missing == nil && t.err == nil && !t.b }

// Condition is one statement of an explanation, true of the household.
type Condition struct {
	ZH, EN  string
	Missing bool // a value the condition needs is not recorded
}

// Explanation says why a rule matched or not a household.
type Explanation struct {
	Result     Result
	Conditions []Condition
}

// ZH joins the conditions in Chinese: "人均收入 4,200 < 低保线 5,880；无特困供养".
func (x Explanation) ZH() string {
	var s []string
	for _, c := range x.Conditions {
		s = append(s, c.ZH)
	}
	return strings.Join(s, "；")
}

// EN joins the conditions in English.
func (x Explanation) EN() string {
	var s []string
	for _, c := range x.Conditions {
		s = append(s, c.EN)
	}
	return strings.Join(s, "; ")
}

type explainer struct {
	ctx context.Context
	act interpreter.Activation
	env *Env
}

func (x *explainer) eval(n *node) tri {
	switch n.op {
	case "leaf":
		if n.prg == nil {
			return tri{err: errors.New("condition not evaluable")}
		}
		v, _, err := n.prg.ContextEval(x.ctx, x.act)
		return triOf(v, err)
	case "not":
		t := x.eval(n.kids[0])
		t.b = !t.b
		return t
	}
	var missing *MissingError
	var firstErr error
	for _, k := range n.kids {
		t := x.eval(k)
		switch {
		case n.op == "and" && t.isFalse():
			return tri{b: false}
		case n.op == "or" && t.isTrue():
			return tri{b: true}
		case t.err != nil && firstErr == nil:
			firstErr = t.err
		case t.missing != nil && missing == nil:
			missing = t.missing
		}
	}
	if firstErr != nil {
		return tri{err: firstErr}
	}
	if missing != nil {
		return tri{missing: missing}
	}
	return tri{b: n.op == "and"}
}

// why lists the statements that decide n's value t.
func (x *explainer) why(n *node, t tri) []Condition {
	switch n.op {
	case "leaf":
		return []Condition{x.statement(n, t)}
	case "not":
		return x.why(n.kids[0], x.eval(n.kids[0]))
	}
	var all, deciding []Condition
	for _, k := range n.kids {
		kt := x.eval(k)
		c := x.why(k, kt)
		all = append(all, c...)
		if t.isTrue() && kt.isTrue() && n.op == "or" || t.isFalse() && kt.isFalse() && n.op == "and" ||
			(t.missing != nil || t.err != nil) && !kt.isTrue() && !kt.isFalse() {
			deciding = append(deciding, c...)
		}
	}
	if len(deciding) > 0 {
		return deciding
	}
	return all
}

// Explain evaluates the rule on h and says which conditions held, with the
// household's values, in Chinese and English.
func (p *Program) Explain(ctx context.Context, params Params, h *Household) (ex Explanation) {
	ex.Result = p.Eval(ctx, params, h)
	defer func() {
		if r := recover(); r != nil {
			ex.Conditions = nil
		}
	}()
	x := &explainer{ctx: ctx, act: p.bind(params, h), env: p.env}
	ex.Conditions = x.why(p.tree, x.eval(p.tree))
	return ex
}

var negated = map[string]string{
	operators.Less: operators.GreaterEquals, operators.LessEquals: operators.Greater,
	operators.Greater: operators.LessEquals, operators.GreaterEquals: operators.Less,
	operators.Equals: operators.NotEquals, operators.NotEquals: operators.Equals,
}

var opSym = map[string]string{
	operators.Less: "<", operators.LessEquals: "≤", operators.Greater: ">", operators.GreaterEquals: "≥",
	operators.Equals: "=", operators.NotEquals: "≠", operators.Add: "+", operators.Subtract: "−",
	operators.Multiply: "×", operators.Divide: "÷", operators.Modulo: "%",
}

// statement renders a leaf as a sentence true of the household.
func (x *explainer) statement(n *node, t tri) Condition {
	r := renderer{a: n.a, env: x.env}
	if t.missing != nil && t.missing.Param {
		return Condition{ZH: "参数" + t.missing.ZH + "未设置", EN: "parameter " + t.missing.EN + " has no value"}
	}
	if t.missing != nil {
		return Condition{ZH: t.missing.ZH + "未登记", EN: t.missing.EN + " not recorded", Missing: true}
	}
	if t.err != nil {
		return Condition{ZH: "无法判断：" + r.zh(n.expr), EN: "cannot tell: " + r.en(n.expr)}
	}
	if c, ok := comparison(n.expr); ok {
		fn := c.FunctionName()
		if !t.b && fn != operators.In {
			fn = negated[fn]
		}
		var zh, en [2]string
		for i, arg := range c.Args() {
			zh[i], en[i] = r.zh(arg), r.en(arg)
			if n.opnd[i] != nil {
				if v, _, err := n.opnd[i].ContextEval(x.ctx, x.act); err == nil {
					if arg.Kind() == ast.SelectKind {
						zh[i] += " " + valueText(v, "zh")
						en[i] += " " + valueText(v, "en")
					} else {
						zh[i] += "（" + valueText(v, "zh") + "）"
						en[i] += " (" + valueText(v, "en") + ")"
					}
				}
			}
		}
		if fn == operators.In {
			if t.b {
				return Condition{ZH: zh[0] + " 属于 " + zh[1], EN: en[0] + " in " + en[1]}
			}
			return Condition{ZH: zh[0] + " 不属于 " + zh[1], EN: en[0] + " not in " + en[1]}
		}
		return Condition{ZH: zh[0] + " " + opSym[fn] + " " + zh[1], EN: en[0] + " " + opSym[fn] + " " + en[1]}
	}
	if n.expr.Kind() == ast.CallKind && n.expr.AsCall().FunctionName() == "has" && n.expr.AsCall().IsMemberFunction() {
		c := n.expr.AsCall()
		name := strings.Trim(r.zh(c.Args()[0]), "“”")
		member := objectKind(n.a, c.Target()) == "m"
		zh, en := name, x.env.hasLabel(name, member, "en")
		if !hasHan(name) {
			zh = x.env.hasLabel(name, member, "zh")
		}
		if t.b {
			return Condition{ZH: "有" + zh, EN: "holds " + en}
		}
		return Condition{ZH: "无" + zh, EN: "does not hold " + en}
	}
	if t.b {
		c := Condition{ZH: r.zh(n.expr), EN: r.en(n.expr)}
		if n.who != nil {
			if v, _, err := n.who.ContextEval(x.ctx, x.act); err == nil {
				if ms, ok := v.Value().([]ref.Val); ok && len(ms) > 0 {
					zh, en := whoText(ms)
					c.ZH += "：" + zh
					c.EN += ": " + en
				}
			}
		}
		return c
	}
	if call, ok := n.a.SourceInfo().GetMacroCall(n.expr.ID()); ok && call.Kind() == ast.CallKind &&
		call.AsCall().FunctionName() == "exists" && call.AsCall().IsMemberFunction() && len(call.AsCall().Args()) == 2 {
		c := call.AsCall()
		return Condition{ZH: r.zh(c.Target()) + "中无人满足（" + r.zh(c.Args()[1]) + "）",
			EN: "none of " + r.en(c.Target()) + " with (" + r.en(c.Args()[1]) + ")"}
	}
	return Condition{ZH: "并非" + r.zh(n.expr), EN: "not " + r.en(n.expr)}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// whoText names members by relation and age ("子 17岁"), never by name.
func whoText(vals []ref.Val) (zh, en string) {
	var zs, es []string
	for _, v := range vals {
		m, ok := v.Value().(*Member)
		if !ok {
			continue
		}
		rel, relEN := m.Relation, relationEN(m.Relation)
		if rel == "" {
			rel, relEN = "成员", "member"
		}
		if m.AgeKnown {
			zs = append(zs, fmt.Sprintf("%s %d岁", rel, m.Age))
			es = append(es, fmt.Sprintf("%s aged %d", relEN, m.Age))
		} else {
			zs = append(zs, rel)
			es = append(es, relEN)
		}
	}
	return strings.Join(zs, "、"), strings.Join(es, ", ")
}

func relationEN(zh string) string {
	if code, ok := safetynet.Relations.Parse(zh); ok {
		return safetynet.Relations.Label(code, "en")
	}
	return zh
}

package rules

import (
	"math"
	"strconv"
	"strings"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// renderer writes an expression in words, naming fields and parameters
// by their labels.
type renderer struct {
	a    *ast.AST
	env  *Env
	lang string
}

func (r renderer) zh(x ast.Expr) string { r.lang = "zh"; return r.expr(x) }
func (r renderer) en(x ast.Expr) string { r.lang = "en"; return r.expr(x) }

func (r renderer) pick(zh, en string) string {
	if r.lang == "zh" {
		return zh
	}
	return en
}

func (r renderer) label(f Field) string { return r.pick(f.ZH, f.EN) }

func (r renderer) expr(x ast.Expr) string {
	if call, ok := r.a.SourceInfo().GetMacroCall(x.ID()); ok {
		return r.macro(call)
	}
	switch x.Kind() {
	case ast.LiteralKind:
		return valueText(x.AsLiteral(), r.lang)
	case ast.IdentKind:
		return x.AsIdent()
	case ast.ListKind:
		var parts []string
		for _, el := range x.AsList().Elements() {
			parts = append(parts, r.expr(el))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case ast.SelectKind:
		s := x.AsSelect()
		switch objectKind(r.a, s.Operand()) {
		case "h":
			if f := hFieldByName[s.FieldName()]; f != nil {
				return r.label(f.Field)
			}
		case "m":
			if f := mFieldByName[s.FieldName()]; f != nil {
				return r.label(f.Field)
			}
		case "e":
			if f := eFieldByName[s.FieldName()]; f != nil {
				return r.label(f.Field)
			}
		case "params":
			if p, ok := r.env.paramBy[s.FieldName()]; ok {
				return r.pick(p.ZH, p.EN)
			}
			return s.FieldName()
		}
		if s.IsTestOnly() {
			return r.pick("已登记", "recorded ") + r.expr(s.Operand()) + "." + s.FieldName()
		}
		return r.expr(s.Operand()) + "." + s.FieldName()
	case ast.CallKind:
		return r.call(x.AsCall())
	}
	return "…"
}

func (r renderer) call(c ast.CallExpr) string {
	args := c.Args()
	fn := c.FunctionName()
	switch fn {
	case operators.LogicalAnd:
		return r.expr(args[0]) + r.pick(" 且 ", " and ") + r.expr(args[1])
	case operators.LogicalOr:
		return "(" + r.expr(args[0]) + r.pick(" 或 ", " or ") + r.expr(args[1]) + ")"
	case operators.LogicalNot:
		return r.pick("非", "not ") + r.expr(args[0])
	case operators.Negate:
		return "-" + r.expr(args[0])
	case operators.In:
		return r.expr(args[0]) + r.pick(" 属于 ", " in ") + r.expr(args[1])
	case operators.Conditional:
		return r.pick("若 ", "if ") + r.expr(args[0]) + r.pick(" 则 ", " then ") + r.expr(args[1]) + r.pick(" 否则 ", " else ") + r.expr(args[2])
	case "has":
		if c.IsMemberFunction() && len(args) == 1 && args[0].Kind() == ast.LiteralKind {
			if name, ok := args[0].AsLiteral().(types.String); ok {
				if r.lang == "zh" && hasHan(string(name)) {
					return "有" + string(name) // as the author wrote it
				}
				return r.pick("有", "holds ") + r.env.hasLabel(string(name), objectKind(r.a, c.Target()) == "m", r.lang)
			}
		}
	case "size":
		if len(args) == 1 {
			return r.pick(r.expr(args[0])+"的个数", "number of "+r.expr(args[0]))
		}
	}
	if sym, ok := opSym[fn]; ok && len(args) == 2 {
		return r.expr(args[0]) + " " + sym + " " + r.expr(args[1])
	}
	var parts []string
	for _, a := range args {
		parts = append(parts, r.expr(a))
	}
	s := fn + "(" + strings.Join(parts, ", ") + ")"
	if c.IsMemberFunction() {
		s = r.expr(c.Target()) + "." + s
	}
	return s
}

// bare renders x without the parentheses an || gets inside an &&.
func (r renderer) bare(x ast.Expr) string {
	if x.Kind() == ast.CallKind && x.AsCall().FunctionName() == operators.LogicalOr {
		args := x.AsCall().Args()
		return r.expr(args[0]) + r.pick(" 或 ", " or ") + r.expr(args[1])
	}
	return r.expr(x)
}

// macro renders exists/all/exists_one/filter/count as written.
func (r renderer) macro(call ast.Expr) string {
	c := call.AsCall()
	if !c.IsMemberFunction() || len(c.Args()) != 2 {
		if c.FunctionName() == "has" && len(c.Args()) == 1 {
			return r.pick("已登记", "recorded ") + r.expr(c.Args()[0])
		}
		return c.FunctionName() + "(…)"
	}
	target := r.expr(c.Target())
	cond := r.bare(c.Args()[1])
	switch c.FunctionName() {
	case "exists":
		return r.pick(target+"中有人满足（"+cond+"）", "some of "+target+" with ("+cond+")")
	case "all":
		return r.pick(target+"都满足（"+cond+"）", "all of "+target+" with ("+cond+")")
	case "exists_one":
		return r.pick(target+"中恰有一人满足（"+cond+"）", "exactly one of "+target+" with ("+cond+")")
	case "filter":
		return r.pick(target+"中满足（"+cond+"）者", target+" with ("+cond+")")
	case "count":
		return r.pick("满足（"+cond+"）的在户成员人数", "members with ("+cond+")")
	case "map":
		return target + ".map(…)"
	}
	return c.FunctionName() + "(…)"
}

// valueText formats a value: numbers with thousands separators.
func valueText(v ref.Val, lang string) string {
	switch x := v.(type) {
	case types.Double:
		return fmtNum(float64(x))
	case types.Int:
		return fmtInt(int64(x))
	case types.Uint:
		return fmtInt(int64(x))
	case types.String:
		if x == "" {
			if lang == "zh" {
				return "未登记"
			}
			return "(not recorded)"
		}
		if lang == "zh" {
			return "“" + string(x) + "”"
		}
		return strconv.Quote(string(x))
	case types.Bool:
		if lang == "zh" {
			if x {
				return "是"
			}
			return "否"
		}
		return strconv.FormatBool(bool(x))
	case traits.Lister:
		var parts []string
		it := x.Iterator()
		for it.HasNext() == types.True {
			parts = append(parts, valueText(it.Next(), lang))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return "?"
}

// fmtInt writes n with thousands separators: 5,880.
func fmtInt[T int64 | uint64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// fmtNum writes a number with thousands separators and at most two
// decimals: 4,200 or 4,200.5.
func fmtNum(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	r := math.Round(f*100) / 100
	whole := math.Trunc(r)
	s := fmtInt(int64(whole))
	if whole == 0 && r < 0 {
		s = "-0"
	}
	frac := math.Abs(r - whole)
	if frac > 0.0001 {
		d := strconv.FormatFloat(frac, 'f', 2, 64)
		s += strings.TrimRight(d[1:], "0")
	}
	return s
}

package rules

import (
	"fmt"
	"strings"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

var comparisons = map[string]bool{
	operators.Less: true, operators.LessEquals: true, operators.Greater: true, operators.GreaterEquals: true,
	operators.Equals: true, operators.NotEquals: true, operators.In: true,
}

// vet checks what CEL's type checker cannot: the names given to has()
// and the values compared with vocabulary fields. It also records which
// nullable fields the rule computes with and which parameters it reads.
func (e *Env) vet(p *Program) []Issue {
	a := p.ast.NativeRep()
	var issues []Issue
	at := func(x ast.Expr, zh, en string) {
		loc := a.SourceInfo().GetStartLocation(x.ID())
		issues = append(issues, Issue{loc.Line(), loc.Column() + 1, zh, en})
	}
	var walk func(x ast.Expr, parent string)
	walk = func(x ast.Expr, parent string) {
		switch x.Kind() {
		case ast.SelectKind:
			s := x.AsSelect()
			switch objectKind(a, s.Operand()) {
			case "h":
				if f := hFieldByName[s.FieldName()]; f != nil && f.Nullable && !s.IsTestOnly() && !comparisons[parent] {
					p.reads[f.Name] = true
				}
			case "m":
				if f := mFieldByName[s.FieldName()]; f != nil && f.Nullable && !s.IsTestOnly() && !comparisons[parent] {
					p.reads[f.Name] = true
				}
			case "e":
				if f := eFieldByName[s.FieldName()]; f != nil && f.Nullable && !s.IsTestOnly() && !comparisons[parent] {
					p.reads[f.Name] = true
				}
			case "params":
				p.params = append(p.params, s.FieldName())
			}
			walk(s.Operand(), "")
		case ast.CallKind:
			c := x.AsCall()
			fn := c.FunctionName()
			if fn == "has" && c.IsMemberFunction() && len(c.Args()) == 1 {
				kind := objectKind(a, c.Target())
				arg := c.Args()[0]
				vocab, names, who := e.hVocab, e.hNames, "户类别或帮扶措施"
				whoEN := "household category or measure"
				if kind == "m" {
					vocab, names, who, whoEN = e.mVocab, e.mNames, "人员类别", "person category"
				}
				if arg.Kind() != ast.LiteralKind {
					at(arg, "has() 的参数必须是写明的名称，如 h.has(\"低保户\")", "has() takes a written name, e.g. h.has(\"低保户\")")
				} else if s, ok := arg.AsLiteral().(types.String); ok {
					if _, found := vocab[norm(string(s))]; !found {
						at(arg, fmt.Sprintf("未知的%s“%s”，应为：%s", who, s, strings.Join(names, "、")),
							fmt.Sprintf("unknown %s %q", whoEN, string(s)))
					}
				}
			}
			if fn == operators.Equals || fn == operators.NotEquals || fn == operators.In {
				if len(c.Args()) == 2 {
					e.vetVocab(a, c.Args()[0], c.Args()[1], at)
					if fn != operators.In {
						e.vetVocab(a, c.Args()[1], c.Args()[0], at)
					}
				}
			}
			if c.IsMemberFunction() {
				walk(c.Target(), fn)
			}
			for _, arg := range c.Args() {
				walk(arg, fn)
			}
		case ast.ComprehensionKind:
			c := x.AsComprehension()
			walk(c.IterRange(), "")
			walk(c.AccuInit(), "")
			walk(c.LoopCondition(), "")
			walk(c.LoopStep(), "")
			walk(c.Result(), "")
		case ast.ListKind:
			for _, el := range x.AsList().Elements() {
				walk(el, parent)
			}
		case ast.MapKind:
			for _, en := range x.AsMap().Entries() {
				me := en.AsMapEntry()
				walk(me.Key(), "")
				walk(me.Value(), "")
			}
		}
	}
	walk(a.Expr(), "")
	return issues
}

// vetVocab checks that the text literals compared with a vocabulary
// field (directly or in a list) are values of its vocabulary.
func (e *Env) vetVocab(a *ast.AST, field, other ast.Expr, at func(ast.Expr, string, string)) {
	if field.Kind() != ast.SelectKind {
		return
	}
	s := field.AsSelect()
	var f *Field
	switch objectKind(a, s.Operand()) {
	case "h":
		if hf := hFieldByName[s.FieldName()]; hf != nil {
			f = &hf.Field
		}
	case "m":
		if mf := mFieldByName[s.FieldName()]; mf != nil {
			f = &mf.Field
		}
	case "e":
		if ef := eFieldByName[s.FieldName()]; ef != nil {
			f = &ef.Field
		}
	}
	if f == nil || len(f.Vocab) == 0 {
		return
	}
	check := func(x ast.Expr) {
		if x.Kind() != ast.LiteralKind {
			return
		}
		v, ok := x.AsLiteral().(types.String)
		if !ok || v == "" {
			return
		}
		for _, w := range f.Vocab {
			if string(v) == w {
				return
			}
		}
		at(x, fmt.Sprintf("“%s”不是%s的取值，应为：%s", v, f.ZH, strings.Join(f.Vocab, "、")),
			fmt.Sprintf("%q is not a value of %s (%s)", string(v), f.Name, strings.Join(f.Vocab, ", ")))
	}
	if other.Kind() == ast.ListKind {
		for _, el := range other.AsList().Elements() {
			check(el)
		}
		return
	}
	check(other)
}

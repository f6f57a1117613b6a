package rules

import (
	"context"
	"errors"
	"testing"
)

// FuzzCheck: any text either compiles to a rule that evaluates without
// panicking, or is refused with positioned issues in both languages.
func FuzzCheck(f *testing.F) {
	for _, gr := range goRules {
		f.Add(gr.src)
	}
	for _, s := range []string{`h.has(1)`, `h.members[0].age > 1`, `dyn(h).size > 1`, `h.count(h, true) > 0`,
		`h.members.map(m, m.age).exists(a, a > 1)`, `"a" + h.place_code == "b"`, `params.dibao_line / 0.0 > 1.0`,
		`h.members.exists(m, m.categories.exists(c, c == "残疾人"))`, `((((`, "h.size > 1 &&\n\n !"} {
		f.Add(s)
	}
	e := mustEnv(f, Config{})
	hs := randomHouseholds(5, 20)
	f.Fuzz(func(t *testing.T, src string) {
		p, err := e.Check(src)
		if err != nil {
			var ce *CompileError
			if errors.As(err, &ce) {
				for _, is := range ce.Issues {
					if is.ZH == "" || is.EN == "" || is.Line < 1 || is.Column < 1 {
						t.Fatalf("%q: issue %+v", src, is)
					}
				}
			}
			return
		}
		for i := range hs {
			r := p.Eval(context.Background(), testParams, &hs[i])
			if r.Matched && r.Err != nil {
				t.Fatalf("%q: matched with an error %v", src, r.Err)
			}
			p.Explain(context.Background(), testParams, &hs[i])
		}
	})
}

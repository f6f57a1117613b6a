package rules

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestCompileErrors(t *testing.T) {
	e := mustEnv(t, Config{})
	tests := []struct {
		name, src string
		line, col int
		zh        string // a part of the Chinese message
	}{
		{"unknown field", `h.incom_per_capita < 5880.0`, 1, 2, "户没有字段“incom_per_capita”"},
		{"unknown member field", "h.members.exists(m,\n  m.agee >= 16)", 2, 4, "成员没有字段“agee”"},
		{"unknown name", `x > 1`, 1, 1, "未知名称“x”"},
		{"unknown parameter", `h.income_per_capita < params.dibao`, 1, 29, "未声明的参数“dibao”，已声明：dibao_line（低保线）"},
		{"too long", "h.size > 1 || " + strings.Repeat("h.size > 1 || ", 300) + "true", 1, 1, "规则过长"},
		{"wrong type", `h.income_per_capita < "5880"`, 1, 21, "类型不匹配：< 不能用于（数字, 文本）"},
		{"int and double arithmetic", `h.income_per_capita * h.size < 10000.0`, 1, 21, "类型不匹配：* 不能用于（数字, 整数）"},
		{"misspelt category", `h.has("特困供")`, 1, 7, "未知的户类别或帮扶措施“特困供”"},
		{"misspelt person category", `h.members.exists(m, m.has("残疾"))`, 1, 27, "未知的人员类别“残疾”"},
		{"has needs a literal", `h.has(h.place_code)`, 1, 8, "has() 的参数必须是写明的名称"},
		{"vocabulary value", `h.members.exists(m, m.relation == "儿子")`, 1, 35, "“儿子”不是与户主关系的取值"},
		{"vocabulary list", `h.housing in ["D级危房", "危房"]`, 1, 23, "“危房”不是住房情况的取值"},
		{"syntax error", "h.size >\n", 2, 1, "语法错误"},
		{"unclosed string", `h.has("低保`, 1, 7, "语法错误"},
		{"not a bool", `h.income_per_capita`, 1, 1, "规则的结果必须是真/假，而不是数字"},
		{"empty", "  ", 1, 1, "规则为空"},
		{"cost limit", `h.members.exists(a, h.members.exists(b, h.members.exists(c, a.age + b.age + c.age > 200)))`, 1, 1, "规则过于复杂"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Check(tt.src)
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("want a CompileError, got %v", err)
			}
			is := ce.Issues[0]
			if is.Line != tt.line || is.Column != tt.col || !strings.Contains(is.ZH, tt.zh) || is.EN == "" {
				t.Errorf("got %d:%d %q (%s), want %d:%d containing %q", is.Line, is.Column, is.ZH, is.EN, tt.line, tt.col, tt.zh)
			}
		})
	}
}

func TestCompileAccepts(t *testing.T) {
	e := mustEnv(t, Config{})
	for _, src := range []string{
		`h.income_per_capita < params.dibao_line && !h.has("特困供养")`,
		`h.members.exists(m, m.disability_grade in [1, 2] && m.age >= 16)`,
		`h.has("dibao") && h.income_per_capita > params.dibao_line`,
		`h.has("残疾人两项补贴") || h.has("最低生活保障") || h.has("五保户")`,
		`h.count(m, m.age >= params.elderly_age) >= 2`,
		`!has(h.income_per_capita) || h.income_per_capita < 100.0`,
		`h.former_members.exists(m, m.deceased && m.has("特困人员"))`,
		`h.place_code.startsWith("530325") && h.size > 3`,
		`h.members.exists(m, m.age >= 16 && m.age < 60.5)`,
	} {
		if _, err := e.Check(src); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
}

func TestParamsRead(t *testing.T) {
	e := mustEnv(t, Config{})
	p := mustCheck(t, e, `h.income_per_capita < params.dibao_line || h.income_per_capita < params.monitoring_line && params.dibao_line > 0.0`)
	if got := p.ParamsRead(); !slices.Equal(got, []string{"dibao_line", "monitoring_line"}) {
		t.Errorf("ParamsRead = %v", got)
	}
}

func TestCompileCache(t *testing.T) {
	e := mustEnv(t, Config{CacheSize: 2})
	src := `h.size > 1`
	p1, err := e.Compile(7, 1, src)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := e.Compile(7, 1, src)
	if p1 != p2 {
		t.Error("the same rule version was compiled twice")
	}
	p3, _ := e.Compile(7, 1, `h.size > 2`)
	if p3 == p1 || p3.Source() != `h.size > 2` {
		t.Error("a changed text under the same version reused the old program")
	}
	e.Compile(8, 1, src)
	e.Compile(9, 1, src)
	if n := e.cache.len(); n != 2 {
		t.Errorf("cache holds %d programs, want its bound 2", n)
	}
	if _, ok := e.cache.get(cacheKey{7, 1}); ok {
		t.Error("the least recently used program was not evicted")
	}
}

func TestConcurrentUse(t *testing.T) {
	e := mustEnv(t, Config{CacheSize: 4})
	hs := []Household{income(4000), income(9000)}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				p, err := e.Compile(int64(j%6), 1, `h.income_per_capita < params.dibao_line`)
				if err != nil {
					t.Error(err)
					return
				}
				r := eval(t, p, hs[(i+j)%2])
				if r.Matched != ((i+j)%2 == 0) {
					t.Errorf("wrong answer under concurrency: %+v", r)
					return
				}
			}
		}()
	}
	wg.Wait()
}

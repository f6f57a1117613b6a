package rules

import (
	"context"
	"errors"
	"math/rand"
	"strings"
	"testing"
)

func eventEnv(t testing.TB) *EventEnv {
	t.Helper()
	env, err := NewEventEnv(Config{Measures: []Name{{Code: "dibao", ZH: "低保", EN: "dibao"}}})
	if err != nil {
		t.Fatal(err)
	}
	return env
}

var warnParams = Params{"medical_oop_ordinary": 20000.0, "medical_oop_monitored": 5000.0, "elderly_age": int64(60)}

const monitoredRule = `(h.has("脱贫户") || h.has("边缘易致贫户") || h.has("脱贫不稳定户") || h.has("突发严重困难户")) && e.oop_ytd >= params.medical_oop_monitored`
const ordinaryRule = `!(h.has("脱贫户") || h.has("边缘易致贫户") || h.has("脱贫不稳定户") || h.has("突发严重困难户")) && e.oop_ytd >= params.medical_oop_ordinary`

func medical(ytd float64, cats ...string) *EventInput {
	return &EventInput{
		Event:     Event{ID: 7, Type: "hospitalisation", Date: "2026-05-02", Department: "medical_insurance", Registered: true, Fields: map[string]any{"oop_cost": 3000.0, "oop_ytd": ytd}},
		Person:    Member{ID: 3, Age: 50, AgeKnown: true, Relation: "户主"},
		Household: Household{ID: 9, Categories: cats, Members: []Member{{ID: 3, Age: 50, AgeKnown: true, Relation: "户主"}}},
	}
}

func TestEventCompile(t *testing.T) {
	env := eventEnv(t)
	for _, tc := range []struct {
		src, want string // want: "" compiles, else a fragment of the Chinese issue
	}{
		{ordinaryRule, ""},
		{monitoredRule, ""},
		{`e.rating == "D级危房"`, ""},
		{`e.type == "死亡" && p.relation == "户主" && h.members.exists(m, m.id != p.id && m.age < 18)`, ""},
		{`has(e.oop_ytd) && e.oop_ytd > 100.0 && e.department == "医保局" && e.registered && e.year == 2026`, ""},
		{`e.grade <= 2 && e.kind == "肢体残疾"`, ""},
		{`e.rating == "D级"`, "不是鉴定等级的取值"},
		{`e.type == "住院了"`, "不是事件类型的取值"},
		{`e.department == "医保"`, "不是推送部门的取值"},
		{`e.foo > 1`, "事件没有字段“foo”"},
		{`e.oop_ytd >= "x"`, "类型不匹配"},
		{`e.oop_ytd`, "必须是真/假"},
		{`params.nothing > 1.0`, "未声明的参数"},
		{`h.has("脱贫")`, "未知的户类别"},
		{`q.age > 1`, "未知名称“q”"},
	} {
		_, err := env.Check(tc.src)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.src, err)
			}
			continue
		}
		var ce *CompileError
		if !errors.As(err, &ce) {
			t.Errorf("%s: want a compile error, got %v", tc.src, err)
			continue
		}
		if !strings.Contains(ce.Issues[0].ZH, tc.want) {
			t.Errorf("%s: issue %q does not say %q", tc.src, ce.Issues[0].ZH, tc.want)
		}
	}
}

func TestEventExplain(t *testing.T) {
	env := eventEnv(t)
	ctx := context.Background()
	ord, err := env.Compile(1, 1, ordinaryRule)
	if err != nil {
		t.Fatal(err)
	}
	mon, err := env.Compile(2, 1, monitoredRule)
	if err != nil {
		t.Fatal(err)
	}
	death, err := env.Check(`p.relation == "户主" && h.members.exists(m, m.id != p.id && (m.age < 18 || m.age >= params.elderly_age))`)
	if err != nil {
		t.Fatal(err)
	}
	dead := medical(0)
	dead.Event.Type, dead.Event.Fields = "death", nil
	dead.Household.Members = append(dead.Household.Members, Member{ID: 4, Age: 8, AgeKnown: true, Relation: "子"}, Member{ID: 5, Age: 40, AgeKnown: true, Relation: "配偶"})
	for _, tc := range []struct {
		name    string
		p       *Program
		in      *EventInput
		matched bool
		zh      string
	}{
		{"ordinary crosses", ord, medical(23400), true, "年度累计个人自付 23,400 ≥ 普通农户阈值 20,000"},
		{"ordinary below", ord, medical(19999.5), false, "年度累计个人自付 19,999.5 < 普通农户阈值 20,000"},
		{"monitored not ordinary", ord, medical(23400, "monitor_marginal"), false, "有边缘易致贫户"},
		{"monitored crosses", mon, medical(5000, "tuopin"), true, "年度累计个人自付 5,000 ≥ 脱贫户及监测对象阈值 5,000"},
		{"monitored below", mon, medical(4999, "tuopin"), false, "年度累计个人自付 4,999 < 脱贫户及监测对象阈值 5,000"},
		{"head died, child left", death, dead, true, "子 8岁"},
	} {
		ex := tc.p.ExplainEvent(ctx, warnParams, tc.in)
		if ex.Result.Err != nil || ex.Result.Matched != tc.matched {
			t.Errorf("%s: got %+v", tc.name, ex.Result)
		}
		if !strings.Contains(ex.ZH(), tc.zh) {
			t.Errorf("%s: explanation %q does not say %q", tc.name, ex.ZH(), tc.zh)
		}
		if ex.EN() == "" || strings.ContainsAny(ex.EN(), "≥<") && !strings.ContainsAny(ex.EN(), "0123456789") {
			t.Errorf("%s: English explanation %q", tc.name, ex.EN())
		}
	}
}

func TestEventMissing(t *testing.T) {
	env := eventEnv(t)
	ctx := context.Background()
	in := medical(0)
	delete(in.Event.Fields, "oop_ytd")
	p, err := env.Check(`e.oop_ytd >= 20000.0`)
	if err != nil {
		t.Fatal(err)
	}
	r := p.EvalEvent(ctx, warnParams, in)
	if r.Matched || r.Err != nil || len(r.Missing) != 1 || r.Missing[0] != "年度累计个人自付" {
		t.Errorf("missing oop_ytd: %+v", r)
	}
	p, _ = env.Check(`!has(e.oop_ytd) || e.oop_ytd >= 20000.0`)
	if r := p.EvalEvent(ctx, warnParams, in); !r.Matched {
		t.Errorf("has(): %+v", r)
	}
	p, _ = env.Check(`e.oop_ytd * 2.0 > 1.0`)
	if r := p.EvalEvent(ctx, warnParams, in); r.Matched || r.Err == nil {
		t.Errorf("arithmetic on a missing value must fail: %+v", r)
	}
	p, _ = env.Check(`e.oop_ytd >= params.medical_oop_ordinary`)
	in.Event.Fields["oop_ytd"] = 30000.0
	if r := p.EvalEvent(ctx, Params{}, in); r.Matched || r.Err == nil {
		t.Errorf("a parameter without value must fail: %+v", r)
	}
	if r := p.EvalEvent(ctx, WithDefaults(Params{}), in); !r.Matched {
		t.Errorf("defaults: %+v", r)
	}
	// Integer division by zero fails on the event, never matches.
	p, _ = env.Check(`e.days / 0 > 1`)
	in.Event.Fields["days"] = int64(3)
	if r := p.EvalEvent(ctx, warnParams, in); r.Matched || r.Err == nil {
		t.Errorf("division by zero: %+v", r)
	}
}

func TestEventCache(t *testing.T) {
	env := eventEnv(t)
	a, err := env.Compile(5, 1, `e.registered`)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := env.Compile(5, 1, `e.registered`)
	if a != b {
		t.Error("the same version must be compiled once")
	}
	c, _ := env.Compile(5, 2, `!e.registered`)
	if c == a {
		t.Error("a new version must be compiled")
	}
	// The household env does not know e.
	base, _ := NewEnv(Config{})
	if _, err := base.Check(`e.registered`); err == nil {
		t.Error("eligibility rules must not see e")
	}
}

func TestEventExamples(t *testing.T) {
	env := eventEnv(t)
	p, _ := env.Check(ordinaryRule)
	fails := RunEventExamples(context.Background(), p, warnParams, "r", []EventExample{
		{Name: "ok", Event: medical(25000).Event, Expect: true},
		{Name: "wrong", Event: medical(100).Event, Expect: true},
	})
	if len(fails) != 1 || fails[0].Example != "wrong" {
		t.Errorf("examples: %+v", fails)
	}
}

// TestEventProperty compares the engine with straightforward Go on random
// events: no false match from the engine itself.
func TestEventProperty(t *testing.T) {
	env := eventEnv(t)
	ctx := context.Background()
	mon, _ := env.Check(monitoredRule)
	ord, _ := env.Check(ordinaryRule)
	dang, _ := env.Check(`e.rating == "D级危房" && (!has(e.loss) || e.loss > 0.0)`)
	rnd := rand.New(rand.NewSource(9))
	cats := []string{"tuopin", "monitor_marginal", "dibao", "ordinary", "monitor_sudden", "monitor_unstable"}
	for i := range 5000 {
		in := &EventInput{Event: Event{ID: int64(i), Type: "hospitalisation", Date: "2026-01-01", Fields: map[string]any{}}}
		var ytd float64
		hasYTD := rnd.Intn(5) > 0
		if hasYTD {
			ytd = float64(rnd.Intn(3000000)) / 100
			in.Event.Fields["oop_ytd"] = ytd
		}
		for _, c := range cats {
			if rnd.Intn(4) == 0 {
				in.Household.Categories = append(in.Household.Categories, c)
			}
		}
		rating := []string{"", "C", "D", "D级危房", "C级危房"}[rnd.Intn(5)]
		if rating != "" {
			in.Event.Fields["rating"] = rating
		}
		loss, hasLoss := float64(rnd.Intn(3)-1), rnd.Intn(2) == 0
		if hasLoss {
			in.Event.Fields["loss"] = loss
		}
		monitored := false
		for _, c := range in.Household.Categories {
			monitored = monitored || c == "tuopin" || strings.HasPrefix(c, "monitor_")
		}
		wantMon := monitored && hasYTD && ytd >= 5000
		wantOrd := !monitored && hasYTD && ytd >= 20000
		wantDang := (rating == "D" || rating == "D级危房") && (!hasLoss || loss > 0)
		for _, c := range []struct {
			p    *Program
			want bool
		}{{mon, wantMon}, {ord, wantOrd}, {dang, wantDang}} {
			r := c.p.EvalEvent(ctx, warnParams, in)
			if r.Err != nil || r.Matched != c.want {
				t.Fatalf("event %d (%+v, %v): %s: engine %+v, Go %v", i, in.Event.Fields, in.Household.Categories, c.p.Source(), r, c.want)
			}
		}
	}
}

func TestEventSchemaDoc(t *testing.T) {
	env := eventEnv(t)
	d := env.Schema()
	names := map[string]bool{}
	for _, f := range d.Event {
		names[f.Name] = true
		if f.ZH == "" || f.EN == "" || f.DocZH == "" || f.DocEN == "" {
			t.Errorf("field %s is not documented", f.Name)
		}
	}
	for _, n := range []string{"type", "date", "department", "registered", "oop_cost", "oop_ytd", "rating", "grade", "days"} {
		if !names[n] {
			t.Errorf("schema lacks e.%s", n)
		}
	}
}

package rules

import (
	"math/rand/v2"
)

// tv is a truth value of the straightforward Go evaluation, with SQL's
// third value for "depends on a value not recorded".
type tv int8

const (
	fls tv = iota
	tru
	unk
)

func tvOf(b bool) tv {
	if b {
		return tru
	}
	return fls
}

func and(vs ...tv) tv {
	out := tru
	for _, v := range vs {
		if v == fls {
			return fls
		}
		if v == unk {
			out = unk
		}
	}
	return out
}

func or(vs ...tv) tv {
	out := fls
	for _, v := range vs {
		if v == tru {
			return tru
		}
		if v == unk {
			out = unk
		}
	}
	return out
}

func not(v tv) tv {
	if v == unk {
		return unk
	}
	return 1 - v
}

func exists(ms []Member, f func(*Member) tv) tv {
	out := fls
	for i := range ms {
		switch f(&ms[i]) {
		case tru:
			return tru
		case unk:
			out = unk
		}
	}
	return out
}

func all(ms []Member, f func(*Member) tv) tv {
	out := tru
	for i := range ms {
		switch f(&ms[i]) {
		case fls:
			return fls
		case unk:
			out = unk
		}
	}
	return out
}

func incomeLess(h *Household, x float64) tv {
	if !h.IncomeKnown {
		return unk
	}
	return tvOf(h.IncomePerCapita < x)
}

func incomeGreater(h *Household, x float64) tv {
	if !h.IncomeKnown {
		return unk
	}
	return tvOf(h.IncomePerCapita > x)
}

func ageAtLeast(m *Member, n int) tv {
	if !m.AgeKnown {
		return unk
	}
	return tvOf(m.Age >= n)
}

func ableToWork(m *Member) bool {
	return m.Labour == "普通劳动力" || m.Labour == "技能劳动力"
}

// goRule is a representative rule and the same predicate written in Go.
type goRule struct {
	name, src string
	goEval    func(h *Household) tv
	// arith: a missing value is used in arithmetic: unknown is an error.
	arith bool
}

const (
	dibaoLine      = 5880.0
	tekunLine      = 7644.0
	monitoringLine = 7600.0
)

var goRules = []goRule{
	{"dibao", `h.income_per_capita < params.dibao_line && !h.has("特困供养")`, func(h *Household) tv {
		return and(incomeLess(h, dibaoLine), not(tvOf(hasCode(h.Categories, "tekun"))))
	}, false},
	{"disability subsidy", `h.members.exists(m, m.disability_grade in [1, 2] && m.age >= 16)`, func(h *Household) tv {
		return exists(h.Members, func(m *Member) tv {
			g := unk
			if m.GradeKnown {
				g = tvOf(m.DisabilityGrade == 1 || m.DisabilityGrade == 2)
			}
			return and(g, ageAtLeast(m, 16))
		})
	}, false},
	{"dibao exit", `h.has("低保户") && (h.income_per_capita > params.dibao_line * 1.5 || h.size == 0)`, func(h *Household) tv {
		return and(tvOf(hasCode(h.Categories, "dibao")), or(incomeGreater(h, dibaoLine*1.5), tvOf(len(h.Members) == 0)))
	}, false},
	{"tekun", `h.size == 1 && h.members.all(m, m.age >= params.elderly_age && !m.able_to_work) && h.income_per_capita < params.tekun_line`, func(h *Household) tv {
		return and(tvOf(len(h.Members) == 1), all(h.Members, func(m *Member) tv { return and(ageAtLeast(m, 60), tvOf(!ableToWork(m))) }), incomeLess(h, tekunLine))
	}, false},
	{"tekun exit", `h.has("特困供养户") && (h.members.exists(m, m.able_to_work && m.age < 60) || h.size == 0 && h.former_members.exists(m, m.deceased))`, func(h *Household) tv {
		return and(tvOf(hasCode(h.Categories, "tekun")), or(
			exists(h.Members, func(m *Member) tv { return and(tvOf(ableToWork(m)), not(ageAtLeast(m, 60))) }),
			and(tvOf(len(h.Members) == 0), exists(h.Former, func(m *Member) tv { return tvOf(m.Deceased) }))))
	}, false},
	{"monitoring", `h.income_per_capita < params.monitoring_line && !h.has("低保户") && !h.has("特困供养户")`, func(h *Household) tv {
		return and(incomeLess(h, monitoringLine), not(tvOf(hasCode(h.Categories, "dibao"))), not(tvOf(hasCode(h.Categories, "tekun"))))
	}, false},
	{"yulu", `h.has("脱贫户") && h.members.exists(m, m.in_school && m.education == "中职")`, func(h *Household) tv {
		return and(tvOf(hasCode(h.Categories, "tuopin")), exists(h.Members, func(m *Member) tv { return tvOf(m.InSchool && m.Education == "中职") }))
	}, false},
	{"medical", `h.members.exists(m, m.serious_illness) && h.income_per_capita < params.monitoring_line * 1.5 && !h.has("医疗救助")`, func(h *Household) tv {
		return and(exists(h.Members, func(m *Member) tv {
			return tvOf(m.Health == "患有大病" || hasCode(m.Categories, "serious_illness"))
		}),
			incomeLess(h, monitoringLine*1.5), not(tvOf(hasCode(h.Measures, "medical"))))
	}, false},
	{"elderly without labour", `h.count(m, m.age >= 60) >= 2 && h.count(m, m.able_to_work) == 0`, func(h *Household) tv {
		// count is size(filter(…)): one member's unknown age makes the
		// whole count unknown.
		n, u := 0, false
		for i := range h.Members {
			switch ageAtLeast(&h.Members[i], 60) {
			case tru:
				n++
			case unk:
				u = true
			}
		}
		workers := 0
		for i := range h.Members {
			if ableToWork(&h.Members[i]) {
				workers++
			}
		}
		c1 := tvOf(n >= 2)
		if u {
			c1 = unk
		}
		return and(c1, tvOf(workers == 0))
	}, false},
	{"housing", `h.housing in ["C级危房", "D级危房"] && (h.has("边缘易致贫户") || h.has("脱贫不稳定户"))`, func(h *Household) tv {
		return and(tvOf(h.Housing == "C级危房" || h.Housing == "D级危房"), or(tvOf(hasCode(h.Categories, "monitor_marginal")), tvOf(hasCode(h.Categories, "monitor_unstable"))))
	}, false},
	{"income in arithmetic", `h.income_per_capita * 2.0 < params.monitoring_line && h.size > 1`, func(h *Household) tv {
		if !h.IncomeKnown {
			return and(unk, tvOf(len(h.Members) > 1))
		}
		return and(tvOf(h.IncomePerCapita*2 < monitoringLine), tvOf(len(h.Members) > 1))
	}, true},
	{"has disabled person with a negation", `!h.members.exists(m, m.has("残疾人") || m.disability_grade > 0) && h.income_per_capita >= params.dibao_line`, func(h *Household) tv {
		return and(not(exists(h.Members, func(m *Member) tv {
			g := unk
			if m.GradeKnown {
				g = tvOf(m.DisabilityGrade > 0)
			}
			return or(tvOf(hasCode(m.Categories, "disabled")), g)
		})), not(incomeLess(h, dibaoLine)))
	}, false},
}

var (
	hCats    = []string{"tuopin", "monitor_unstable", "monitor_marginal", "monitor_sudden", "dibao", "tekun", "ordinary"}
	pCats    = []string{"disabled", "serious_illness", "left_behind_elderly", "orphan", "dibao_person"}
	measures = []string{"dibao", "tekun", "medical", "disability", "yulu"}
	housings = []string{"", "住房安全", "C级危房", "D级危房", "无房"}
	healths  = []string{"", "健康", "长期慢性病", "患有大病", "残疾"}
	labours  = []string{"", "普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"}
	educs    = []string{"", "小学", "初中", "中职", "高中", "本科及以上"}
)

func pickSome(r *rand.Rand, from []string, p float64) []string {
	var out []string
	for _, s := range from {
		if r.Float64() < p {
			out = append(out, s)
		}
	}
	return out
}

func randomMember(r *rand.Rand, id int64) Member {
	m := Member{ID: id, Age: r.IntN(96), AgeKnown: r.Float64() > 0.05, Sex: []string{"男", "女", ""}[r.IntN(3)],
		Relation: []string{"户主", "配偶", "子", "女", "孙子"}[r.IntN(5)], GradeKnown: r.Float64() > 0.03,
		Health: healths[r.IntN(len(healths))], Labour: labours[r.IntN(len(labours))], Education: educs[r.IntN(len(educs))],
		InSchool: r.Float64() < 0.2, Categories: pickSome(r, pCats, 0.08)}
	if r.Float64() < 0.15 {
		m.DisabilityGrade = 1 + r.IntN(4)
		m.DisabilityKind = "肢体残疾"
	}
	return m
}

// randomHousehold draws a household; values are missing at realistic rates.
func randomHousehold(r *rand.Rand, id int64) Household {
	h := Household{ID: id, PlaceCode: "530325100001", IncomePerCapita: float64(r.IntN(1500000)) / 100, IncomeKnown: r.Float64() > 0.12,
		IncomeYear: 2025, Housing: housings[r.IntN(len(housings))], Categories: pickSome(r, hCats, 0.15), Measures: pickSome(r, measures, 0.1)}
	n := r.IntN(7)
	for i := range n {
		h.Members = append(h.Members, randomMember(r, id*10+int64(i)))
	}
	if r.Float64() < 0.1 {
		m := randomMember(r, id*10+9)
		m.Deceased = true
		h.Former = append(h.Former, m)
	}
	return h
}

func randomHouseholds(seed uint64, n int) []Household {
	r := rand.New(rand.NewPCG(seed, 2026))
	hs := make([]Household, n)
	for i := range hs {
		hs[i] = randomHousehold(r, int64(i+1))
	}
	return hs
}

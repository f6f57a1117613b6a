package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/jobs"
	"safetynet/rules"
	"safetynet/sqlstore"
)

// benchRule is a rule of the rules suite and the same condition written
// as plain Go, the baseline.
type benchRule struct {
	in    sqlstore.RuleInput
	plain func(h *rules.Household, p rules.Params) bool
}

func anyMember(h *rules.Household, f func(m *rules.Member) bool) bool {
	for i := range h.Members {
		if f(&h.Members[i]) {
			return true
		}
	}
	return false
}

func hasCat(h *rules.Household, code string) bool { return slices.Contains(h.Categories, code) }

func benchRules() []benchRule {
	r := func(name, measure, kind, src string, plain func(h *rules.Household, p rules.Params) bool) benchRule {
		return benchRule{in: sqlstore.RuleInput{Name: name, Measure: measure, Kind: kind, Place: demo.Fuyuan, Source: src}, plain: plain}
	}
	line := func(p rules.Params) float64 { return p["dibao_line"].(float64) }
	return []benchRule{
		r("低保", "dibao", rules.KindEligibility, `h.income_per_capita < params.dibao_line && !h.has("特困供养")`,
			func(h *rules.Household, p rules.Params) bool {
				return h.IncomeKnown && h.IncomePerCapita < line(p) && !hasCat(h, "tekun")
			}),
		r("残疾人两项补贴", "disability", rules.KindEligibility, `h.members.exists(m, m.disability_grade in [1, 2] && m.age >= 16)`,
			func(h *rules.Household, p rules.Params) bool {
				return anyMember(h, func(m *rules.Member) bool {
					return (m.DisabilityGrade == 1 || m.DisabilityGrade == 2) && m.AgeKnown && m.Age >= 16
				})
			}),
		r("医疗救助", "medical", rules.KindEligibility, `h.members.exists(m, m.serious_illness)`,
			func(h *rules.Household, p rules.Params) bool {
				return anyMember(h, func(m *rules.Member) bool {
					return m.Health == "患有大病" || slices.Contains(m.Categories, "serious_illness")
				})
			}),
		r("雨露计划", "yulu", rules.KindEligibility, `h.members.exists(m, m.in_school && m.education in ["中职", "大专"])`,
			func(h *rules.Household, p rules.Params) bool {
				return anyMember(h, func(m *rules.Member) bool { return m.InSchool && (m.Education == "中职" || m.Education == "大专") })
			}),
		r("惠民保", "insurance", rules.KindEligibility, `h.members.exists(m, m.age >= params.elderly_age)`,
			func(h *rules.Household, p rules.Params) bool {
				return anyMember(h, func(m *rules.Member) bool { return m.AgeKnown && int64(m.Age) >= p["elderly_age"].(int64) })
			}),
		r("住房修缮", "housing_repair", rules.KindEligibility, `h.housing in ["C级危房", "D级危房"]`,
			func(h *rules.Household, p rules.Params) bool {
				return h.Housing == "C级危房" || h.Housing == "D级危房"
			}),
		r("临时救助", "temporary", rules.KindEligibility, `h.housing == "D级危房" && h.income_per_capita < params.monitoring_line`,
			func(h *rules.Household, p rules.Params) bool {
				return h.Housing == "D级危房" && h.IncomeKnown && h.IncomePerCapita < p["monitoring_line"].(float64)
			}),
		r("公益性岗位", "public_job", rules.KindEligibility, `h.size >= 3 && h.count(m, m.able_to_work) == 1`,
			func(h *rules.Household, p rules.Params) bool {
				n := 0
				for _, m := range h.Members {
					if m.Labour == "普通劳动力" || m.Labour == "技能劳动力" {
						n++
					}
				}
				return len(h.Members) >= 3 && n == 1
			}),
		r("服务类救助", "service", rules.KindEligibility, `h.size == 1 && h.members.all(m, m.age >= 70)`,
			func(h *rules.Household, p rules.Params) bool {
				return len(h.Members) == 1 && h.Members[0].AgeKnown && h.Members[0].Age >= 70
			}),
		r("低保退出", "dibao", rules.KindExit, `h.income_per_capita >= params.dibao_line * 1.5`,
			func(h *rules.Household, p rules.Params) bool {
				return h.IncomeKnown && h.IncomePerCapita >= line(p)*1.5
			}),
	}
}

// benchRulesSuite measures the rules engine on fresh databases holding the
// demo and households generated households: a full screening of ten rules
// against a plain Go loop over the same households, the preview of a
// rule in the county, and the time from a household edit to the list.
func (e cmdEnv) benchRulesSuite(ctx context.Context, households int, postgres string, edits int) error {
	out := e.stdout
	fmt.Fprintf(out, "rules suite: %d generated households, 10 rules, %s, GOMAXPROCS=%d\n", households, runtime.Version(), runtime.GOMAXPROCS(0))
	dsns, cleanup, err := freshBenchDatabases(ctx, "rules", postgres)
	if err != nil {
		return err
	}
	defer cleanup()
	for _, dsn := range dsns {
		if err := benchRulesOne(ctx, out, dsn, households, edits); err != nil {
			return err
		}
	}
	return nil
}

func benchRulesOne(ctx context.Context, out io.Writer, dsn string, households, edits int) error {
	s, err := openFreshBenchStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	name := s.Dialect()
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		return err
	}
	start := time.Now()
	if err := demo.AddHouseholds(ctx, s, households, 1, nil); err != nil {
		return err
	}
	c, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: register of %d persons (%d households) made in %.0f s\n", name, c.Persons, c.Households, time.Since(start).Seconds())
	sys := access.System()
	county, err := actorByName(ctx, s, "county")
	if err != nil {
		return err
	}
	// Ten published rules: the demo's two are retired so that exactly these run.
	old, err := s.Rules(ctx, sys, sqlstore.RuleFilter{})
	if err != nil {
		return err
	}
	for _, r := range old {
		if err := s.RetireRule(ctx, sys, r.ID, r.Version); err != nil {
			return err
		}
	}
	brs := benchRules()
	for _, br := range brs {
		id, err := s.CreateRule(ctx, county, br.in)
		if err != nil {
			return fmt.Errorf("bench: rule %s: %w", br.in.Name, err)
		}
		r, err := s.Rule(ctx, county, id)
		if err != nil {
			return err
		}
		if _, err := s.PublishRule(ctx, county, id, r.Version); err != nil {
			return fmt.Errorf("bench: publish %s: %w", br.in.Name, err)
		}
	}
	params := rules.Params{}
	for k, v := range demo.Params {
		params[k] = v
	}
	// Baseline: read the same households (all of them, as the full
	// screening does) and evaluate the same conditions in Go.
	var base time.Duration
	matches := 0
	start = time.Now()
	if err := s.EachRuleHousehold(ctx, "", 1000, func(hs []rules.Household) error {
		for i := range hs {
			if !strings.HasPrefix(hs[i].PlaceCode, demo.Fuyuan) {
				continue // the rules apply to 富源县
			}
			for _, br := range brs {
				if br.plain(&hs[i], params) {
					matches++
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	base = time.Since(start)
	var ms0 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	st, err := s.ScreenAll(ctx, "", nil)
	if err != nil {
		return err
	}
	var ms1 runtime.MemStats
	runtime.ReadMemStats(&ms1)
	fmt.Fprintf(out, "%s: plain Go loop (read + 10 conditions, %d matches): %.2f s\n", name, matches, base.Seconds())
	fmt.Fprintf(out, "%s: full screening of %d households × %d rules (%d evaluations, %d errors, %d answers written): %.2f s = %.1f× the plain loop; heap in use after %d MB, process VmHWM %s\n",
		name, st.Households, st.Rules, st.Evaluations, st.Errors, st.Changed, st.Elapsed.Seconds(), st.Elapsed.Seconds()/base.Seconds(), ms1.HeapInuse>>20,
		peakRSS())
	st2, err := s.ScreenAll(ctx, "", nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: second full screening (nothing changed, %d answers written): %.2f s = %.1f× the plain loop\n",
		name, st2.Changed, st2.Elapsed.Seconds(), st2.Elapsed.Seconds()/base.Seconds())

	// Preview of a new rule in the county, against reading + Go.
	id, err := s.CreateRule(ctx, county, sqlstore.RuleInput{Name: "预览", Measure: "dibao", Kind: rules.KindEligibility, Place: demo.Fuyuan,
		Source: `h.income_per_capita < params.dibao_line && h.members.exists(m, m.age >= 60)`})
	if err != nil {
		return err
	}
	start = time.Now()
	pv, err := s.PreviewRule(ctx, county, id)
	if err != nil {
		return err
	}
	prev := time.Since(start)
	start = time.Now()
	n := 0
	if err := s.EachRuleHousehold(ctx, demo.Fuyuan, 2000, func(hs []rules.Household) error {
		for i := range hs {
			if hs[i].IncomeKnown && hs[i].IncomePerCapita < 5880 && anyMember(&hs[i], func(m *rules.Member) bool { return m.AgeKnown && m.Age >= 60 }) {
				n++
			}
		}
		return nil
	}); err != nil {
		return err
	}
	pbase := time.Since(start)
	fmt.Fprintf(out, "%s: preview of one rule in 富源县 (%d of %d households matched): %.3f s; plain loop (%d matched) %.3f s = %.1f×\n",
		name, pv.Count, pv.Total, prev.Seconds(), n, pbase.Seconds(), prev.Seconds()/pbase.Seconds())

	// Edit → list: the jobs loop drains the queue every second, as in serve.
	g := jobs.Start(ctx, jobs.Screening(s, time.Second, nil))
	defer g.Stop()
	village, err := actorByName(ctx, s, "village")
	if err != nil {
		return err
	}
	lines, err := s.ScreeningList(ctx, village, sqlstore.ListFilter{List: rules.ListEligible, Measure: "dibao", Limit: 1000})
	if err != nil {
		return err
	}
	grid, err := actorByName(ctx, s, "grid")
	if err != nil {
		return err
	}
	// Under load: reporters file clues all along, as the relay's clients do.
	var lat []time.Duration
	var editErr error
	reports := importSuite{reporters: 4, reportPause: 20 * time.Millisecond}.reportWhile(ctx, s, grid, func() {
		lat, editErr = timeEdits(ctx, s, village, lines, edits)
	})
	if editErr != nil {
		return editErr
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		fmt.Fprintf(out, "%s: household edit → off the list (%d edits, loop every 1 s, %d clue reports meanwhile): median %.2f s, max %.2f s\n",
			name, len(lat), len(reports), lat[len(lat)/2].Seconds(), lat[len(lat)-1].Seconds())
	} else {
		fmt.Fprintf(out, "%s: no 低保 line in the village to edit\n", name)
	}
	return nil
}

// timeEdits raises the income of the households of the first edits lines
// above the dibao line and times each until it has left the list.
func timeEdits(ctx context.Context, s *sqlstore.Store, village access.Actor, lines []sqlstore.ListLine, edits int) ([]time.Duration, error) {
	var lat []time.Duration
	for i := 0; i < edits && i < len(lines); i++ {
		h, err := s.Household(ctx, village, lines[i].HouseholdID)
		if err != nil {
			return nil, err
		}
		year, fen := 2025, int64(2_000_000) // 20,000 yuan per person: off the dibao list
		t0 := time.Now()
		if err := s.UpdateHousehold(ctx, village, h.ID, safetynet.HouseholdPatch{IncomeYear: &year, IncomeFen: &fen}, h.Version); err != nil {
			return nil, err
		}
		for {
			ls, err := s.ScreeningList(ctx, village, sqlstore.ListFilter{List: rules.ListEligible, Measure: "dibao", Limit: 1000})
			if err != nil {
				return nil, err
			}
			if !slices.ContainsFunc(ls, func(l sqlstore.ListLine) bool { return l.HouseholdID == h.ID }) {
				break
			}
			if time.Since(t0) > 30*time.Second {
				return nil, fmt.Errorf("bench: household %d still listed after 30 s", h.ID)
			}
			time.Sleep(20 * time.Millisecond)
		}
		lat = append(lat, time.Since(t0))
	}
	return lat, nil
}

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
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

// rulesSuite is what `bench --suite rules` measures on: fresh databases
// with households generated households each, or existing demo databases.
type rulesSuite struct {
	households int
	postgres   string
	edits      int
	existing   []string // DSNs of existing demo databases
	keyFile    string   // the key of an existing PostgreSQL database
	counties   []string // the counties with the ten rules; all if empty
}

// benchRulesSuite measures the rules engine on fresh databases holding the
// demo and households generated households (or on existing demo
// databases): a full screening of ten rules against a plain SELECT of the
// same rows and a plain Go loop over the same households, the preview of
// a rule in the county, and the time from a household edit to the list
// while clues are reported.
func (e cmdEnv) benchRulesSuite(ctx context.Context, rs rulesSuite) error {
	out := e.stdout
	fmt.Fprintf(out, "rules suite: 10 rules, %s, GOMAXPROCS=%d, %d CPUs, memory limit %d MB\n", runtime.Version(), runtime.GOMAXPROCS(0),
		runtime.NumCPU(), debug.SetMemoryLimit(-1)>>20)
	if len(rs.existing) > 0 {
		for _, dsn := range rs.existing {
			kf := ""
			if sqlstore.IsPostgresDSN(dsn) {
				kf = rs.keyFile
			}
			s, err := e.open(ctx, &dbFlags{db: dsn, keyFile: kf})
			if err != nil {
				return err
			}
			err = benchRulesOn(ctx, out, s, dsn, rs.edits, rs.counties)
			s.Close()
			if err != nil {
				return err
			}
		}
		return nil
	}
	dsns, cleanup, err := freshBenchDatabases(ctx, "rules", rs.postgres)
	if err != nil {
		return err
	}
	defer cleanup()
	for _, dsn := range dsns {
		if err := benchRulesFresh(ctx, out, dsn, rs.households, rs.edits, rs.counties); err != nil {
			return err
		}
	}
	return nil
}

func benchRulesFresh(ctx context.Context, out io.Writer, dsn string, households, edits int, counties []string) error {
	s, err := openFreshBenchStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
		return err
	}
	start := time.Now()
	if err := demo.AddHouseholds(ctx, s, households, 1, nil); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %d households generated in %.0f s\n", s.Dialect(), households, time.Since(start).Seconds())
	return benchRulesOn(ctx, out, s, dsn, edits, counties)
}

func benchRulesOn(ctx context.Context, out io.Writer, s *sqlstore.Store, dsn string, edits int, counties []string) error {
	name := s.Dialect()
	c, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: register of %d persons (%d households)\n", name, c.Persons, c.Households)
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
		if r.Status == "retired" {
			continue
		}
		if err := s.RetireRule(ctx, sys, r.ID, r.Version); err != nil {
			return err
		}
	}
	// The same ten rules in every county of the register, each county
	// with the demo's parameter values: every household is screened
	// against ten rules.
	if len(counties) == 0 {
		if counties, err = benchCounties(ctx, s); err != nil {
			return err
		}
	}
	brs := benchRules()
	year := s.Now().Year()
	for _, c := range counties {
		for name, v := range demo.Params {
			if err := s.SetParam(ctx, sys, c, year, name, v); err != nil {
				return fmt.Errorf("bench: parameter %s of %s: %w", name, c, err)
			}
		}
		for _, br := range brs {
			in := br.in
			in.Place = c
			id, err := s.CreateRule(ctx, sys, in)
			if err != nil {
				return fmt.Errorf("bench: rule %s: %w", in.Name, err)
			}
			r, err := s.Rule(ctx, sys, id)
			if err != nil {
				return err
			}
			if _, err := s.PublishRule(ctx, sys, id, r.Version); err != nil {
				return fmt.Errorf("bench: publish %s: %w", in.Name, err)
			}
		}
	}
	fmt.Fprintf(out, "%s: %d rules published in each of %d counties (%s)\n", name, len(brs), len(counties), strings.Join(counties, ", "))
	params := rules.Params{}
	for k, v := range demo.Params {
		params[k] = v
	}
	// Raw baseline: a plain SELECT of the rows screening reads (households,
	// persons, categories held) into Go structs, nothing else.
	cpu := processCPU()
	raw, err := rawRuleScan(ctx, dsn)
	if err != nil {
		return fmt.Errorf("bench: %s raw scan: %w", name, err)
	}
	fmt.Fprintf(out, "%s: raw baseline, plain SELECT of %d households, %d persons and %d categories into Go structs: %.2f s (%.0f persons/s; CPU of this process %.1f s; load average %s)\n",
		name, raw.households, raw.persons, raw.categories, raw.elapsed.Seconds(), float64(raw.persons)/raw.elapsed.Seconds(),
		(processCPU() - cpu).Seconds(), loadAverage())
	// Second baseline: read the same households as rules see them (the
	// loader screening uses) and evaluate the same conditions in plain Go.
	matches := 0
	cpu = processCPU()
	start := time.Now()
	if err := s.EachRuleHousehold(ctx, "", 1000, func(hs []rules.Household) error {
		for i := range hs {
			if !slices.ContainsFunc(counties, func(c string) bool { return strings.HasPrefix(hs[i].PlaceCode, c) }) {
				continue // no rule there
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
	base := time.Since(start)
	fmt.Fprintf(out, "%s: plain Go loop (the loader + 10 conditions in Go, %d matches): %.2f s = %.2f× the raw SELECT (CPU %.1f s)\n",
		name, matches, base.Seconds(), base.Seconds()/raw.elapsed.Seconds(), (processCPU() - cpu).Seconds())

	runtime.GC()
	resetPeakRSS()
	la := loadAverage()
	cpu = processCPU()
	st, err := s.ScreenAll(ctx, "", nil)
	if err != nil {
		return err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(out, "%s: full screening of %d households × %d rules each (%d in force in %d counties; %d evaluations, %d errors, %d answers written, %d lines): %.2f s = %.0f persons/s = %.2f× the raw SELECT, %.2f× the plain loop; CPU of this process %.1f s; peak RSS during it %s (heap in use after %d MB); load average before %s, after %s\n",
		name, st.Households, len(brs), st.Rules, len(counties), st.Evaluations, st.Errors, st.Changed, st.Lines, st.Elapsed.Seconds(),
		float64(raw.persons)/st.Elapsed.Seconds(), st.Elapsed.Seconds()/raw.elapsed.Seconds(), st.Elapsed.Seconds()/base.Seconds(),
		(processCPU() - cpu).Seconds(), peakRSS(), ms.HeapInuse>>20, la, loadAverage())
	resetPeakRSS()
	cpu = processCPU()
	st2, err := s.ScreenAll(ctx, "", nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: second full screening (nothing changed, %d answers written): %.2f s = %.2f× the raw SELECT, %.2f× the plain Go loop; CPU %.1f s; peak RSS during it %s; load average after %s\n",
		name, st2.Changed, st2.Elapsed.Seconds(), st2.Elapsed.Seconds()/raw.elapsed.Seconds(), st2.Elapsed.Seconds()/base.Seconds(),
		(processCPU() - cpu).Seconds(), peakRSS(), loadAverage())

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
	fmt.Fprintf(out, "%s: preview of one rule in 富源县 (%d of %d households matched): %.3f s; plain loop (%d matched) %.3f s = %.2f×\n",
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
	reports := importSuite{reporters: 8, reportPause: 10 * time.Millisecond}.reportWhile(ctx, s, grid, func() {
		lat, editErr = timeEdits(ctx, s, village, lines, edits)
	})
	if editErr != nil {
		return editErr
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		slices.Sort(reports)
		fmt.Fprintf(out, "%s: edit → off the list (%d edits, jobs loop every 1 s; %d clue reports meanwhile by 8 reporters, p50 %s, p99 %s): p50 %.2f s, p95 %.2f s, max %.2f s\n",
			name, len(lat), len(reports), pct(reports, 0.50), pct(reports, 0.99), pct(lat, 0.50).Seconds(), pct(lat, 0.95).Seconds(), lat[len(lat)-1].Seconds())
	} else {
		fmt.Fprintf(out, "%s: no 低保 line in the village to edit\n", name)
	}
	return nil
}

// benchCounties returns the codes of the counties of the register, from
// the root down the place tree.
func benchCounties(ctx context.Context, s *sqlstore.Store) ([]string, error) {
	var out []string
	var walk func(code string, depth int) error
	walk = func(code string, depth int) error {
		ps, err := s.PlaceChildren(ctx, access.System(), code)
		if err != nil {
			return err
		}
		for _, p := range ps {
			switch {
			case p.Level == safetynet.LevelCounty:
				out = append(out, p.Code)
			case depth < 3:
				if err := walk(p.Code, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return out, walk(safetynet.RootPlaceCode, 0)
}

// processCPU is the CPU time this process has used (user and system);
// a database server's own CPU is not in it.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the machine's load average over 1, 5 and 15 minutes.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// pct is the q-quantile of the sorted durations d (nearest rank).
func pct(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(q*float64(len(d))+0.5) - 1
	return d[min(max(i, 0), len(d)-1)]
}

type rawScan struct {
	households, persons, categories int
	elapsed                         time.Duration
}

// rawRuleScan reads, with plain SELECTs on a connection of its own, the
// columns of the active households, of their persons and of the categories
// held that screening reads, each row into a Go struct.
func rawRuleScan(ctx context.Context, dsn string) (rawScan, error) {
	var db *sql.DB
	var err error
	if sqlstore.IsPostgresDSN(dsn) {
		db, err = sql.Open("pgx", dsn)
	} else {
		db, err = sql.Open("sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=cache_size(-16000)&_pragma=query_only(1)")
	}
	if err != nil {
		return rawScan{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var r rawScan
	t0 := time.Now()
	type hh struct {
		id, incomeFen         int64
		year                  int
		place, housing, water string
	}
	type person struct {
		id, household                                   int64
		relation, birth, sex, kind, health, edu, labour string
		grade, school                                   int
		status                                          string
	}
	type cat struct {
		subject        string
		sid, household int64
		category       string
	}
	scan := func(q string, each func(*sql.Rows) error) error {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	var sink int64
	if err := scan(`SELECT id, place_code, income_year, income_fen, housing, water FROM households WHERE status = 'active'`, func(rows *sql.Rows) error {
		var h hh
		r.households++
		err := rows.Scan(&h.id, &h.place, &h.year, &h.incomeFen, &h.housing, &h.water)
		sink += h.id
		return err
	}); err != nil {
		return r, err
	}
	if err := scan(`SELECT id, household_id, relation, birth_date, sex, disability_kind, disability_grade, health, education, in_school, labour, status
		FROM persons`, func(rows *sql.Rows) error {
		var p person
		r.persons++
		err := rows.Scan(&p.id, &p.household, &p.relation, &p.birth, &p.sex, &p.kind, &p.grade, &p.health, &p.edu, &p.school, &p.labour, &p.status)
		sink += p.id
		return err
	}); err != nil {
		return r, err
	}
	if err := scan(`SELECT subject, subject_id, household_id, category FROM assignments WHERE end_date = ''`, func(rows *sql.Rows) error {
		var c cat
		r.categories++
		err := rows.Scan(&c.subject, &c.sid, &c.household, &c.category)
		sink += c.sid
		return err
	}); err != nil {
		return r, err
	}
	r.elapsed = time.Since(t0)
	_ = sink
	return r, nil
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

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

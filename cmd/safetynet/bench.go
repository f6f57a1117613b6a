package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/httpserver"
	"safetynet/ledger"
	"safetynet/sqlstore"
	"safetynet/synth"
)

// bench measures the register's speed targets on the store given: search
// and the household page through the real HTTP server, a ledger import
// of a generated .xlsx and a ledger export, and the process's peak memory.
// The store must hold the demo (safetynet demo --households N).
func (e cmdEnv) bench(ctx context.Context, args []string) error {
	fs, db := e.flags("bench")
	user := fs.String("user", "county", "the demo user whose scope is measured")
	searches := fs.Int("searches", 400, "number of searches")
	pages := fs.Int("pages", 300, "number of household pages")
	importRows := fs.Int("import-rows", 100_000, "rows of the generated ledger to import (0 skips)")
	exportPlace := fs.String("export-place", "", "place to export (default: the user's place)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memLimit := fs.Int("memory-limit-mb", defaultMemoryLimitMB, "soft limit of the Go heap in MB, as for serve")
	suite := fs.String("suite", "register,relay", "what to measure: register, relay or both, comma-separated; or import, search, rules, feeds, visits, pacts, services, funds, certification, settlement, volunteering, campaigns, inspections or dashboards alone (fresh SQLite and PostgreSQL databases side by side; certification and settlement on copies of big demo databases)")
	clients := fs.Int("clients", 200, "relay: concurrent clients reporting and acknowledging clues")
	duration := fs.Duration("duration", 60*time.Second, "relay: how long the clients run")
	openItems := fs.Int("open-items", 100_000, "relay: open items to have before timing the escalation sweep")
	villageUser := fs.String("village-user", "village", "relay: the demo user whose village list is measured")
	villageItems := fs.Int("village-items", 5000, "relay: open items to have in that village")
	sweepAhead := fs.Duration("sweep-ahead", 72*time.Hour, "relay: how far ahead the clock is for the timed sweep (past every deadline)")
	rates := fs.String("rates", "", "relay: open-loop arrival rates in requests/s, comma-separated, e.g. 500,1000 (default none)")
	openFor := fs.Duration("open-duration", 20*time.Second, "relay: how long each open-loop rate runs")
	searchSizes := fs.String("search-sizes", "100000,1000000", "search suite: register sizes in persons (the growth is outside the users' county)")
	postgres := fs.String("postgres", e.getenv("SAFETYNET_BENCH_POSTGRES"), "import suite: a PostgreSQL server (postgres://…) to measure beside SQLite in a fresh schema (env SAFETYNET_BENCH_POSTGRES)")
	baseHouseholds := fs.Int("base-households", 20_000, "import suite: demo households in each fresh database before the import")
	reporters := fs.Int("reporters", 4, "import suite: goroutines reporting clues during the preview")
	reportPause := fs.Duration("report-pause", 20*time.Millisecond, "import suite: pause of each reporter between clues")
	rulesHouseholds := fs.Int("rules-households", 30_000, "rules suite: generated households in each fresh database")
	rulesEdits := fs.Int("rules-edits", 10, "rules suite: household edits timed until they leave the list")
	feedRows := fs.Int("feed-rows", 100_000, "feeds suite: rows of the medical batch")
	feedHouseholds := fs.Int("feed-households", 30_000, "feeds suite: households generated into the register (of each database)")
	feedDB := fs.String("feed-db", "", "feeds suite: an existing (big demo) SQLite database to use instead of a fresh one; the bench writes to it")
	feedBatches := fs.Int("feed-batches", 20, "feeds suite: small batches pushed by 4 departments at once")
	feedBatchRows := fs.Int("feed-batch-rows", 1000, "feeds suite: rows of each small batch")
	feedRate := fs.Int("feed-rate", 100, "feeds suite: relay open-loop requests/s while the small batches are pushed (0: no load)")
	feedDuration := fs.Duration("feed-duration", 20*time.Second, "feeds suite: how long the relay load runs")
	rulesCounties := fs.String("rules-counties", "", "rules suite: the counties whose households the ten rules screen, comma-separated codes (default: every county)")
	rulesDBs := fs.String("rules-db", "", "rules suite: existing demo databases to measure instead of fresh ones, comma-separated (a SQLite file, its key beside it; a postgres:// URL, its key from --key-file); the suite writes rules and edits households: use copies")
	visitsHouseholds := fs.Int("visits-households", 30_000, "visits suite: generated households in each fresh database")
	visitsPlace := fs.String("visits-place", demo.Yaozhan, "visits suite: the grid worker's place (division code)")
	visitsKeyEvery := fs.Int("visits-key-every", 10, "visits suite: every n-th household of the grid worker's place is a key family")
	visitsReads := fs.Int("visits-reads", 200, "visits suite: day lists read")
	inspDBs := fs.String("inspections-db", "", "inspections suite: copies of big demo databases, comma-separated (a SQLite file, its key beside it; a postgres:// URL, its key from --key-file); the suite writes inspections to them")
	inspVillages, inspHouseholds := fs.Int("inspections-villages", 50, "inspections suite: villages drawn"), fs.Int("inspections-households", 20, "inspections suite: households drawn per village")
	inspRuns := fs.Int("inspections-runs", 5, "inspections suite: samples drawn on each database")
	volTakers := fs.Int("volunteer-takers", 500, "volunteering suite: neighbours taking 10 slots at once")
	volDBs := fs.String("volunteer-db", "", "volunteering suite: existing demo databases instead of fresh ones, comma-separated (a SQLite file, its key beside it; a postgres:// URL, its key from --key-file); the suite writes to them: use copies")
	servicesDBs := fs.String("services-db", "", "services suite: copies of big demo databases, comma-separated (a SQLite file, its key beside it; a postgres:// URL, its key from --key-file); the suite writes to them")
	servicesPlace := fs.String("services-place", "530325", "services suite: the county whose households the contract covers")
	servicesHouseholds := fs.Int("services-households", 5000, "services suite: households services are recorded for (each with a code)")
	servicesWorkers := fs.Int("services-workers", 200, "services suite: social workers (logins) the clients record as")
	servicesPace := fs.Duration("services-pace", 0, "services suite: also run each client recording once every this long (a paced load), e.g. 2s")
	servicesPhoto := fs.Int("services-photo", 640, "services suite: the longer side of each record's JPEG photo in pixels (0: no photo, the household's code only)")
	visitsDBs := fs.String("visits-db", "", "visits suite: existing demo databases to measure instead of fresh ones, comma-separated (a SQLite file, its key beside it; a postgres:// URL, its key from --key-file); the suite empties the visits' state and writes: use copies")
	visitsPlaceHH := fs.Int("visits-place-households", 0, "visits suite: households the grid worker's place must hold; the difference is generated into it (0: as it is)")
	pactsN := fs.Int("pacts", 100_000, "pacts suite: curtain pacts in each fresh database")
	pactsMissed := fs.Int("pacts-missed", 5_000, "pacts suite: pacts without a sign by 08:00")
	settleDBs := fs.String("settle-db", "", "settlement suite: copies of the big demo databases to measure, comma-separated (a SQLite file, its key beside it; a postgres:// URL, its key from --key-file); the suite writes service records and approves a month")
	settleRecords := fs.Int("settle-records", 100_000, "settlement suite: service records of the month")
	settleRuns := fs.Int("settle-runs", 7, "settlement suite: timed runs of the sheet and of each baseline")
	settleMonth := fs.String("settle-month", "2026-10", "settlement suite: the month (YYYY-MM, ended) the records are in")
	pactsHouseholds := fs.Int("pacts-households", 20_000, "pacts suite: generated households in each fresh database (pacts cycle over their persons)")
	pactsDBs := fs.String("pacts-db", "", "pacts suite: existing registers to measure instead of fresh ones, comma-separated (a SQLite file, its key beside it; a postgres:// URL, its key from --key-file); the suite writes pacts and removes them after: use copies")
	certDBs := fs.String("cert-db", "", "certification suite: copies of big demo databases, comma-separated (a SQLite file, its key beside it; a postgres:// URL, its key from --key-file); the suite rewrites their certification tables")
	certUsers := fs.String("cert-users", "grid,village,town,county", "certification suite: the demo users whose due-in-30-days list is read")
	certReads := fs.Int("cert-reads", 200, "certification suite: reads of each list")
	campaignsDBs := fs.String("campaigns-db", "", "campaigns suite: copies of big databases, comma-separated (a SQLite file, its key beside it; a postgres:// URL, its key from --key-file); the suite adds a county, its villages and a campaign")
	campaignsTowns := fs.Int("campaigns-towns", 15, "campaigns suite: towns of the synthetic county")
	campaignsVillages := fs.Int("campaigns-villages", 1500, "campaigns suite: villages of the synthetic county (each an implementing village)")
	campaignsMembers := fs.Int("campaigns-members", 20, "campaigns suite: members listed per village")
	campaignsReads := fs.Int("campaigns-reads", 200, "campaigns suite: reads of each page")
	fundEntries := fs.Int("fund-entries", 100_000, "funds suite: ledger entries of the measured source")
	fundReads := fs.Int("fund-reads", 20, "funds suite: reads timed of each kind (the median is reported)")
	dashDBs := fs.String("dash-db", "", "dashboards suite: registers with a year of activity (safetynet generate-activity), comma-separated (a SQLite file, its key beside it; a postgres:// URL, its key from --key-file); opening migrates them: use copies")
	dashRuns := fs.Int("dash-runs", 30, "dashboards suite: timed runs of each dashboard, baseline and page")
	dashPeriods := fs.String("dash-periods", "month,year", "dashboards suite: the period kinds measured (month, quarter, year)")
	dashAt := fs.String("dash-at", "", "dashboards suite: a day of the periods, YYYY-MM-DD (default today)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	e.setMemoryLimit(*memLimit)
	var openRates []int
	for _, r := range strings.Split(*rates, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		v, err := strconv.Atoi(r)
		if err != nil || v <= 0 {
			return fmt.Errorf("bench: --rates: %q is not a number of requests per second", r)
		}
		openRates = append(openRates, v)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if strings.TrimSpace(*suite) == "search" {
		sizes, err := parseSizes(*searchSizes)
		if err != nil {
			return err
		}
		return e.benchSearchSuite(ctx, sizes, *postgres, *searches)
	}
	if strings.TrimSpace(*suite) == "inspections" {
		// Copies of big demo databases (--inspections-db), or fresh ones: --db is not used.
		return e.benchInspectionsSuite(ctx, inspSuite{dbs: splitList(*inspDBs), keyFile: db.keyFile, postgres: *postgres,
			villages: *inspVillages, households: *inspHouseholds, runs: *inspRuns})
	}
	if strings.TrimSpace(*suite) == "volunteering" {
		// Fresh databases of its own, or --volunteer-db: --db is not used.
		return e.benchVolunteeringSuite(ctx, *volTakers, *postgres, splitList(*volDBs), db.keyFile)
	}
	if strings.TrimSpace(*suite) == "settlement" {
		// Existing databases (copies of the 1M register): --db is not used.
		return e.benchSettlementSuite(ctx, settleSuite{dbs: splitList(*settleDBs), keyFile: db.keyFile, records: *settleRecords,
			runs: *settleRuns, month: *settleMonth})
	}
	if strings.TrimSpace(*suite) == "pacts" {
		// Fresh databases of its own (or --pacts-db): --db is not used.
		return e.benchPactsSuite(ctx, pactsSuite{n: *pactsN, missed: *pactsMissed, households: *pactsHouseholds, postgres: *postgres,
			existing: splitList(*pactsDBs), keyFile: db.keyFile})
	}
	if strings.TrimSpace(*suite) == "dashboards" {
		// Existing registers with a year of activity: --db is not used.
		return e.benchDashboardsSuite(ctx, dashSuite{dbs: splitList(*dashDBs), keyFile: db.keyFile, runs: *dashRuns, periods: splitList(*dashPeriods), at: *dashAt, user: *user})
	}
	if strings.TrimSpace(*suite) == "funds" {
		// Fresh databases of its own: --db is not used.
		return e.benchFundsSuite(ctx, *fundEntries, *fundReads, *postgres)
	}
	if strings.TrimSpace(*suite) == "feeds" {
		// Fresh databases of its own (or --feed-db): --db is not used.
		var existing *dbFlags
		if *feedDB != "" {
			existing = &dbFlags{db: *feedDB, keyFile: db.keyFile}
		}
		return e.benchFeedsSuite(ctx, feedsSuite{rows: *feedRows, households: *feedHouseholds, existing: existing, postgres: *postgres,
			batches: *feedBatches, batchRows: *feedBatchRows, rate: *feedRate, duration: *feedDuration, out: e.stdout})
	}
	if strings.TrimSpace(*suite) == "visits" {
		// Fresh databases of its own (or --visits-db): --db is not used.
		return e.benchVisitsSuite(ctx, visitsSuite{households: *visitsHouseholds, place: *visitsPlace, keyEvery: *visitsKeyEvery,
			reads: *visitsReads, clients: *clients, duration: *duration, postgres: *postgres,
			existing: splitList(*visitsDBs), keyFile: db.keyFile, placeHH: *visitsPlaceHH})
	}
	if strings.TrimSpace(*suite) == "services" {
		// Existing databases (copies): --db is not used.
		return e.benchServicesSuite(ctx, servicesSuite{dbs: splitList(*servicesDBs), keyFile: db.keyFile, place: *servicesPlace,
			households: *servicesHouseholds, workers: *servicesWorkers, clients: *clients, duration: *duration, photoSide: *servicesPhoto, pace: *servicesPace})
	}
	if strings.TrimSpace(*suite) == "campaigns" {
		// Copies of big databases: --db is not used.
		return e.benchCampaignsSuite(ctx, campaignsSuite{dbs: splitList(*campaignsDBs), keyFile: db.keyFile, towns: *campaignsTowns,
			villages: *campaignsVillages, perVillage: *campaignsMembers, reads: *campaignsReads})
	}
	if strings.TrimSpace(*suite) == "certification" {
		// Copies of big demo databases: --db is not used.
		return e.benchCertificationSuite(ctx, certSuite{dbs: splitList(*certDBs), keyFile: db.keyFile, users: splitList(*certUsers),
			reads: *certReads})
	}
	if strings.TrimSpace(*suite) == "rules" {
		// Fresh databases of its own: --db is not used.
		return e.benchRulesSuite(ctx, rulesSuite{households: *rulesHouseholds, postgres: *postgres, edits: *rulesEdits,
			existing: splitList(*rulesDBs), keyFile: db.keyFile, counties: splitList(*rulesCounties)})
	}
	if strings.TrimSpace(*suite) == "import" {
		// Fresh databases of its own: --db is not used.
		return e.benchImportSuite(ctx, importSuite{rows: *importRows, base: *baseHouseholds, postgres: *postgres,
			reporters: *reporters, reportPause: *reportPause, out: e.stdout})
	}
	s, err := e.open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.UserByUsername(ctx, access.System(), *user)
	if err != nil {
		return fmt.Errorf("bench: user %s: %w (load the demo first: safetynet demo --households 300000)", *user, err)
	}
	a := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "bench"}
	srv, err := httpserver.New(httpserver.Config{Store: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	token, _, err := s.CreateSession(ctx, u.ID, sqlstore.SessionAPI, "bench", "bench")
	if err != nil {
		return err
	}
	cookie, _, err := s.CreateSession(ctx, u.ID, sqlstore.SessionWeb, "bench", "bench")
	if err != nil {
		return err
	}
	out := e.stdout
	fmt.Fprintf(out, "safetynet bench: %s store, user %s (%s), %s, GOMAXPROCS=%d, memory limit %d MB\n", s.Dialect(), u.Username, u.PlaceName,
		runtime.Version(), runtime.GOMAXPROCS(0), debug.SetMemoryLimit(-1)>>20)
	n, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "register: %d persons, %d households\n", n.Persons, n.Households)

	samples, err := benchSamples(ctx, s, a, max(*searches, *pages, 2000), *searches/2)
	if err != nil {
		return err
	}
	if len(samples) == 0 {
		return fmt.Errorf("bench: no households in the scope of %s (load the demo first: safetynet demo --households 300000)", u.Username)
	}
	for _, part := range strings.Split(*suite, ",") {
		switch strings.TrimSpace(part) {
		case "register":
			err = e.benchRegister(ctx, registerBench{s: s, a: a, base: ts.URL, token: token, cookie: cookie, samples: samples,
				searches: *searches, pages: *pages, importRows: *importRows, exportPlace: *exportPlace})
		case "relay":
			later := func(ahead time.Duration) (*sqlstore.Store, error) {
				keys, err := e.keys(db)
				if err != nil {
					return nil, err
				}
				return sqlstore.Open(ctx, db.db, sqlstore.Options{Keys: keys, Now: func() time.Time { return time.Now().Add(ahead) }})
			}
			err = benchRelay(ctx, out, relayBench{s: s, a: a, base: ts.URL, samples: samples, later: later, clients: *clients, duration: *duration,
				openItems: *openItems, villageUser: *villageUser, villageItems: *villageItems, sweepAhead: *sweepAhead,
				rates: openRates, openFor: *openFor})
		default:
			err = fmt.Errorf("bench: --suite: unknown part %q (register, relay)", part)
		}
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "peak memory (VmHWM) since the last phase began: %s\n", peakRSS())
	return nil
}

// searchQueries mixes the kinds of searches users make and says which
// kind each is.
func searchQueries(rng *rand.Rand, samples []benchSample, n int) (paths, kinds []string) {
	var revealed []benchSample // the samples whose numbers the bench was shown
	for _, s := range samples {
		if s.IDNumber != "" {
			revealed = append(revealed, s)
		}
	}
	for i := 0; len(paths) < n && len(samples) > 0; i++ {
		s := samples[rng.IntN(len(samples))]
		q, kind := s.Name, "name"
		switch {
		case i%5 == 2 && len(revealed) > 0:
			s = revealed[rng.IntN(len(revealed))]
			q, kind = s.IDNumber, "id_number"
		case i%5 == 3 && len(revealed) > 0:
			s = revealed[rng.IntN(len(revealed))]
			q, kind = s.Phone, "phone"
		case i%5 == 4:
			q, kind = s.AddressWord+" "+s.Name, "address+name"
		}
		if strings.TrimSpace(q) == "" {
			q, kind = s.Name, "name"
		}
		paths, kinds = append(paths, "/api/v1/search?q="+url.QueryEscape(q)), append(kinds, kind)
	}
	return paths, kinds
}

// timeRequests GETs each path in turn and returns the latencies.
func timeRequests(base string, paths []string, auth func(*http.Request)) ([]time.Duration, error) {
	c := &http.Client{}
	lat := make([]time.Duration, 0, len(paths))
	for _, p := range paths {
		req, _ := http.NewRequest("GET", base+p, nil)
		auth(req)
		start := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return nil, fmt.Errorf("bench: GET %s: %s", p, resp.Status)
		}
		lat = append(lat, time.Since(start))
	}
	return lat, nil
}

func report(w io.Writer, what string, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	fmt.Fprintf(w, "%s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n", what, q(.5), q(.95), q(.99), q(1))
}

// benchImport writes a generated ledger of about rows rows to .xlsx,
// then times reading, checking and committing it as the user would.
func benchImport(ctx context.Context, out io.Writer, s *sqlstore.Store, a access.Actor, rows int) error {
	places, err := s.RegisterPlaces(ctx, a)
	if err != nil {
		return err
	}
	var sp []synth.Place
	for _, p := range places {
		if p.Level == safetynet.LevelVillage {
			sp = append(sp, synth.Place{Code: p.Code, Name: p.Name, County: p.Code[:6]})
		}
	}
	// ID numbers of a made-up county code of the province, different on each
	// run (53 9x yy), and household numbers of a series of their own for
	// each run ("N<run>-…"), so that the generated households are new rather
	// than updates or duplicates of the demo's or of an earlier run's (the
	// same place's numbers repeat from one generator to the next).
	now := time.Now()
	region := fmt.Sprintf("539%d%02d", now.UnixNano()%10, 1+now.Unix()/10%99)
	series := fmt.Sprintf("N%x-", now.Unix())
	for i := range sp {
		sp[i].County = region
	}
	g := synth.New(uint64(time.Now().UnixNano()), sp, time.Now())
	var file bytes.Buffer
	x, err := ledger.NewExport(&file, "zh")
	if err != nil {
		return err
	}
	n := 0
	for n < rows {
		h := g.Next()
		for _, m := range h.Members {
			r := ledger.ExportRow{HouseholdNumber: series + h.Household.Number, PlaceCode: h.Household.PlaceCode, Address: h.Household.Address,
				HeadName: h.Members[0].Person.Name, Name: m.Person.Name, IDNumber: m.Person.IDNumber, Relation: m.Person.Relation,
				Sex: m.Person.Sex, Birth: m.Person.Birth.Format("2006-01-02"), Phone: m.Person.Phone, FamilySize: len(h.Members),
				IncomeFen: h.Household.IncomeFen, IncomeYear: h.Household.IncomeYear, Health: m.Person.Health,
				DisabilityKind: m.Person.DisabilityKind, DisabilityGrade: m.Person.DisabilityGrade, Education: m.Person.Education,
				InSchool: m.Person.InSchool, Labour: m.Person.Labour, Work: m.Person.Work}
			if err := x.Write(r); err != nil {
				return err
			}
			n++
		}
	}
	if err := x.Close(); err != nil {
		return err
	}
	data := file.Bytes()
	// The server holds only the uploaded file: drop the generator's memory
	// and restart the peak-memory count before timing the import.
	g, x = nil, nil
	runtime.GC()
	debug.FreeOSMemory()
	resetPeakRSS()
	start := time.Now()
	sheet, err := ledger.Read("bench.xlsx", data)
	if err != nil {
		return err
	}
	tRead := time.Since(start)
	lp := make([]ledger.Place, 0, len(places))
	for _, p := range places {
		lp = append(lp, ledger.Place{Code: p.Code, Name: p.Name, Level: p.Level, Path: p.Path})
	}
	hhs, errs := ledger.Build(sheet, ledger.Detect(sheet.Header), ledger.NewPlaceIndex(lp), ledger.Options{})
	if len(errs) > 0 {
		return fmt.Errorf("bench: generated ledger row %d: %s", errs[0].Row, errs[0].EN)
	}
	tBuild := time.Since(start) - tRead
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	fmt.Fprintf(out, "  (Go heap in use after reading and checking %.0f MB; VmHWM %s)\n", float64(before.HeapInuse)/1e6, peakRSS())
	rep, err := s.ImportLedger(ctx, a, hhs, sqlstore.LedgerOptions{})
	if err != nil {
		return fmt.Errorf("bench: import: %w %v", err, rep.Errors[:min(3, len(rep.Errors))])
	}
	d := time.Since(start)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(out, "  (Go heap in use after the import %.0f MB, largest heap %.0f MB)\n", float64(ms.HeapInuse)/1e6, float64(ms.HeapSys)/1e6)
	fmt.Fprintf(out, "import: %d-row .xlsx (%.1f MB, %d households) read %.2f s + checked %.2f s + committed %.2f s = %.2f s (%.0f rows/s)\n",
		n, float64(len(data))/1e6, len(hhs), tRead.Seconds(), tBuild.Seconds(), (d - tRead - tBuild).Seconds(), d.Seconds(), float64(n)/d.Seconds())
	return nil
}

type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

// resetPeakRSS restarts the kernel's count of the peak resident memory.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS reads the process's peak resident memory from /proc.
func peakRSS() string { return procStatus("VmHWM") }

// procStatus reads a field of /proc/self/status, such as VmRSS.
func procStatus(field string) string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// registerBench is what the register's part of the benchmark needs.
type registerBench struct {
	s                   *sqlstore.Store
	a                   access.Actor
	base, token, cookie string
	samples             []benchSample
	searches, pages     int
	importRows          int
	exportPlace         string
}

// benchRegister times search, the household page, an import and an export.
func (e cmdEnv) benchRegister(ctx context.Context, rb registerBench) error {
	s, a, samples, out := rb.s, rb.a, rb.samples, e.stdout
	rng := rand.New(rand.NewPCG(42, 42))
	queries, kinds := searchQueries(rng, samples, rb.searches)
	lat, err := timeRequests(rb.base, queries, func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+rb.token) })
	if err != nil {
		return err
	}
	byKind := map[string][]time.Duration{}
	for i, d := range lat {
		byKind[kinds[i]] = append(byKind[kinds[i]], d)
	}
	report(out, fmt.Sprintf("search (%d queries: names, ID numbers, phones, addresses)", len(queries)), lat)
	for _, k := range []string{"name", "id_number", "phone", "address+name"} {
		report(out, "  by "+k, byKind[k])
	}

	var paths []string
	for i := 0; i < rb.pages && i < len(samples); i++ {
		paths = append(paths, fmt.Sprintf("/households/%d", samples[i].HouseholdID))
	}
	lat, err = timeRequests(rb.base, paths, func(req *http.Request) { req.AddCookie(&http.Cookie{Name: "sn_session", Value: rb.cookie}) })
	if err != nil {
		return err
	}
	report(out, fmt.Sprintf("household page, HTML (%d pages)", len(paths)), lat)
	fmt.Fprintf(out, "peak memory so far (VmHWM): %s\n", peakRSS())

	if rb.importRows > 0 {
		if err := benchImport(ctx, out, s, a, rb.importRows); err != nil {
			return err
		}
		fmt.Fprintf(out, "peak memory so far (VmHWM): %s\n", peakRSS())
	}
	// The import's request is over: let its memory go, as the server's
	// garbage collector would before the next big request, and measure
	// the export's own peak.
	runtime.GC()
	debug.FreeOSMemory()
	resetPeakRSS()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(out, "  (before the export: VmRSS %s, Go heap in use %.0f MB)\n", procStatus("VmRSS"), float64(ms.HeapInuse)/1e6)
	place := rb.exportPlace
	if place == "" {
		place = a.Place
	}
	start := time.Now()
	var buf countingWriter
	x, err := ledger.NewExport(&buf, "zh")
	if err != nil {
		return err
	}
	rows, err := s.ExportLedger(ctx, a, sqlstore.ExportFilter{PlaceCode: place, Reveal: true}, func(h *safetynet.Household, p *safetynet.Person) error {
		return x.Write(ledger.ExportRow{HouseholdNumber: h.Number, PlaceCode: h.PlaceCode, Address: h.Address, HeadName: h.HeadName,
			Name: p.Name, IDNumber: p.IDNumber, Relation: p.Relation, Sex: p.Sex, Phone: p.Phone, FamilySize: h.Members})
	})
	if err != nil {
		x.Abort()
		return err
	}
	if err := x.Close(); err != nil {
		return err
	}
	d := time.Since(start)
	fmt.Fprintf(out, "export: %d rows of %s to .xlsx (%.1f MB) in %.2f s (%.0f rows/s)\n", rows, place, float64(buf.n)/1e6, d.Seconds(), float64(rows)/d.Seconds())
	fmt.Fprintf(out, "peak memory during the export (VmHWM): %s\n", peakRSS())
	return nil
}

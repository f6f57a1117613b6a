package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/sqlstore"
	"safetynet/synth"
)

// importSuite is `safetynet bench --suite import`: on a fresh SQLite
// file and, if a server is given, a fresh PostgreSQL schema, one after the
// other in one run, it times
//   - a raw baseline: the same rows written into the same tables, with
//     their indexes (and SQLite's full-text index), by the plainest means
//     the database has — on SQLite one prepared INSERT per row in one
//     transaction, on PostgreSQL COPY — then rolled back;
//   - a preview (dry run) of the ledger while clues are reported, with the
//     reports' latency, and the same reports without a preview;
//   - the ledger import itself, all or nothing, audited;
//
// and prints each rate with the import's ratio to the baseline.
type importSuite struct {
	rows, base    int
	sqliteDir     string
	postgres      string
	reporters     int
	reportPause   time.Duration
	keepDatabases bool
	out           io.Writer
}

func (e cmdEnv) benchImportSuite(ctx context.Context, is importSuite) error {
	out := is.out
	fmt.Fprintf(out, "import suite: %d-row ledger on fresh databases with %d demo households each, %s, GOMAXPROCS=%d, %d CPUs\n",
		is.rows, is.base, runtime.Version(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	dir := is.sqliteDir
	if dir == "" {
		d, err := os.MkdirTemp("", "safetynet-bench-import-")
		if err != nil {
			return err
		}
		dir = d
		if !is.keepDatabases {
			defer os.RemoveAll(d)
		}
	}
	dsns := []string{filepath.Join(dir, "bench-import.db")}
	if is.postgres != "" {
		dsn, drop, err := freshSchema(ctx, is.postgres, is.keepDatabases)
		if err != nil {
			return err
		}
		defer drop()
		dsns = append(dsns, dsn)
	} else {
		fmt.Fprintln(out, "  (PostgreSQL skipped: give --postgres postgres://… to measure it in the same run)")
	}
	for _, dsn := range dsns {
		if err := is.one(ctx, dsn); err != nil {
			return err
		}
	}
	return nil
}

// freshSchema makes a schema of its own on the server and returns a DSN
// that uses it, and a function that drops it.
func freshSchema(ctx context.Context, dsn string, keep bool) (string, func(), error) {
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", nil, fmt.Errorf("bench: postgres: %w", err)
	}
	schema := fmt.Sprintf("bench_import_%d", time.Now().Unix())
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		c.Close(ctx)
		return "", nil, fmt.Errorf("bench: postgres: %w", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		c.Close(ctx)
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		if !keep {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		}
		c.Close(context.Background())
	}, nil
}

// one runs the suite on the database at dsn.
func (is importSuite) one(ctx context.Context, dsn string) error {
	out := is.out
	s, err := openFreshBenchStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	name := s.Dialect()
	start := time.Now()
	if _, err := demo.Load(ctx, s, demo.Options{Households: is.base, Seed: 1}); err != nil {
		return err
	}
	if is.base > 0 {
		d := time.Since(start)
		fmt.Fprintf(out, "%s: demo with %d households made in %.1f s (%.0f households/s, through the ledger import)\n", name, is.base, d.Seconds(), float64(is.base)/d.Seconds())
	}
	county, err := actorByName(ctx, s, "county")
	if err != nil {
		return err
	}
	grid, err := actorByName(ctx, s, "grid")
	if err != nil {
		return err
	}
	hhs, rows, err := benchLedger(ctx, s, county, is.rows)
	if err != nil {
		return err
	}
	// The raw baseline, rolled back.
	raw, err := rawInsert(ctx, dsn, hhs)
	if err != nil {
		return fmt.Errorf("bench: %s raw baseline: %w", name, err)
	}
	how := "one prepared INSERT per row, same tables, indexes and full-text index"
	if name == "postgres" {
		how = "COPY into the same tables with their indexes"
	}
	fmt.Fprintf(out, "%s: raw baseline (%s; rolled back): %d rows in %.2f s = %.0f rows/s\n", name, how, rows, raw.Seconds(), float64(rows)/raw.Seconds())

	// Clue reports alone, then during a preview of the ledger.
	quiet := is.reportWhile(ctx, s, grid, func() { time.Sleep(5 * time.Second) })
	report(out, fmt.Sprintf("%s: clue reports, %d reporters, no preview (%d reports)", name, is.reporters, len(quiet)), quiet)
	var preview safetynet.LedgerReport
	var previewTime time.Duration
	var previewErr error
	during := is.reportWhile(ctx, s, grid, func() {
		t0 := time.Now()
		preview, previewErr = s.ImportLedger(ctx, county, hhs, sqlstore.LedgerOptions{DryRun: true})
		previewTime = time.Since(t0)
	})
	if previewErr != nil {
		return fmt.Errorf("bench: %s preview: %w %v", name, previewErr, preview.Errors[:min(3, len(preview.Errors))])
	}
	fmt.Fprintf(out, "%s: preview (dry run) of %d rows in %.2f s (%.0f rows/s): %d households to create\n", name, rows, previewTime.Seconds(),
		float64(rows)/previewTime.Seconds(), preview.Households.Created)
	report(out, fmt.Sprintf("%s: clue reports during the preview (%d reports)", name, len(during)), during)

	t0 := time.Now()
	rep, err := s.ImportLedger(ctx, county, hhs, sqlstore.LedgerOptions{})
	d := time.Since(t0)
	if err != nil {
		return fmt.Errorf("bench: %s import: %w %v", name, err, rep.Errors[:min(3, len(rep.Errors))])
	}
	fmt.Fprintf(out, "%s: ledger import of %d rows (%d households, %d categories, audited, one transaction): %.2f s = %.0f rows/s = %.2f × the raw baseline\n",
		name, rows, rep.Households.Created, rep.Categories, d.Seconds(), float64(rows)/d.Seconds(), raw.Seconds()/d.Seconds())
	t0 = time.Now()
	again, err := s.ImportLedger(ctx, county, hhs[:min(len(hhs), 2000)], sqlstore.LedgerOptions{})
	if err != nil || again.Households.Created != 0 {
		return fmt.Errorf("bench: %s re-import: %+v %w", name, again.Households, err)
	}
	fmt.Fprintf(out, "%s: re-import of %d of those households (all matched, %d unchanged): %.2f s\n", name, again.Households.Unchanged,
		again.Households.Unchanged, time.Since(t0).Seconds())
	return nil
}

func actorByName(ctx context.Context, s *sqlstore.Store, username string) (access.Actor, error) {
	u, err := s.UserByUsername(ctx, access.System(), username)
	if err != nil {
		return access.Actor{}, fmt.Errorf("bench: user %s: %w", username, err)
	}
	return access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "bench"}, nil
}

// benchLedger generates new households of at least rows persons in the
// villages of a's scope, with ID numbers of a made-up county (539901) so
// that none is the demo's.
func benchLedger(ctx context.Context, s *sqlstore.Store, a access.Actor, rows int) ([]safetynet.LedgerHousehold, int, error) {
	places, err := s.RegisterPlaces(ctx, a)
	if err != nil {
		return nil, 0, err
	}
	var sp []synth.Place
	for _, p := range places {
		if p.Level == safetynet.LevelVillage {
			sp = append(sp, synth.Place{Code: p.Code, Name: p.Name, County: "539901"})
		}
	}
	if len(sp) == 0 {
		return nil, 0, fmt.Errorf("bench: no villages in the scope of %s", a.Username)
	}
	g := synth.New(uint64(time.Now().UnixNano()), sp, time.Now())
	var hhs []safetynet.LedgerHousehold
	n := 0
	for n < rows {
		h := g.Next()
		h.Household.Number = "B" + h.Household.Number
		hhs = append(hhs, h)
		n += len(h.Members)
	}
	return hhs, n, nil
}

// reportWhile runs is.reporters goroutines reporting clues through the
// store, each pausing is.reportPause between reports, while fn runs; it
// returns the reports' latencies.
func (is importSuite) reportWhile(ctx context.Context, s *sqlstore.Store, a access.Actor, fn func()) []time.Duration {
	stop := make(chan struct{})
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	run := time.Now().UnixNano()
	for i := range is.reporters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				case <-time.After(is.reportPause):
				}
				t0 := time.Now()
				_, _, err := s.ReportClue(ctx, a, safetynet.NewClue{ClientID: fmt.Sprintf("bench-import-%d-%d-%d", run, i, n), Source: "grid",
					Name: "基准测试", PlaceCode: a.Place, Kinds: []string{"other"}, Urgency: "normal"})
				d := time.Since(t0)
				if err == nil {
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
			}
		}()
	}
	fn()
	close(stop)
	wg.Wait()
	return lat
}

// rawInsert writes the rows that importing hhs writes — households,
// persons, memberships, categories and timeline events, with made-up
// encrypted fields of the real sizes — straight into the tables, then
// rolls back, and returns the time the writes took.
func rawInsert(ctx context.Context, dsn string, hhs []safetynet.LedgerHousehold) (time.Duration, error) {
	tables := rawRows(hhs)
	if sqlstore.IsPostgresDSN(dsn) {
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return 0, err
		}
		defer c.Close(ctx)
		t0 := time.Now()
		tx, err := c.Begin(ctx)
		if err != nil {
			return 0, err
		}
		defer tx.Rollback(ctx)
		for _, t := range tables {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
				return 0, fmt.Errorf("copy %s: %w", t.name, err)
			}
		}
		return time.Since(t0), nil
	}
	db, err := sql.Open("sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-16000)&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	t0 := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for _, t := range tables {
		st, err := tx.PrepareContext(ctx, "INSERT INTO "+t.name+" ("+strings.Join(t.cols, ", ")+") VALUES ("+
			strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ")+")")
		if err != nil {
			return 0, err
		}
		for _, r := range t.rows {
			if _, err := st.ExecContext(ctx, r...); err != nil {
				return 0, fmt.Errorf("insert %s: %w", t.name, err)
			}
		}
		st.Close()
	}
	return time.Since(t0), nil
}

type rawTable struct {
	name string
	cols []string
	rows [][]any
}

func rawRows(hhs []safetynet.LedgerHousehold) []rawTable {
	const base = int64(1) << 40 // IDs far from the register's, rolled back anyway
	blob := func(n int) []byte { b := make([]byte, n); _, _ = rand.Read(b); return b }
	now := time.Now().UnixMilli()
	today := time.Now().Format("2006-01-02")
	h := rawTable{name: "households", cols: []string{"id", "number", "place_code", "address", "phone_enc", "phone_idx", "head_person_id", "member_count",
		"income_year", "income_fen", "housing", "water", "notes", "status", "version", "created_at", "updated_at"}}
	p := rawTable{name: "persons", cols: []string{"id", "household_id", "place_code", "relation", "name", "id_enc", "id_idx", "id_legacy", "birth_date", "sex",
		"phone_enc", "phone_idx", "disability_kind", "disability_grade", "health", "health_notes", "education", "in_school", "labour", "work", "status",
		"search_text", "version", "created_at", "updated_at"}}
	m := rawTable{name: "memberships", cols: []string{"person_id", "household_id", "relation", "start_date"}}
	a := rawTable{name: "assignments", cols: []string{"subject", "subject_id", "household_id", "place_code", "category", "risk_type", "start_date",
		"start_reason", "source", "created_by", "created_at"}}
	e := rawTable{name: "events", cols: []string{"at", "household_id", "person_id", "place_code", "kind", "detail", "user_id", "username"}}
	detail := func(v map[string]any) string { b, _ := json.Marshal(v); return string(b) }
	pid := base
	for i, lh := range hhs {
		hid := base + int64(i)
		in := lh.Household
		head := pid + 1
		for _, lp := range lh.Members {
			pid++
			x := lp.Person
			var idEnc, idIdx, phEnc, phIdx []byte
			if x.IDNumber != "" {
				idEnc, idIdx = blob(46), blob(32)
			}
			if x.Phone != "" {
				phEnc, phIdx = blob(39), blob(32)
			}
			birth := ""
			if !x.Birth.IsZero() {
				birth = x.Birth.Format("2006-01-02")
			}
			p.rows = append(p.rows, []any{pid, hid, in.PlaceCode, x.Relation, x.Name, idEnc, idIdx, 0, birth, x.Sex, phEnc, phIdx,
				x.DisabilityKind, x.DisabilityGrade, x.Health, x.HealthNotes, x.Education, boolInt(x.InSchool), x.Labour, x.Work, "active",
				rawSearchText(x.Name, in.Address, in.PlaceCode), 1, now, now})
			m.rows = append(m.rows, []any{pid, hid, x.Relation, today})
			e.rows = append(e.rows, []any{now, hid, pid, in.PlaceCode, "person.add", detail(map[string]any{"name": x.Name, "source": "import", "row": lp.Row}), 1, "county"})
			for _, c := range lp.Categories {
				a.rows = append(a.rows, []any{"person", pid, hid, in.PlaceCode, c.Category, c.RiskType, today, c.Reason, "import", "county", now})
				e.rows = append(e.rows, []any{now, hid, pid, in.PlaceCode, "category.add", detail(map[string]any{"category": c.Category, "risk_type": c.RiskType,
					"start": today, "reason": c.Reason, "source": "import"}), 1, "county"})
			}
		}
		var phEnc, phIdx []byte
		if in.Phone != "" {
			phEnc, phIdx = blob(39), blob(32)
		}
		h.rows = append(h.rows, []any{hid, in.Number, in.PlaceCode, in.Address, phEnc, phIdx, head, len(lh.Members), in.IncomeYear, in.IncomeFen,
			in.Housing, in.Water, in.Notes, "active", 1, now, now})
		e.rows = append(e.rows, []any{now, hid, head, in.PlaceCode, "household.create", detail(map[string]any{"source": "import", "row": lh.Row}), 1, "county"})
		for _, c := range lh.Categories {
			a.rows = append(a.rows, []any{"household", hid, hid, in.PlaceCode, c.Category, c.RiskType, today, c.Reason, "import", "county", now})
			e.rows = append(e.rows, []any{now, hid, 0, in.PlaceCode, "category.add", detail(map[string]any{"category": c.Category, "risk_type": c.RiskType,
				"start": today, "reason": c.Reason, "source": "import"}), 1, "county"})
		}
	}
	return []rawTable{h, p, m, a, e}
}

// rawSearchText is the register's search text (see sqlstore's
// register_search.go: a format word, the name and address with Han
// characters spaced, then those words keyed by the county, town and
// village codes), for the baseline's full-text index.
func rawSearchText(name, address, place string) string {
	sp := func(s string) string {
		var b strings.Builder
		for _, r := range strings.ToLower(s) {
			if unicode.Is(unicode.Han, r) && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			if unicode.Is(unicode.Han, r) {
				b.WriteByte(' ')
			}
		}
		return strings.Join(strings.Fields(b.String()), " ")
	}
	plain := sp(name) + " sn0sep " + sp(address)
	out := "sn1 " + plain
	for _, n := range []int{6, 9, 12} {
		if len(place) < n {
			break
		}
		for _, w := range strings.Fields(plain) {
			h := fnv.New64a()
			h.Write([]byte(place[:n] + "\x00" + w))
			out += fmt.Sprintf(" z%016x", h.Sum64())
		}
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

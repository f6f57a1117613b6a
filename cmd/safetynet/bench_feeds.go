package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/feeds"
	"safetynet/httpserver"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/synth"
)

// feedsSuite is what "bench --suite feeds" measures, on SQLite and
// PostgreSQL side by side.
type feedsSuite struct {
	rows       int      // rows of the big medical batch
	households int      // households generated into each fresh register
	existing   *dbFlags // an existing (big demo) database to use instead of a fresh SQLite one
	postgres   string
	batches    int // small batches pushed by 4 departments at once
	batchRows  int
	rate       int // relay open-loop requests/s during the small batches
	duration   time.Duration
	out        io.Writer
}

// feedsAfterPush, when set, runs after the big batch is stored, with the
// batch, on each database: the warning rules' drain of the queue is timed
// there.
var feedsAfterPush func(ctx context.Context, out io.Writer, s *sqlstore.Store, b sqlstore.FeedBatch) error

func (e cmdEnv) benchFeedsSuite(ctx context.Context, fs feedsSuite) error {
	fmt.Fprintf(fs.out, "feeds suite: %d-row medical batch; %d batches of %d rows by 4 departments during the relay open loop at %d requests/s; %s, GOMAXPROCS=%d\n",
		fs.rows, fs.batches, fs.batchRows, fs.rate, runtime.Version(), runtime.GOMAXPROCS(0))
	dsns, cleanup, err := freshBenchDatabases(ctx, "feeds", fs.postgres)
	if err != nil {
		return err
	}
	defer cleanup()
	for i, dsn := range dsns {
		var s *sqlstore.Store
		fresh := true
		if i == 0 && fs.existing != nil {
			// An existing database: the bench adds its households, batches
			// and clues to it (run it on a copy).
			if s, err = e.open(ctx, fs.existing); err != nil {
				return err
			}
			fresh = false
		} else if s, err = openFreshBenchStore(ctx, dsn); err != nil {
			return err
		}
		err := benchFeedsOne(ctx, fs, s, fresh)
		s.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func benchFeedsOne(ctx context.Context, fs feedsSuite, s *sqlstore.Store, fresh bool) error {
	out := fs.out
	name := s.Dialect()
	if fresh {
		if _, err := demo.Load(ctx, s, demo.Options{}); err != nil {
			return err
		}
	}
	start := time.Now()
	ids, err := benchFeedHouseholds(ctx, s, fs.households)
	if err != nil {
		return err
	}
	c, err := s.CountPersons(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: register of %d persons (%d households; %d of them added in %.0f s)\n", name, c.Persons, c.Households,
		fs.households, time.Since(start).Seconds())
	medical, err := actorByName(ctx, s, "dept")
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 5))
	run := time.Now().Format("150405")
	rows := feedBenchRows(rng, ids, fs.rows, "hospitalisation", run)

	start = time.Now()
	res := feeds.Check(rows, time.Now())
	check := time.Since(start)
	_ = res
	start = time.Now()
	b, _, err := s.PushFeedBatch(ctx, medical, sqlstore.FeedPush{Department: "medical_insurance", BatchKey: "bench-" + run, Rows: rows})
	if err != nil {
		return fmt.Errorf("bench: push: %w", err)
	}
	push := time.Since(start)
	start = time.Now()
	if err := s.FeedPlainInsert(ctx, rows); err != nil {
		return err
	}
	plain := time.Since(start)
	fmt.Fprintf(out, "%s: push of %d rows (check, seal, match, store rows and events, queue) %.2f s = %.0f rows/s: %d matched, %d outside the register, %d rejected; checking alone %.2f s\n",
		name, b.Rows, push.Seconds(), float64(b.Rows)/push.Seconds(), b.Matched, b.Unregistered, b.Rejected, check.Seconds())
	fmt.Fprintf(out, "%s: plain bulk insert of the same rows into a scratch table %.2f s = %.0f rows/s; push rate / plain rate = %.2f (target ≥ 0.5)\n",
		name, plain.Seconds(), float64(len(rows))/plain.Seconds(), plain.Seconds()/push.Seconds())
	if n, err := s.WarningQueueLen(ctx); err == nil {
		fmt.Fprintf(out, "%s: %d events waiting for the warning rules\n", name, n)
	}
	if feedsAfterPush != nil {
		if err := feedsAfterPush(ctx, out, s, b); err != nil {
			return err
		}
	}
	return benchFeedsUnderLoad(ctx, fs, s, ids, run)
}

// benchFeedHouseholds generates n households in the villages of 富源县
// and returns the ID numbers of their members.
func benchFeedHouseholds(ctx context.Context, s *sqlstore.Store, n int) ([]string, error) {
	places, err := s.RegisterPlaces(ctx, access.System())
	if err != nil {
		return nil, err
	}
	var sp []synth.Place
	for _, p := range places {
		if p.Level == safetynet.LevelVillage && strings.HasPrefix(p.Code, demo.Fuyuan) {
			sp = append(sp, synth.Place{Code: p.Code, Name: p.Name, County: demo.Fuyuan})
		}
	}
	g := synth.New(uint64(time.Now().UnixNano()), sp, time.Now())
	var ids []string
	for done := 0; done < n; {
		k := min(5000, n-done)
		hhs := g.Batch(k)
		for _, h := range hhs {
			for _, m := range h.Members {
				if m.Person.IDNumber != "" {
					ids = append(ids, m.Person.IDNumber)
				}
			}
		}
		if _, err := s.ImportLedger(ctx, access.System(), hhs, sqlstore.LedgerOptions{}); err != nil {
			return nil, fmt.Errorf("bench: households: %w", err)
		}
		done += k
	}
	return ids, nil
}

// feedBenchRows makes n rows of one event type: half about registered
// persons, 45% about persons outside the register (an address naming a
// village, or none), 5% rejected (a wrong check digit, a date that does
// not exist).
func feedBenchRows(rng *rand.Rand, ids []string, n int, typ, run string) []feeds.Row {
	rows := make([]feeds.Row, n)
	villages := []string{"胜境街道腰站社区", "胜境街道洗洋塘社区", "中安街道", "富源县某路"}
	for i := range rows {
		r := feeds.Row{No: i + 1, Key: fmt.Sprintf("%s-%d", run, i+1), Name: "基准", EventType: typ, Date: "2026-03-04"}
		switch typ {
		case "hospitalisation":
			r.Fields = map[string]string{"total_cost": fmt.Sprint(1000 + rng.IntN(80000)), "oop_cost": fmt.Sprint(rng.IntN(30000)),
				"oop_ytd": fmt.Sprint(rng.IntN(60000)), "discharge_date": "2026-03-10"}
		case "disability_certified":
			r.Fields = map[string]string{"grade": fmt.Sprint(1 + rng.IntN(4)), "kind": "肢体"}
		case "dangerous_housing":
			r.Fields = map[string]string{"rating": "CD"[rng.IntN(2):][:1]}
		case "school_dropout":
			r.Fields = map[string]string{"school": "富源县第一中学"}
		}
		switch p := rng.IntN(100); {
		case p < 50 && len(ids) > 0:
			r.IDNumber = ids[rng.IntN(len(ids))]
		case p < 95:
			r.IDNumber = idcard.Generate(rng, demo.Fuyuan, time.Date(1940+rng.IntN(60), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC), idcard.Male)
			r.Address = villages[rng.IntN(len(villages))]
		case p < 98:
			id := idcard.Generate(rng, demo.Fuyuan, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), idcard.Female)
			r.IDNumber = id[:17] + map[bool]string{true: "1", false: "2"}[id[17] != '1']
		default:
			r.IDNumber = idcard.Generate(rng, demo.Fuyuan, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), idcard.Female)
			r.Date = "2026-02-30"
		}
		rows[i] = r
	}
	return rows
}

// benchFeedsUnderLoad pushes the small batches through the API, 4
// departments at once, while the relay's open-loop load runs, and
// reports both.
func benchFeedsUnderLoad(ctx context.Context, fs feedsSuite, s *sqlstore.Store, ids []string, run string) error {
	out := fs.out
	name := s.Dialect()
	county, err := actorByName(ctx, s, "county")
	if err != nil {
		return err
	}
	srv, err := httpserver.New(httpserver.Config{Store: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	samples, err := benchSamples(ctx, s, county, 2000, 0)
	if err != nil {
		return err
	}
	rb := relayBench{s: s, a: county, base: ts.URL, samples: samples}
	depts := []struct{ user, dept, typ string }{
		{"dept", "medical_insurance", "hospitalisation"}, {"dept-dpf", "disabled_federation", "disability_certified"},
		{"dept-housing", "housing", "dangerous_housing"}, {"dept-edu", "education", "school_dropout"},
	}
	bodies := make([][][]byte, len(depts))
	tokens := make([]string, len(depts))
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 6))
	for d, dp := range depts {
		a, err := actorByName(ctx, s, dp.user)
		if err != nil {
			return err
		}
		if tokens[d], _, err = s.CreateSession(ctx, a.UserID, sqlstore.SessionAPI, "bench", "bench"); err != nil {
			return err
		}
		for k := d; k < fs.batches; k += len(depts) {
			rows := feedBenchRows(rng, ids, fs.batchRows, dp.typ, fmt.Sprintf("%s-%d", run, k))
			type rowJSON struct {
				RowKey    string            `json:"row_key"`
				IDNumber  string            `json:"id_number"`
				Name      string            `json:"name"`
				EventType string            `json:"event_type"`
				Date      string            `json:"date"`
				Address   string            `json:"address"`
				Fields    map[string]string `json:"fields"`
			}
			body := struct {
				BatchID string    `json:"batch_id"`
				Rows    []rowJSON `json:"rows"`
			}{BatchID: fmt.Sprintf("bench-%s-%d", run, k)}
			for _, r := range rows {
				body.Rows = append(body.Rows, rowJSON{r.Key, r.IDNumber, r.Name, r.EventType, r.Date, r.Address, r.Fields})
			}
			b, _ := json.Marshal(body)
			bodies[d] = append(bodies[d], b)
		}
	}
	if fs.rate > 0 {
		fmt.Fprintf(out, "%s: relay open loop alone:\n", name)
		if err := benchRelayOpenLoop(ctx, out, rb, fs.rate, fs.duration); err != nil {
			return err
		}
	}
	var mu sync.Mutex
	var lat []time.Duration
	errs := map[string]int{}
	var wg sync.WaitGroup
	pushStart := time.Now()
	var pushAll time.Duration
	var loadDone sync.WaitGroup
	if fs.rate > 0 {
		fmt.Fprintf(out, "%s: relay open loop while the departments push:\n", name)
		loadDone.Add(1)
		go func() {
			defer loadDone.Done()
			if err := benchRelayOpenLoop(ctx, out, rb, fs.rate, fs.duration); err != nil {
				fmt.Fprintf(out, "  relay load: %v\n", err)
			}
		}()
		time.Sleep(fs.duration / 4) // the load is running when the batches arrive
		pushStart = time.Now()
	}
	for d := range depts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, body := range bodies[d] {
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/api/v1/feeds/"+depts[d].dept+"/batches", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tokens[d])
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				var data []byte
				if err == nil {
					data, _ = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				mu.Lock()
				switch {
				case err != nil:
					errs[err.Error()]++
				case resp.StatusCode != http.StatusCreated:
					errs[fmt.Sprintf("HTTP %d %.100s", resp.StatusCode, data)]++
				default:
					lat = append(lat, time.Since(t0))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	pushAll = time.Since(pushStart)
	loadDone.Wait()
	nerr := 0
	for _, v := range errs {
		nerr += v
	}
	fmt.Fprintf(out, "%s: %d batches of %d rows by %d departments at once: all stored in %.2f s, %d errors\n", name, fs.batches, fs.batchRows,
		len(depts), pushAll.Seconds(), nerr)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	report(out, "  time of one batch", lat)
	for k, v := range errs {
		fmt.Fprintf(out, "  error ×%d: %.200s\n", v, k)
	}
	return nil
}

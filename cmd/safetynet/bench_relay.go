package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
)

// relayBench is what the relay's part of the benchmark needs.
type relayBench struct {
	s       *sqlstore.Store
	a       access.Actor
	base    string
	samples []benchSample
	// later opens a second store on the same database whose clock runs
	// ahead by the given time, to make deadlines fall due.
	later        func(ahead time.Duration) (*sqlstore.Store, error)
	clients      int
	duration     time.Duration
	openItems    int
	villageUser  string
	villageItems int
	sweepAhead   time.Duration
	// rates are the open-loop arrival rates (requests/s), each run for
	// openFor after the closed-loop load.
	rates   []int
	openFor time.Duration
}

// benchRelay measures the relay's targets: many phones reporting clues
// and staff acknowledging them at once, a village's work list with
// thousands of open items, and the escalation sweep over a large number of
// open items. It writes to the database: run it on a copy.
func benchRelay(ctx context.Context, out io.Writer, rb relayBench) error {
	vu, err := rb.s.UserByUsername(ctx, access.System(), rb.villageUser)
	if err != nil {
		return fmt.Errorf("bench: village user %s: %w", rb.villageUser, err)
	}
	va := access.Actor{UserID: vu.ID, Username: vu.Username, Role: vu.Role, Place: vu.PlaceCode, IP: "bench"}
	// Clues about unregistered persons in the village, up to its target.
	if err := topUp(ctx, out, rb.s, va, va, vu.PlaceName, rb.villageItems, func(i int) safetynet.NewClue {
		return safetynet.NewClue{Name: fmt.Sprintf("基准测试%d", i), PlaceCode: va.Place, Kinds: []string{"other"}, Urgency: "normal"}
	}); err != nil {
		return err
	}
	lists := []namedActor{{vu.PlaceName, va}, {rb.a.Place, rb.a}}
	if err := benchWorkLists(ctx, out, rb, lists); err != nil {
		return err
	}
	if rb.clients > 0 && rb.duration > 0 {
		// Closed loop: the saturation throughput.
		if err := benchRelayLoad(ctx, out, rb); err != nil {
			return err
		}
	}
	for _, r := range rb.rates {
		if err := benchRelayOpenLoop(ctx, out, rb, r, rb.openFor); err != nil {
			return err
		}
	}
	// Clues on households of the scope, up to the register's target.
	if err := topUp(ctx, out, rb.s, access.System(), rb.a, "the register", rb.openItems, func(i int) safetynet.NewClue {
		return safetynet.NewClue{HouseholdID: rb.samples[i%len(rb.samples)].HouseholdID, Kinds: []string{"illness"}, Urgency: "normal"}
	}); err != nil {
		return err
	}
	if err := benchWorkLists(ctx, out, rb, lists); err != nil {
		return err
	}
	return benchEscalation(ctx, out, rb)
}

// namedActor is a user whose work list is measured, with the name of
// their place.
type namedActor struct {
	name  string
	actor access.Actor
}

// openItems counts the open steps in a's scope.
func openItems(ctx context.Context, s *sqlstore.Store, a access.Actor) (int, error) {
	_, total, err := s.WorkList(ctx, a, sqlstore.WorkFilter{Limit: 1})
	return total, err
}

// benchWorkLists times the work lists of users, as pages and through the
// API.
func benchWorkLists(ctx context.Context, out io.Writer, rb relayBench, users []namedActor) error {
	for _, u := range users {
		cookie, _, err := rb.s.CreateSession(ctx, u.actor.UserID, sqlstore.SessionWeb, "bench", "bench")
		if err != nil {
			return err
		}
		token, _, err := rb.s.CreateSession(ctx, u.actor.UserID, sqlstore.SessionAPI, "bench", "bench")
		if err != nil {
			return err
		}
		total, err := openItems(ctx, rb.s, u.actor)
		if err != nil {
			return err
		}
		web := func(req *http.Request) { req.AddCookie(&http.Cookie{Name: "sn_session", Value: cookie}) }
		api := func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+token) }
		for _, l := range []struct {
			what string
			path string
			auth func(*http.Request)
		}{
			{"work list page, HTML, first 100", "/work?tab=all", web},
			{"work list page, HTML, page 25", "/work?tab=all&offset=2400", web},
			{"work list, API, 100 items", "/api/v1/work?limit=100", api},
		} {
			paths := make([]string, 100)
			for i := range paths {
				paths[i] = l.path
			}
			lat, err := timeRequests(rb.base, paths, l.auth)
			if err != nil {
				return err
			}
			report(out, fmt.Sprintf("%s (%s, %d open items; %d requests)", l.what, u.name, total, len(paths)), lat)
		}
	}
	return nil
}

// benchRelayLoad runs rb.clients clients for rb.duration, each reporting a
// clue on a household of the scope, then acknowledging one reported by
// another client, as fast as the server answers.
func benchRelayLoad(ctx context.Context, out io.Writer, rb relayBench) error {
	tokens := make([]string, rb.clients)
	for i := range tokens {
		t, _, err := rb.s.CreateSession(ctx, rb.a.UserID, sqlstore.SessionAPI, "bench", "bench")
		if err != nil {
			return err
		}
		tokens[i] = t
	}
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConns: 2 * rb.clients, MaxIdleConnsPerHost: 2 * rb.clients}}
	type pending struct {
		id      int64
		version int
	}
	toAck := make(chan pending, 1<<20)
	type result struct {
		report, ack []time.Duration
		errs        map[string]int
	}
	results := make([]result, rb.clients)
	run := time.Now().UnixNano()
	stop := time.Now().Add(rb.duration)
	post := func(token, path string, body any) (int, []byte, time.Duration, error) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(ctx, "POST", rb.base+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, 0, err
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, data, time.Since(start), err
	}
	var wg sync.WaitGroup
	var sent atomic.Int64
	for i := range rb.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := &results[i]
			res.errs = map[string]int{}
			rng := rand.New(rand.NewPCG(uint64(run), uint64(i)))
			for n := 0; time.Now().Before(stop); n++ {
				urgency := "normal"
				if n%5 == 0 {
					urgency = "urgent"
				}
				hh := rb.samples[rng.IntN(len(rb.samples))].HouseholdID
				status, data, d, err := post(tokens[i], "/api/v1/clues", map[string]any{
					"client_id": fmt.Sprintf("bench-%d-%d-%d", run, i, n), "household_id": hh, "source": "grid",
					"kinds": []string{safetynet.ClueKinds[rng.IntN(len(safetynet.ClueKinds))].Code}, "urgency": urgency,
					"note": "基准测试 / benchmark"})
				sent.Add(1)
				switch {
				case err != nil:
					res.errs[err.Error()]++
				case status != http.StatusCreated:
					res.errs[fmt.Sprintf("report: HTTP %d %s", status, data)]++
				default:
					res.report = append(res.report, d)
					var c struct {
						ID      int64 `json:"id"`
						Version int   `json:"version"`
					}
					if err := json.Unmarshal(data, &c); err == nil {
						select {
						case toAck <- pending{c.ID, c.Version}:
						default:
						}
					}
				}
				select {
				case p := <-toAck:
					status, data, d, err := post(tokens[i], fmt.Sprintf("/api/v1/clues/%d/acknowledge", p.id), map[string]any{"version": p.version})
					sent.Add(1)
					switch {
					case err != nil:
						res.errs[err.Error()]++
					case status != http.StatusOK:
						res.errs[fmt.Sprintf("acknowledge: HTTP %d %s", status, data)]++
					default:
						res.ack = append(res.ack, d)
					}
				default:
				}
			}
		}()
	}
	start := time.Now()
	wg.Wait()
	elapsed := time.Since(start)
	var reports, acks, all []time.Duration
	errs := map[string]int{}
	nerr := 0
	for _, r := range results {
		reports, acks = append(reports, r.report...), append(acks, r.ack...)
		for k, v := range r.errs {
			errs[k] += v
			nerr += v
		}
	}
	all = append(append(all, reports...), acks...)
	fmt.Fprintf(out, "relay load: %d clients for %.0f s, closed loop (the saturation throughput): %d requests (%.0f/s), %d clues reported, %d acknowledged, %d errors\n",
		rb.clients, elapsed.Seconds(), sent.Load(), float64(sent.Load())/elapsed.Seconds(), len(reports), len(acks), nerr)
	report(out, "  report a clue (POST /api/v1/clues)", reports)
	report(out, "  acknowledge (POST …/acknowledge)", acks)
	report(out, "  all requests", all)
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys[:min(len(keys), 5)] {
		fmt.Fprintf(out, "  error ×%d: %.200s\n", errs[k], k)
	}
	return nil
}

// topUp reports clues made by mk, as reporter, until the scope of
// counter (named where) has n open items.
func topUp(ctx context.Context, out io.Writer, s *sqlstore.Store, counter, reporter access.Actor, where string, n int,
	mk func(i int) safetynet.NewClue) error {
	have, err := openItems(ctx, s, counter)
	if err != nil {
		return err
	}
	start := time.Now()
	added, err := reportMany(ctx, s, reporter, n-have, mk)
	if err != nil || added == 0 {
		return err
	}
	d := time.Since(start).Seconds()
	fmt.Fprintf(out, "  (reported %d clues in %.1f s, %.0f/s through the store, to have %d open items in %s)\n", added, d, float64(added)/d, n, where)
	return nil
}

// reportMany reports n clues made by mk from 8 goroutines.
func reportMany(ctx context.Context, s *sqlstore.Store, a access.Actor, n int, mk func(i int) safetynet.NewClue) (int, error) {
	if n <= 0 {
		return 0, nil
	}
	run := time.Now().UnixNano()
	var next atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				c := mk(i)
				c.ClientID, c.Source = fmt.Sprintf("bench-fill-%d-%d", run, i), "grid"
				if _, _, err := s.ReportClue(ctx, a, c); err != nil {
					errc <- fmt.Errorf("bench: report clue %d: %w", i, err)
					next.Store(int64(n))
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return 0, err
	}
	return n, nil
}

// benchEscalation times the sweep over the open items: now, when little
// is due; then on a clock rb.sweepAhead ahead (three days by default),
// when every open step is overdue and goes one level up at once; then once
// more at that time, when nothing new is due.
func benchEscalation(ctx context.Context, out io.Writer, rb relayBench) error {
	open, err := openItems(ctx, rb.s, access.System())
	if err != nil {
		return err
	}
	sweep := func(s *sqlstore.Store, what string) error {
		start := time.Now()
		res, err := s.Escalate(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "escalation sweep over %d open items, %s: %d escalated in %.3f s\n", open, what, res.Escalated, time.Since(start).Seconds())
		return nil
	}
	if err := sweep(rb.s, "now"); err != nil {
		return err
	}
	later, err := rb.later(rb.sweepAhead)
	if err != nil {
		return err
	}
	defer later.Close()
	if err := sweep(later, fmt.Sprintf("%s later (all overdue)", rb.sweepAhead)); err != nil {
		return err
	}
	return sweep(later, "again at once (nothing new due)")
}

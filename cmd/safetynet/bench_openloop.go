package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"sync"
	"time"

	"safetynet"
	"safetynet/sqlstore"
)

var digits = regexp.MustCompile(`[0-9]+`)

// benchRelayOpenLoop offers the relay's requests at a fixed rate, whatever
// the answers: request i is due at start + i/rate and is sent then, on
// its own goroutine, and its latency runs from when it was due, not from
// when it could be sent — so a server that falls behind is charged for
// the queue it built (no coordinated omission). Every second request
// reports a clue on a household of the scope, the other acknowledges a
// clue reported earlier in the run (or reports one if none is waiting).
func benchRelayOpenLoop(ctx context.Context, out io.Writer, rb relayBench, rate int, d time.Duration) error {
	const sessions = 64
	tokens := make([]string, sessions)
	for i := range tokens {
		t, _, err := rb.s.CreateSession(ctx, rb.a.UserID, sqlstore.SessionAPI, "bench", "bench")
		if err != nil {
			return err
		}
		tokens[i] = t
	}
	// At most maxConns connections: requests beyond wait for one in the
	// client, their latency still counted from when they were due.
	const maxConns = 256
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConns: maxConns, MaxIdleConnsPerHost: maxConns, MaxConnsPerHost: maxConns}}
	post := func(token, path string, body any) (int, []byte, error) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(ctx, "POST", rb.base+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, data, err
	}
	type clue struct {
		id      int64
		version int
	}
	toAck := make(chan clue, 1<<16)
	var mu sync.Mutex
	var lat []time.Duration
	errs := map[string]int{}
	var wg sync.WaitGroup
	run := time.Now().UnixNano()
	n := int(float64(rate) * d.Seconds())
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	var maxLag time.Duration
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		if w := time.Until(due); w > 0 {
			time.Sleep(w)
		} else if -w > maxLag {
			maxLag = -w
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(run), uint64(i)))
			token := tokens[i%sessions]
			var status int
			var data []byte
			var err error
			var c clue
			acked := false
			if i%2 == 1 {
				select {
				case c = <-toAck:
					acked = true
				default:
				}
			}
			if acked {
				status, data, err = post(token, fmt.Sprintf("/api/v1/clues/%d/acknowledge", c.id), map[string]any{"version": c.version})
			} else {
				hh := rb.samples[rng.IntN(len(rb.samples))].HouseholdID
				status, data, err = post(token, "/api/v1/clues", map[string]any{
					"client_id": fmt.Sprintf("open-%d-%d", run, i), "household_id": hh, "source": "grid",
					"kinds": []string{safetynet.ClueKinds[rng.IntN(len(safetynet.ClueKinds))].Code}, "urgency": "normal", "note": "基准测试 / benchmark"})
			}
			took := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				errs[digits.ReplaceAllString(err.Error(), "N")]++ // one line per kind, not per clue or port
			case status != http.StatusOK && status != http.StatusCreated:
				errs[fmt.Sprintf("HTTP %d %.100s", status, data)]++
			default:
				lat = append(lat, took)
				if !acked {
					var r struct {
						ID      int64 `json:"id"`
						Version int   `json:"version"`
					}
					if json.Unmarshal(data, &r) == nil {
						select {
						case toAck <- clue{r.ID, r.Version}:
						default:
						}
					}
				}
			}
		}()
	}
	sent := time.Since(start)
	wg.Wait()
	all := time.Since(start)
	nerr := 0
	for _, v := range errs {
		nerr += v
	}
	fmt.Fprintf(out, "relay open loop at %d requests/s for %.0f s: %d requests offered in %.1f s, all answered after %.1f s (%.0f/s), %d errors, largest send delay %.1f ms\n",
		rate, d.Seconds(), n, sent.Seconds(), all.Seconds(), float64(n)/all.Seconds(), nerr, float64(maxLag.Microseconds())/1000)
	report(out, fmt.Sprintf("  latency from the scheduled time, %d req/s", rate), lat)
	for k, v := range errs {
		fmt.Fprintf(out, "  error ×%d: %.200s\n", v, k)
	}
	return nil
}

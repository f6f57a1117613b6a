package rules

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"
)

const benchSize = 300_000

var (
	benchOnce sync.Once
	benchHs   []Household
)

// benchHouseholds is the size of the demo register (300,000 households,
// about a million persons), held in memory.
func benchHouseholds() []Household {
	benchOnce.Do(func() { benchHs = randomHouseholds(7, benchSize) })
	return benchHs
}

// parallelFor runs f over [0, n) in chunks on GOMAXPROCS goroutines, as
// EvaluateAll does, so that the baseline gets the same parallelism.
func parallelFor(n int, f func(lo, hi int)) {
	var mu sync.Mutex
	next := 0
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				lo := next
				hi := min(lo+256, n)
				next = hi
				mu.Unlock()
				if lo >= n {
					return
				}
				f(lo, hi)
			}
		}()
	}
	wg.Wait()
}

// goScreen is the raw baseline: the same ten predicates in plain Go.
func goScreen(hs []Household) int {
	matched := 0
	for _, gr := range goRules[:10] {
		out := make([]Result, len(hs))
		parallelFor(len(hs), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				v := gr.goEval(&hs[i])
				out[i] = Result{HouseholdID: hs[i].ID, Matched: v == tru}
				if v == unk {
					out[i].Missing = []string{"?"}
				}
			}
		})
		for _, r := range out {
			if r.Matched {
				matched++
			}
		}
	}
	return matched
}

func celScreen(progs []*Program, hs []Household) int {
	matched := 0
	for _, p := range progs {
		for _, r := range EvaluateAll(context.Background(), p, testParams, hs) {
			if r.Matched {
				matched++
			}
		}
	}
	return matched
}

// BenchmarkScreen10Rules evaluates ten representative rules over 300,000
// households with the engine and with the plain Go baseline in the same
// process, and reports both times and their ratio.
func BenchmarkScreen10Rules(b *testing.B) {
	hs := benchHouseholds()
	e := mustEnv(b, Config{})
	var progs []*Program
	for _, gr := range goRules[:10] {
		progs = append(progs, mustCheck(b, e, gr.src))
	}
	// Both run in every iteration, alternating which goes first; the
	// fastest run of each is reported too, as the machine may be shared.
	var celTime, goTime time.Duration
	celMin, goMin := time.Duration(1<<62), time.Duration(1<<62)
	i := 0
	b.ResetTimer()
	for b.Loop() {
		var nc, ng int
		var dc, dg time.Duration
		timed := func(f func()) time.Duration { t0 := time.Now(); f(); return time.Since(t0) }
		if i%2 == 0 {
			dc = timed(func() { nc = celScreen(progs, hs) })
			dg = timed(func() { ng = goScreen(hs) })
		} else {
			dg = timed(func() { ng = goScreen(hs) })
			dc = timed(func() { nc = celScreen(progs, hs) })
		}
		i++
		if nc != ng {
			b.Fatalf("engine matched %d, Go %d", nc, ng)
		}
		celTime += dc
		goTime += dg
		celMin, goMin = min(celMin, dc), min(goMin, dg)
	}
	n := float64(b.N)
	b.ReportMetric(celTime.Seconds()/n, "s-engine/op")
	b.ReportMetric(goTime.Seconds()/n, "s-go/op")
	b.ReportMetric(float64(celTime)/float64(goTime), "engine/go")
	b.ReportMetric(float64(celMin)/float64(goMin), "engine/go-fastest")
	b.ReportMetric(float64(celMin.Nanoseconds())/float64(len(hs)*10), "ns/eval-fastest")
}

// BenchmarkExplain measures one explanation (previews explain 50).
func BenchmarkExplain(b *testing.B) {
	e := mustEnv(b, Config{})
	p := mustCheck(b, e, goRules[0].src)
	h := income(4200)
	for b.Loop() {
		p.Explain(context.Background(), testParams, &h)
	}
}

// BenchmarkCompile measures compiling the dibao rule (a cache miss).
func BenchmarkCompile(b *testing.B) {
	e := mustEnv(b, Config{})
	for b.Loop() {
		if _, err := e.Check(goRules[1].src); err != nil {
			b.Fatal(err)
		}
	}
}

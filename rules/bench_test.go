package rules

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"
)

const benchSize = 30_000

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
	var celTime, goTime time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		nc := celScreen(progs, hs)
		t1 := time.Now()
		ng := goScreen(hs)
		t2 := time.Now()
		if nc != ng {
			b.Fatalf("engine matched %d, Go %d", nc, ng)
		}
		celTime += t1.Sub(t0)
		goTime += t2.Sub(t1)
	}
	n := float64(b.N)
	b.ReportMetric(celTime.Seconds()/n, "s-engine/op")
	b.ReportMetric(goTime.Seconds()/n, "s-go/op")
	b.ReportMetric(float64(celTime)/float64(goTime), "engine/go")
	b.ReportMetric(float64(celTime.Nanoseconds())/n/float64(len(hs)*10), "ns/eval")
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

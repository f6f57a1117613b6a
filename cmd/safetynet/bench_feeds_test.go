package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The feeds suite runs on small sizes so that it keeps working; its
// figures come from large runs (BENCH_FEEDS.md).
func TestBenchFeedsSuite(t *testing.T) {
	out, err := cli(t, filepath.Join(t.TempDir(), "unused.db"), "", "bench", "--suite", "feeds", "--feed-rows", "500",
		"--feed-households", "50", "--feed-batches", "4", "--feed-batch-rows", "20", "--feed-rate", "20", "--feed-duration", "1s")
	if err != nil {
		t.Fatalf("feeds suite: %q %v", out, err)
	}
	for _, want := range []string{"sqlite: push of 500 rows", "push rate / plain rate", "relay open loop alone", "relay open loop while the departments push",
		"4 batches of 20 rows by 4 departments at once", ", 0 errors", "time of one batch"} {
		if !strings.Contains(out, want) {
			t.Errorf("feeds suite output lacks %q:\n%s", want, out)
		}
	}
}

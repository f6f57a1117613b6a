package inspections

import (
	"testing"
	"time"
)

func TestComputeScore(t *testing.T) {
	now := time.Date(2026, 12, 20, 10, 0, 0, 0, RectifyZone)
	in := ScoreInput{
		Answers: []string{
			"visited=ok,ledger=problem,measures=problem",
			"visited=problem,ledger=problem,measures=ok",
			"visited=ok,ledger=ok,measures=not_applicable",
		},
		NotFound: 1,
		Rects: []ScoreRect{
			{Status: RectifyOpen, DueOn: "2026-12-19"}, // overdue
			{Status: RectifyOpen, DueOn: "2026-12-20"}, // due today: not yet
			{Status: RectifyAccepted, DueOn: "2026-12-10", ReportedAt: time.Date(2026, 12, 10, 20, 0, 0, 0, RectifyZone), Reopens: 1},
			{Status: RectifyReported, DueOn: "2026-12-10", ReportedAt: time.Date(2026, 12, 11, 8, 0, 0, 0, RectifyZone)}, // late
			{Status: RectifyReopened, DueOn: "2027-01-10", Reopens: 2},
		},
	}
	sc := ComputeScore(in, now)
	// 10 (measures) + 2×8 (ledger) + 5 (visited) + 10 (not found) + 2×5 (overdue) + 3×3 (reopened) = 60.
	if sc.Score != 40 || sc.Lost != 60 || sc.Checked != 3 || sc.Problems != 4 || sc.Overdue != 2 || sc.Reopens != 3 || sc.Rects != 5 {
		t.Fatalf("score = %+v", sc)
	}
	want := []Deduction{{DeductProblem, "measures", 1, 10, 10}, {DeductProblem, "ledger", 2, 8, 16}, {DeductProblem, "visited", 1, 5, 5},
		{DeductNotFound, "", 1, 10, 10}, {DeductOverdue, "", 2, 5, 10}, {DeductReopened, "", 3, 3, 9}}
	if len(sc.Deductions) != len(want) {
		t.Fatalf("deductions = %+v", sc.Deductions)
	}
	for i := range want {
		if sc.Deductions[i] != want[i] {
			t.Fatalf("deduction %d = %+v, want %+v", i, sc.Deductions[i], want[i])
		}
	}
	if got := ComputeScore(ScoreInput{NotFound: 12}, now); got.Score != 0 || got.Lost != 120 {
		t.Fatalf("floor = %+v", got)
	}
	if got := ComputeScore(ScoreInput{Answers: []string{"visited=ok"}}, now); got.Score != 100 || len(got.Deductions) != 0 {
		t.Fatalf("clean = %+v", got)
	}
}

func TestScoreTotal(t *testing.T) {
	var town, a, b ScoreTotal
	a.Add(90)
	a.Add(75)
	b.Add(100)
	town.Merge(a)
	town.Merge(b)
	if town.Count != 3 || town.Sum != 265 || town.Average() != 88.3 || (ScoreTotal{}).Average() != 0 {
		t.Fatalf("town = %+v avg %v", town, town.Average())
	}
}

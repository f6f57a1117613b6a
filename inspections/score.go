package inspections

import (
	"math"
	"sort"
	"time"
)

// Scores (评分): each village of an inspection gets a score computed from
// its records, never typed. The formula:
//
//	score = max(0, 100 − Σ problems − Σ not found − Σ overdue − Σ reopened)
//
//	problems  each "problem" answer of a household check costs its item's
//	          weight (RuleOf(item).Weight: 按计划走访 5, 台账信息 8, 帮扶措施 10,
//	          服务记录 6, 群众评价 4, a village finding 5)
//	not found each sampled household the inspector could not find costs
//	          ScoreNotFound
//	overdue   each rectification past its due date without a report, or
//	          reported after it, costs ScoreOverdue
//	reopened  each time a report was sent back costs ScoreReopened
//
// A campaign's or a year's figure of a place is the count of its
// villages' scores (one per inspection that sampled the village), their
// sum and their average; a level's count and sum are the sums of its
// places' (the average is sum ÷ count, never an average of averages).

// Points of the deductions that are not an item's weight.
const (
	ScoreFull     = 100
	ScoreNotFound = 10
	ScoreOverdue  = 5
	ScoreReopened = 3
)

// Kinds of deduction.
const (
	DeductProblem  = "problem"
	DeductNotFound = "not_found"
	DeductOverdue  = "overdue"
	DeductReopened = "reopened"
)

// ScoreRect is what a score reads of a rectification.
type ScoreRect struct {
	Status     string
	DueOn      string    // YYYY-MM-DD
	ReportedAt time.Time // zero until reported
	Reopens    int       // how many times a report was sent back
}

// Late reports whether r is past its due date at now: not reported by the
// end of its due day, or reported after it.
func (r ScoreRect) Late(now time.Time) bool {
	due, err := time.ParseInLocation(time.DateOnly, r.DueOn, RectifyZone)
	if err != nil {
		return false
	}
	end := due.AddDate(0, 0, 1)
	if RectifyOpenStatus(r.Status) {
		return !now.Before(end)
	}
	return !r.ReportedAt.IsZero() && !r.ReportedAt.Before(end)
}

// ScoreInput is a village's record in one inspection.
type ScoreInput struct {
	Answers  []string // the answers of each household check (item=answer,…)
	NotFound int      // sampled households not found
	Rects    []ScoreRect
}

// Deduction is one line behind a score: what cost how many points.
type Deduction struct {
	Kind   string // DeductProblem, …
	Item   string // the checklist item of a problem
	Count  int
	Each   int
	Points int
}

// Score is a village's score in one inspection with the lines behind it.
type Score struct {
	Score      int
	Lost       int
	Checked    int
	Problems   int
	NotFound   int
	Rects      int
	Overdue    int
	Reopens    int
	Deductions []Deduction
}

// ComputeScore scores a village's record at now.
func ComputeScore(in ScoreInput, now time.Time) Score {
	sc := Score{Checked: len(in.Answers), NotFound: in.NotFound, Rects: len(in.Rects)}
	perItem := map[string]int{}
	var order []string
	for _, a := range in.Answers {
		for _, item := range ProblemItems(a) {
			if perItem[item] == 0 {
				order = append(order, item)
			}
			perItem[item]++
			sc.Problems++
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return RuleOf(order[i]).Weight > RuleOf(order[j]).Weight })
	for _, item := range order {
		w := RuleOf(item).Weight
		sc.Deductions = append(sc.Deductions, Deduction{Kind: DeductProblem, Item: item, Count: perItem[item], Each: w, Points: w * perItem[item]})
	}
	if in.NotFound > 0 {
		sc.Deductions = append(sc.Deductions, Deduction{Kind: DeductNotFound, Count: in.NotFound, Each: ScoreNotFound, Points: in.NotFound * ScoreNotFound})
	}
	for _, r := range in.Rects {
		if r.Late(now) {
			sc.Overdue++
		}
		sc.Reopens += r.Reopens
	}
	if sc.Overdue > 0 {
		sc.Deductions = append(sc.Deductions, Deduction{Kind: DeductOverdue, Count: sc.Overdue, Each: ScoreOverdue, Points: sc.Overdue * ScoreOverdue})
	}
	if sc.Reopens > 0 {
		sc.Deductions = append(sc.Deductions, Deduction{Kind: DeductReopened, Count: sc.Reopens, Each: ScoreReopened, Points: sc.Reopens * ScoreReopened})
	}
	for _, d := range sc.Deductions {
		sc.Lost += d.Points
	}
	sc.Score = max(0, ScoreFull-sc.Lost)
	return sc
}

// ScoreTotal is the figure of a place over several village scores.
type ScoreTotal struct {
	Count int // village scores (a village inspected twice counts twice)
	Sum   int
}

// Add counts one more score.
func (t *ScoreTotal) Add(score int) { t.Count++; t.Sum += score }

// Merge adds the counts of another total (a place below).
func (t *ScoreTotal) Merge(o ScoreTotal) { t.Count += o.Count; t.Sum += o.Sum }

// Average is Sum ÷ Count to one decimal, 0 without scores.
func (t ScoreTotal) Average() float64 {
	if t.Count == 0 {
		return 0
	}
	return math.Round(float64(t.Sum)*10/float64(t.Count)) / 10
}

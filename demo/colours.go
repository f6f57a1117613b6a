package demo

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
)

// Colours gives the demo's monitored households their risk colours (红黄绿)
// and a few of each: up to n households of 腰站社区 without a monitored
// category become 突发严重困难户; the first of them gets an open clue (red),
// the second a case with an approved measure (yellow). Every change is
// queued for screening, which colours the monitored households (those
// with nothing open green) within seconds in a serving process.
func Colours(ctx context.Context, s *sqlstore.Store, n int) error {
	sys := access.System()
	hs, err := s.Households(ctx, sys, sqlstore.HouseholdFilter{PlaceCode: Yaozhan, Limit: 500})
	if err != nil {
		return fmt.Errorf("demo: colours: %w", err)
	}
	now := s.Now()
	var picked []int64
	for _, h := range hs {
		if len(picked) == n {
			break
		}
		monitored := false
		for _, a := range h.Categories {
			if c, ok := safetynet.CategoryByCode(a.Category); ok && c.Monitored {
				monitored = true
			}
		}
		if monitored {
			continue
		}
		if _, err := s.AssignCategory(ctx, sys, safetynet.SubjectHousehold, h.ID, safetynet.NewAssignment{
			Category: safetynet.CatMonitorSudden, RiskType: "illness", Start: now.AddDate(0, -3, 0), Reason: "演示：突发大病"}); err != nil {
			return fmt.Errorf("demo: colours: %w", err)
		}
		picked = append(picked, h.ID)
	}
	if len(picked) > 0 {
		if _, _, err := s.ReportClue(ctx, sys, safetynet.NewClue{ClientID: fmt.Sprintf("demo-colour-%d", picked[0]),
			HouseholdID: picked[0], Kinds: []string{"illness"}, Urgency: "urgent", Note: "住院治疗，费用较高", ReportedAt: now}); err != nil {
			return fmt.Errorf("demo: colours: %w", err)
		}
	}
	if len(picked) > 1 {
		caseID, err := s.OpenCase(ctx, sys, picked[1], "normal", []string{"illness"}, "大病住院后收入下降")
		if err != nil {
			return fmt.Errorf("demo: colours: %w", err)
		}
		item, err := s.ApplyMeasure(ctx, sys, caseID, sqlstore.Application{Measure: "medical", AmountFen: 500000,
			PeriodStart: now, PeriodEnd: now.Add(365 * 24 * time.Hour)})
		if err != nil {
			return fmt.Errorf("demo: colours: %w", err)
		}
		if err := s.DecideApplication(ctx, sys, item, true, "", 0); err != nil {
			return fmt.Errorf("demo: colours: %w", err)
		}
	}
	return nil
}

package demo

import (
	"context"
	"fmt"

	"safetynet/inspections"
	"safetynet/sqlstore"
)

// LoadRectify raises rectifications (整改) on the inspections' demo
// inspection of 布隆吉乡, a month ago:
//   - the ledger problem of a checked household, due 25 days ago, not put
//     right: overdue and escalated to 布隆吉乡 on the relay's clocks;
//   - a village finding (the list of 低保 not posted) the village has
//     reported, waiting for the inspector's review;
//   - a village finding (visit ledgers unsigned) reported in time and
//     accepted.
//
// It runs after LoadCampaigns (布隆吉乡's and 布隆吉村's staff) and
// LoadInspections; the village's score in that inspection follows from
// these and the checks.
func LoadRectify(ctx context.Context, s *sqlstore.Store) error {
	as, err := demoActors(ctx, s, "rectify", "gz-inspector", "blj-village")
	if err != nil {
		return err
	}
	insp, village := as[0], as[1]
	list, err := s.Inspections(ctx, insp, sqlstore.InspectionFilter{Status: inspections.StatusClosed})
	if err != nil || len(list) == 0 {
		return fmt.Errorf("demo: rectify: no closed inspection of 布隆吉乡 (%v)", err)
	}
	id := list[0].ID
	checks, err := s.ChecksOf(ctx, insp, id)
	if err != nil {
		return fmt.Errorf("demo: rectify: checks: %w", err)
	}
	var ledger sqlstore.RectifyRaise
	for _, c := range checks {
		for _, p := range inspections.Problems(c.Answers) {
			if ledger.CheckID == 0 {
				ledger = sqlstore.RectifyRaise{CheckID: c.ID, Item: p.Item, Finding: p.Note}
			}
		}
	}
	if ledger.CheckID == 0 {
		return fmt.Errorf("demo: rectify: no problem found in the checks of inspection %d", id)
	}
	today := inspections.RectifyDay(s.Now())
	ledger.DueOn = today
	overdue, _, err := s.RaiseRectification(ctx, insp, id, ledger)
	if err != nil {
		return fmt.Errorf("demo: rectify: raise: %w", err)
	}
	if err := s.BackdateRectification(ctx, overdue, 25); err != nil {
		return err
	}
	// The sweep the server runs moves it to 布隆吉乡, as it would have
	// done 18 days ago.
	if _, err := s.Escalate(ctx); err != nil {
		return fmt.Errorf("demo: rectify: sweep: %w", err)
	}
	reported, _, err := s.RaiseRectification(ctx, insp, id, sqlstore.RectifyRaise{Village: Bulongjicun,
		Finding: "村务公开栏未公示本季度低保名单"})
	if err != nil {
		return fmt.Errorf("demo: rectify: raise: %w", err)
	}
	if err := s.ReportRectification(ctx, village, reported, "已在村务公开栏和村民微信群公示本季度低保名单，附公示照片存档。", nil, 1); err != nil {
		return fmt.Errorf("demo: rectify: report: %w", err)
	}
	accepted, _, err := s.RaiseRectification(ctx, insp, id, sqlstore.RectifyRaise{Village: Bulongjicun,
		Finding: "入户走访记录缺少户主签字"})
	if err != nil {
		return fmt.Errorf("demo: rectify: raise: %w", err)
	}
	if err := s.ReportRectification(ctx, village, accepted, "已逐户补签走访记录，今后走访当场签字。", nil, 1); err != nil {
		return fmt.Errorf("demo: rectify: report: %w", err)
	}
	if err := s.AcceptRectification(ctx, insp, accepted, 2); err != nil {
		return fmt.Errorf("demo: rectify: accept: %w", err)
	}
	return s.BackdateRectification(ctx, accepted, 20)
}

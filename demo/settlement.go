package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/settlement"
	"safetynet/sqlstore"
)

// LoadSettlement gives verification and settlement something to show once
// services are recorded (the services capability's demo records them):
// for each organisation with services, last month gets the same services
// once a week (written as records with a photo each, as if recorded then),
// all verified — one rejected with a reason — and approved by the county
// officer, which closes last month; this month's services are half
// accepted, the rest left for the village to verify. It does nothing when
// no services are recorded, and leaves a month already approved alone.
func LoadSettlement(ctx context.Context, s *sqlstore.Store) error {
	for _, who := range []string{"county", "wc-county"} {
		u, err := s.UserByUsername(ctx, access.System(), who)
		if err != nil {
			return fmt.Errorf("demo: settlement: %w", err)
		}
		a := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "demo"}
		months, err := s.SettlementMonths(ctx, a)
		if err != nil {
			return fmt.Errorf("demo: settlement: %w", err)
		}
		this := settlement.Month(s.Now())
		last := settlement.AddMonths(this, -1)
		type om struct {
			org   int64
			month string
		}
		has, orgs := map[om]bool{}, map[int64]bool{}
		for _, m := range months {
			has[om{m.OrgID, m.Month}], orgs[m.OrgID] = true, true
		}
		for org := range orgs {
			if !has[om{org, last}] {
				if err := demoLastMonth(ctx, s, a, org, this, last); err != nil {
					return err
				}
			}
			if err := settleDemoMonth(ctx, s, a, org, last); err != nil {
				return err
			}
			l, err := s.ServicesToVerify(ctx, a, sqlstore.VerifyFilter{Month: this, Org: org, Status: "pending"})
			if err != nil {
				return fmt.Errorf("demo: settlement: %w", err)
			}
			for i, r := range l {
				if i%2 == 1 || r.Flags > 0 {
					continue
				}
				if err := s.ReviewService(ctx, a, r.ID, sqlstore.ServiceReview{Decision: settlement.Accept, Version: r.Version}); err != nil {
					return fmt.Errorf("demo: settlement: review: %w", err)
				}
			}
		}
	}
	return nil
}

// demoLastMonth writes last month's services of an organisation: each
// service of this month once a week (the 3rd, 10th, 17th and 24th), at the
// same hour, within the contract's period.
func demoLastMonth(ctx context.Context, s *sqlstore.Store, a access.Actor, org int64, this, last string) error {
	l, err := s.ServicesToVerify(ctx, a, sqlstore.VerifyFilter{Month: this, Org: org})
	if err != nil {
		return fmt.Errorf("demo: settlement: %w", err)
	}
	st, err := s.Settlement(ctx, a, org, this, 1)
	if err != nil {
		return fmt.Errorf("demo: settlement: %w", err)
	}
	starts := map[int64]string{}
	for _, b := range st.Budgets {
		starts[b.ContractID] = b.StartsOn
	}
	first, _ := settlement.ParseMonth(last)
	var recs []sqlstore.ServiceRecordSeed
	for i, r := range l {
		for w, day := range []int{3, 10, 17, 24} {
			at := r.Started.In(settlement.Zone)
			start := time.Date(first.Year(), first.Month(), day, at.Hour(), at.Minute(), 0, 0, settlement.Zone)
			if start.Format("2006-01-02") < starts[r.ContractID] {
				continue
			}
			recs = append(recs, sqlstore.ServiceRecordSeed{ClientID: fmt.Sprintf("demo-settle-%d-%s-%d", r.ID, last, w), Contract: r.ContractID,
				Worker: r.WorkerID, Household: r.HouseholdID, Person: r.PersonID, Type: r.Type, Start: start, End: start.Add(r.Ended.Sub(r.Started)),
				Photo: demoPhoto(i*4 + w), RecordedBy: "demo", Checked: false})
		}
	}
	if len(recs) == 0 {
		return nil
	}
	if _, err := s.SeedServiceRecords(ctx, recs); err != nil {
		return fmt.Errorf("demo: settlement: last month's services: %w", err)
	}
	if _, err := s.CheckServiceRecords(ctx, len(recs)); err != nil {
		return fmt.Errorf("demo: settlement: %w", err)
	}
	return nil
}

// demoPhoto is a small PNG, a different shade for each n (so no photo is
// "used twice").
func demoPhoto(n int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	c := color.RGBA{R: uint8(40 + n*17), G: uint8(120 + n*5), B: uint8(90 + n*11), A: 255}
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// settleDemoMonth reviews an organisation's month (the last service
// rejected with a reason) and approves it, unless it is approved already.
func settleDemoMonth(ctx context.Context, s *sqlstore.Store, a access.Actor, org int64, month string) error {
	st, err := s.Settlement(ctx, a, org, month, 1)
	if err != nil || st.Approved || st.Accepted+st.Rejected+st.Blocked() == 0 {
		return err
	}
	l, err := s.ServicesToVerify(ctx, a, sqlstore.VerifyFilter{Month: month, Org: org, Limit: 2000})
	if err != nil {
		return fmt.Errorf("demo: settlement: %w", err)
	}
	for i, r := range l {
		if r.Status != "pending" && r.Flags == 0 {
			continue
		}
		in := sqlstore.ServiceReview{Decision: settlement.Accept, Version: r.Version}
		if i == len(l)-1 && len(l) > 1 {
			in = sqlstore.ServiceReview{Decision: settlement.Reject, Reason: "回访时户主说当天没有上门服务（演示）", Version: r.Version}
		}
		if err := s.ReviewService(ctx, a, r.ID, in); err != nil {
			return fmt.Errorf("demo: settlement: review: %w", err)
		}
	}
	if st, err = s.Settlement(ctx, a, org, month, 1); err != nil {
		return fmt.Errorf("demo: settlement: %w", err)
	}
	if _, err := s.ApproveSettlement(ctx, a, org, month, st.TotalFen); err != nil {
		if c := safetynet.CodeOf(err); c == safetynet.EConflict || c == safetynet.EInvalid {
			return nil // e.g. over budget: the month stays a draft to look at
		}
		return fmt.Errorf("demo: settlement: approve: %w", err)
	}
	return nil
}

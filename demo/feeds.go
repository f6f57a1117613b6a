package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"safetynet/access"
	"safetynet/feeds"
	"safetynet/idcard"
	"safetynet/sqlstore"
)

// Departments are the demo's department accounts of 富源县 and their
// departments: dept is the 医保局's.
var Departments = map[string]string{
	"dept":         "medical_insurance",
	"dept-dpf":     "disabled_federation",
	"dept-housing": "housing",
	"dept-edu":     "education",
	"dept-civil":   "civil_affairs",
}

// LoadFeeds gives the department accounts their departments and pushes
// two small batches — 医保's hospital stays and 残联's certificates —
// about households of 腰站社区 (when the demo has households) and about a
// person outside the register, each with a rejected row.
func LoadFeeds(ctx context.Context, s *sqlstore.Store) error {
	sys := access.System()
	actors := map[string]access.Actor{}
	for name, dept := range Departments {
		u, err := s.UserByUsername(ctx, sys, name)
		if err != nil {
			return fmt.Errorf("demo: department account %s: %w", name, err)
		}
		if err := s.SetUserDepartment(ctx, sys, u.ID, dept); err != nil {
			return fmt.Errorf("demo: department of %s: %w", name, err)
		}
		actors[dept] = access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "demo"}
	}
	people, err := demoPeople(ctx, s, 3)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(9, 9))
	outsider := idcard.Generate(rng, Fuyuan, time.Date(1968, 4, 12, 0, 0, 0, 0, time.UTC), idcard.Male)
	day := s.Now().AddDate(0, 0, -3).Format(time.DateOnly)
	costs := []string{"23800", "5600", "1200"} // the first crosses 20,000 yuan this year
	var medical, disabled []feeds.Row
	for i, p := range people {
		medical = append(medical, feeds.Row{Key: fmt.Sprintf("ZY%04d", i+1), IDNumber: p.id, Name: p.name, EventType: "hospitalisation",
			Date: day, Fields: map[string]string{"total_cost": "41000", "oop_cost": costs[i%len(costs)], "oop_ytd": costs[i%len(costs)]}})
	}
	medical = append(medical,
		feeds.Row{Key: "ZY9001", IDNumber: outsider, Name: "马德福", EventType: "住院", Date: day, Address: "富源县胜境街道腰站社区南村",
			Fields: map[string]string{"oop_cost": "26500", "oop_ytd": "31000"}},
		feeds.Row{Key: "ZY9002", IDNumber: outsider, Name: "马德福", EventType: "住院", Date: "2025-02-30",
			Fields: map[string]string{"oop_cost": "800"}})
	if len(people) > 0 {
		disabled = append(disabled, feeds.Row{Key: "CJ0001", IDNumber: people[len(people)-1].id, Name: people[len(people)-1].name,
			EventType: "残疾证", Date: day, Fields: map[string]string{"grade": "2", "kind": "肢体"}})
	}
	disabled = append(disabled, feeds.Row{Key: "CJ0002", IDNumber: outsider, Name: "马德福", EventType: "护理补贴", Date: day})
	for dept, rows := range map[string][]feeds.Row{"medical_insurance": medical, "disabled_federation": disabled} {
		for i := range rows {
			rows[i].No = i + 1
		}
		if _, _, err := s.PushFeedBatch(ctx, actors[dept], sqlstore.FeedPush{Department: dept, BatchKey: "DEMO-" + day, Rows: rows}); err != nil {
			return fmt.Errorf("demo: %s batch: %w", dept, err)
		}
	}
	return nil
}

type demoPerson struct{ name, id string }

// demoPeople returns up to n household heads of 腰站社区 with an ID number.
func demoPeople(ctx context.Context, s *sqlstore.Store, n int) ([]demoPerson, error) {
	sys := access.System()
	hhs, err := s.Households(ctx, sys, sqlstore.HouseholdFilter{PlaceCode: Yaozhan, Limit: 20})
	if err != nil {
		return nil, fmt.Errorf("demo: households: %w", err)
	}
	var out []demoPerson
	for _, h := range hhs {
		if len(out) == n {
			break
		}
		v, err := s.HouseholdView(ctx, sys, h.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range v.Members {
			if m.IDNumber == "" || m.Status != "active" {
				continue
			}
			id, err := s.RevealPerson(ctx, sys, m.ID, sqlstore.RevealID)
			if err != nil {
				return nil, err
			}
			out = append(out, demoPerson{m.Name, id})
			break
		}
	}
	return out, nil
}

package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"safetynet"
	"safetynet/campaigns"
	"safetynet/idcard"
	"safetynet/sqlstore"
)

// enrolVillages are 布隆吉乡's villages with how far each got in the
// survey-and-register stage (登记造册) of seed 004's campaign, whose stage
// ended yesterday: three submitted (two in time, one a day late), one
// with its list begun but not submitted, one that did nothing (both late).
var enrolVillages = []struct {
	code, name string
	submit     string // "in_time", "late", "" not submitted
	listed     bool
}{
	{Bulongjicun, "布隆吉村", "in_time", true},
	{"620922201200", "九上村", "in_time", true},
	{"620922201201", "九下村", "late", true},
	{"620922201203", "潘家庄村", "", true},
	{"620922201204", "双塔村", "", false},
}

// enrolPeople are the synthetic residents of each village: a role in the
// demonstration, an address, an age, the categories the register already
// holds (the others are given by the list).
var enrolPeople = []struct {
	role, address string
	age           int
	sex           idcard.Sex
	cats          []string
}{
	{"elder1", "一组12号", 78, idcard.Female, []string{"left_behind_elderly"}},
	{"elder2", "一组15号", 81, idcard.Male, []string{"left_behind_elderly"}},
	{"woman", "二组3号", 42, idcard.Female, nil},
}

// enrolNames are the residents' names per village (synthetic), in the
// order of enrolPeople.
var enrolNames = [][]string{
	{"钟淑珍", "范德明", "苏春燕"},
	{"孙玉珍", "周长福", "吴春梅"},
	{"何淑芬", "高建国", "罗海燕"},
	{"韩凤兰", "唐志强", "冯丽娟"},
	{"曹秀兰", "彭德胜", "曾晓红"},
}

// LoadEnrolment fills the register stage of 布隆吉乡's campaign (made by
// LoadCampaigns): residents in each village, lists made from the
// register's proposals and by name (giving the categories the register
// lacked), submissions, and the reminders of the villages that missed the
// end. It does nothing when the campaign is missing.
func LoadEnrolment(ctx context.Context, s *sqlstore.Store) error {
	actors, err := demoActors(ctx, s, "enrolment", "blj-town", "blj-village")
	if err != nil {
		return err
	}
	town, village := actors[0], actors[1]
	l, err := s.Campaigns(ctx, town, sqlstore.CampaignFilter{})
	if err != nil {
		return fmt.Errorf("demo: enrolment: %w", err)
	}
	var id int64
	for _, c := range l {
		if c.Status == campaigns.StatusRunning && c.PlaceCode == Bulongji {
			id = c.ID
		}
	}
	if id == 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(4, 12))
	now := s.Now()
	for vi, v := range enrolVillages {
		a := town
		if v.code == Bulongjicun {
			a = village
		}
		sheet, err := s.EnrolSheetOf(ctx, a, id, v.code)
		if err != nil {
			return fmt.Errorf("demo: enrolment: %s: %w", v.name, err)
		}
		ids := map[string]int64{}
		for pi, p := range enrolPeople {
			name := enrolNames[vi][pi]
			birth := time.Date(now.Year()-p.age, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
			h, err := s.CreateHousehold(ctx, town, safetynet.HouseholdInput{PlaceCode: v.code, Address: v.name + p.address},
				safetynet.PersonInput{Name: name, IDNumber: idcard.Generate(rng, Guazhou, birth, p.sex)})
			if err != nil {
				return fmt.Errorf("demo: enrolment: household: %w", err)
			}
			hv, err := s.HouseholdView(ctx, town, h)
			if err != nil || len(hv.Members) == 0 {
				return fmt.Errorf("demo: enrolment: household %d: %v", h, err)
			}
			ids[p.role] = hv.Members[0].ID
			for _, c := range p.cats {
				if _, err := s.AssignCategory(ctx, town, safetynet.SubjectPerson, ids[p.role], safetynet.NewAssignment{Category: c,
					Start: now.AddDate(-1, 0, 0), Reason: "摸底排查"}); err != nil {
					return fmt.Errorf("demo: enrolment: category: %w", err)
				}
			}
		}
		if !v.listed {
			continue
		}
		// Every proposal of the register (the elders above, and the
		// village's other residents holding a group's category), then a
		// woman found by name, who gets 留守妇女 in the register.
		sheet, err = s.EnrolSheetOf(ctx, a, id, v.code)
		if err != nil {
			return err
		}
		adds := []sqlstore.EnrolAdd{{Group: "left_behind_woman", PersonID: ids["woman"], Note: "丈夫外出务工"}}
		for _, g := range sheet.Groups {
			for _, p := range g.Proposals {
				adds = append(adds, sqlstore.EnrolAdd{Group: g.Code, PersonID: p.PersonID})
			}
		}
		for _, in := range adds {
			if _, ok := sheetGroup(sheet, in.Group); !ok {
				continue
			}
			if _, err := s.AddEnrolMember(ctx, a, id, v.code, in); err != nil {
				return fmt.Errorf("demo: enrolment: %s: add: %w", v.name, err)
			}
		}
		if v.submit == "" {
			continue
		}
		sheet, err = s.EnrolSheetOf(ctx, a, id, v.code)
		if err != nil {
			return err
		}
		if err := s.SubmitEnrolment(ctx, a, id, v.code, sheet.Version, sheet.Counts()); err != nil {
			return fmt.Errorf("demo: enrolment: %s: submit: %w", v.name, err)
		}
		end, err := campaigns.EndOf(sheet.EndsOn)
		if err != nil {
			return err
		}
		at := end.Add(-time.Duration(30+vi*5) * time.Hour) // in time: a day or two before the end
		if v.submit == "late" {
			at = end.Add(9 * time.Hour) // the morning after
		}
		if err := s.BackdateEnrolSubmission(ctx, id, v.code, at.UnixMilli()); err != nil {
			return fmt.Errorf("demo: enrolment: %s: %w", v.name, err)
		}
	}
	if _, err := s.EnrolReminders(ctx); err != nil {
		return fmt.Errorf("demo: enrolment: reminders: %w", err)
	}
	return nil
}

func sheetGroup(e sqlstore.EnrolSheet, code string) (sqlstore.EnrolGroup, bool) {
	for _, g := range e.Groups {
		if g.Code == code {
			return g, true
		}
	}
	return sqlstore.EnrolGroup{}, false
}

package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/visits"
)

// LoadGoals gives 布隆吉乡's campaign (LoadCampaigns) real figures for its
// goals page and report: four families of 布隆吉村 with left-behind
// elderly and children in the register, two of them visited for the
// campaign, a grandfather's pension in force after a case, activities of
// 布隆吉村, and two typical cases (a household and the case).
func LoadGoals(ctx context.Context, s *sqlstore.Store) error {
	as, err := demoActors(ctx, s, "goals", "blj-town", "blj-village")
	if err != nil {
		return err
	}
	town, village := as[0], as[1]
	list, err := s.Campaigns(ctx, town, sqlstore.CampaignFilter{Status: campaigns.StatusRunning})
	if err != nil {
		return fmt.Errorf("demo: goals: %w", err)
	}
	var c campaigns.Campaign
	for _, row := range list {
		if row.DocNo == "瓜农领办发[2021]36号" {
			if c, err = s.Campaign(ctx, town, row.ID); err != nil {
				return fmt.Errorf("demo: goals: %w", err)
			}
		}
	}
	if c.ID == 0 || len(c.Items) < 3 || len(c.Villages) < 3 {
		return fmt.Errorf("demo: goals: 布隆吉乡's campaign is missing: load the campaigns first")
	}
	now := s.Now()
	start, _ := time.ParseInLocation(campaigns.DateLayout, c.StartsOn, campaigns.Zone)
	rng := rand.New(rand.NewPCG(40, 4))
	person := func(name, birth string, sex idcard.Sex) safetynet.PersonInput {
		b, _ := time.Parse("2006-01-02", birth)
		return safetynet.PersonInput{Name: name, IDNumber: idcard.Generate(rng, Guazhou, b, sex), Relation: "grandchild"}
	}
	assign := func(id int64, cat string) error {
		_, err := s.AssignCategory(ctx, village, safetynet.SubjectPerson, id, safetynet.NewAssignment{Category: cat, Start: start.AddDate(0, 0, -30),
			Reason: "调查摸底"})
		return err
	}
	families := []struct {
		head, birth, child, childBirth string
		sex, childSex                  idcard.Sex
	}{
		{"王秀英", "1948-03-12", "王小军", "2014-06-01", idcard.Female, idcard.Male},
		{"李桂兰", "1950-08-20", "李欣", "2013-02-14", idcard.Female, idcard.Female},
		{"张德福", "1946-11-05", "", "", idcard.Male, 0},
		{"赵玉梅", "1952-01-30", "赵晨", "2015-09-09", idcard.Female, idcard.Male},
	}
	households := map[string]int64{}
	for i, f := range families {
		hp := person(f.head, f.birth, f.sex)
		hp.Relation = ""
		hh, err := s.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: Bulongjicun + "-01-01", Address: fmt.Sprintf("布隆吉村一组%d号", 3+i)}, hp)
		if err != nil {
			return fmt.Errorf("demo: goals: household %s: %w", f.head, err)
		}
		households[f.head] = hh
		v, err := s.Household(ctx, village, hh)
		if err != nil {
			return fmt.Errorf("demo: goals: %w", err)
		}
		if err := assign(v.HeadID, "left_behind_elderly"); err != nil {
			return fmt.Errorf("demo: goals: %s: %w", f.head, err)
		}
		if f.child != "" {
			child, err := s.AddPerson(ctx, village, hh, person(f.child, f.childBirth, f.childSex))
			if err != nil {
				return fmt.Errorf("demo: goals: %s: %w", f.child, err)
			}
			if err := assign(child, "left_behind_child"); err != nil {
				return fmt.Errorf("demo: goals: %s: %w", f.child, err)
			}
		}
	}
	for i, name := range []string{"王秀英", "李桂兰"} {
		// 布隆吉村's specialist visits the families she is paired with (包户).
		if _, err := s.PairVisitor(ctx, village, sqlstore.NewVisitPair{HouseholdID: households[name], Level: visits.LevelVillage, UserID: village.UserID}); err != nil {
			return fmt.Errorf("demo: goals: pair: %w", err)
		}
		if _, _, err := s.RecordVisit(ctx, village, visits.NewVisit{ClientID: fmt.Sprintf("demo-goals-visit-%d", i), HouseholdID: households[name],
			Kind: visits.KindHome, Result: visits.ResultFine, Note: "了解孩子学习和老人身体情况", MadeAt: now.Add(-time.Duration(2+i) * 24 * time.Hour),
			CampaignID: c.ID}); err != nil {
			return fmt.Errorf("demo: goals: visit: %w", err)
		}
	}
	sys := access.System()
	caseID, err := s.OpenCase(ctx, sys, households["张德福"], "normal", []string{"labour"}, "独居老人，养老保险待遇未按时发放")
	if err != nil {
		return fmt.Errorf("demo: goals: case: %w", err)
	}
	item, err := s.ApplyMeasure(ctx, sys, caseID, sqlstore.Application{Measure: "pension", AmountFen: 15300, PeriodStart: now.AddDate(0, 0, -20)})
	if err != nil {
		return fmt.Errorf("demo: goals: pension: %w", err)
	}
	if err := s.DecideApplication(ctx, sys, item, true, "", 0); err != nil {
		return fmt.Errorf("demo: goals: pension: %w", err)
	}
	// Only a village's own staff record its activities: 布隆吉村's four; the
	// other villages have none yet, so the page shows them behind.
	for i, a := range []struct {
		title, venue  string
		item, days, n int
	}{
		{"“情暖留守老人心”志愿服务", "布隆吉村日间照料中心", 0, 12, 18},
		{"巾帼暖人心", "村妇女之家", 1, 9, 15},
		{"留守儿童亲情陪伴", "布隆吉乡中心小学", 2, 8, 32},
		{"平安夜话", "布隆吉村新时代文明实践站", 0, 5, 22},
	} {
		if _, _, err := s.RecordCampaignActivity(ctx, village, campaigns.Activity{ClientID: fmt.Sprintf("demo-goals-activity-%d", i), CampaignID: c.ID,
			ItemID: c.Items[a.item].ID, VillageCode: Bulongjicun, Title: a.title, HeldOn: now.AddDate(0, 0, -a.days).In(campaigns.Zone).Format(campaigns.DateLayout),
			Venue: a.venue, Participants: a.n}); err != nil {
			return fmt.Errorf("demo: goals: activity %s: %w", a.title, err)
		}
	}
	if _, err := s.MarkExample(ctx, village, c.ID, sqlstore.NewExample{HouseholdID: households["王秀英"], Title: "“共享奶奶”结对陪伴",
		Text: "村里为王秀英一家安排结对干部，每周上门一次，帮助孙子王小军辅导作业，老人的降压药由村医按月送上门。"}); err != nil {
		return fmt.Errorf("demo: goals: example: %w", err)
	}
	if _, err := s.MarkExample(ctx, town, c.ID, sqlstore.NewExample{CaseID: caseID, Title: "主动发现，养老金及时补发",
		Text: "走访中发现张德福养老保险待遇未按时发放，村里当天上报，乡社会发展办核实后补发到位。"}); err != nil {
		return fmt.Errorf("demo: goals: example: %w", err)
	}
	return nil
}

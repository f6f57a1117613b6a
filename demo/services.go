package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"safetynet"
	"safetynet/idcard"
	"safetynet/services"
	"safetynet/sqlstore"
)

// LoadServices registers 阳光社工 (seed 001) with 胜境街道's contract of
// purchased services: prices per service (30 yuan a cleaning), coverage
// of 腰站社区's elderly living alone and children in distress and of two
// named households, its workers — the social worker 陈静 (the demo login
// "social"), a psychologist, a tutor, a lawyer and the resident 郭宗新, who
// cleans neighbours' homes for pay — plans (a weekly cleaning and a deep
// cleaning every two weeks for 孙秀兰; nutrition packages twice a month and
// weekly tutoring for the child 李小雨 with a 1+5+N team) and one cleaning
// recorded yesterday with the household's code and a photo.
func LoadServices(ctx context.Context, s *sqlstore.Store) error {
	as, err := demoActors(ctx, s, "services", "town", "village", "social")
	if err != nil {
		return err
	}
	town, village, social := as[0], as[1], as[2]
	rng := rand.New(rand.NewPCG(11, 11))
	add := func(head, birth, address string, sex idcard.Sex) (int64, int64, error) {
		b, _ := time.Parse("2006-01-02", birth)
		id, err := s.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: Yaozhan + "-02-01", Address: address},
			safetynet.PersonInput{Name: head, IDNumber: idcard.Generate(rng, Fuyuan, b, sex)})
		if err != nil {
			return 0, 0, fmt.Errorf("demo: service household %s: %w", head, err)
		}
		v, err := s.HouseholdView(ctx, village, id)
		if err != nil || len(v.Members) == 0 {
			return 0, 0, fmt.Errorf("demo: service household %s: %v", head, err)
		}
		return id, v.Members[0].ID, nil
	}
	elder, _, err := add("孙秀兰", "1944-06-12", "下大桥3号", idcard.Female)
	if err != nil {
		return err
	}
	family, _, err := add("李桂芳", "1958-09-30", "下大桥11号", idcard.Female)
	if err != nil {
		return err
	}
	b, _ := time.Parse("2006-01-02", "2016-04-05")
	child, err := s.AddPerson(ctx, village, family, safetynet.PersonInput{Name: "李小雨", Relation: "granddaughter", IDNumber: idcard.Generate(rng, Fuyuan, b, idcard.Female)})
	if err != nil {
		return fmt.Errorf("demo: service child: %w", err)
	}
	_, guo, err := add("郭宗新", "1969-03-21", "下大桥7号", idcard.Male)
	if err != nil {
		return err
	}

	now := s.Now()
	year := now.Format("2006")
	contract := services.NewContract{PlaceCode: "530325002", Title: year + "年胜境街道困难群众居家服务项目", DocNo: "胜街购〔" + year + "〕12号",
		StartsOn: year + "-01-01", EndsOn: year + "-12-31", BudgetFen: 50_000_000,
		Prices: []services.Price{{Type: services.Cleaning, PriceFen: 3000}, {Type: services.DeepCleaning, PriceFen: 8000},
			{Type: services.Haircut, PriceFen: 1500}, {Type: services.MealDelivery, PriceFen: 1200}, {Type: services.Tutoring, PriceFen: 6000},
			{Type: services.Counselling, PriceFen: 15000}, {Type: services.SkillTraining, PriceFen: 20000}, {Type: services.Nutrition, PriceFen: 4500}},
		Categories: []string{safetynet.CatElderlyAlone, "child_in_distress"}, Households: []int64{elder, family}}
	org, err := s.CreateServiceOrg(ctx, town, sqlstore.NewServiceOrg{Name: "阳光社工", Contact: "陈静", Note: "持证社工125名，志愿者2000名", Contract: &contract})
	if err != nil {
		return fmt.Errorf("demo: 阳光社工: %w", err)
	}
	o, err := s.ServiceOrg(ctx, town, org)
	if err != nil || len(o.Contracts) != 1 {
		return fmt.Errorf("demo: 阳光社工: %v", err)
	}
	kid := o.Contracts[0].ID
	workers := map[string]int64{}
	for _, w := range []sqlstore.NewServiceWorker{
		{Name: "陈静", Kind: services.SocialWorker, Certified: true, Username: "social"},
		{Kind: services.Helper, PersonID: guo},
		{Name: "王心怡", Kind: services.Psychologist, Certified: true},
		{Name: "李明老师", Kind: services.Tutor},
		{Name: "张律师", Kind: services.Lawyer},
		{Name: "何大姐", Kind: services.Volunteer},
	} {
		id, err := s.AddServiceWorker(ctx, town, org, w)
		if err != nil {
			return fmt.Errorf("demo: worker %s: %w", w.Name, err)
		}
		workers[string(w.Kind)] = id
	}
	month := now.AddDate(0, 0, -now.Day()+1).Format("2006-01-02")
	for _, p := range []services.NewPlan{
		{HouseholdID: elder, Type: services.Cleaning, Frequency: services.Weekly, WorkerID: workers[string(services.Helper)]},
		{HouseholdID: elder, Type: services.DeepCleaning, Frequency: services.Biweekly, WorkerID: workers[string(services.SocialWorker)]},
		{HouseholdID: family, PersonID: child, Type: services.Nutrition, Frequency: services.TwiceMonthly, WorkerID: workers[string(services.SocialWorker)]},
		{HouseholdID: family, PersonID: child, Type: services.Tutoring, Frequency: services.Weekly, WorkerID: workers[string(services.Tutor)]},
	} {
		p.ContractID, p.StartsOn, p.EndsOn = kid, month, contract.EndsOn
		if _, err := s.CreateServicePlan(ctx, town, p); err != nil {
			return fmt.Errorf("demo: plan: %w", err)
		}
	}
	for role, kind := range map[services.TeamRole]services.WorkerKind{services.TeamSocialWorker: services.SocialWorker,
		services.TeamPsychologist: services.Psychologist, services.TeamTutor: services.Tutor, services.TeamLawyer: services.Lawyer,
		services.TeamVolunteer: services.Volunteer} {
		if _, err := s.AddTeamMember(ctx, town, kid, child, role, workers[string(kind)]); err != nil {
			return fmt.Errorf("demo: team: %w", err)
		}
	}
	code, err := s.IssueHouseholdCode(ctx, village, elder)
	if err != nil {
		return fmt.Errorf("demo: household code: %w", err)
	}
	done := now.Add(-22 * time.Hour)
	if done.Format("2006") != year { // the first day of the year: nothing done yet under this contract
		return nil
	}
	if _, _, err := s.RecordService(ctx, social, services.NewRecord{ClientID: "demo-service-1", HouseholdID: elder, WorkerID: workers[string(services.Helper)],
		Type: services.Cleaning, StartedAt: done, EndedAt: done.Add(75 * time.Minute), Photos: [][]byte{services.PNG(320, 240, 7)}, Code: code,
		Note: "打扫厨房和卧室，清理院子"}); err != nil {
		return fmt.Errorf("demo: service record: %w", err)
	}
	return nil
}

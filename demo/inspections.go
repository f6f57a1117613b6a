package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/inspections"
	"safetynet/services"
	"safetynet/sqlstore"
)

// InspectionUsers are the logins the inspections' demo adds: the county's
// inspection team of 瓜州县, who inspected 布隆吉乡.
var InspectionUsers = []User{
	{"gz-inspector", "瓜州县督查组 杨帆", safetynet.RoleInspector, Guazhou},
}

// LoadInspections adds two unannounced inspections (四不两直):
//   - a closed one of 布隆吉乡's care campaign (routine work of the town when
//     the campaign is not there), a month ago, by 瓜州县's inspection team: six
//     households of 布隆吉村 (dibao, tekun, an elderly woman living alone,
//     ordinary families) drawn and checked, one ledger problem and one
//     household not found;
//   - one drawn but not started in 富源县's 胜境街道, whose inspector is the
//     demo inspector 吴强: nobody else sees it until he starts it.
func LoadInspections(ctx context.Context, s *sqlstore.Store) error {
	sys := access.System()
	for _, u := range InspectionUsers {
		if _, err := s.CreateUser(ctx, sys, safetynet.NewUser{Username: u.Username, DisplayName: u.DisplayName, Role: u.Role,
			PlaceCode: u.Place, Password: Password}); err != nil {
			return fmt.Errorf("demo: inspections: user %s: %w", u.Username, err)
		}
	}
	as, err := demoActors(ctx, s, "inspections", "gz-inspector", "inspector")
	if err != nil {
		return err
	}
	gz, fy := as[0], as[1]
	rng := rand.New(rand.NewPCG(12, 4))
	grid := Bulongjicun + "-01-01"
	families := []struct {
		name, address, category string
		born                    int
		sex                     idcard.Sex
	}{
		{"马秀兰", "布隆吉村一组3号", "dibao", 1956, idcard.Female}, {"李德福", "布隆吉村一组7号", "tekun", 1948, idcard.Male},
		{"张桂英", "布隆吉村一组9号", "", 1941, idcard.Female}, {"王建国", "布隆吉村一组12号", "", 1975, idcard.Male},
		{"赵春梅", "布隆吉村一组15号", "", 1982, idcard.Female}, {"杨永福", "布隆吉村一组18号", "monitor_marginal", 1969, idcard.Male},
	}
	start := s.Now().AddDate(-1, 0, 0)
	for i, f := range families {
		hh, err := s.CreateHousehold(ctx, sys, safetynet.HouseholdInput{PlaceCode: grid, Address: f.address},
			safetynet.PersonInput{Name: f.name, IDNumber: idcard.Generate(rng, "620922", time.Date(f.born, time.Month(i+2), 10, 0, 0, 0, 0, time.UTC), f.sex)})
		if err != nil {
			return fmt.Errorf("demo: inspections household: %w", err)
		}
		if f.category != "" {
			if _, err := s.AssignCategory(ctx, sys, safetynet.SubjectHousehold, hh, safetynet.NewAssignment{Category: f.category, Start: start}); err != nil {
				return fmt.Errorf("demo: inspections category: %w", err)
			}
		}
	}
	today := s.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	// Of 布隆吉乡's care campaign (campaigns.go) when it runs, else routine work of the town.
	ni := inspections.NewInspection{ClientID: "demo-inspection-bulongji", Title: "布隆吉乡关爱服务行动“四不两直”督查",
		PlaceCode: Bulongji, PlannedOn: today, Villages: 1, Households: 6}
	if _, camps, err := s.InspectionAreas(ctx, gz); err == nil {
		for _, c := range camps {
			if c.PlaceName == "布隆吉乡" {
				ni.CampaignID = c.ID
				break
			}
		}
	}
	past, _, err := s.CreateInspection(ctx, gz, ni)
	if err != nil {
		return fmt.Errorf("demo: inspection of 布隆吉乡: %w", err)
	}
	if past, err = s.DrawInspection(ctx, gz, past.ID, past.Version); err != nil {
		return fmt.Errorf("demo: draw 布隆吉乡: %w", err)
	}
	if err := s.StartInspection(ctx, gz, past.ID, past.Version); err != nil {
		return err
	}
	v, err := s.InspectionByID(ctx, gz, past.ID)
	if err != nil {
		return err
	}
	n := 0
	for _, sv := range v.Sample {
		for _, h := range sv.Households {
			nc := inspections.NewCheck{ClientID: fmt.Sprintf("demo-check-%d", h.ID), SampleID: h.ID, Found: true, HouseholdSays: "政策落实到位，村干部经常来看望"}
			for _, it := range inspections.Items {
				nc.Answers = append(nc.Answers, inspections.Answer{Item: it.Code, Answer: inspections.AnswerOK})
			}
			switch n {
			case 0:
				nc.Answers[1] = inspections.Answer{Item: inspections.ItemLedger, Answer: inspections.AnswerProblem, Note: "台账家庭人口4人，实际常住3人，未及时更新"}
				nc.HouseholdSays = "儿子外出务工已两年"
				nc.Photos = [][]byte{services.PNG(64, 48, 3)}
			case 1:
				nc.Answers[3] = inspections.Answer{Item: inspections.ItemServices, Answer: inspections.AnswerNA, Note: "未安排购买服务"}
			case 2:
				nc = inspections.NewCheck{ClientID: nc.ClientID, SampleID: h.ID, Note: "两次上门无人，邻居称老人住院"}
			}
			if _, _, err := s.RecordCheck(ctx, gz, nc); err != nil {
				return fmt.Errorf("demo: check in 布隆吉村: %w", err)
			}
			n++
		}
	}
	if v, err = s.InspectionByID(ctx, gz, past.ID); err != nil {
		return err
	}
	if err := s.CloseInspection(ctx, gz, past.ID, v.Version); err != nil {
		return fmt.Errorf("demo: close 布隆吉乡: %w", err)
	}
	if err := s.BackdateInspection(ctx, past.ID, 30); err != nil {
		return err
	}
	secret, _, err := s.CreateInspection(ctx, fy, inspections.NewInspection{ClientID: "demo-inspection-shengjing", Title: "胜境街道低保政策落实暗访",
		PlaceCode: "530325002", PlannedOn: s.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 3).Format(time.DateOnly), Villages: 2, Households: 3})
	if err != nil {
		return fmt.Errorf("demo: inspection of 胜境街道: %w", err)
	}
	if _, err := s.DrawInspection(ctx, fy, secret.ID, secret.Version); err != nil {
		return fmt.Errorf("demo: draw 胜境街道: %w", err)
	}
	return nil
}

package demo

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/sqlstore"
)

// Bulongji is 瓜州县布隆吉乡, the town of seed 004, and Bulongjicun its
// village 布隆吉村.
const (
	Guazhou     = "620922"
	Bulongji    = "620922201"
	Bulongjicun = "620922201202"
)

// CampaignUsers are the logins of 瓜州县 and 布隆吉乡 that run seed 004's
// campaign: the county and town officers and 布隆吉村's staff.
var CampaignUsers = []User{
	{"gz-county", "瓜州县民政局 马军", safetynet.RoleCountyOfficer, Guazhou},
	{"blj-town", "布隆吉乡 张丽", safetynet.RoleTownOfficer, Bulongji},
	{"blj-village", "布隆吉村民政专干 李娟", safetynet.RoleVillageStaff, Bulongjicun},
}

// bulongjiUnits are the town's units (站所) named by seed 004.
var bulongjiUnits = []string{
	"乡社会发展办(民政、卫健、医保)", "乡社会发展办(民政、人社、商务)", "乡社会发展办(文化教育)", "乡社会发展办(民政)",
	"乡社会发展办(教育、卫健、医保)", "乡妇联", "乡司法所", "乡残联", "布隆吉乡中心小学", "团乡委",
}

// SeedCampaign is seed 004's plan as written, with its own dates
// (2021-09 to 2022-12); units are named, resolved by the loader.
func SeedCampaign(unit func(string) int64) campaigns.Campaign {
	lead := func(n string) campaigns.ItemUnit {
		return campaigns.ItemUnit{UnitID: unit(n), Role: campaigns.RoleLead}
	}
	coop := func(n string) campaigns.ItemUnit {
		return campaigns.ItemUnit{UnitID: unit(n), Role: campaigns.RoleCooperate}
	}
	return campaigns.Campaign{Kind: campaigns.KindCare, PlaceCode: Bulongji,
		Title: "布隆吉乡开展农村留守老人妇女儿童和特困群众关爱服务行动实施方案", DocNo: "瓜农领办发[2021]36号",
		StartsOn: "2021-09-01", EndsOn: "2022-12-31",
		Aims: "通过开展布隆吉乡农村留守老人妇女儿童和特困群众关爱服务行动，切实解决农村留守老人妇女儿童和特困群众“急难愁盼”的问题，" +
			"建立健全关爱服务工作机制，不断提升村级组织的服务能力和工作质量，让农村留守老人妇女儿童和特困群众老有善养、幼有优教、困有真帮。",
		Items: []campaigns.Item{
			{Title: "用心用情关爱服务农村留守老人", Groups: []string{"left_behind_elderly"},
				Description: "为留守老人提供健康管理、生产经营、日间照料、居家服务、邻里互助等服务；开展“情暖留守老人心”志愿服务；及时足额发放农村居民基本养老保险金，待遇发放率达到100%。",
				Units:       []campaigns.ItemUnit{lead("乡社会发展办(民政、卫健、医保)")}},
			{Title: "用心用情关爱服务农村留守妇女", Groups: []string{"left_behind_woman"},
				Description: "组织留守妇女参加职业技能培训，实施农村妇女“两癌”检查，常态化开展“巾帼暖人心”活动，及时排查化解婚姻家庭矛盾和邻里纠纷。",
				Units:       []campaigns.ItemUnit{lead("乡妇联"), coop("乡司法所"), coop("乡社会发展办(民政、人社、商务)")}},
			{Title: "用心用情关爱服务农村留守儿童", Groups: []string{"left_behind_child"},
				Description: "督促落实控辍保学、教育资助、送教上门；开发“共享奶奶”“爱心妈妈”公益岗位；组织青年志愿者开展学业辅导、亲情陪伴、心理疏导。",
				Units:       []campaigns.ItemUnit{lead("乡社会发展办(文化教育)"), coop("布隆吉乡中心小学"), coop("团乡委"), coop("乡妇联")}},
			{Title: "用心用情关爱服务农村特困群众", Groups: []string{"tekun_person", "disabled"},
				Description: "紧扣“两不愁三保障”，抓好产业扶持、就业帮扶、救助供养、大病救助、临时救助等政策落实；实施“阳光家园计划”。",
				Units:       []campaigns.ItemUnit{lead("乡社会发展办(民政)"), coop("乡残联"), coop("乡社会发展办(教育、卫健、医保)")}},
		},
		Goals: []campaigns.Goal{
			{Title: "养老保险待遇发放率", Metric: campaigns.MetricMeasureShare, Group: "left_behind_elderly", Measure: "pension", Target: 1000, ItemSeq: 1},
			{Title: "留守儿童走访率", Metric: campaigns.MetricVisitedShare, Group: "left_behind_child", Target: 1000, ItemSeq: 3},
			{Title: "留守群体登记造册", Metric: campaigns.MetricRegistered, Group: "left_behind_elderly", Target: 1, ItemSeq: 1},
			{Title: "开展关爱活动（平安夜话等）", Metric: campaigns.MetricActivities, Target: 20},
			{Title: "特困群众服务覆盖率", Metric: campaigns.MetricServedShare, Group: "tekun_person", Target: 1000, ItemSeq: 4},
		},
		Stages: []campaigns.Stage{
			{Kind: campaigns.StageMobilise, Title: "动员部署阶段", StartsOn: "2021-09-11", EndsOn: "2021-09-20"},
			{Kind: campaigns.StageRegister, Title: "调查摸底阶段", StartsOn: "2021-09-21", EndsOn: "2021-10-31"},
			{Kind: campaigns.StageCarryOut, Title: "工作开展阶段", StartsOn: "2021-10-01", EndsOn: "2022-03-31"},
			{Kind: campaigns.StageSumUp, Title: "归纳总结阶段", StartsOn: "2022-04-01", EndsOn: "2022-06-30"},
			{Kind: campaigns.StageConsolidate, Title: "巩固拓展阶段", StartsOn: "2022-06-01", EndsOn: "2022-12-31"},
		},
	}
}

// LoadCampaigns adds seed 004's campaign at 布隆吉乡: its users, its
// units with members, the campaign moved so that today falls in the
// carry-out stage just after the register stage ended, started, with an
// activity of 布隆吉村; and last winter's campaign, ended, to copy from.
func LoadCampaigns(ctx context.Context, s *sqlstore.Store) error {
	sys := access.System()
	for _, u := range CampaignUsers {
		if _, err := s.UserByUsername(ctx, sys, u.Username); err == nil {
			continue
		}
		if _, err := s.CreateUser(ctx, sys, safetynet.NewUser{Username: u.Username, DisplayName: u.DisplayName,
			Role: u.Role, PlaceCode: u.Place, Password: Password}); err != nil {
			return fmt.Errorf("demo: campaigns: user %s: %w", u.Username, err)
		}
	}
	actors, err := demoActors(ctx, s, "campaigns", "blj-town", "blj-village")
	if err != nil {
		return err
	}
	town, village := actors[0], actors[1]
	if err := s.SaveMeasure(ctx, sys, safetynet.Measure{Code: "pension", ZH: "城乡居民基本养老保险", EN: "basic pension for rural and urban residents",
		Kind: "insurance", Unit: "month", Level: safetynet.LevelCounty, DecisionDays: 15, Active: true, Position: 12}); err != nil {
		return fmt.Errorf("demo: campaigns: pension measure: %w", err)
	}
	units := map[string]int64{}
	for _, n := range bulongjiUnits {
		var members []int64
		if n == "乡社会发展办(民政、卫健、医保)" || n == "乡社会发展办(民政)" {
			members = []int64{town.UserID}
		}
		u, err := s.SaveOrgUnit(ctx, town, campaigns.Unit{PlaceCode: Bulongji, Name: n}, members)
		if err != nil {
			return fmt.Errorf("demo: campaigns: unit %s: %w", n, err)
		}
		units[n] = u.ID
	}
	seed := SeedCampaign(func(n string) int64 { return units[n] })
	today := s.Now().In(campaigns.Zone)
	day := func(t time.Time) string { return t.Format(campaigns.DateLayout) }

	// Last winter's campaign, ended: the template for the next.
	past, err := campaigns.Shift(seed, day(today.AddDate(-2, 0, 0)))
	if err != nil {
		return err
	}
	past.ClientID, past.PlaceCode = "demo-campaign-blj-past", Bulongji
	past.Title = "布隆吉乡关爱服务行动（上一轮）"
	past.DocNo = "瓜农领办发[2024]12号"
	p, _, err := s.CreateCampaign(ctx, town, past)
	if err != nil {
		return fmt.Errorf("demo: campaigns: past campaign: %w", err)
	}
	if p, err = s.StartCampaign(ctx, town, p.ID, p.Version); err != nil {
		return fmt.Errorf("demo: campaigns: start the past campaign: %w", err)
	}
	if _, err := s.EndCampaign(ctx, town, p.ID, p.Version); err != nil {
		return fmt.Errorf("demo: campaigns: end the past campaign: %w", err)
	}

	// Seed 004's campaign: the register stage (21 Sep – 31 Oct) ended
	// yesterday, so the campaign starts 61 days before today.
	cur, err := campaigns.Shift(seed, day(today.AddDate(0, 0, -61)))
	if err != nil {
		return err
	}
	cur.ClientID, cur.CopiedFrom = "demo-campaign-blj", 0
	c, _, err := s.CreateCampaign(ctx, town, cur)
	if err != nil {
		return fmt.Errorf("demo: campaigns: campaign: %w", err)
	}
	if c, err = s.StartCampaign(ctx, town, c.ID, c.Version); err != nil {
		return fmt.Errorf("demo: campaigns: start: %w", err)
	}
	_, _, err = s.RecordCampaignActivity(ctx, village, campaigns.Activity{ClientID: "demo-activity-blj-1", CampaignID: c.ID, ItemID: c.Items[0].ID,
		VillageCode: Bulongjicun, Title: "平安夜话", HeldOn: day(today.AddDate(0, 0, -3)), Venue: "布隆吉村新时代文明实践站", Participants: 26,
		Note: "为留守老人讲解防诈骗和冬季取暖安全。"})
	if err != nil {
		return fmt.Errorf("demo: campaigns: activity: %w", err)
	}
	return nil
}

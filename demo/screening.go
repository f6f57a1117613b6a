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

// WangchengLine is the monitoring line (监测线) of 望城区 set by the demo
// for this year, yuan per person.
const WangchengLine = 7800.0

// screeningHouseholds are the households of 西塘街 the screening demo adds
// (invented names, synthetic ID numbers).
var screeningHouseholds = []struct {
	head, address string
	members       int
}{
	{"杨建国", "西塘街21号", 3}, {"谢玉兰", "西塘街22号", 2}, {"胡志强", "西塘街23号", 4}, {"易春香", "西塘街24号", 1},
	{"彭德明", "西塘街25号", 3}, {"龙小燕", "西塘街26号", 2}, {"贺长青", "西塘街27号", 5}, {"袁桂芳", "西塘街28号", 2},
}

// LoadScreening adds a running concentrated screening (集中排查) of
// 望城区高塘岭街道, created and started like any campaign by the town, its
// window open from ten days ago for a month, and eight households of
// 西塘街社区 of which five are screened: three above the monitoring line,
// one below it, one with unsafe housing found; both wait for the village
// to hand them to the inclusion flow. It is outside 富源县 so that the
// campaigns of 腰站社区 stay those of the campaigns demo.
func LoadScreening(ctx context.Context, s *sqlstore.Store) error {
	as, err := demoActors(ctx, s, "screening", "wc-village", "wc-grid", "wc-town", "wc-county")
	if err != nil {
		return err
	}
	village, grid, town := as[0], as[1], as[2]
	if err := s.SetParam(ctx, as[3], "430112", s.Now().Year(), "monitoring_line", WangchengLine); err != nil {
		return fmt.Errorf("demo: screening line: %w", err)
	}
	rng := rand.New(rand.NewPCG(18, 18))
	for i, h := range screeningHouseholds {
		birth := time.Date(1950+i*4, time.Month(1+i), 10+i, 0, 0, 0, 0, time.UTC)
		if _, err := s.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: "430112001001-01-01", Address: h.address},
			safetynet.PersonInput{Name: h.head, IDNumber: idcard.Generate(rng, "430112", birth, []idcard.Sex{idcard.Male, idcard.Female}[i%2])}); err != nil {
			return fmt.Errorf("demo: screening household %s: %w", h.head, err)
		}
	}
	today := s.Now().In(time.FixedZone("CST", 8*3600))
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	day := func(d int) string { return today.AddDate(0, 0, d).Format("2006-01-02") }
	c, _, err := s.CreateCampaign(ctx, town, campaigns.Campaign{ClientID: "demo-screening", Kind: campaigns.KindScreening,
		Title: "高塘岭街道防止返贫集中排查", DocNo: "高塘岭办发〔2026〕12号", PlaceCode: "430112001", StartsOn: day(-15), EndsOn: day(45),
		Aims:   "全面摸清农户收入和“两不愁三保障”情况，及时发现有返贫致贫风险的家庭并纳入监测。",
		Stages: []campaigns.Stage{{Kind: campaigns.StageMobilise, StartsOn: day(-15), EndsOn: day(-11)}, {Kind: campaigns.StageScreen, StartsOn: day(-10), EndsOn: day(20)}},
		Goals:  []campaigns.Goal{{Title: "辖区农户排查全覆盖", Metric: campaigns.MetricScreenedShare, Target: 1000}}})
	if err != nil {
		return fmt.Errorf("demo: screening: %w", err)
	}
	if c, err = s.StartCampaign(ctx, town, c.ID, c.Version); err != nil {
		return fmt.Errorf("demo: start screening: %w", err)
	}
	todo, err := s.ScreeningHouseholds(ctx, village, c.ID, "", sqlstore.ScreeningTodo, 1)
	if err != nil {
		return fmt.Errorf("demo: screening: %w", err)
	}
	n := 0
	for _, h := range todo.Rows {
		members := 0
		for _, x := range screeningHouseholds {
			if x.head == h.HeadName {
				members = x.members
			}
		}
		if members == 0 {
			continue // not one of the demo's: left to be screened
		}
		in := campaigns.Screening{ClientID: fmt.Sprintf("demo-screening-%d", h.HouseholdID), HouseholdID: h.HouseholdID, Partner: grid.UserID,
			ScreenedOn: today.AddDate(0, 0, -n), Members: members, Note: "入户核实",
			Income:   map[string]int64{"wages": int64(members) * 9_800_00, "farming": 2_400_00, "transfers": 1_200_00},
			Expenses: map[string]int64{"medical": 800_00}}
		switch n {
		case 1: // below the line: the breadwinner ill at home
			in.Income = map[string]int64{"farming": int64(members) * 3_000_00, "transfers": 1_800_00}
			in.Expenses = map[string]int64{"medical": 6_500_00}
			in.Note = "主要劳动力患病在家"
		case 3: // income fine, housing not
			in.Findings = []string{"housing"}
			in.Note = "土坯房墙体开裂"
		}
		if _, _, err := s.RecordScreening(ctx, village, c.ID, in); err != nil {
			return fmt.Errorf("demo: screening %s: %w", h.HeadName, err)
		}
		if n++; n == 5 {
			break
		}
	}
	return nil
}

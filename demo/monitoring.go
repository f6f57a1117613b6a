package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/monitoring"
	"safetynet/sqlstore"
)

// monitoringDemo is a household of 腰站社区 and how far its monitoring
// has gone.
type monitoringDemo struct {
	head    string
	birth   string
	sex     idcard.Sex
	grid    string
	address string
	members int
	kind    monitoring.Kind
	typ     string
	causes  []string
	income  int64 // yuan, the last 12 months
	// upto is the last step recorded: "" (proposed), review, notice,
	// town, county (confirmed); "monitored" and "ready" are households
	// already monitored (for months) that have no process.
	upto string
}

var monitoringDemos = []monitoringDemo{
	{"张秀英", "1958-02-11", idcard.Female, "-01-02", "棠梨湾12号", 2, monitoring.Include, safetynet.CatMonitorSudden, []string{"disaster"}, 9_600, ""},
	{"李国华", "1972-09-03", idcard.Male, "-01-01", "棠梨湾3号", 4, monitoring.Include, safetynet.CatMonitorMarginal, []string{"illness"}, 26_000, "review"},
	{"陈明", "1966-05-20", idcard.Male, "-02-01", "下大桥7号", 3, monitoring.Include, safetynet.CatMonitorUnstable, []string{"employment", "schooling"}, 19_500, "town"},
	{"王德福", "1961-12-01", idcard.Male, "-02-02", "下大桥15号", 3, monitoring.Include, safetynet.CatMonitorMarginal, []string{"disability"}, 18_300, "county"},
	{"刘桂兰", "1969-07-07", idcard.Female, "-03-01", "南村4号", 3, "", safetynet.CatMonitorMarginal, []string{"illness"}, 33_000, "ready"},
	{"赵大山", "1955-03-15", idcard.Male, "-01-02", "棠梨湾20号", 2, "", safetynet.CatMonitorUnstable, []string{"labour"}, 11_000, "monitored"},
}

// LoadMonitoring adds households of 腰站社区 at every stage of monitoring:
// one just proposed, one reviewed and due for its public notice, one
// waiting for the county, one confirmed, one monitored for ten months with
// income above the line (ready for elimination) and one overdue for
// review.
func LoadMonitoring(ctx context.Context, s *sqlstore.Store) error {
	as, err := demoActors(ctx, s, "monitoring", "village", "town", "county")
	if err != nil {
		return err
	}
	village, town, county := as[0], as[1], as[2]
	rng := rand.New(rand.NewPCG(9, 9))
	now := s.Now()
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	for _, d := range monitoringDemos {
		birth, _ := time.Parse("2006-01-02", d.birth)
		h, err := s.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: Yaozhan + d.grid, Address: d.address},
			safetynet.PersonInput{Name: d.head, IDNumber: idcard.Generate(rng, Fuyuan, birth, d.sex)})
		if err != nil {
			return fmt.Errorf("demo: monitoring household %s: %w", d.head, err)
		}
		fen := d.income * 100
		if d.kind == "" {
			since := now.AddDate(0, -10, 0)
			if _, err := s.AssignCategory(ctx, village, safetynet.SubjectHousehold, h, safetynet.NewAssignment{Category: d.typ,
				RiskType: d.causes[0], Start: since, Reason: "监测对象（演示）", Source: "import"}); err != nil {
				return fmt.Errorf("demo: monitoring %s: %w", d.head, err)
			}
			if d.upto == "ready" {
				for _, back := range []int{-8, -2} {
					if err := s.RecordAssessment(ctx, village, h, now.AddDate(0, back, 0), fen, d.members, "务工收入稳定"); err != nil {
						return fmt.Errorf("demo: monitoring %s: %w", d.head, err)
					}
				}
			}
			continue
		}
		id, err := s.ProposeMonitoring(ctx, village, h, monitoring.Proposal{Kind: d.kind, Category: d.typ, RiskCauses: d.causes,
			IncomeFen: fen, Members: d.members, Origin: "screening", Reason: "入户排查发现"}, 0)
		if err != nil {
			return fmt.Errorf("demo: monitoring %s: %w", d.head, err)
		}
		steps := []struct {
			name string
			a    access.Actor
			r    monitoring.Record
		}{
			{monitoring.ActReview, village, monitoring.Record{Passed: true, Date: day(-8), Count: 23, People: "村两委成员、村民代表、驻村工作队"}},
			{monitoring.ActNotice, village, monitoring.Record{Start: day(-7), End: day(-1), Where: "腰站社区村务公开栏"}},
			{monitoring.ActTown, town, monitoring.Record{Passed: true, Note: "材料齐全"}},
			{monitoring.ActCounty, county, monitoring.Record{Passed: true}},
		}
		for _, st := range steps {
			if d.upto == "" {
				break
			}
			p, err := s.MonitoringProcessView(ctx, st.a, id)
			if err != nil {
				return err
			}
			if err := s.RecordMonitoringStep(ctx, st.a, id, st.name, st.r, p.Version); err != nil {
				return fmt.Errorf("demo: monitoring %s %s: %w", d.head, st.name, err)
			}
			if st.name == d.upto {
				break
			}
		}
	}
	return nil
}

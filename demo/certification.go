package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/certification"
	"safetynet/idcard"
	"safetynet/sqlstore"
)

// certificationDemo is a recipient in 腰站社区 whose payment requires
// survival certification.
type certificationDemo struct {
	name     string
	birth    string
	sex      idcard.Sex
	grid     string
	address  string
	category string // dibao (yearly) or tekun (half-yearly)
	dueIn    int    // days from today to the due date; negative when overdue
}

var certificationDemos = []certificationDemo{
	{"周玉兰", "1941-04-02", idcard.Female, "-01-01", "棠梨湾9号", "dibao", 3},
	{"吴长贵", "1946-11-19", idcard.Male, "-01-02", "棠梨湾16号", "tekun", 9},
	{"郑秀芝", "1938-06-25", idcard.Female, "-02-01", "下大桥2号", "dibao", 17},
	{"孙有福", "1950-01-30", idcard.Male, "-02-02", "下大桥11号", "dibao", 26},
	{"钱桂芳", "1944-09-09", idcard.Female, "-03-01", "南村8号", "tekun", -12},
}

// LoadCertification adds recipients of 低保 and 特困供养 in 腰站社区 due
// for survival certification within the next 30 days, one of them 12
// days overdue (on the county's suspension review list), gives them their
// due dates and reminders, and records last month's certifications of two
// others so that the figures have a previous period.
func LoadCertification(ctx context.Context, s *sqlstore.Store) error {
	u, err := s.UserByUsername(ctx, access.System(), "village")
	if err != nil {
		return fmt.Errorf("demo: certification: %w", err)
	}
	village := access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "demo"}
	rng := rand.New(rand.NewPCG(11, 11))
	today := certification.Day(s.Now())
	months := map[string]int{"dibao": 12, "tekun": 6}
	for _, d := range certificationDemos {
		birth, _ := time.Parse("2006-01-02", d.birth)
		h, err := s.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: Yaozhan + d.grid, Address: d.address},
			safetynet.PersonInput{Name: d.name, IDNumber: idcard.Generate(rng, Fuyuan, birth, d.sex)})
		if err != nil {
			return fmt.Errorf("demo: certification household %s: %w", d.name, err)
		}
		start := certification.AddMonths(today.AddDate(0, 0, d.dueIn), -months[d.category])
		if _, err := s.AssignCategory(ctx, village, safetynet.SubjectHousehold, h, safetynet.NewAssignment{Category: d.category,
			Start: time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC), Reason: "审批（演示）", Source: "import"}); err != nil {
			return fmt.Errorf("demo: certification category %s: %w", d.name, err)
		}
	}
	// In 望城区, 西塘街社区 has a 特困 recipient due in 6 days (at the
	// community, so that the grid's report form lists only what its tests seed).
	wu, err := s.UserByUsername(ctx, access.System(), "wc-village")
	if err != nil {
		return fmt.Errorf("demo: certification: %w", err)
	}
	wc := access.Actor{UserID: wu.ID, Username: wu.Username, Role: wu.Role, Place: wu.PlaceCode, IP: "demo"}
	h, err := s.CreateHousehold(ctx, wc, safetynet.HouseholdInput{PlaceCode: "430112001001", Address: "西塘街5栋"},
		safetynet.PersonInput{Name: "宋立新", IDNumber: idcard.Generate(rng, "430112", time.Date(1990, 8, 1, 0, 0, 0, 0, time.UTC), idcard.Male)})
	if err != nil {
		return fmt.Errorf("demo: certification household in 望城区: %w", err)
	}
	start := certification.AddMonths(today.AddDate(0, 0, 6), -months["tekun"])
	if _, err := s.AssignCategory(ctx, wc, safetynet.SubjectHousehold, h, safetynet.NewAssignment{Category: "tekun",
		Start: time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC), Reason: "审批（演示）", Source: "import"}); err != nil {
		return fmt.Errorf("demo: certification category in 望城区: %w", err)
	}
	if _, err := s.RefreshCertifications(ctx, true); err != nil {
		return fmt.Errorf("demo: certification refresh: %w", err)
	}
	// Two more recipients certified recently, so the figures have this
	// period and the previous one: a face recognition 10 days ago and a
	// data comparison 45 days ago, recorded by the village staff.
	for i, d := range []struct {
		c        certificationDemo
		method   string
		evidence string
		ago      int
	}{
		{certificationDemo{"冯桂香", "1948-03-08", idcard.Female, "-01-01", "棠梨湾21号", "dibao", 25}, certification.MethodFace, "", 10},
		{certificationDemo{"何德顺", "1943-12-12", idcard.Male, "-02-01", "下大桥19号", "tekun", 20}, certification.MethodData, "县人民医院住院记录", 45},
	} {
		birth, _ := time.Parse("2006-01-02", d.c.birth)
		h, err := s.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: Yaozhan + d.c.grid, Address: d.c.address},
			safetynet.PersonInput{Name: d.c.name, IDNumber: idcard.Generate(rng, Fuyuan, birth, d.c.sex)})
		if err != nil {
			return fmt.Errorf("demo: certification household %s: %w", d.c.name, err)
		}
		start := certification.AddMonths(today.AddDate(0, 0, d.c.dueIn), -months[d.c.category])
		if _, err := s.AssignCategory(ctx, village, safetynet.SubjectHousehold, h, safetynet.NewAssignment{Category: d.c.category,
			Start: time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC), Reason: "审批（演示）", Source: "import"}); err != nil {
			return fmt.Errorf("demo: certification category %s: %w", d.c.name, err)
		}
		if _, err := s.RefreshCertifications(ctx, true); err != nil {
			return fmt.Errorf("demo: certification refresh: %w", err)
		}
		l, err := s.Certifications(ctx, village, sqlstore.CertificationFilter{Within: 60 * 24 * time.Hour})
		if err != nil {
			return err
		}
		for _, c := range l {
			if c.HouseholdID != h {
				continue
			}
			if _, _, err := s.RecordCertification(ctx, village, c.ID, sqlstore.CertificationInput{ClientID: fmt.Sprintf("demo-certification-%d", i),
				Record: certification.Record{Method: d.method, On: today.AddDate(0, 0, -d.ago), Evidence: d.evidence}}); err != nil {
				return fmt.Errorf("demo: certification record %s: %w", d.c.name, err)
			}
		}
	}
	return nil
}

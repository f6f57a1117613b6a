// Package demo fills an empty store with demonstration data: the real
// divisions of the five seed counties, groups and grids under
// 富源县胜境街道腰站社区 (and one community of each other county), and one
// user per role. Every name is invented and every password is Password.
package demo

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/divisions"
	"safetynet/sqlstore"
)

// Password is the password of every demo user.
const Password = "demo-pass-2026"

// Yaozhan is 富源县胜境街道腰站社区, the community of seed 000.
const Yaozhan = "530325002009"

// groups are the groups created under a village, each with its grids.
type group struct {
	village, code, name string
	grids               []string
}

var groups = []group{
	{Yaozhan, Yaozhan + "-01", "棠梨湾居民小组", []string{"棠梨湾第一网格", "棠梨湾第二网格"}},
	{Yaozhan, Yaozhan + "-02", "下大桥居民小组", []string{"下大桥第一网格", "下大桥第二网格"}},
	{Yaozhan, Yaozhan + "-03", "南村居民小组", []string{"南村第一网格"}},
	{"430112001001", "430112001001-01", "西塘街第一居民小组", []string{"西塘街一组网格"}}, // 望城区高塘岭街道西塘街社区 (seed 003)
	{"370781103220", "370781103220-01", "滴水崖一组", []string{"滴水崖一组网格"}},     // 青州市庙子镇滴水崖村 (seed 001)
	{"410804001001", "410804001001-01", "第一居民小组", []string{"第一网格"}},       // 马村区马村街道 (seed 002)
	{"620922201202", "620922201202-01", "布隆吉村一组", []string{"布隆吉村一组网格"}},   // 瓜州县布隆吉乡布隆吉村 (seed 004)
}

// User is a demo login.
type User struct {
	Username, DisplayName string
	Role                  safetynet.Role
	Place                 string
}

// Users are the demo logins, at least one per role. The README lists them.
var Users = []User{
	{"admin", "系统管理员", safetynet.RoleAdmin, safetynet.RootPlaceCode},
	{"county", "县民政局 周明", safetynet.RoleCountyOfficer, "530325"},
	{"town", "胜境街道 李华", safetynet.RoleTownOfficer, "530325002"},
	{"village", "腰站社区民政专干 王芳", safetynet.RoleVillageStaff, Yaozhan},
	{"grid", "网格员 赵刚", safetynet.RoleGridWorker, Yaozhan + "-01-01"},
	{"grid2", "网格员 孙丽", safetynet.RoleGridWorker, Yaozhan + "-02-01"},
	{"dept", "县医保局数据接口", safetynet.RoleDepartment, "530325"},
	{"dept-dpf", "县残联数据接口", safetynet.RoleDepartment, "530325"},
	{"dept-housing", "县住建局数据接口", safetynet.RoleDepartment, "530325"},
	{"dept-edu", "县教育局数据接口", safetynet.RoleDepartment, "530325"},
	{"dept-civil", "县民政局数据接口", safetynet.RoleDepartment, "530325"},
	{"social", "阳光社工 陈静", safetynet.RoleSocialWorker, "530325002"},
	{"volunteer", "志愿者 刘洋", safetynet.RoleVolunteer, Yaozhan},
	{"inspector", "督查组 吴强", safetynet.RoleInspector, "530325"},
	{"wc-county", "望城区民政局 黄敏", safetynet.RoleCountyOfficer, "430112"},
	{"wc-town", "高塘岭街道 罗建", safetynet.RoleTownOfficer, "430112001"},
	{"wc-village", "西塘街社区民政专干 邓婷", safetynet.RoleVillageStaff, "430112001001"},
	{"wc-grid", "网格员 许亮", safetynet.RoleGridWorker, "430112001001-01-01"},
}

// Options say how much demo data to load.
type Options struct {
	// Households is the number of synthetic households to generate.
	Households int
	// Seed makes the generated households reproducible.
	Seed uint64
}

// Load fills the store if it has no users yet; it reports whether it did.
func Load(ctx context.Context, s *sqlstore.Store, opt Options) (bool, error) {
	sys := access.System()
	existing, err := s.Users(ctx, sys, safetynet.UserFilter{Limit: 1, IncludeDisabled: true})
	if err != nil {
		return false, err
	}
	if len(existing) > 0 {
		return false, nil
	}
	rows, rowErrs, err := divisions.Parse(divisions.Seed())
	if err != nil {
		return false, fmt.Errorf("demo: divisions: %w", err)
	}
	if len(rowErrs) > 0 {
		return false, fmt.Errorf("demo: divisions line %d: %s", rowErrs[0].Row, rowErrs[0].EN)
	}
	if _, err := s.ImportPlaces(ctx, sys, rows, false); err != nil {
		return false, fmt.Errorf("demo: import divisions: %w", err)
	}
	for _, g := range groups {
		if err := ensurePlace(ctx, s, safetynet.PlaceInput{Code: g.code, Name: g.name, Level: safetynet.LevelGroup, ParentCode: g.village}); err != nil {
			return false, err
		}
		for i, grid := range g.grids {
			code := fmt.Sprintf("%s-%02d", g.code, i+1)
			if err := ensurePlace(ctx, s, safetynet.PlaceInput{Code: code, Name: grid, Level: safetynet.LevelGrid, ParentCode: g.code}); err != nil {
				return false, err
			}
		}
	}
	for _, u := range Users {
		if _, err := s.CreateUser(ctx, sys, safetynet.NewUser{Username: u.Username, DisplayName: u.DisplayName,
			Role: u.Role, PlaceCode: u.Place, Password: Password}); err != nil {
			return false, fmt.Errorf("demo: user %s: %w", u.Username, err)
		}
	}
	if err := LoadRules(ctx, s); err != nil {
		return false, err
	}
	if err := LoadMonitoring(ctx, s); err != nil {
		return false, err
	}
	if err := LoadCertification(ctx, s); err != nil {
		return false, err
	}
	if err := LoadPacts(ctx, s); err != nil {
		return false, err
	}
	if opt.Households > 0 {
		if err := AddHouseholds(ctx, s, opt.Households, opt.Seed, nil); err != nil {
			return false, err
		}
		if err := Colours(ctx, s, 4); err != nil { // red, yellow and green households in 腰站社区 (colours.go)
			return false, err
		}
	}
	if err := LoadFeeds(ctx, s); err != nil {
		return false, err
	}
	if err := LoadWarnings(ctx, s); err != nil {
		return false, err
	}
	if err := LoadVisits(ctx, s); err != nil {
		return false, err
	}
	if err := LoadVolunteering(ctx, s); err != nil {
		return false, err
	}
	if err := LoadServices(ctx, s); err != nil {
		return false, err
	}
	if err := LoadFunds(ctx, s); err != nil {
		return false, err
	}
	if err := LoadScreening(ctx, s); err != nil { // a running 集中排查 of 胜境街道 (screening.go)
		return false, err
	}
	if err := LoadSettlement(ctx, s); err != nil { // after the services' own demo (reviews and an approved month)
		return false, err
	}
	if err := LoadCampaigns(ctx, s); err != nil { // 布隆吉乡's campaign of seed 004 (campaigns.go)
		return false, err
	}
	if err := LoadGoals(ctx, s); err != nil { // its goals' figures and typical cases (goals.go)
		return false, err
	}
	if err := LoadInspections(ctx, s); err != nil {
		return false, err
	}
	if err := LoadRectify(ctx, s); err != nil { // after the inspections' demo: rectifications on its inspection
		return false, err
	}
	if err := LoadEnrolment(ctx, s); err != nil { // its survey-and-register stage (登记造册): lists, submissions, late villages (enrol.go); after the inspections' sample is drawn
		return false, err
	}
	return true, nil
}

func ensurePlace(ctx context.Context, s *sqlstore.Store, in safetynet.PlaceInput) error {
	if _, err := s.Place(ctx, access.System(), in.Code); err == nil {
		return nil
	}
	if _, err := s.CreatePlace(ctx, access.System(), in); err != nil {
		return fmt.Errorf("demo: place %s: %w", in.Name, err)
	}
	return nil
}

// demoActors looks up demo users by username and returns them as actors,
// in the order asked; what names the loader for the error (e.g.
// "services").
func demoActors(ctx context.Context, s *sqlstore.Store, what string, usernames ...string) ([]access.Actor, error) {
	out := make([]access.Actor, len(usernames))
	for i, name := range usernames {
		u, err := s.UserByUsername(ctx, access.System(), name)
		if err != nil {
			return nil, fmt.Errorf("demo: %s: user %s: %w", what, name, err)
		}
		out[i] = access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode, IP: "demo"}
	}
	return out, nil
}

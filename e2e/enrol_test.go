package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/campaigns"
	"safetynet/demo"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestEnrolOnAPhone: on a 360-px phone 腰站社区's staff list a left-behind
// elder the register proposes and a left-behind child found by name (who
// gets the category in the register), confirm the counts and submit; the
// county officer sees the village submitted in the campaign's progress and
// drills down town → village → the village's list.
func TestEnrolOnAPhone(t *testing.T) {
	srv := StartServer(t)
	bg := context.Background()
	village := actor(t, srv, "village")
	today := time.Now().In(campaigns.Zone)
	day := func(d int) string { return today.AddDate(0, 0, d).Format(campaigns.DateLayout) }
	id, err := srv.Store.SeedEnrolCampaign(bg, sqlstore.EnrolSeed{ClientID: "e2e-enrol", Title: "富源县关爱服务行动", Place: "530325",
		StartsOn: day(-20), EndsOn: day(200), CreatedBy: "county",
		Items:    []sqlstore.EnrolSeedItem{{Title: "关爱留守老人", Groups: []string{"left_behind_elderly"}}, {Title: "关爱留守儿童", Groups: []string{"left_behind_child"}}},
		Stages:   []sqlstore.EnrolSeedStage{{Kind: campaigns.StageRegister, Title: "调查摸底", StartsOn: day(-10), EndsOn: day(10)}},
		Villages: [][2]string{{demo.Yaozhan, "530325002"}, {"530325002010", "530325002"}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range []struct {
		name string
		born int
		cat  string
	}{{"甘秀珍", 1946, "left_behind_elderly"}, {"甘小龙", 2015, ""}} {
		h, err := srv.Store.CreateHousehold(bg, village, safetynet.HouseholdInput{PlaceCode: demo.Yaozhan + "-01-01", Address: fmt.Sprintf("棠梨湾%d号", 60+i)},
			safetynet.PersonInput{Name: p.name, IDNumber: idcard.Generate(nil, "530325", time.Date(p.born, 5, 5, 0, 0, 0, 0, time.UTC), idcard.Male)})
		if err != nil {
			t.Fatal(err)
		}
		if p.cat != "" {
			hv, err := srv.Store.HouseholdView(bg, village, h)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := srv.Store.AssignCategory(bg, village, safetynet.SubjectPerson, hv.Members[0].ID, safetynet.NewAssignment{Category: p.cat,
				Start: today.AddDate(-1, 0, 0)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	list := fmt.Sprintf("%s/campaigns/%d/villages/%s/register", srv.URL, id, demo.Yaozhan)
	ctx := Phone(t)
	Do(t, ctx,
		Login(srv.URL, "village"),
		chromedp.Navigate(list),
		chromedp.WaitVisible(chromedp.ID("proposals-left_behind_elderly")),
		chromedp.Click(chromedp.CSS("#proposals-left_behind_elderly button")),
		chromedp.WaitVisible(chromedp.ID("members-left_behind_elderly")),
		chromedp.SendKeys(chromedp.CSS("#search-left_behind_child input[name=q]"), "小龙"),
		chromedp.Click(chromedp.CSS("#search-left_behind_child button")),
		chromedp.WaitVisible(chromedp.ID("hits-left_behind_child")),
	)
	if got := Text(t, ctx, chromedp.ID("hits-left_behind_child")); !strings.Contains(got, "甘小龙") || !strings.Contains(got, "将在台账中加上类别") {
		t.Fatalf("search hits: %q", got)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.CSS("#hits-left_behind_child button")),
		chromedp.WaitVisible(chromedp.ID("members-left_behind_child")),
	)
	for _, g := range []string{"left_behind_elderly", "left_behind_child"} {
		if got := Text(t, ctx, chromedp.ID("count-"+g)); got != "1" {
			t.Fatalf("%s count %q", g, got)
		}
	}
	Do(t, ctx,
		chromedp.Click(chromedp.ID("enrol-confirm")),
		chromedp.Click(chromedp.ID("enrol-submit-button")),
		chromedp.WaitVisible(chromedp.ID("enrol-submitted")),
	)
	if got := Text(t, ctx, chromedp.ID("enrol-status")); got != "已提交" {
		t.Fatalf("status %q", got)
	}
	// The child now holds 留守儿童 in the register.
	hits, err := srv.Store.Search(bg, village, "甘小龙", 1)
	if err != nil || len(hits) != 1 {
		t.Fatal(hits, err)
	}
	pv, err := srv.Store.PersonView(bg, village, hits[0].Person.ID)
	if err != nil {
		t.Fatal(err)
	}
	held := false
	for _, a := range pv.History {
		held = held || (a.Category == "left_behind_child" && a.Active())
	}
	if !held {
		t.Fatalf("the child's categories: %+v", pv.History)
	}
	// The county drills down to the village.
	Do(t, ctx,
		Logout(),
		Login(srv.URL, "county"),
		chromedp.Navigate(fmt.Sprintf("%s/campaigns/%d/progress", srv.URL, id)),
		chromedp.WaitVisible(chromedp.ID("progress-rows")),
	)
	if got := Text(t, ctx, chromedp.ID("total-submitted")); got != "1" {
		t.Fatalf("county: submitted %q", got)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.CSS("#progress-rows a.drill")), // 胜境街道
		chromedp.WaitVisible(chromedp.CSS("#progress-rows a.drill")),
	)
	if got := Text(t, ctx, chromedp.ID("progress-rows")); !strings.Contains(got, "腰站社区") || !strings.Contains(got, "已提交") || !strings.Contains(got, "未开始") {
		t.Fatalf("town rows: %q", got)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.CSS("#progress-rows a.drill")), // 腰站社区
		chromedp.WaitVisible(chromedp.ID("progress-register-link")),
		chromedp.Click(chromedp.ID("progress-register-link")),
		chromedp.WaitVisible(chromedp.ID("members-left_behind_child")),
	)
	if got := Text(t, ctx, chromedp.ID("members-left_behind_child")); !strings.Contains(got, "甘小龙") {
		t.Fatalf("the village's list seen by the county: %q", got)
	}
}

// seedEnrolWalk gives the phone walk a running campaign of 富源县 whose
// register stage is open, with 腰站社区's list begun, so that the progress
// page and the village's list are reached from the campaign's page.
func seedEnrolWalk(t *testing.T, srv *Server, clock *storetest.Clock) {
	t.Helper()
	bg := context.Background()
	today := clock.Now().In(campaigns.Zone)
	day := func(d int) string { return today.AddDate(0, 0, d).Format(campaigns.DateLayout) }
	id, err := srv.Store.SeedEnrolCampaign(bg, sqlstore.EnrolSeed{ClientID: "walk-enrol", Title: "富源县关爱服务行动", Place: "530325",
		StartsOn: day(-20), EndsOn: day(200), CreatedBy: "county",
		Items:    []sqlstore.EnrolSeedItem{{Title: "关爱留守老人", Groups: []string{"left_behind_elderly"}}, {Title: "关爱留守儿童", Groups: []string{"left_behind_child"}}},
		Stages:   []sqlstore.EnrolSeedStage{{Kind: campaigns.StageRegister, Title: "调查摸底", StartsOn: day(-10), EndsOn: day(10)}},
		Villages: [][2]string{{demo.Yaozhan, "530325002"}, {"530325002010", "530325002"}}})
	if err != nil {
		t.Fatal(err)
	}
	village := actor(t, srv, "village")
	hits, err := srv.Store.EnrolSearch(bg, village, id, demo.Yaozhan, "left_behind_elderly", "祝")
	if err != nil || len(hits) == 0 {
		t.Fatalf("a resident to list: %v %v", hits, err)
	}
	if _, err := srv.Store.AddEnrolMember(bg, village, id, demo.Yaozhan, sqlstore.EnrolAdd{Group: "left_behind_elderly", PersonID: hits[0].PersonID}); err != nil {
		t.Fatal(err)
	}
}

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet/campaigns"
	"safetynet/demo"
	"safetynet/services"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// fillJS sets the named fields of the page's form (a select with
// several choices takes them comma-separated).
const fillJS = `(function (vals) {
  for (const [n, v] of Object.entries(vals)) {
    const el = document.querySelector('[name="' + n + '"]');
    if (!el) { throw new Error("no field " + n); }
    if (el.multiple) { for (const o of el.options) { o.selected = v.split(",").includes(o.value); } } else { el.value = v; }
  }
})(%s); undefined`

func fill(vals map[string]string) chromedp.Action[chromedp.Void] {
	b, _ := json.Marshal(vals)
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(fillJS, b))
}

// TestCampaignOnAPhone: on a 360-px phone 布隆吉乡's officer enters seed
// 004's plan on the form — four work items (three added with the form's
// own button), their lead and cooperating units, a goal, five dated
// stages — saves it and starts it; 布隆吉村's staff then find it under
// 我的专项任务 with the carry-out stage under way and record a 平安夜话.
func TestCampaignOnAPhone(t *testing.T) {
	srv := StartServer(t)
	bg := context.Background()
	units, err := srv.Store.OrgUnits(bg, actor(t, srv, "blj-town"), demo.Bulongji)
	if err != nil || len(units) < 10 {
		t.Fatalf("units = %+v %v", units, err)
	}
	unit := map[string]string{}
	for _, u := range units {
		unit[u.Name] = fmt.Sprint(u.ID)
	}
	seed := demo.SeedCampaign(func(string) int64 { return 0 })
	start := time.Now().In(campaigns.Zone).AddDate(0, 0, -61).Format(campaigns.DateLayout)
	plan, err := campaigns.Shift(seed, start)
	if err != nil {
		t.Fatal(err)
	}
	leads := []string{"乡社会发展办(民政、卫健、医保)", "乡妇联", "乡社会发展办(文化教育)", "乡社会发展办(民政)"}
	coops := []string{"", unit["乡司法所"], unit["布隆吉乡中心小学"] + "," + unit["团乡委"], unit["乡残联"]}

	ctx := Phone(t)
	Do(t, ctx,
		Login(srv.URL, "blj-town"),
		chromedp.Click(chromedp.ID("nav-campaigns")),
		chromedp.Click(chromedp.ID("campaign-new")),
		chromedp.WaitVisible(chromedp.ID("campaign-form")),
		chromedp.SendKeys(chromedp.ID("campaign-title"), "布隆吉乡关爱服务行动（新一轮）"),
		chromedp.SendKeys(chromedp.ID("campaign-doc"), "瓜农领办发[2026]8号"),
		fill(map[string]string{"starts_on": plan.StartsOn, "ends_on": plan.EndsOn, "aims": plan.Aims,
			"item_title_0": plan.Items[0].Title, "item_groups_0": "left_behind_elderly", "item_lead_0": unit[leads[0]]}),
	)
	for i := 1; i < 4; i++ {
		Do(t, ctx,
			chromedp.Click(chromedp.ID("add-item")),
			chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("item-%d", i))),
			fill(map[string]string{fmt.Sprintf("item_title_%d", i): plan.Items[i].Title, fmt.Sprintf("item_lead_%d", i): unit[leads[i]],
				fmt.Sprintf("item_groups_%d", i): strings.Join(plan.Items[i].Groups, ",")}),
		)
	}
	vals := map[string]string{"goal_title_0": "留守儿童走访率", "goal_metric_0": "visited_share", "goal_group_0": "left_behind_child",
		"goal_target_0": "100", "goal_item_0": "3"}
	for i, st := range plan.Stages {
		k := fmt.Sprint(i)
		vals["stage_kind_"+k], vals["stage_title_"+k], vals["stage_starts_"+k], vals["stage_ends_"+k] = st.Kind, st.Title, st.StartsOn, st.EndsOn
	}
	Do(t, ctx, fill(vals))
	// The cooperating units are ticked as a user would.
	for i, c := range coops {
		for _, id := range strings.Split(c, ",") {
			if id != "" {
				Do(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#item-%d input[name="item_coop_%d"][value="%s"]`, i, i, id))))
			}
		}
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 360 {
		t.Errorf("the form is %d px wide (%v)", w, err)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.ID("campaign-save")),
		chromedp.WaitVisible(chromedp.ID("campaign-start")),
		AcceptConfirms(),
		chromedp.Click(chromedp.ID("campaign-start")),
		chromedp.WaitVisible(chromedp.ID("campaign-end")),
	)
	if s := Text(t, ctx, chromedp.ID("campaign-status")); s != "进行中" {
		t.Errorf("status = %q", s)
	}
	if s := Text(t, ctx, chromedp.ID("campaign-items")); !strings.Contains(s, "布隆吉乡中心小学") || !strings.Contains(s, "乡妇联") || strings.Count(s, "用心用情") != 4 {
		t.Errorf("work items = %q", s)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#campaign-stages li").length`)); err != nil || n != 5 {
		t.Errorf("%d stages (%v)", n, err)
	}
	if s := Text(t, ctx, chromedp.ID("stage-current")); !strings.Contains(s, "工作开展") {
		t.Errorf("current stage = %q", s)
	}
	Do(t, ctx, Logout(),
		Login(srv.URL, "blj-village"),
		chromedp.Click(chromedp.ID("nav-campaigns")),
		chromedp.Click(chromedp.ID("campaigns-mine-link")),
		chromedp.WaitVisible(chromedp.ID("task-list")),
	)
	if s := Text(t, ctx, chromedp.ID("task-list")); !strings.Contains(s, "布隆吉乡关爱服务行动（新一轮）") || !strings.Contains(s, "工作开展阶段") {
		t.Errorf("tasks = %q", s)
	}
	// A phone's photo, 2400×1800 and well over a megabyte, scaled down
	// on the phone before it is sent.
	img := image.NewRGBA(image.Rect(0, 0, 2400, 1800))
	rnd := rand.New(rand.NewPCG(4, 4))
	for i := range img.Pix {
		img.Pix[i] = byte(rnd.IntN(256))
	}
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "activity.jpg")
	if err := os.WriteFile(photo, jb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.Search(`//a[contains(., "新一轮")]`)),
		chromedp.WaitVisible(chromedp.ID("village-stages")),
		chromedp.SendKeys(chromedp.ID("activity-title"), "平安夜话"),
		chromedp.SendKeys(chromedp.ID("activity-participants"), "18"),
		chromedp.SetUploadFiles(chromedp.CSS(`#activity-form input[name="photo"]`), []string{photo}),
		chromedp.Click(chromedp.ID("activity-submit")),
		chromedp.WaitVisible(chromedp.ID("activity-list")),
	)
	if s := Text(t, ctx, chromedp.ID("activity-list")); !strings.Contains(s, "平安夜话") || !strings.Contains(s, "18") {
		t.Errorf("activities = %q", s)
	}
	if s := Text(t, ctx, chromedp.ID("village-stages")); !strings.Contains(s, "进行中") {
		t.Errorf("stages = %q", s)
	}
	acts, err := srv.Store.CampaignActivities(bg, actor(t, srv, "blj-village"), mustCampaign(t, srv, "布隆吉乡关爱服务行动（新一轮）"), demo.Bulongjicun)
	if err != nil || len(acts) != 1 || !acts[0].HasPhoto {
		t.Fatalf("activities = %+v %v", acts, err)
	}
	b, err := srv.Store.CampaignActivityPhoto(bg, actor(t, srv, "blj-town"), acts[0].ID)
	if err != nil || len(b) >= jb.Len() || len(b) > 1<<20 {
		t.Errorf("photo of %d bytes kept (sent %d): %v", len(b), jb.Len(), err)
	}
}

func mustCampaign(t *testing.T, srv *Server, title string) int64 {
	t.Helper()
	l, err := srv.Store.Campaigns(context.Background(), actor(t, srv, "blj-town"), sqlstore.CampaignFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range l {
		if c.Title == title {
			return c.ID
		}
	}
	t.Fatalf("no campaign %s", title)
	return 0
}

// seedCampaigns gives the phone walk a running campaign of 胜境街道 with
// 腰站社区's activity, so that the campaign's pages are inspected.
func seedCampaigns(t *testing.T, srv *Server, clock *storetest.Clock) {
	t.Helper()
	ctx := context.Background()
	town, village := actor(t, srv, "town"), actor(t, srv, "village")
	u, err := srv.Store.SaveOrgUnit(ctx, town, campaigns.Unit{PlaceCode: "530325002", Name: "街道社会事务办"}, []int64{town.UserID})
	if err != nil {
		t.Fatal(err)
	}
	today := clock.Now().In(campaigns.Zone)
	c, err := campaigns.Shift(demo.SeedCampaign(func(string) int64 { return u.ID }), today.AddDate(0, 0, -61).Format(campaigns.DateLayout))
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.Items {
		c.Items[i].Units = c.Items[i].Units[:1]
	}
	c.ClientID, c.PlaceCode, c.Title, c.Goals[0].Measure = "walk-campaign", "530325002", "胜境街道关爱服务行动", "dibao"
	made, _, err := srv.Store.CreateCampaign(ctx, town, c)
	if err != nil {
		t.Fatal(err)
	}
	if made, err = srv.Store.StartCampaign(ctx, town, made.ID, made.Version); err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.Store.RecordCampaignActivity(ctx, village, campaigns.Activity{ClientID: "walk-activity", CampaignID: made.ID,
		ItemID: made.Items[0].ID, VillageCode: demo.Yaozhan, Title: "平安夜话", HeldOn: today.AddDate(0, 0, -1).Format(campaigns.DateLayout),
		Venue: "社区活动室", Participants: 20, Photo: services.PNG(40, 30, 3)}); err != nil {
		t.Fatal(err)
	}
}

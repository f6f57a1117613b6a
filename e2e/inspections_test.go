package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"safetynet/inspections"
	"safetynet/sqlstore"
)

// TestInspectionOnAPhone: on a 360-px phone the demo inspector creates an
// unannounced inspection of 胜境街道, draws its sample; the village's
// staff sees nothing of it, neither in the list nor at its address; the
// inspector arrives and starts it, opens a sampled household, sees what
// the system says about it, answers the checklist with a problem and a
// photo; the check (sent through the phone's queue) shows on the page and
// in the store with its photo.
func TestInspectionOnAPhone(t *testing.T) {
	srv := StartServer(t)
	bg := context.Background()
	photo := filepath.Join(t.TempDir(), "door.jpg")
	img := image.NewRGBA(image.Rect(0, 0, 80, 60))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 13)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(photo, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	title := "十二月胜境街道暗访"
	ctx := Phone(t)
	Do(t, ctx,
		Login(srv.URL, "inspector"),
		chromedp.Click(chromedp.ID("nav-inspections")),
		chromedp.Click(chromedp.ID("insp-new")),
		chromedp.WaitVisible(chromedp.ID("insp-form")),
		chromedp.SendKeys(chromedp.ID("insp-title"), title),
		chromedp.SetValue(chromedp.ID("insp-area"), "530325002"),
		chromedp.SetValue(chromedp.ID("insp-villages"), "1"),
		chromedp.SetValue(chromedp.ID("insp-households"), "2"),
		chromedp.Click(chromedp.ID("insp-create")),
		chromedp.WaitVisible(chromedp.Search(`//p[@class="flash" and contains(., "督查已创建")]`)),
		chromedp.Click(chromedp.ID("insp-draw")),
		chromedp.WaitVisible(chromedp.Search(`//p[@class="flash" and contains(., "样本已抽取")]`)),
		chromedp.WaitVisible(chromedp.ID("insp-sample")),
	)
	l, err := srv.Store.Inspections(bg, actor(t, srv, "inspector"), sqlstore.InspectionFilter{})
	var id int64
	for _, in := range l {
		if in.Title == title {
			id = in.ID
		}
	}
	if err != nil || id == 0 {
		t.Fatalf("inspections = %+v %v", l, err)
	}
	if got := Text(t, ctx, chromedp.ID("insp-status")); !strings.Contains(got, "保密") {
		t.Errorf("status reads %q", got)
	}

	// The village's staff: no inspection listed, its address not found.
	village := Phone(t)
	Do(t, village,
		Login(srv.URL, "village"),
		chromedp.Click(chromedp.ID("nav-inspections")),
		chromedp.WaitVisible(chromedp.ID("insp-none")),
	)
	if got := Text(t, village, chromedp.CSS("main")); strings.Contains(got, title) {
		t.Fatalf("the village sees the inspection before the start: %q", got)
	}
	Do(t, village, chromedp.Navigate(fmt.Sprintf("%s/inspections/%d", srv.URL, id)), chromedp.WaitVisible(chromedp.CSS("main")))
	if got := Text(t, village, chromedp.CSS("main")); strings.Contains(got, title) || !strings.Contains(got, "未找到") {
		t.Fatalf("the inspection's address, for the village: %q", got)
	}

	// Arrived: start, open the first household, check it.
	Do(t, ctx,
		AcceptConfirms(),
		chromedp.Click(chromedp.ID("insp-start")),
		chromedp.WaitVisible(chromedp.Search(`//p[@class="flash" and contains(., "督查已开始")]`)),
		chromedp.Click(chromedp.CSS(`#insp-sample li a`)),
		chromedp.WaitVisible(chromedp.ID("insp-prefill")),
		chromedp.WaitVisible(chromedp.ID("insp-check-form")),
	)
	for _, it := range inspections.Items {
		ans := "ok"
		if it.Code == inspections.ItemLedger {
			ans = "problem"
		}
		Do(t, ctx, chromedp.Click(chromedp.ID("a-"+it.Code+"-"+ans)))
	}
	Do(t, ctx,
		chromedp.SendKeys(chromedp.ID("n-ledger"), "台账人口与实际不符"),
		chromedp.SendKeys(chromedp.ID("insp-says"), "低保按月到账"),
		chromedp.SetUploadFiles(chromedp.ID("insp-photos"), []string{photo}),
		chromedp.Click(chromedp.ID("insp-save")),
		chromedp.WaitVisible(chromedp.ID("insp-check")),
	)
	if got := Text(t, ctx, chromedp.ID("insp-check")); !strings.Contains(got, "台账人口与实际不符") || !strings.Contains(got, "有问题") {
		t.Errorf("the check reads %q", got)
	}
	checks, err := srv.Store.ChecksOf(bg, actor(t, srv, "inspector"), id)
	if err != nil || len(checks) != 1 || len(checks[0].Photos) != 1 || len(inspections.Problems(checks[0].Answers)) != 1 {
		t.Fatalf("checks = %+v %v", checks, err)
	}
	// No signal at the second household: it was not found; the check waits
	// on the phone and arrives once the signal returns.
	second := int64(0)
	for _, sv := range inspectorView(t, srv, id).Sample {
		for _, h := range sv.Households {
			if h.Status == inspections.HouseholdPending {
				second = h.ID
			}
		}
	}
	if second == 0 {
		t.Fatal("no second household drawn")
	}
	Do(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/inspection-samples/%d", srv.URL, second)),
		chromedp.WaitVisible(chromedp.ID("insp-check-form")),
	)
	srv.Cut.Store(true)
	Do(t, ctx,
		setOnline(false),
		chromedp.WaitVisible(chromedp.ID("insp-offline")),
		chromedp.Click(chromedp.ID("found-no")),
		chromedp.SendKeys(chromedp.ID("insp-note"), "两次敲门无人应答"),
		chromedp.Click(chromedp.ID("insp-save")),
		chromedp.WaitVisible(chromedp.ID("insp-queued")),
		chromedp.WaitVisible(chromedp.ID("insp-pending")),
	)
	if c, _ := srv.Store.ChecksOf(bg, actor(t, srv, "inspector"), id); len(c) != 1 {
		t.Fatalf("with no signal the store has %d checks", len(c))
	}
	srv.Cut.Store(false)
	Do(t, ctx,
		setOnline(true),
		chromedp.WaitVisible(chromedp.ID("insp-check")),
	)
	if got := Text(t, ctx, chromedp.ID("sample-status")); !strings.Contains(got, "未找到") {
		t.Errorf("the second household's status reads %q", got)
	}
	// Started: the village's staff now sees it if one of its households was drawn.
	v := inspectorView(t, srv, id)
	if len(v.Sample) == 1 && v.Sample[0].Code == "530325002009" {
		Do(t, village, chromedp.Navigate(srv.URL+"/inspections"), chromedp.WaitVisible(chromedp.ID("insp-list")))
		if got := Text(t, village, chromedp.ID("insp-list")); !strings.Contains(got, title) {
			t.Errorf("the village's list after the start reads %q", got)
		}
	}
}

// inspectorView is the inspection as its inspector sees it.
func inspectorView(t *testing.T, srv *Server, id int64) sqlstore.InspectionView {
	t.Helper()
	v, err := srv.Store.InspectionByID(context.Background(), actor(t, srv, "inspector"), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

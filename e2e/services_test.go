package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/services"
	"safetynet/sqlstore"
)

// TestServicesOffline: on a 360-px phone 高塘岭街道 registers 阳光社工 with
// its contract (30 yuan a cleaning) and adds a social worker with a
// login; it adds an elderly woman's household to the contract and plans
// a weekly cleaning; the village issues the household's code; the social
// worker, with no signal, records the cleaning from 我的服务 with a photo
// and the code; the record waits on the phone (also across a reload) and
// arrives once when the signal returns, once only even if sent again.
func TestServicesOffline(t *testing.T) {
	srv := StartServer(t)
	bg := context.Background()
	hh := seedHousehold(t, srv, "孟秀珍", time.Date(1941, 2, 14, 0, 0, 0, 0, time.UTC))
	if _, err := srv.Store.CreateUser(bg, access.System(), safetynet.NewUser{Username: "wc-social", DisplayName: "阳光社工 周敏",
		Role: safetynet.RoleSocialWorker, PlaceCode: "430112001", Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "clean.jpg")
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	img.Set(3, 3, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(photo, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// The town registers the organisation, its contract and a worker.
	ctx := Phone(t)
	Do(t, ctx,
		Login(srv.URL, "wc-town"),
		chromedp.Click(chromedp.ID("nav-services")),
		chromedp.Click(chromedp.ID("org-new")),
		chromedp.WaitVisible(chromedp.ID("org-form")),
		chromedp.SendKeys(chromedp.ID("org-name"), "阳光社工"),
		chromedp.SendKeys(chromedp.ID("contract-title"), "高塘岭街道困难群众居家服务"),
		chromedp.SendKeys(chromedp.ID("contract-doc"), "高街购〔2026〕5号"),
		chromedp.SendKeys(chromedp.ID("contract-budget"), "200000"),
		chromedp.SendKeys(chromedp.ID("price-cleaning"), "30"),
		chromedp.SendKeys(chromedp.ID("price-deep_cleaning"), "80"),
		chromedp.Click(chromedp.ID("org-submit")),
		chromedp.WaitVisible(chromedp.Search(`//p[@class="flash" and contains(., "服务机构和合同已登记")]`)),
		chromedp.SendKeys(chromedp.ID("worker-name"), "周敏"),
		chromedp.SendKeys(chromedp.ID("worker-username"), "wc-social"),
		chromedp.Click(chromedp.ID("worker-submit")),
		chromedp.WaitVisible(chromedp.Search(`//ul[@id="worker-list"]/li[contains(., "周敏")]`)),
	)
	if got := Text(t, ctx, chromedp.ID("worker-list")); !strings.Contains(got, "周敏") || !strings.Contains(got, "社工") {
		t.Fatalf("workers read %q", got)
	}
	if got := Text(t, ctx, chromedp.CSS(".contract")); !strings.Contains(got, "30.00") || !strings.Contains(got, "保洁") {
		t.Fatalf("the contract reads %q", got)
	}
	town := actor(t, srv, "wc-town")
	orgs, err := srv.Store.ServiceOrgs(bg, town)
	if err != nil || len(orgs) != 1 || len(orgs[0].Contracts) != 1 {
		t.Fatalf("orgs = %+v %v", orgs, err)
	}
	contract := orgs[0].Contracts[0].ID
	full, err := srv.Store.ServiceOrg(bg, town, orgs[0].ID)
	if err != nil || len(full.Workers) != 1 {
		t.Fatalf("org = %+v %v", full, err)
	}
	worker := full.Workers[0].ID

	// On the household's page: into the contract, then a weekly cleaning.
	Do(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/households/%d", srv.URL, hh)),
		chromedp.WaitVisible(chromedp.ID("household-services")),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#household-services details").forEach(function (d) { d.open = true; }); undefined`),
		chromedp.SetValue(chromedp.CSS(`form[action="/services/contracts/0/coverage"] select[name=contract]`), fmt.Sprint(contract)),
		chromedp.Click(chromedp.CSS(`form[action="/services/contracts/0/coverage"] button`)),
		chromedp.WaitVisible(chromedp.Search(`//p[@class="flash" and contains(., "已加入服务合同")]`)),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#household-services details").forEach(function (d) { d.open = true; }); undefined`),
		chromedp.SetValue(chromedp.CSS(`#plan-form select[name=contract]`), fmt.Sprint(contract)),
		chromedp.SetValue(chromedp.ID("plan-frequency"), string(services.Weekly)),
		chromedp.SetValue(chromedp.CSS(`#plan-form select[name=worker_id]`), fmt.Sprint(worker)),
		chromedp.Click(chromedp.ID("plan-submit")),
		chromedp.WaitVisible(chromedp.Search(`//p[@class="flash" and contains(., "服务计划已保存")]`)),
	)
	if got := Text(t, ctx, chromedp.ID("household-services")); !strings.Contains(got, "每周") || !strings.Contains(got, "周敏") {
		t.Fatalf("the household's services read %q", got)
	}

	// The village issues the household's code.
	Do(t, ctx,
		Logout(),
		Login(srv.URL, "wc-village"),
		chromedp.Navigate(fmt.Sprintf("%s/households/%d", srv.URL, hh)),
		chromedp.Click(chromedp.ID("issue-code")),
		chromedp.WaitVisible(chromedp.ID("code-value")),
	)
	code := strings.TrimSpace(Text(t, ctx, chromedp.ID("code-value")))
	if !services.ValidCode(code) {
		t.Fatalf("code %q", code)
	}

	// The social worker's day lists the cleaning.
	social := actor(t, srv, "wc-social")
	day, err := srv.Store.MyServices(bg, social)
	if err != nil || len(day.Items) != 1 {
		t.Fatalf("day = %+v %v", day, err)
	}
	due := day.Items[0].ID
	Do(t, ctx,
		Logout(),
		Login(srv.URL, "wc-social"),
		chromedp.Click(chromedp.ID("nav-services-mine")),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("sdue-%d", due))),
		chromedp.Poll[chromedp.Void](`navigator.serviceWorker.controller !== null && (window.__kept || (caches.match("/services/mine").then(function (r) { window.__kept = !!r; }), false))`,
			chromedp.WithPollingInterval(100*time.Millisecond)),
	)
	if got := Text(t, ctx, chromedp.ID(fmt.Sprintf("sdue-%d", due))); !strings.Contains(got, "孟秀珍") || !strings.Contains(got, "保洁") || !strings.Contains(got, "30.00") {
		t.Errorf("the due cleaning reads %q", got)
	}

	// No signal: the cleaning is recorded with a photo and the code.
	srv.Cut.Store(true)
	Do(t, ctx,
		setOnline(false),
		chromedp.WaitVisible(chromedp.ID("services-offline")),
		chromedp.Click(chromedp.ID(fmt.Sprintf("sopen-%d", due))),
		chromedp.SetUploadFiles(chromedp.ID(fmt.Sprintf("sphoto-%d", due)), []string{photo}),
		chromedp.SendKeys(chromedp.ID(fmt.Sprintf("scode-%d", due)), code),
		chromedp.Click(chromedp.ID(fmt.Sprintf("ssave-%d", due))),
		chromedp.WaitNotVisible(chromedp.ID(fmt.Sprintf("sdue-%d", due))),
		chromedp.WaitVisible(chromedp.ID("services-pending")),
	)
	queued, err := chromedp.Run(ctx, chromedp.Evaluate[string](`localStorage.getItem("safetynet-services")`))
	if err != nil || !strings.Contains(queued, fmt.Sprintf(`"due_id":%d`, due)) || !strings.Contains(queued, "data:image/jpeg;base64,") {
		t.Fatalf("queue = %.300s %v", queued, err)
	}
	Do(t, ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("services-pending")),
		chromedp.WaitNotVisible(chromedp.ID(fmt.Sprintf("sdue-%d", due))),
	)
	if recs, err := srv.Store.ServiceRecords(bg, social, sqlstore.ServiceRecordFilter{HouseholdID: hh}); err != nil || len(recs) != 0 {
		t.Fatalf("records with no connection = %+v %v", recs, err)
	}

	// The signal returns: the record goes by itself, once.
	srv.Cut.Store(false)
	Do(t, ctx,
		setOnline(true),
		chromedp.Poll[chromedp.Void](`localStorage.getItem("safetynet-services") === "[]"`, chromedp.WithPollingInterval(100*time.Millisecond)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.setItem("safetynet-services", %q); window.dispatchEvent(new Event("online")); undefined`, queued)),
		chromedp.Poll[chromedp.Void](`localStorage.getItem("safetynet-services") === "[]"`, chromedp.WithPollingInterval(100*time.Millisecond)),
	)
	recs, err := srv.Store.ServiceRecords(bg, social, sqlstore.ServiceRecordFilter{HouseholdID: hh})
	if err != nil || len(recs) != 1 {
		t.Fatalf("records after the signal returned = %+v %v", recs, err)
	}
	r := recs[0]
	if r.PriceFen != 3000 || r.ConfirmKind != services.ConfirmCode || r.DueID != due || r.WorkerName != "周敏" || len(r.Evidence) != 1 || r.Evidence[0].Mime != "image/jpeg" {
		t.Fatalf("record = %+v", r)
	}
	// The record's page shows it with its photo.
	Do(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/services/records/%d", srv.URL, r.ID)),
		chromedp.WaitVisible(chromedp.CSS("img.evidence-photo")),
	)
	if got := Text(t, ctx, chromedp.ID("record-price")); !strings.Contains(got, "30.00") {
		t.Errorf("price reads %q", got)
	}
	if d, _ := srv.Store.MyServices(bg, social); len(d.Items) != 0 {
		t.Errorf("still due: %+v", d.Items)
	}

	// A deep cleaning without a plan, signed on the screen by the recipient.
	Do(t, ctx,
		chromedp.Navigate(srv.URL+"/services/mine"),
		chromedp.WaitVisible(chromedp.ID("unplanned-form")),
		chromedp.SetValue(chromedp.ID("unplanned-household"), fmt.Sprint(hh)),
		chromedp.SetValue(chromedp.ID("unplanned-type"), string(services.DeepCleaning)),
		chromedp.Evaluate[chromedp.Void](`(function () {
			var c = document.querySelector("#unplanned-form canvas.signature"), r = c.getBoundingClientRect();
			function at(type, x, y) { c.dispatchEvent(new PointerEvent(type, {clientX: r.left + x, clientY: r.top + y, bubbles: true})); }
			at("pointerdown", 20, 60); at("pointermove", 80, 40); at("pointermove", 160, 90); at("pointermove", 240, 50); at("pointerup", 240, 50);
		})(); undefined`),
		chromedp.Click(chromedp.ID("unplanned-save")),
	)
	// The page keeps it and sends it (after asking for the location, at most 4 s).
	for i := 0; i < 150; i++ {
		if recs, err = srv.Store.ServiceRecords(bg, social, sqlstore.ServiceRecordFilter{HouseholdID: hh}); err != nil || len(recs) == 2 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil || len(recs) != 2 || recs[0].Type != services.DeepCleaning || recs[0].ConfirmKind != services.ConfirmSignature ||
		recs[0].PriceFen != 8000 || len(recs[0].Evidence) != 1 || recs[0].Evidence[0].Kind != services.ConfirmSignature {
		t.Fatalf("the signed record = %+v %v", recs, err)
	}
}

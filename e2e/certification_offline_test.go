package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/access"
	"safetynet/certification"
	"safetynet/sqlstore"
)

// seedRecipient gives a household of the wc-grid grid a measure that
// requires survival certification, due in dueIn days, and returns its due.
func seedRecipient(t *testing.T, srv *Server, name, category string, months, dueIn int) int64 {
	t.Helper()
	bg := context.Background()
	hh := seedHousehold(t, srv, name, time.Date(1946, 2, 3, 0, 0, 0, 0, time.UTC))
	start := certification.AddMonths(certification.Day(srv.Store.Now()).AddDate(0, 0, dueIn), -months)
	if _, err := srv.Store.AssignCategory(bg, actor(t, srv, "wc-village"), safetynet.SubjectHousehold, hh, safetynet.NewAssignment{
		Category: category, Start: time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC), Reason: "审批"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.RefreshCertifications(bg, true); err != nil {
		t.Fatal(err)
	}
	l, err := srv.Store.Certifications(bg, access.System(), sqlstore.CertificationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range l {
		if c.HouseholdID == hh {
			return c.ID
		}
	}
	t.Fatalf("no certification due for %s: %+v", name, l)
	return 0
}

// TestCertificationOffline: on a 360-px phone with no signal the grid
// worker records on the day page (今日) how two certifications were
// assisted — a face recognition in the official app, and a home visit
// with a photo (refused on the phone without one) — the records survive a
// reload of the kept page, and each arrives once when the signal returns,
// also when the phone sends them again.
func TestCertificationOffline(t *testing.T) {
	srv := StartServer(t)
	bg := context.Background()
	face := seedRecipient(t, srv, "邱凤英", "dibao", 12, 10)
	home := seedRecipient(t, srv, "陶金凤", "tekun", 6, 4)
	pic := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := 0; x < 40; x++ {
		pic.Set(x, x%30, color.RGBA{200, 40, 40, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, pic); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "home.png")
	if err := os.WriteFile(photo, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx := Phone(t)
	Do(t, ctx,
		Login(srv.URL, "wc-grid"),
		chromedp.Click(chromedp.ID("nav-today")),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("cert-%d", face))),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("cert-%d", home))),
		chromedp.Poll[chromedp.Void](`navigator.serviceWorker.controller !== null && (window.__kept || (caches.match("/today").then(function (r) { window.__kept = !!r; }), false))`,
			chromedp.WithPollingInterval(100*time.Millisecond)),
	)
	if got := Text(t, ctx, chromedp.ID(fmt.Sprintf("cert-%d", face))); !strings.Contains(got, "邱凤英") || !strings.Contains(got, "最低生活保障") {
		t.Errorf("the certification reads %q", got)
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 360 {
		t.Errorf("the day page is %d px wide (%v)", w, err)
	}

	// No signal.
	srv.Cut.Store(true)
	Do(t, ctx,
		setOnline(false),
		chromedp.WaitVisible(chromedp.ID("visits-offline")),
		// The face recognition.
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#cert-%d summary`, face))),
		chromedp.Click(chromedp.ID(fmt.Sprintf("cert-%d-face", face))),
		chromedp.Click(chromedp.ID(fmt.Sprintf("cert-submit-%d", face))),
		chromedp.WaitNotVisible(chromedp.ID(fmt.Sprintf("cert-%d", face))),
		chromedp.WaitVisible(chromedp.ID("cert-pending")),
		// The home visit: refused on the phone without its photo, kept with it.
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#cert-%d summary`, home))),
		chromedp.Click(chromedp.ID(fmt.Sprintf("cert-%d-home", home))),
		chromedp.Click(chromedp.ID(fmt.Sprintf("cert-submit-%d", home))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#cert-form-%d .cert-error`, home))),
	)
	if got := Text(t, ctx, chromedp.CSS(fmt.Sprintf(`#cert-form-%d .cert-error`, home))); got != "上门认证须附照片" {
		t.Errorf("home visit without a photo says %q", got)
	}
	Do(t, ctx,
		chromedp.SetUploadFiles(chromedp.CSS(fmt.Sprintf(`#cert-form-%d input[name=photo]`, home)), []string{photo}),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`#cert-form-%d textarea[name=note]`, home)), "本人在家，拍照留存"),
		chromedp.Click(chromedp.ID(fmt.Sprintf("cert-submit-%d", home))),
		chromedp.WaitNotVisible(chromedp.ID(fmt.Sprintf("cert-%d", home))),
		chromedp.Poll[chromedp.Void](`document.getElementById("cert-pending-n").textContent === "2"`, chromedp.WithPollingInterval(100*time.Millisecond)),
	)
	queued, err := chromedp.Run(ctx, chromedp.Evaluate[string](`localStorage.getItem("safetynet-certifications")`))
	if err != nil || !strings.Contains(queued, fmt.Sprintf(`"due_id":%d`, face)) || !strings.Contains(queued, `"photo":"data:image/jpeg`) {
		t.Fatalf("queue = %.300s %v", queued, err)
	}
	// A reload with no connection: the kept copy, both still recorded on the phone.
	Do(t, ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("cert-pending")),
		chromedp.WaitNotVisible(chromedp.ID(fmt.Sprintf("cert-%d", face))),
		chromedp.WaitNotVisible(chromedp.ID(fmt.Sprintf("cert-%d", home))),
	)
	if n := certRecords(t, srv, face) + certRecords(t, srv, home); n != 0 {
		t.Fatalf("%d records reached the server with no connection", n)
	}

	// The signal returns: both go by themselves, once — also when the
	// phone, which never heard the answers, sends them again.
	srv.Cut.Store(false)
	Do(t, ctx,
		setOnline(true),
		chromedp.Poll[chromedp.Void](`localStorage.getItem("safetynet-certifications") === "[]"`, chromedp.WithPollingInterval(100*time.Millisecond)),
		chromedp.WaitNotVisible(chromedp.ID("cert-pending")),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.setItem("safetynet-certifications", %q); window.dispatchEvent(new Event("online")); undefined`, queued)),
		chromedp.Poll[chromedp.Void](`localStorage.getItem("safetynet-certifications") === "[]"`, chromedp.WithPollingInterval(100*time.Millisecond)),
	)
	today := certification.Day(srv.Store.Now())
	for _, c := range []struct {
		id     int64
		method string
		photo  bool
	}{{face, certification.MethodFace, false}, {home, certification.MethodHome, true}} {
		d, err := srv.Store.Certification(bg, access.System(), c.id)
		if err != nil || len(d.Records) != 1 || d.Records[0].Method != c.method || d.Records[0].HasPhoto != c.photo ||
			!d.LastDone.Equal(today) || d.Status != certification.StatusOK {
			t.Fatalf("certification %d after the signal returned = %+v %v", c.id, d, err)
		}
	}
	// The day page from the server no longer lists them.
	Do(t, ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("today")),
	)
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("li.cert-item").length`)); err != nil || n != 0 {
		t.Errorf("%d certifications still listed (%v)", n, err)
	}
}

func certRecords(t *testing.T, srv *Server, id int64) int {
	t.Helper()
	d, err := srv.Store.Certification(context.Background(), access.System(), id)
	if err != nil {
		t.Fatal(err)
	}
	return len(d.Records)
}

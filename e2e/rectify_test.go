package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet/demo"
	"safetynet/inspections"
	"safetynet/sqlstore"
)

// TestRectifyOnAPhone: on a 360-px phone the inspector opens 腰站社区's
// score in a started inspection, goes to the household check with a
// ledger problem and raises it with one tap; the village's staff finds it
// in their rectifications and work list, reports what they did; the
// inspector accepts it; the inspection's scores show 腰站社区 at 92 (8 off
// for the ledger problem) and the formula page explains it. Every page
// passes the phone checks.
func TestRectifyOnAPhone(t *testing.T) {
	srv := StartServer(t)
	bg := context.Background()
	insp := actor(t, srv, "inspector")
	today := time.Now().In(inspections.RectifyZone).Format(time.DateOnly)
	in, _, err := srv.Store.CreateInspection(bg, insp, inspections.NewInspection{ClientID: "e2e-rectify", Title: "胜境街道整改回头看",
		PlaceCode: "530325002", PlannedOn: today, Villages: inspections.MaxVillages, Households: 1})
	if err == nil {
		in, err = srv.Store.DrawInspection(bg, insp, in.ID, in.Version)
	}
	if err == nil {
		err = srv.Store.StartInspection(bg, insp, in.ID, in.Version)
	}
	if err != nil {
		t.Fatal(err)
	}
	v, err := srv.Store.InspectionByID(bg, insp, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	var sample int64
	for _, sv := range v.Sample {
		if sv.Code == demo.Yaozhan && len(sv.Households) > 0 {
			sample = sv.Households[0].ID
		}
	}
	var answers []inspections.Answer
	for _, it := range inspections.Items {
		a := inspections.Answer{Item: it.Code, Answer: inspections.AnswerOK}
		if it.Code == inspections.ItemLedger {
			a.Answer, a.Note = inspections.AnswerProblem, "台账家庭人口与实际不符"
		}
		answers = append(answers, a)
	}
	c, _, err := srv.Store.RecordCheck(bg, insp, inspections.NewCheck{ClientID: "e2e-rectify-check", SampleID: sample, Found: true, Answers: answers})
	if err != nil {
		t.Fatalf("check of 腰站社区 (sample %d): %v", sample, err)
	}

	// The inspector raises the ledger problem with one tap.
	ctx := Phone(t)
	Do(t, ctx, Login(srv.URL, "inspector"),
		chromedp.Navigate(fmt.Sprintf("%s/inspections/%d/village-score?village=%s", srv.URL, in.ID, demo.Yaozhan)),
		chromedp.WaitVisible(chromedp.ID("village-score")))
	checkRectifyPage(t, ctx, "village score")
	Do(t, ctx, chromedp.Click(chromedp.ID(fmt.Sprintf("rectify-check-%d", c.ID))),
		chromedp.WaitVisible(chromedp.ID("raise-ledger")))
	checkRectifyPage(t, ctx, "raise")
	if got := Text(t, ctx, chromedp.ID("raise-ledger")); !strings.Contains(got, "台账信息准确") {
		t.Errorf("the raise form reads %q", got)
	}
	Do(t, ctx, chromedp.Click(chromedp.ID("raise-ledger-submit")),
		chromedp.WaitVisible(chromedp.Search(`//p[@class="flash" and contains(., "已提出整改事项")]`)),
		chromedp.WaitVisible(chromedp.ID("raised-ledger")))
	l, n, err := srv.Store.Rectifications(bg, insp, sqlstore.RectifyFilter{InspectionID: in.ID})
	if err != nil || n != 1 || l[0].Finding != "台账家庭人口与实际不符" || l[0].Village != demo.Yaozhan {
		t.Fatalf("raised = %+v %d %v", l, n, err)
	}
	id := l[0].ID

	// The village reports what it did.
	village := Phone(t)
	Do(t, village, Login(srv.URL, "village"),
		chromedp.Navigate(srv.URL+"/work?tab=mine"),
		chromedp.WaitVisible(chromedp.ID("work-list")))
	if got := Text(t, village, chromedp.ID("work-list")); !strings.Contains(got, "督查整改") {
		t.Errorf("the village's work list reads %q", got)
	}
	Do(t, village, chromedp.Click(chromedp.ID("nav-rectifications")),
		chromedp.WaitVisible(chromedp.ID("rectify-list")))
	checkRectifyPage(t, village, "rectifications")
	Do(t, village, chromedp.Click(chromedp.Search(fmt.Sprintf(`//a[@href="/rectifications/%d"]`, id))),
		chromedp.WaitVisible(chromedp.ID("rect-report-form")))
	checkRectifyPage(t, village, "rectification")
	// With a photo from the phone: it arrives and the item links to it.
	var pb bytes.Buffer
	if err := png.Encode(&pb, image.NewRGBA(image.Rect(0, 0, 64, 48))); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "rectified.png")
	if err := os.WriteFile(photo, pb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	Do(t, village, chromedp.SendKeys(chromedp.ID("rect-report-text"), "已入户核实，更正台账家庭人口"),
		chromedp.SetUploadFiles(chromedp.CSS(`#rect-report-form input[name="photo"]`), []string{photo}),
		chromedp.Click(chromedp.ID("rect-report-submit")),
		chromedp.WaitVisible(chromedp.Search(`//p[@class="flash" and contains(., "已报送整改情况")]`)),
		chromedp.WaitVisible(chromedp.ID("rect-photo")))
	if got := Text(t, village, chromedp.ID("rect-status")); got != "已报整改情况" {
		t.Errorf("status after the report reads %q", got)
	}

	// The inspector accepts it; the scores follow.
	Do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/rectifications/%d", srv.URL, id)),
		chromedp.WaitVisible(chromedp.ID("rect-accept-form")))
	checkRectifyPage(t, ctx, "review")
	Do(t, ctx, chromedp.Click(chromedp.ID("rect-accept-submit")),
		chromedp.WaitVisible(chromedp.Search(`//p[@class="flash" and contains(., "已验收通过")]`)))
	if got := Text(t, ctx, chromedp.ID("rect-status")); got != "已验收" {
		t.Errorf("status after acceptance reads %q", got)
	}
	Do(t, ctx, chromedp.Navigate(fmt.Sprintf("%s/inspections/%d/scores", srv.URL, in.ID)),
		chromedp.WaitVisible(chromedp.ID("score-list")))
	checkRectifyPage(t, ctx, "scores")
	if got := Text(t, ctx, chromedp.ID("score-"+demo.Yaozhan)); got != "92 分" {
		t.Errorf("腰站社区's score reads %q, want 92 分", got)
	}
	Do(t, ctx, chromedp.Click(chromedp.ID("help-link")), chromedp.WaitVisible(chromedp.ID("score-help")))
	checkRectifyPage(t, ctx, "formula")
	Do(t, ctx, chromedp.Navigate(srv.URL+"/inspection-scores?place=530325002"), chromedp.WaitVisible(chromedp.ID("summary-total")))
	checkRectifyPage(t, ctx, "year summary")
	if got := Text(t, ctx, chromedp.ID("summary-rows")); !strings.Contains(got, "腰站社区") {
		t.Errorf("the town's year lists %q", got)
	}
}

// checkRectifyPage holds a page to the phone walk's rules: no wider than
// the phone, controls of 44 px, Chinese only.
func checkRectifyPage(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(checkPageJS, "zh")))
	if err != nil {
		t.Fatal(err)
	}
	var rep pageReport
	if err := json.Unmarshal([]byte(raw), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.ScrollWidth > rep.InnerWidth {
		t.Errorf("%s: %d px wide on a %d-px screen", what, rep.ScrollWidth, rep.InnerWidth)
	}
	for _, s := range append(append(rep.Small, rep.Foreign...), rep.Tables...) {
		t.Errorf("%s: %s", what, s)
	}
}

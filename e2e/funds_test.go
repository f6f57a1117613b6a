package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/demo"
	"safetynet/idcard"
)

// TestFundsDonationOnAPhone: on a 360-px phone 腰站社区's staff register a
// company donation from 宇信钙业, receive 20,000 yuan with its voucher
// (PDF), buy 曲靖惠民保 for two named persons of two households found by
// name, are refused a spend beyond the allocation with the reason, pay the
// insurer with the invoice (an image), and the premium shows on both
// households' pages.
func TestFundsDonationOnAPhone(t *testing.T) {
	srv := StartServer(t)
	bg := context.Background()
	village := actor(t, srv, "village")
	var homes []int64
	for i, name := range []string{"甘玉珍", "甘德旺"} {
		id, err := srv.Store.CreateHousehold(bg, village, safetynet.HouseholdInput{PlaceCode: demo.Yaozhan + "-01-01", Address: fmt.Sprintf("棠梨湾%d号", 30+i)},
			safetynet.PersonInput{Name: name, IDNumber: idcard.Generate(nil, "530325", time.Date(1950+i, 5, 5, 0, 0, 0, 0, time.UTC), idcard.Female)})
		if err != nil {
			t.Fatal(err)
		}
		homes = append(homes, id)
	}
	dir := t.TempDir()
	voucher, invoice := filepath.Join(dir, "voucher.pdf"), filepath.Join(dir, "invoice.png")
	if err := os.WriteFile(voucher, []byte("%PDF-1.4\n% e2e voucher\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(invoice, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := Phone(t)
	Do(t, ctx,
		Login(srv.URL, "village"),
		chromedp.Click(chromedp.ID("nav-funds")),
		chromedp.WaitVisible(chromedp.ID("funds")),
		chromedp.Click(chromedp.CSS("#funds-new summary")),
		chromedp.SendKeys(chromedp.ID("source-name"), "宇信钙业捐赠（腰站）"),
		chromedp.SetValue(chromedp.ID("source-kind"), "company"),
		chromedp.SendKeys(chromedp.ID("source-donor"), "宇信钙业"),
		chromedp.SetValue(chromedp.ID("source-place"), demo.Yaozhan),
		chromedp.Click(chromedp.ID("source-submit")),
		chromedp.WaitVisible(chromedp.ID("fund-balance")),
		// Received with its voucher.
		chromedp.Click(chromedp.CSS("#fund-receive summary")),
		chromedp.SendKeys(chromedp.ID("receipt-amount"), "20,000.00"),
		chromedp.SendKeys(chromedp.ID("receipt-doc"), "捐赠协议"),
		chromedp.SetUploadFiles(chromedp.ID("receipt-document"), []string{voucher}),
		chromedp.Click(chromedp.ID("fund-receive-submit")),
		chromedp.WaitVisible(chromedp.ID("fund-ledger")),
	)
	if got := Text(t, ctx, chromedp.ID("bal-received")); got != "20,000.00 元" {
		t.Fatalf("received %q", got)
	}
	// 惠民保 for both persons, found by name.
	Do(t, ctx,
		chromedp.Click(chromedp.ID("fund-allocate")),
		chromedp.WaitVisible(chromedp.ID("pick-q")),
		chromedp.SendKeys(chromedp.ID("pick-q"), "甘"),
		chromedp.Click(chromedp.ID("pick-find")),
		chromedp.WaitVisible(chromedp.ID("pick-found")),
	)
	boxes, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#pick-found input[name=person]'), b => b.id)`))
	if err != nil || len(boxes) != 2 {
		t.Fatalf("found %v %v", boxes, err)
	}
	for _, id := range boxes {
		Do(t, ctx, chromedp.Click(chromedp.ID(id)))
	}
	Do(t, ctx,
		chromedp.Click(chromedp.ID("pick-add")),
		chromedp.WaitVisible(chromedp.ID("pick-chosen")),
	)
	checkFundsPage(t, ctx, "allocation form")
	Do(t, ctx,
		chromedp.SetValue(chromedp.ID("alloc-target"), "purchase"),
		chromedp.SendKeys(chromedp.ID("alloc-item"), "曲靖惠民保"),
		chromedp.SendKeys(chromedp.ID("alloc-unit-price"), "99"),
		chromedp.Click(chromedp.ID("alloc-submit")),
		chromedp.WaitVisible(chromedp.ID("fund-ledger")),
	)
	if got := Text(t, ctx, chromedp.ID("bal-allocated")); got != "198.00 元" {
		t.Fatalf("allocated %q", got)
	}
	// A spend beyond the allocation is refused with the reason; then the insurer is paid.
	Do(t, ctx,
		chromedp.Click(chromedp.CSS("#fund-spend summary")),
		chromedp.SendKeys(chromedp.ID("spend-amount"), "198.01"),
		chromedp.SendKeys(chromedp.ID("spend-payee"), "某保险公司"),
		chromedp.Click(chromedp.ID("fund-spend-submit")),
		chromedp.WaitVisible(chromedp.ID("spend-amount-error")),
	)
	if msg := Text(t, ctx, chromedp.ID("spend-amount-error")); !strings.Contains(msg, "尚可支出 198.00 元") {
		t.Fatalf("refusal %q", msg)
	}
	Do(t, ctx,
		chromedp.SetValue(chromedp.ID("spend-amount"), "198"),
		chromedp.SendKeys(chromedp.ID("spend-doc"), "INV-0001"),
		chromedp.SetUploadFiles(chromedp.ID("spend-document"), []string{invoice}),
		chromedp.Click(chromedp.ID("fund-spend-submit")),
		chromedp.WaitNotPresent(chromedp.ID("spend-amount-error")), // the refused form is gone: the page after the spend
		chromedp.WaitVisible(chromedp.ID("fund-ledger")),
	)
	if got := Text(t, ctx, chromedp.ID("bal-spent")); got != "198.00 元" {
		t.Fatalf("spent %q", got)
	}
	Do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => d.open = true); undefined`))
	checkFundsPage(t, ctx, "source page with its forms open")
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#fund-ledger a.doc').length`)); err != nil || n != 2 {
		t.Errorf("%d documents listed (%v), want the voucher and the invoice", n, err)
	}
	// Both households' pages show the premium from the donation.
	for _, h := range homes {
		Do(t, ctx,
			chromedp.Navigate(fmt.Sprintf("%s/households/%d", srv.URL, h)),
			chromedp.WaitVisible(chromedp.ID("household-funds")),
		)
		got := Text(t, ctx, chromedp.ID("household-funds"))
		if !strings.Contains(got, "宇信钙业捐赠（腰站）") || !strings.Contains(got, "曲靖惠民保") || !strings.Contains(got, "99.00 元") {
			t.Errorf("household %d: %q", h, got)
		}
	}
	w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || w > 360 {
		t.Errorf("the household page is %d px wide (%v)", w, err)
	}
}

// checkFundsPage holds a page the crawl of TestEveryPageOnAPhone does not
// reach (a manager's forms) to the same rules: no wider than the phone,
// controls of 44 px, Chinese only.
func checkFundsPage(t *testing.T, ctx context.Context, what string) {
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

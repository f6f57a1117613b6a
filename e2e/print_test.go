package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// printMedia makes the page lay itself out as it prints.
func printMedia(media string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return chromedp.Void{}, err
	}
}

// TestPrintedHouseholdForm: the printed 一户一表 of a household with a case,
// measures and a long history has its title and the signature block, no
// buttons or "查看完整号码", and fits one A4 page.
func TestPrintedHouseholdForm(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 7, 28, 8, 0, 0, 0, time.Local))
	srv := StartServer(t, clock)
	seedWork(t, srv, clock)
	hs, err := srv.Store.Households(context.Background(), access.System(), sqlstore.HouseholdFilter{PlaceCode: demo.Yaozhan + "-01-01", Limit: 1})
	if err != nil || len(hs) == 0 {
		t.Fatalf("households: %v %v", hs, err)
	}
	ctx := Phone(t)
	Do(t, ctx, Login(srv.URL, "village"),
		chromedp.Navigate(fmt.Sprintf("%s/households/%d", srv.URL, hs[0].ID)),
		chromedp.WaitVisible(chromedp.ID("household")),
		printMedia("print"))
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"社会救助家庭信息表", "户主签字", "填表人", "核实人", "日期"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed form lacks %q", want)
		}
	}
	for _, not := range []string{"查看完整号码", "打印", "退出登录", "上报线索"} {
		if strings.Contains(text, not) {
			t.Errorf("printed form shows %q", not)
		}
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)); n != 1 {
		t.Errorf("the printed form takes %d pages", n)
	}
	// On screen the signature block is not shown and the buttons are.
	Do(t, ctx, printMedia(""))
	if text, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(text, "户主签字") || !strings.Contains(text, "打印") {
		t.Errorf("screen view: signature block shown or print button missing")
	}
}

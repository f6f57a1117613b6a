package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet/idcard"
)

// TestPhoneLedgerImport is a village staff member with only an Excel
// ledger: she uploads it on her phone, sees the row it rejects, uploads
// the corrected file, confirms, finds a person by a 2-character name,
// opens the household form and adds a risk label.
func TestPhoneLedgerImport(t *testing.T) {
	srv := StartServer(t)
	ctx := Phone(t)
	dir := t.TempDir()
	birth := time.Date(1948, 8, 8, 0, 0, 0, 0, time.UTC)
	id := idcard.Generate(nil, "530325", birth, idcard.Female)
	good := "户主姓名,姓名,与户主关系,身份证号,所属村组,联系电话,监测对象类型,风险类型\n" +
		"田秀,田秀,户主," + id + ",棠梨湾,13912345678,突发严重困难户,因意外事故\n"
	bad := good + "马良,马良,户主,53032519500101001,南村,,,\n"
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	upload := func(path string) {
		Do(t, ctx,
			chromedp.Navigate(srv.URL+"/imports"),
			chromedp.WaitVisible(chromedp.ID("upload-form")),
			chromedp.SetUploadFiles(chromedp.CSS(`#upload-form input[type=file]`), []string{path}),
			chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.ID("import-status")),
		)
	}
	Do(t, ctx, Login(srv.URL, "village"))
	upload(write("台账-有错.csv", bad))
	if n := Text(t, ctx, chromedp.ID("error-count")); n != "1" {
		t.Fatalf("errors shown = %q", n)
	}
	if row := Text(t, ctx, chromedp.ID("import-errors")); !strings.Contains(row, "3") || !strings.Contains(row, "身份证号") {
		t.Fatalf("error table = %q", row)
	}
	upload(write("台账.csv", strings.Replace(bad, "53032519500101001", idcard.Generate(nil, "530325", birth.AddDate(2, 0, 0), idcard.Male), 1)))
	Do(t, ctx,
		chromedp.Click(chromedp.ID("commit-import")),
		chromedp.WaitVisible(chromedp.Search(`//span[@id="import-status" and contains(., "已导入")]`)),
		chromedp.Click(chromedp.ID("nav-register")),
		chromedp.WaitVisible(chromedp.ID("register-q")),
		chromedp.SendKeys(chromedp.ID("register-q"), "田秀\n"),
		chromedp.WaitVisible(chromedp.ID("search-results")),
		chromedp.Click(chromedp.CSS(`#search-results a[href^="/households/"]`)),
		chromedp.WaitVisible(chromedp.ID("members")),
	)
	members := Text(t, ctx, chromedp.ID("members"))
	if !strings.Contains(members, "田秀") || strings.Contains(members, id) || !strings.Contains(members, idcard.Mask(id)) {
		t.Fatalf("members = %q", members)
	}
	if cats := Text(t, ctx, chromedp.ID("category-list")); !strings.Contains(cats, "突发严重困难户") {
		t.Fatalf("categories = %q", cats)
	}
	Do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#add-category select[name=category]`), "risk"),
		chromedp.SetValue(chromedp.CSS(`#add-category select[name=risk_type]`), "illness"),
		chromedp.Click(chromedp.CSS(`#add-category button`)),
		chromedp.WaitVisible(chromedp.Search(`//ul[@id="category-list"]//span[contains(., "因病")]`)),
	)
	if overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`)); err != nil || overflow > 0 {
		t.Errorf("household form overflows the phone by %dpx (%v)", overflow, err)
	}
}

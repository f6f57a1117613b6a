package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPhonePlaceTree logs in on a phone-sized screen, opens the place
// tree and walks down from the community to a grid, then switches the
// language.
func TestPhonePlaceTree(t *testing.T) {
	srv := StartServer(t)
	ctx := Phone(t)
	Do(t, ctx,
		Login(srv.URL, "village"),
		chromedp.Click(chromedp.ID("nav-places")),
		chromedp.WaitVisible(chromedp.ID("children")),
	)
	if h := Text(t, ctx, chromedp.ID("place-name")); h != "腰站社区居民委员会" {
		t.Errorf("place heading = %q", h)
	}
	children := Text(t, ctx, chromedp.ID("children"))
	for _, g := range []string{"棠梨湾居民小组", "下大桥居民小组", "南村居民小组"} {
		if !strings.Contains(children, g) {
			t.Errorf("children lack %s: %q", g, children)
		}
	}
	// Nothing is wider than the phone: no sideways scrolling.
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	if err != nil || overflow > 0 {
		t.Errorf("page overflows the 360px screen by %dpx (%v)", overflow, err)
	}
	if dir := os.Getenv("SAFETYNET_SCREENSHOTS"); dir != "" {
		if shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
			_ = os.WriteFile(filepath.Join(dir, "place-tree-phone.png"), shot, 0o644)
		}
	}
	Do(t, ctx,
		chromedp.Click(chromedp.Search(`//a[normalize-space(.)="棠梨湾居民小组"]`)),
		chromedp.WaitVisible(chromedp.Search(`//a[normalize-space(.)="棠梨湾第一网格"]`)),
		chromedp.Click(chromedp.Search(`//a[normalize-space(.)="棠梨湾第一网格"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space(.)="棠梨湾第一网格"]`)),
	)
	crumbs := Text(t, ctx, chromedp.CSS(".crumbs"))
	if !strings.Contains(crumbs, "腰站社区居民委员会") || !strings.Contains(crumbs, "棠梨湾居民小组") {
		t.Errorf("breadcrumbs = %q", crumbs)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.ID("lang-en")),
		chromedp.WaitVisible(chromedp.ID("lang-zh")),
	)
	if m := Text(t, ctx, chromedp.ID("nav-places")); m != "Places" {
		t.Errorf("menu after switching to English = %q", m)
	}
}

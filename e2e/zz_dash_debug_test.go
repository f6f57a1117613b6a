package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet/sqlstore/storetest"
)

func TestZZDashDebug(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 7, 28, 8, 0, 0, 0, time.Local))
	srv := StartServer(t, clock)
	seedWork(t, srv, clock)
	ctx := Phone(t)
	Do(t, ctx, chromedp.Navigate(srv.URL+"/lang/en?next=/login"), Login(srv.URL, "county"), chromedp.Navigate(srv.URL+"/dashboard"), chromedp.WaitVisible(chromedp.ID("dash-figures")))
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > 362).slice(0, 15).map(e => e.tagName + "#" + e.id + "." + e.className + " " + Math.round(e.getBoundingClientRect().right) + " " + (e.innerText||"").slice(0,40)).join("\n")`))
	t.Log(s, err)
}

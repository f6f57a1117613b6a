package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"safetynet/access"
	"safetynet/sqlstore"
)

// setOnline sets what the page believes about its connection (navigator.onLine
// and the online/offline events); srv.Cut decides whether requests really
// reach the server.
func setOnline(online bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: !online, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	})
}

// TestReportOffline: a grid worker in a village with no signal fills in the
// clue form, the report waits on the phone (even across a reload of the
// page, which the service worker serves from its copy), and it is sent once
// the signal returns — once only, even if the phone sends it again because
// it never heard the answer.
func TestReportOffline(t *testing.T) {
	srv := StartServer(t)
	hh := seedHousehold(t, srv, "邹秀珍", time.Date(1944, 5, 2, 0, 0, 0, 0, time.UTC))
	ctx := Phone(t)
	Do(t, ctx,
		Login(srv.URL, "wc-grid"),
		chromedp.Click(chromedp.ID("nav-report")),
		chromedp.WaitVisible(chromedp.ID("report-form")),
		// The service worker has taken the page in hand and kept a copy.
		chromedp.Poll[chromedp.Void](`navigator.serviceWorker.controller !== null && (window.__kept || (caches.match("/report").then(function (r) { window.__kept = !!r; }), false))`,
			chromedp.WithPollingInterval(100*time.Millisecond)),
	)

	// The signal goes.
	srv.Cut.Store(true)
	Do(t, ctx,
		setOnline(false),
		chromedp.WaitVisible(chromedp.ID("offline-banner")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=household_id][value="%d"]`, hh))),
		// The form's submit button sticks to the bottom of the screen: the
		// box is brought to the middle first, as a thumb would scroll it.
		chromedp.Evaluate[chromedp.Void](`document.querySelector("input[name=kinds][value=illness]").scrollIntoView({block: "center"}); undefined`),
		chromedp.Click(chromedp.CSS(`input[name=kinds][value=illness]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=note]`), "高烧两天，独自在家"),
		chromedp.Click(chromedp.ID("report-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#queue li.queued`)),
	)
	if got := Text(t, ctx, chromedp.CSS(`#queue li.queued`)); !strings.Contains(got, "邹秀珍") {
		t.Errorf("queued item reads %q, want the person's name", got)
	}
	queued, err := chromedp.Run(ctx, chromedp.Evaluate[string](`localStorage.getItem("safetynet-queue")`))
	if err != nil {
		t.Fatal(err)
	}

	// The phone reloads the page with no connection: the kept copy opens
	// and the report is still waiting.
	Do(t, ctx,
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("report-form")),
		chromedp.WaitVisible(chromedp.CSS(`#queue li.queued`)),
	)
	if n := countClues(t, srv); n != 0 {
		t.Fatalf("%d clues reached the server with no connection", n)
	}

	// The signal returns: the report goes by itself.
	srv.Cut.Store(false)
	Do(t, ctx,
		setOnline(true),
		chromedp.WaitVisible(chromedp.CSS(`#sent a`)),
		chromedp.WaitNotVisible(chromedp.ID("queue-box")),
	)
	clues, err := srv.Store.Clues(context.Background(), access.System(), sqlstore.ClueFilter{})
	clues = reportedClues(clues)
	if err != nil || len(clues) != 1 || clues[0].HouseholdID != hh || clues[0].Source != "grid" {
		t.Fatalf("clues = %+v %v", clues, err)
	}

	// The answer was lost and the phone sends the same report again: the
	// server recognises it, and there is still one clue.
	Do(t, ctx,
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.setItem("safetynet-queue", %q); window.dispatchEvent(new Event("online")); undefined`, queued)),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#sent a").length === 2 && localStorage.getItem("safetynet-queue") === "[]"`),
	)
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#sent a"), function (a) { return a.getAttribute("href"); })`))
	if err != nil || len(links) != 2 || links[0] != links[1] || links[0] != fmt.Sprintf("/clues/%d", clues[0].ID) {
		t.Errorf("sent links = %v %v, want the same clue twice", links, err)
	}
	if n := countClues(t, srv); n != 1 {
		t.Errorf("%d clues after sending twice, want 1", n)
	}
}

func countClues(t *testing.T, srv *Server) int {
	t.Helper()
	clues, err := srv.Store.Clues(context.Background(), access.System(), sqlstore.ClueFilter{})
	clues = reportedClues(clues)
	if err != nil {
		t.Fatal(err)
	}
	return len(clues)
}

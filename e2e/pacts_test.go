package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/idcard"
	"safetynet/pacts"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestCurtainPacts: on a 360-px phone, the village makes a curtain pact
// for 祝奶奶 with its neighbour as steward and prints her link; a second
// pact (苏爷爷) has no link. At 07:30 祝奶奶 taps "我很好" on her own page;
// 苏爷爷 gives no sign. At 08:00 his steward (the neighbour) is alerted,
// nobody answers; at 08:30 the grid worker is alerted, goes, and records
// that all is fine. Each alert comes once.
func TestCurtainPacts(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	clock := storetest.NewClock(time.Date(2026, 8, 31, 20, 0, 0, 0, shanghai))
	srv := StartServer(t, clock)
	bg := context.Background()
	village := actor(t, srv, "wc-village")
	if _, err := srv.Store.CreateUser(bg, access.System(), safetynet.NewUser{Username: "wc-linju", DisplayName: "邻居 唐红",
		Role: safetynet.RoleVolunteer, PlaceCode: "430112001001", Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	neighbour := actor(t, srv, "wc-linju")
	person := func(name string, birth time.Time, sex idcard.Sex) int64 {
		h, err := srv.Store.CreateHousehold(bg, village, safetynet.HouseholdInput{PlaceCode: "430112001001-01-01", Address: "西塘街" + name},
			safetynet.PersonInput{Name: name, IDNumber: idcard.Generate(nil, "430112", birth, sex)})
		if err != nil {
			t.Fatal(err)
		}
		v, err := srv.Store.HouseholdView(bg, village, h)
		if err != nil {
			t.Fatal(err)
		}
		return v.Members[0].ID
	}
	person("祝奶奶", time.Date(1940, 1, 9, 0, 0, 0, 0, time.UTC), idcard.Female)
	su := person("苏爷爷", time.Date(1939, 6, 1, 0, 0, 0, 0, time.UTC), idcard.Male)
	suPact, err := srv.Store.CreatePact(bg, village, sqlstore.PactInput{PersonID: su, StewardID: neighbour.UserID,
		Terms: pacts.Terms{DeadlineMin: pacts.DefaultDeadline}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := Phone(t)

	// The evening before: the village makes 祝奶奶's pact and her link.
	var link string
	Do(t, ctx,
		Login(srv.URL, "wc-village"),
		chromedp.Click(chromedp.ID("nav-pacts")),
		chromedp.WaitVisible(chromedp.ID("pacts-new")),
		chromedp.Click(chromedp.ID("pacts-new")),
		chromedp.WaitVisible(chromedp.ID("pact-person-search")),
		chromedp.SendKeys(chromedp.CSS(`#pact-person-search input[name=q]`), "祝奶奶"),
		chromedp.Submit(chromedp.CSS(`#pact-person-search input[name=q]`)),
		chromedp.WaitVisible(chromedp.CSS(`#pact-person-hits a`)),
		chromedp.Click(chromedp.CSS(`#pact-person-hits a`)),
		chromedp.WaitVisible(chromedp.ID("pact-form")),
		chromedp.SetValue(chromedp.CSS(`#pact-form select[name=steward_id]`), fmt.Sprint(neighbour.UserID)),
		chromedp.Click(chromedp.ID("pact-create")),
		chromedp.WaitVisible(chromedp.ID("pact-new-link")),
		chromedp.Click(chromedp.ID("pact-new-link")),
		chromedp.WaitVisible(chromedp.ID("pact-qr")),
	)
	link = Text(t, ctx, chromedp.CSS(`#pact-link a`))
	Do(t, ctx, Logout())
	if link := link; !strings.Contains(link, "/p/") {
		t.Fatalf("link = %q", link)
	}
	// 07:30 — 祝奶奶 taps on her tablet: no login, no menu.
	clock.Set(time.Date(2026, 9, 1, 7, 30, 0, 0, shanghai))
	Do(t, ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("self-ok")),
		chromedp.Click(chromedp.ID("self-ok")),
		chromedp.WaitVisible(chromedp.ID("self-done")),
	)
	if steward := Text(t, ctx, chromedp.ID("self-steward")); !strings.Contains(steward, "邻居 唐红") {
		t.Errorf("own page names %q", steward)
	}
	// 08:00 — the sweep: 苏爷爷's steward is alerted, 祝奶奶's is not.
	clock.Set(time.Date(2026, 9, 1, 8, 0, 0, 0, shanghai))
	sweep := func() sqlstore.PactSweepResult {
		r, err := srv.Store.SweepPacts(bg)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// (The demo's own pacts in 腰站社区 are swept too.)
	if r := sweep(); r.Missed < 1 {
		t.Fatalf("08:00 sweep: %+v", r)
	}
	sweep()
	Do(t, ctx,
		Login(srv.URL, "wc-linju"),
		chromedp.Click(chromedp.ID("nav-inbox")),
		chromedp.WaitVisible(chromedp.Search(`//ul[@id="notifications"]//button[contains(., "苏爷爷")]`)),
		chromedp.Click(chromedp.ID("nav-pacts")),
		chromedp.WaitVisible(chromedp.ID("pacts-round-link")),
		chromedp.Click(chromedp.ID("pacts-round-link")),
		chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//li[@id="round-%d"]//span[@data-state="missed"]`, suPact))),
		chromedp.WaitVisible(chromedp.Search(`//ul[@id="pact-round"]//span[@data-state="kept"]`)),
		Logout(),
	)
	// 08:30 — nobody answered: the grid worker is alerted, goes, all is fine.
	clock.Set(time.Date(2026, 9, 1, 8, 30, 0, 0, shanghai))
	if r := sweep(); r.Raised < 1 {
		t.Fatalf("08:30 sweep: %+v", r)
	}
	sweep()
	Do(t, ctx,
		Login(srv.URL, "wc-grid"),
		chromedp.Click(chromedp.ID("nav-inbox")),
		chromedp.Click(chromedp.Search(`//ul[@id="notifications"]//button[contains(., "苏爷爷")]`)),
		chromedp.WaitVisible(chromedp.ID("pact-ack")),
		chromedp.Click(chromedp.ID("pact-ack")),
		chromedp.WaitVisible(chromedp.ID("pact-going")),
		chromedp.Click(chromedp.CSS(`#pact-finding-form input[value=fine]`)),
		chromedp.SendKeys(chromedp.CSS(`#pact-finding-form textarea[name=note]`), "在邻居家打牌"),
		chromedp.Submit(chromedp.CSS(`#pact-finding-form textarea[name=note]`)),
		chromedp.WaitVisible(chromedp.ID("pact-finding")),
	)
	count := func(who string) int {
		list, _, err := srv.Store.Inbox(bg, actor(t, srv, who), 200)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range list {
			if x.Kind == sqlstore.NoticePactMissed {
				n++
			}
		}
		return n
	}
	if count("wc-linju") != 1 || count("wc-grid") != 1 || count("wc-village") != 0 {
		t.Errorf("alerts: neighbour %d grid worker %d village %d", count("wc-linju"), count("wc-grid"), count("wc-village"))
	}
	p, err := srv.Store.PactView(bg, village, suPact)
	if err != nil || len(p.Days) != 1 || p.Days[0].Finding != string(pacts.FoundFine) || p.Days[0].AckBy != "网格员 许亮" {
		t.Fatalf("苏爷爷's day: %+v %v", p.Days, err)
	}

	// 窗帘之约统计: the village sees 1 September's days: 苏爷爷's missed day
	// answered 30 minutes after the alert, and nothing in August before.
	Do(t, ctx,
		Logout(),
		Login(srv.URL, "wc-village"),
		chromedp.Click(chromedp.ID("nav-pacts")),
		chromedp.WaitVisible(chromedp.ID("pacts-figures-link")),
		chromedp.Click(chromedp.ID("pacts-figures-link")),
		chromedp.WaitVisible(chromedp.ID("pact-figures")),
	)
	cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#pact-figures td[data-col]")).
		map(e => e.dataset.col + " " + e.textContent.replace(/\s+/g, " ").trim())`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(cells, "response 30 (–)") || !slices.Contains(cells, "finding 30 (–)") {
		t.Errorf("figures cells = %q, want a response and a finding of 30 minutes, none before", cells)
	}
}

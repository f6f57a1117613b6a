package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
	"safetynet/volunteering"
)

// fallCase registers seed 003's household in 西塘街社区 (invented name and
// number, with a health note), and opens the case of her fall as the
// grid worker and the community would.
func fallCase(t *testing.T, srv *Server, clock *storetest.Clock) (caseID int64, idNumber string) {
	t.Helper()
	ctx := context.Background()
	village := actor(t, srv, "wc-village")
	idNumber = idcard.Generate(nil, "430112", time.Date(1944, 5, 2, 0, 0, 0, 0, time.UTC), idcard.Female)
	hh, err := srv.Store.CreateHousehold(ctx, village, safetynet.HouseholdInput{PlaceCode: "430112001001-01-01", Address: "西塘街17号", Phone: "13873100017"},
		safetynet.PersonInput{Name: "祝桂英", IDNumber: idNumber, Health: "chronic", HealthNotes: "高血压，右股骨颈骨折"})
	if err != nil {
		t.Fatal(err)
	}
	cl, _, err := srv.Store.ReportClue(ctx, actor(t, srv, "wc-grid"), safetynet.NewClue{ClientID: "fall-003", HouseholdID: hh, Kinds: []string{"fall"},
		Urgency: "urgent", Note: "老人在家滑倒，右腿疼痛不能行走", ReportedAt: clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Store.AcknowledgeClue(ctx, village, cl.ID, cl.Version); err != nil {
		t.Fatal(err)
	}
	cl, _ = srv.Store.Clue(ctx, village, cl.ID)
	caseID, err = srv.Store.VerifyClue(ctx, village, cl.ID, sqlstore.Verification{VisitedAt: clock.Now(), Checklist: map[string]string{"food": "problem"},
		Risks: []string{"accident", "illness"}, Decision: "open_case", Note: "独居，儿子为特困人员正在住院"}, cl.Version)
	if err != nil {
		t.Fatal(err)
	}
	return caseID, idNumber
}

// TestVolunteerRelayOnAPhone: the community opens a meal-delivery relay
// (lunch and dinner, three days) from seed 003's case; a volunteer with a
// login and a neighbour by the sign-up link fill slots; each sees only the
// short name, the address, the time and what to bring while the slot is
// active — never the ID number or the illness; the neighbour who clicks a
// place someone took a moment before hears "已被认领"; both mark their
// slots done and the community's hours page counts them.
func TestVolunteerRelayOnAPhone(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 7, 28, 9, 0, 0, 0, volunteering.Zone))
	srv := StartServer(t, clock)
	bg := context.Background()
	caseID, idNumber := fallCase(t, srv, clock)
	if _, err := srv.Store.CreateUser(bg, access.System(), safetynet.NewUser{Username: "wc-vol", DisplayName: "志愿者 周敏", Role: safetynet.RoleVolunteer,
		PlaceCode: "430112001001", Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	secrets := []string{idNumber, "骨折", "高血压", "慢性病", "滑倒", "住院", "13873100017", "祝桂英"}
	noSecrets := func(ctx context.Context, who string) {
		t.Helper()
		html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if strings.Contains(html, s) {
				t.Fatalf("%s's page shows %q", who, s)
			}
		}
	}
	ctx := Phone(t)

	// 9:00 — the community's specialist opens the relay from the case.
	Do(t, ctx,
		Login(srv.URL, "wc-village"),
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", srv.URL, caseID)),
		chromedp.Click(chromedp.ID("case-relay")),
		chromedp.WaitVisible(chromedp.ID("vol-form")),
		chromedp.SetValue(chromedp.CSS(`input[name=task0_to]`), "2026-07-30"),
		chromedp.Clear(chromedp.CSS(`input[name=task1_windows]`)),
		chromedp.Click(chromedp.ID("vol-create")),
		chromedp.WaitVisible(chromedp.ID("vol-grid")),
	)
	relays, err := srv.Store.VolunteerRelays(bg, actor(t, srv, "wc-village"), sqlstore.VolunteerRelayFilter{CaseID: caseID})
	if err != nil || len(relays) != 1 || relays[0].ShortName != "祝奶奶" || relays[0].Address != "西塘街17号" {
		t.Fatalf("relays = %+v %v", relays, err)
	}
	rel, _ := srv.Store.VolunteerRelay(bg, actor(t, srv, "wc-village"), relays[0].ID)
	if len(rel.Slots) != 6 {
		t.Fatalf("slots = %d, want lunch and dinner on 3 days", len(rel.Slots))
	}
	lunch28, dinner28, lunch29, dinner29 := rel.Slots[0].ID, rel.Slots[1].ID, rel.Slots[2].ID, rel.Slots[3].ID
	Do(t, ctx, chromedp.Click(chromedp.ID("vol-new-link")), chromedp.WaitVisible(chromedp.ID("vol-link")))
	link, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("vol-link")))
	if err != nil || !strings.Contains(link, "/j/") {
		t.Fatalf("link = %q %v", link, err)
	}
	link = srv.URL + link[strings.Index(link, "/j/"):]

	// The volunteer takes today's lunch and dinner from 我的接龙.
	Do(t, ctx,
		Logout(),
		Login(srv.URL, "wc-vol"),
		chromedp.Click(chromedp.ID("nav-volunteering")),
		chromedp.WaitVisible(chromedp.ID("vol-open")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#open-%d .take-button`, lunch28))),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("mine-%d", lunch28))),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#open-%d .take-button`, dinner28))),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("mine-%d", dinner28))),
	)
	noSecrets(ctx, "the volunteer")
	if s := Text(t, ctx, chromedp.CSS(fmt.Sprintf(`#mine-%d .vol-address`, lunch28))); s != "西塘街17号" {
		t.Fatalf("address = %q", s)
	}
	if s := Text(t, ctx, chromedp.CSS(fmt.Sprintf(`#mine-%d .vol-short`, lunch28))); s != "祝奶奶" {
		t.Fatalf("short name = %q", s)
	}

	// The neighbour opens the link, signs up once, sees tomorrow's slots.
	Do(t, ctx,
		Logout(),
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("vol-signup-form")),
		chromedp.SendKeys(chromedp.CSS(`#vol-signup-form input[name=name]`), "李婶"),
		chromedp.SendKeys(chromedp.CSS(`#vol-signup-form input[name=phone]`), "13873100018"),
		chromedp.Click(chromedp.ID("vol-signup-submit")),
		chromedp.WaitVisible(chromedp.ID("vol-me")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#open-%d .take-button`, lunch29))),
		chromedp.WaitVisible(chromedp.ID(fmt.Sprintf("mine-%d", lunch29))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#open-%d .take-button`, dinner29))),
	)
	// Someone takes tomorrow's dinner a moment before the neighbour clicks.
	if _, err := srv.Store.TakeSlot(bg, sqlstore.UserTaker(actor(t, srv, "wc-vol")), dinner29); err != nil {
		t.Fatal(err)
	}
	Do(t, ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#open-%d .take-button`, dinner29))),
		chromedp.WaitVisible(chromedp.Search(`//*[@id="vol-error" and contains(., "已被认领")]`)),
	)
	noSecrets(ctx, "the neighbour")
	// Tomorrow's lunch is more than 12 hours away: no address yet.
	if _, err := chromedp.Run(ctx, chromedp.WaitNotPresent(chromedp.CSS(fmt.Sprintf(`#mine-%d .vol-address`, lunch29)))); err != nil {
		t.Fatal(err)
	}

	// 12:10 — the volunteer delivered lunch and marks it done.
	clock.Set(time.Date(2026, 7, 28, 12, 10, 0, 0, volunteering.Zone))
	Do(t, ctx,
		Login(srv.URL, "wc-vol"),
		chromedp.Navigate(srv.URL+"/volunteering/mine"),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`#mine-%d input[name=note]`, lunch28)), "老人吃完了，精神不错"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#mine-%d .done-button`, lunch28))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#mine-%d .badge`, lunch28))),
	)
	noSecrets(ctx, "the volunteer")
	Do(t, ctx, Logout())
	// Next day 12:05 — the neighbour too, on the same device.
	clock.Set(time.Date(2026, 7, 29, 12, 5, 0, 0, volunteering.Zone))
	Do(t, ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("vol-me")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#mine-%d .done-button`, lunch29))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#mine-%d .badge`, lunch29))),
	)

	// The community sees who took what, and the hours.
	Do(t, ctx,
		Login(srv.URL, "wc-village"),
		chromedp.Navigate(fmt.Sprintf("%s/volunteering/relays/%d", srv.URL, rel.ID)),
		chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//li[@id="slot-%d"]//span[contains(., "李婶")]`, lunch29))),
		chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//li[@id="slot-%d"]//span[contains(., "周敏")]`, lunch28))),
		chromedp.Navigate(srv.URL+"/volunteering/hours?from=2026-07-01&to=2026-07-31"),
		chromedp.WaitVisible(chromedp.ID("vol-hours-table")),
	)
	if s := Text(t, ctx, chromedp.ID("vol-times")); s != "2" {
		t.Fatalf("person-times = %q, want 2", s)
	}
	if s := Text(t, ctx, chromedp.ID("vol-total-hours")); s != "2.0" {
		t.Fatalf("hours = %q, want 2.0", s)
	}
}

// seedRelay opens a meal relay from a case for TestEveryPageOnAPhone, with
// a sign-up link and a place taken by a neighbour.
func seedRelay(t *testing.T, srv *Server, village access.Actor, caseID int64, clock *storetest.Clock) {
	t.Helper()
	ctx := context.Background()
	day := clock.Now().In(volunteering.Zone).AddDate(0, 0, 1).Format(volunteering.DateLayout)
	id, _, err := srv.Store.CreateVolunteerRelay(ctx, village, sqlstore.VolunteerRelayInput{ClientID: fmt.Sprintf("pages-%d", caseID), CaseID: caseID,
		Relay: volunteering.Relay{Title: "暖邻相伴爱心送餐", ShortName: "祝奶奶", Address: "幸福路1号", Tasks: []volunteering.Task{{Kind: volunteering.KindMeal,
			Title: "午餐送餐", Bring: "热饭菜", From: day, To: day, Windows: []volunteering.Window{{Start: 11 * 60, End: 12 * 60}, {Start: 17 * 60, End: 18 * 60}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	token, err := srv.Store.NewVolunteerLink(ctx, village, id)
	if err != nil {
		t.Fatal(err)
	}
	dev, err := srv.Store.SignupNeighbour(ctx, token, "李婶", "13873100018")
	if err != nil {
		t.Fatal(err)
	}
	v, err := srv.Store.VolunteerRelay(ctx, village, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.TakeSlot(ctx, sqlstore.DeviceTaker(token, dev), v.Slots[0].ID); err != nil {
		t.Fatal(err)
	}
}

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
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
)

// pageReport is what checkPageJS finds wrong on one page.
type pageReport struct {
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	Small       []string `json:"small"`
	Foreign     []string `json:"foreign"`
	Tables      []string `json:"tables"`
	Links       []string `json:"links"`
}

// checkPageJS inspects the page as a phone user sees it. Text inside an
// element marked data-user (names, places, addresses, notes: data people
// entered) is not checked for language. %s is "zh" or "en".
const checkPageJS = `(function (lang) {
  const r = {scrollWidth: document.documentElement.scrollWidth, innerWidth: Math.min(window.innerWidth, document.documentElement.clientWidth, screen.width), small: [], foreign: [], tables: [], links: []};
  const visible = (el) => {
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') return false;
    const b = el.getBoundingClientRect();
    return b.width > 0 && b.height > 0;
  };
  const describe = (el) => {
    const t = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 30);
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + t + '"';
  };
  // Every control at least 44 × 44 px (a box ticked through its label is measured by the label).
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, label')) {
    let box = el;
    if (el.tagName === 'LABEL') {
      const c = el.control;
      if (!c || (c.type !== 'checkbox' && c.type !== 'radio')) continue;
    }
    if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio')) {
      box = el.closest('label') || (el.labels && el.labels[0]) || el;
    }
    if (!visible(box)) continue;
    const b = box.getBoundingClientRect();
    if (b.width < 43.5 || b.height < 43.5) r.small.push(describe(el) + ' ' + Math.round(b.width) + '×' + Math.round(b.height));
  }
  // Language: Latin words in Chinese pages, Han characters in English pages.
  const allowed = /^(API|ID|PDF|Excel|XLSX|xlsx|CSV|csv|UTF|GBK|PWA|SMS|OK)$/;
  const skip = (el) => el.closest('[data-user], script, style, noscript, template, code, .mono, body [lang]');
  const check = (text, where) => {
    if (lang === 'zh') {
      for (const w of text.match(/[A-Za-z]{2,}/g) || []) {
        if (!allowed.test(w)) { r.foreign.push(w + ' in "' + text.trim().slice(0, 40) + '" (' + where + ')'); return; }
      }
    } else if (/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(text)) {
      r.foreign.push('"' + text.trim().slice(0, 40) + '" (' + where + ')');
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || skip(p) || !n.nodeValue.trim()) continue;
    check(n.nodeValue, p.tagName.toLowerCase());
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], input[type=submit], input[type=button]')) {
    if (skip(el)) continue;
    for (const a of ['placeholder', 'aria-label', 'title', 'value']) {
      if (a === 'value' && el.tagName !== 'INPUT') continue;
      const v = el.getAttribute(a);
      if (v) check(v, el.tagName.toLowerCase() + '[' + a + ']');
    }
  }
  check(document.title.replace(/ · .*$/, ''), 'title');
  // Tables keep their headings on the phone: visible column headings, or a label on every cell.
  for (const t of document.querySelectorAll('table')) {
    if (!visible(t)) continue;
    const head = t.querySelector('thead');
    if (head && visible(head)) continue;
    for (const td of t.querySelectorAll('tbody td')) {
      if (!(td.getAttribute('data-label') || '').trim() && td.innerText.trim()) {
        r.tables.push((t.id || 'table') + ': cell "' + td.innerText.trim().slice(0, 20) + '" has no heading');
        break;
      }
    }
  }
  // Short names (2–4 characters) stay on one line, never a vertical column.
  for (const el of document.querySelectorAll('[data-user]')) {
    const t = (el.innerText || '').trim();
    if (t.length >= 2 && t.length <= 4 && visible(el) && el.getClientRects().length > 1) r.tables.push('name "' + t + '" is broken over lines');
  }
  for (const a of document.querySelectorAll('a[href]')) r.links.push(a.getAttribute('href'));
  return JSON.stringify(r);
})(%q)`

// skipLink says which links are not pages to inspect: downloads, the
// language switch, logging out and assets.
var skipLink = regexp.MustCompile(`^/(lang/|logout|static/|sw\.js|services/evidence/)|\.(xlsx|csv|svg|png|jpg)$|/(file|photo)$`)

// kindOf names the kind of a page: its path with numbers and place codes
// replaced, so that one page of each kind is inspected.
var idPart = regexp.MustCompile(`/[0-9][0-9-]*`)

func kindOf(path string) string { return idPart.ReplaceAllString(path, "/{id}") }

// seedWork gives every role something to look at: a case with measures
// and a follow-up in 腰站社区 and in 西塘街社区, and a clue left unanswered
// until it is escalated to the town.
func seedWork(t *testing.T, srv *Server, clock *storetest.Clock) {
	t.Helper()
	ctx := context.Background()
	if err := demo.AddHouseholds(ctx, srv.Store, 30, 7, nil); err != nil {
		t.Fatal(err)
	}
	n := 0
	household := func(village, place, county string) int64 {
		n++
		id, err := srv.Store.CreateHousehold(ctx, actor(t, srv, village), safetynet.HouseholdInput{PlaceCode: place, Address: fmt.Sprintf("幸福路%d号", n), Phone: fmt.Sprintf("139000000%02d", n)},
			safetynet.PersonInput{Name: []string{"祝桂英", "马良", "欧阳秀兰"}[n%3], IDNumber: idcard.Generate(nil, county, time.Date(1940+n, 3, 12, 0, 0, 0, 0, time.UTC), idcard.Female)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	for _, c := range []struct{ grid, village, town, place, county string }{
		{"grid", "village", "town", demo.Yaozhan + "-01-01", "530325"},
		{"wc-grid", "wc-village", "wc-town", "430112001001-01-01", "430112"},
		{"grid2", "village", "town", demo.Yaozhan + "-02-01", "530325"},
	} {
		hs := []int64{household(c.village, c.place, c.county), household(c.village, c.place, c.county)}
		report := func(hh int64, id string) sqlstore.Clue {
			cl, _, err := srv.Store.ReportClue(ctx, actor(t, srv, c.grid), safetynet.NewClue{ClientID: id + c.grid, HouseholdID: hh,
				Kinds: []string{"fall", "income_loss"}, Urgency: "urgent", Note: "老人在家滑倒", ReportedAt: clock.Now()})
			if err != nil {
				t.Fatal(err)
			}
			return cl
		}
		cl := report(hs[0], "a")
		village := actor(t, srv, c.village)
		if err := srv.Store.AcknowledgeClue(ctx, village, cl.ID, cl.Version); err != nil {
			t.Fatal(err)
		}
		cl, _ = srv.Store.Clue(ctx, village, cl.ID)
		caseID, err := srv.Store.VerifyClue(ctx, village, cl.ID, sqlstore.Verification{VisitedAt: clock.Now(),
			Checklist: map[string]string{"food": "problem"}, Risks: []string{"accident"}, Decision: "open_case", Note: "独居"}, cl.Version)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Store.AddEmergency(ctx, village, caseID, sqlstore.Emergency{Description: "送医治疗", Provider: "社区", DoneAt: clock.Now(), CostFen: 12050}); err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Store.ApplyMeasure(ctx, village, caseID, sqlstore.Application{Measure: "temporary", AmountFen: 300000}); err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Store.ScheduleFollowup(ctx, village, caseID, clock.Now()); err != nil {
			t.Fatal(err)
		}
		seedRelay(t, srv, village, caseID, clock)
		report(hs[1], "b")
		// A recipient of 低保 due for survival certification in 10 days.
		if _, err := srv.Store.AssignCategory(ctx, village, safetynet.SubjectHousehold, hs[1], safetynet.NewAssignment{Category: "dibao",
			Start: clock.Now().AddDate(-1, 0, 10), Reason: "低保审批"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.Store.RefreshCertifications(ctx, true); err != nil {
		t.Fatal(err)
	}
	// A campaign of 富源县 in its survey-and-register stage (登记造册), 腰站社区's list begun: its progress and list pages.
	seedEnrolWalk(t, srv, clock)
	// A ledger uploaded and not yet imported, so that its page is visited too.
	if _, err := srv.Store.CreateImport(ctx, actor(t, srv, "village"), "ledger", "棠梨湾台账.csv",
		[]byte("户主姓名,姓名,与户主关系,所属村组\n田秀,田秀,户主,棠梨湾\n")); err != nil {
		t.Fatal(err)
	}
	clock.Advance(3 * time.Hour)
	if _, err := srv.Store.Escalate(ctx); err != nil {
		t.Fatal(err)
	}
	// Risk colours: monitored households in 腰站社区, screened as the jobs loop would.
	if err := demo.Colours(ctx, srv.Store, 4); err != nil {
		t.Fatal(err)
	}
	for n := 1; n > 0; {
		var err error
		if n, err = srv.Store.ScreenQueued(ctx, 1000); err != nil {
			t.Fatal(err)
		}
	}
}

// TestEveryPageOnAPhone visits, as every demo user, in Chinese and in
// English, every page reachable from the menu and the home page, and one
// page of each kind linked from those (a household, a person, a clue, a
// case, a user, a place, forms), on a 360-px phone. On each it checks
// what a phone user would notice: the page is no wider than the screen,
// every control is at least 44 × 44 px, no English words in Chinese pages
// nor Chinese in English pages (data people entered aside), and tables
// keep their headings. New pages join by being linked.
func TestEveryPageOnAPhone(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 7, 28, 8, 0, 0, 0, time.Local))
	srv := StartServer(t, clock)
	seedWork(t, srv, clock)
	seedSettlement(t, srv, clock)
	seedGoalsCampaign(t, srv)    // 富源县's campaign: its goals, examples and report (goals_test.go)
	seedCampaigns(t, srv, clock) // campaigns_test.go
	ctx := PhoneWithin(t, 15*time.Minute)
	only := os.Getenv("SAFETYNET_PAGES_USERS") // e.g. "village,county" while working on a page
	for _, u := range demo.Users {
		if only != "" && !slices.Contains(strings.Split(only, ","), u.Username) {
			continue
		}
		for _, lang := range []string{"zh", "en"} {
			t.Run(u.Username+"/"+lang, func(t *testing.T) {
				Do(t, ctx, chromedp.Navigate(srv.URL+"/lang/"+lang+"?next=/login"), Login(srv.URL, u.Username))
				pages := crawl(t, ctx, srv.URL, lang)
				if len(pages) < 5 {
					t.Errorf("only %d pages reached: %v", len(pages), pages)
				}
				// One detail page of each kind the role may see was reached.
				who := access.Actor{Role: u.Role}
				for _, k := range []struct {
					perm access.Permission
					kind string
				}{{access.RegisterView, "/households/{id}"}, {access.RegisterView, "/persons/{id}"},
					{access.WorkView, "/clues/{id}"}, {access.WorkView, "/cases/{id}"}, {access.UserView, "/users/{id}"}, {access.PlaceView, "/places/{id}"},
					{access.CertificationView, "/certifications/{id}"}, {access.FundsView, "/funds/sources/{id}"}, {access.ServiceVerify, "/verification/{id}"},
					{access.SettlementApprove, "/settlements/{id}/{id}"}, {access.VolunteerManage, "/volunteering/relays/{id}"},
					{access.CampaignManage, "/campaigns/{id}/goals"}, {access.CampaignManage, "/campaigns/{id}/report"}} {
					if who.Can(k.perm) && !slices.ContainsFunc(pages, func(p string) bool { return kindOf(p) == k.kind }) {
						t.Errorf("no %s page reached: %v", k.kind, pages)
					}
				}
				// The demo's 阳光社工 and its recorded cleaning, for who sees services in 富源县.
				for _, kind := range []string{"/services/orgs/{id}", "/services/records/{id}"} {
					if who.Can(access.ServiceView) && (strings.HasPrefix(u.Place, "530325") || u.Place == safetynet.RootPlaceCode) &&
						!slices.ContainsFunc(pages, func(p string) bool { return kindOf(p) == kind }) {
						t.Errorf("no %s page reached: %v", kind, pages)
					}
				}
				// The demo's rectifications and scores in 布隆吉乡 (瓜州县), for who sees the whole tree.
				for _, kind := range []string{"/rectifications/{id}", "/inspection-scores", "/inspections/{id}/scores", "/inspections/{id}/village-score"} {
					if who.Can(access.InspectionView) && u.Place == safetynet.RootPlaceCode && !slices.ContainsFunc(pages, func(p string) bool { return strings.HasPrefix(kindOf(p), kind) }) {
						t.Errorf("no %s page reached: %v", kind, pages)
					}
				}
				// The demo's 集中排查 of 高塘岭街道 (demo/screening.go), for who screens there.
				if who.Can(access.ScreeningDo) && (strings.HasPrefix(u.Place, "430112") || u.Place == safetynet.RootPlaceCode) &&
					!slices.ContainsFunc(pages, func(p string) bool { return kindOf(p) == "/campaigns/{id}/screening" }) {
					t.Errorf("no /campaigns/{id}/screening page reached: %v", pages)
				}
				// The dashboard (数据看板) from the menu, for who sees figures.
				if who.Can(access.FiguresView) && !slices.Contains(pages, "/dashboard") {
					t.Errorf("no /dashboard page reached: %v", pages)
				}
				Do(t, ctx, Logout())
			})
		}
	}
}

// crawl inspects the home page, every page its menu and body link to,
// and one page of each kind linked from those, and returns the paths it
// inspected.
func crawl(t *testing.T, ctx context.Context, base, lang string) []string {
	t.Helper()
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	var done []string
	menu := map[string]bool{}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		Do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("body")))
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(checkPageJS, lang)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var rep pageReport
		if err := json.Unmarshal([]byte(raw), &rep); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		done = append(done, path)
		if dir := os.Getenv("SAFETYNET_SCREENSHOTS"); dir != "" { // for a person to look at
			if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				name := strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(t.Name() + path)
				_ = os.WriteFile(filepath.Join(dir, name+".png"), shot, 0o644)
			}
		}
		if rep.ScrollWidth > rep.InnerWidth {
			t.Errorf("%s: page is %d px wide on a %d-px screen", path, rep.ScrollWidth, rep.InnerWidth)
		}
		for _, s := range rep.Small {
			t.Errorf("%s: control smaller than 44×44 px: %s", path, s)
		}
		for _, s := range dedupe(rep.Foreign) {
			t.Errorf("%s: wrong language on a %s page: %s", path, lang, s)
		}
		for _, s := range rep.Tables {
			t.Errorf("%s: %s", path, s)
		}
		if path == "/" {
			nav, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('nav.menu a[href]'), a => a.getAttribute('href'))`))
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range nav {
				menu[h] = true
			}
		}
		for _, h := range rep.Links {
			u, err := url.Parse(h)
			if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") || skipLink.MatchString(u.Path) {
				continue
			}
			// The menu's and the home page's pages all; beyond, one page of each kind.
			key := kindOf(u.Path)
			if path == "/" || menu[u.RequestURI()] {
				key = u.RequestURI()
			}
			if seen[key] || seen[u.RequestURI()] {
				continue
			}
			seen[key] = true
			seen[u.RequestURI()] = true
			queue = append(queue, u.RequestURI())
		}
	}
	sort.Strings(done)
	t.Logf("%d pages: %s", len(done), strings.Join(done, " "))
	return done
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

package httpserver_test

import (
	"strings"
	"testing"

	"safetynet"
	"safetynet/demo"
	"safetynet/sqlstore"
)

// TestRulesForReaders: town officers and village staff reach the rules
// that apply to them from the menu and read a published rule's text, not
// drafts, and cannot edit.
func TestRulesForReaders(t *testing.T) {
	e := newEnv(t)
	id := publishRule(t, e, "county", sqlstore.RuleInput{Name: "读者可见规则", Measure: "temporary", Kind: "eligibility", Place: "530325",
		Source: `h.size >= 3`})
	draft, err := e.store.CreateRule(ctx, e.actor("county"), sqlstore.RuleInput{Name: "草稿规则", Measure: "dibao", Kind: "eligibility",
		Place: "530325", Source: `h.size >= 9`})
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"town", "village"} {
		br := e.browser()
		br.login(who)
		home := br.get("/")
		if !strings.Contains(home.body, `id="nav-rules"`) {
			t.Errorf("%s: no menu link to the rules", who)
		}
		list := br.get("/rules")
		if list.status != 200 || !strings.Contains(list.body, "读者可见规则") || strings.Contains(list.body, "草稿规则") || strings.Contains(list.body, `id="rule-new"`) {
			t.Errorf("%s: rules list %d %.2000s", who, list.status, list.body)
		}
		r := br.get("/rules/" + itoa(id))
		if r.status != 200 || !strings.Contains(r.body, `id="rule-source-view"`) || !strings.Contains(r.body, "h.size &gt;= 3") ||
			strings.Contains(r.body, `id="rule-form"`) {
			t.Errorf("%s: read-only rule %d %.2000s", who, r.status, r.body)
		}
		if r := br.get("/rules/" + itoa(draft)); r.status != 404 {
			t.Errorf("%s: draft rule %d", who, r.status)
		}
		if r := br.get("/rules/" + itoa(id) + "/preview"); r.status != 403 {
			t.Errorf("%s: preview %d", who, r.status)
		}
	}
	// Editors keep the editor, and no extra menu link (settings holds it).
	br := e.browser()
	br.login("county")
	if r := br.get("/rules/" + itoa(id)); !strings.Contains(r.body, `id="rule-form"`) || strings.Contains(br.get("/").body, `id="nav-rules"`) {
		t.Errorf("county: editor %d", r.status)
	}
}

// TestScreeningActionsInput: starting an application needs no body, and
// a dismissal outside the area is "not found" before its reason is read.
func TestScreeningActionsInput(t *testing.T) {
	e := newEnv(t)
	for _, who := range []string{"village", "wc-village"} {
		if _, err := e.store.CreateHousehold(ctx, e.actor(who), safetynet.HouseholdInput{PlaceCode: map[string]string{"village": demo.Yaozhan,
			"wc-village": "430112001001"}[who], Address: "路2号"}, safetynet.PersonInput{Name: "马良"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, who := range []string{"county", "wc-county"} {
		publishRule(t, e, who, sqlstore.RuleInput{Name: "临时救助测试", Measure: "temporary", Kind: "eligibility", Place: e.actor(who).Place,
			Source: `h.size >= 1`})
	}
	mine, err := e.store.ScreeningList(ctx, e.actor("village"), sqlstore.ListFilter{List: "eligible"})
	if err != nil || len(mine) == 0 {
		t.Fatalf("lines: %v", err)
	}
	theirs, err := e.store.ScreeningList(ctx, e.actor("wc-village"), sqlstore.ListFilter{List: "eligible"})
	if err != nil || len(theirs) == 0 {
		t.Fatalf("lines: %v", err)
	}
	tok := e.token("village")
	if r := e.do("POST", "/api/v1/screening/lines/"+itoa(mine[0].ID)+"/apply", tok, ""); r.status != 201 || !strings.Contains(r.body, `"case_id"`) {
		t.Errorf("apply without a body: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/screening/lines/"+itoa(mine[1%len(mine)].ID)+"/apply", tok, "[1]"); r.status != 400 {
		t.Errorf("apply with a body that is not an object: %d %s", r.status, r.body)
	}
	bad := `{"reason":"nope","version":1}`
	if r := e.do("POST", "/api/v1/screening/lines/"+itoa(theirs[0].ID)+"/dismiss", tok, bad); r.status != 404 {
		t.Errorf("dismiss outside the area with a bad reason: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/screening/lines/987654321/dismiss", tok, bad); r.status != 404 {
		t.Errorf("dismiss a missing line: %d", r.status)
	}
	if len(mine) > 1 {
		if r := e.do("POST", "/api/v1/screening/lines/"+itoa(mine[1].ID)+"/dismiss", tok, bad); r.status != 400 || !strings.Contains(r.body, `"field":"reason"`) {
			t.Errorf("dismiss inside with a bad reason: %d %s", r.status, r.body)
		}
	}
}

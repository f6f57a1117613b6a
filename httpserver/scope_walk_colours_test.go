package httpserver_test

import (
	"strings"
	"testing"
)

func init() {
	// The colour rules routes name a county in their body: the walker's
	// place (a county for county officers), 望城区's village or a missing
	// code, which are not counties of the caller's area: not found alike.
	apiBodies["POST /api/v1/colours/rules/preview"] = `{"county":"{place}","red":"h.open_clues > 0","yellow":"h.open_cases > 0"}`
	apiBodies["POST /api/v1/colours/rules/publish"] = `{"county":"{place}","red":"h.open_clues > 0","yellow":"h.open_cases > 0","version":1}`
}

// TestColoursScope: colours, their counts and the colour filter show the
// caller's area only; another county's rules are not found; readers of
// rules may read but not publish.
func TestColoursScope(t *testing.T) {
	e := newEnv(t)
	drainAll(t, e)
	county, wc := e.token("county"), e.token("wc-county")
	// Both fixtures are monitored (突发严重困难户) with an open case: each county sees its own.
	for _, c := range []struct{ tok, in, out string }{{county, itoa(e.in.household), itoa(e.out.household)}, {wc, itoa(e.out.household), itoa(e.in.household)}} {
		r := e.do("GET", "/api/v1/households/"+c.in+"/colour", c.tok, "")
		if r.status != 200 || !strings.Contains(r.body, `"colour":{"colour":"`) {
			t.Errorf("own household colour: %d %s", r.status, r.body)
		}
		if r := e.do("GET", "/api/v1/households/"+c.out+"/colour", c.tok, ""); r.status != 404 {
			t.Errorf("other county's household colour: %d", r.status)
		}
	}
	var counts struct{ Red, Yellow, Green int }
	r := e.do("GET", "/api/v1/colours/counts", e.token("fy-admin"), "")
	r.json(t, &counts)
	all := e.do("GET", "/api/v1/colours/counts", e.token("admin"), "")
	var total struct{ Red, Yellow, Green int }
	all.json(t, &total)
	if counts.Red+counts.Yellow+counts.Green == 0 || total.Red+total.Yellow+total.Green <= counts.Red+counts.Yellow+counts.Green {
		t.Errorf("富源县 counts %+v, all counts %+v", counts, total)
	}
	r = e.do("GET", "/api/v1/households?colour=red&limit=500", county, "")
	if r.status != 200 || strings.Contains(r.body, "西塘街") || !strings.Contains(r.body, `"colour":"red"`) {
		t.Errorf("red households of 富源县: %d %.500s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/households?colour=blue", county, ""); r.status != 400 || !strings.Contains(r.body, `"field":"colour"`) {
		t.Errorf("unknown colour: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/colours/rules?county=430112", county, ""); r.status != 404 {
		t.Errorf("other county's rules: %d", r.status)
	}
	if r := e.do("GET", "/api/v1/colours/rules", e.token("town"), ""); r.status != 200 || !strings.Contains(r.body, `"county":"530325"`) {
		t.Errorf("town reads its county's rules: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/colours/rules/publish", e.token("town"), `{"red":"true","yellow":"false","version":1}`); r.status != 403 {
		t.Errorf("town publishes: %d", r.status)
	}
}

// drainAll screens the queue, as the jobs loop would, which colours the
// monitored households.
func drainAll(t *testing.T, e *env) {
	t.Helper()
	for {
		n, err := e.store.ScreenQueued(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

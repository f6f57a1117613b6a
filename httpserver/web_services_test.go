package httpserver_test

import (
	"strings"
	"testing"
)

// TestContractBuyerByName: the contract's buyer is chosen by its name —
// the county officer among the county and its towns, the town officer
// their town — never typed as a division code.
func TestContractBuyerByName(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		user  string
		wants []string
		not   string
	}{
		{"county", []string{`<select name="place_code" id="contract-place">`, `value="530325" selected data-user>富源县</option>`, `value="530325002" data-user>胜境街道</option>`}, ""},
		{"town", []string{`value="530325002" selected data-user>胜境街道</option>`}, `value="530325" `},
	} {
		b := e.browser()
		b.login(c.user)
		r := b.get("/services/orgs/new")
		if r.status != 200 {
			t.Fatalf("%s: %d %.300s", c.user, r.status, r.body)
		}
		for _, w := range c.wants {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s: the form lacks %q", c.user, w)
			}
		}
		if c.not != "" && strings.Contains(r.body, c.not) {
			t.Errorf("%s: the form offers %q", c.user, c.not)
		}
		if strings.Contains(r.body, `name="place_code" value=`) {
			t.Errorf("%s: the buyer is a typed code", c.user)
		}
	}
}

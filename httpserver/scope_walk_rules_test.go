package httpserver_test

import (
	"net/http"
	"testing"

	"safetynet/access"
	"safetynet/sqlstore"
)

// screeningLines publishes a rule matching every household in 富源县 and
// in 望城区 and returns one 应享未享 line of each, for {lineID}, and one
// outreach task of each, for {taskID}, and the rules, for {ruleID}.
func screeningLines(t *testing.T, e *env) (in, out, inTask, outTask, inRule, outRule string) {
	t.Helper()
	var ids []string
	for _, c := range []struct{ who string }{{"county"}, {"wc-county"}} {
		county := e.actor(c.who)
		id := publishRule(t, e, c.who, sqlstore.RuleInput{Name: "走查规则", Measure: "temporary", Kind: "eligibility", Place: county.Place,
			Source: `h.size >= 1`})
		ids = append(ids, itoa(id))
	}
	first := func(who string) string {
		lines, err := e.store.ScreeningList(ctx, e.actor(who), sqlstore.ListFilter{List: "eligible"})
		if err != nil || len(lines) == 0 {
			t.Fatalf("%s: no line to walk with (%v)", who, err)
		}
		return itoa(lines[0].ID)
	}
	task := func(who string) string {
		tasks, err := e.store.OutreachTasks(ctx, e.actor(who), "pending")
		if err != nil || len(tasks) == 0 {
			t.Fatalf("%s: no outreach task to walk with (%v)", who, err)
		}
		return itoa(tasks[0].ID)
	}
	return first("village"), first("wc-village"), task("village"), task("wc-village"), ids[0], ids[1]
}

func init() {
	// Type-checking a rule names no record: roles that edit rules get an
	// answer, the others 403.
	unscopedWrites["POST /api/v1/rules/check"] = func(t *testing.T, w walk) {
		r := w.send(inside)
		want := http.StatusForbidden
		if w.may(access.RulesEdit) {
			want = http.StatusOK
		}
		if r.status != want {
			t.Errorf("check: %d, want %d: %.300s", r.status, want, r.body)
		}
	}
}

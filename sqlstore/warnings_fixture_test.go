package sqlstore_test

import (
	"fmt"
	"testing"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
	"safetynet/sqlstore"
)

// The warnings tests store department events as the feeds capability
// does (feed_batches, feed_rows, feed_events with yuan in fen and the ID
// number sealed with its blind index, and a warning_queue row in the same
// transaction), through SeedFeedEvents.

const (
	warnMonitored = `(h.has("脱贫户") || h.has("脱贫不稳定户") || h.has("边缘易致贫户") || h.has("突发严重困难户")) && e.oop_ytd >= params.medical_oop_monitored`
	warnOrdinary  = `!(h.has("脱贫户") || h.has("脱贫不稳定户") || h.has("边缘易致贫户") || h.has("突发严重困难户")) && e.oop_ytd >= params.medical_oop_ordinary`
)

// warnFixture is the relay fixture with a 医保 account, the county's
// thresholds and the two medical warning rules published for 富源县.
type warnFixture struct {
	relayFixture
	dept, dept2 access.Actor
	head        int64 // the household head's person id
	rules       []int64
	batches     int
}

func newWarnings(t *testing.T, s *sqlstore.Store) *warnFixture {
	t.Helper()
	f := &warnFixture{relayFixture: newRelay(t, s)}
	sys := access.System()
	f.dept = actorOf(mustUser(t, s, sys, "yibao", safetynet.RoleDepartment, "530325"))
	f.dept2 = actorOf(mustUser(t, s, sys, "canlian", safetynet.RoleDepartment, "530325"))
	for who, dept := range map[int64]string{f.dept.UserID: "medical_insurance", f.dept2.UserID: "disabled_federation"} {
		if err := s.SetUserDepartment(ctx, sys, who, dept); err != nil {
			t.Fatal(err)
		}
	}
	h, err := s.Household(ctx, f.village, f.household)
	if err != nil {
		t.Fatal(err)
	}
	f.head = h.HeadID
	if err := s.SetParam(ctx, f.county, "530325", 2026, "medical_oop_ordinary", 20000.0); err != nil {
		t.Fatal(err)
	}
	for _, in := range []sqlstore.WarningRuleInput{
		{Name: "医疗支出预警：脱贫户及监测对象", Place: "530325", Source: warnMonitored, EventTypes: []string{"hospitalisation", "outpatient_large"}},
		{Name: "医疗支出预警：普通农户", Place: "530325", Source: warnOrdinary, EventTypes: []string{"住院", "大额门诊"}, Urgency: "normal",
			Examples: []rules.EventExample{{Name: "累计两万三", Expect: true, Event: rules.Event{Type: "hospitalisation", Date: "2026-05-01",
				Fields: map[string]any{"oop_ytd": 23400.0}}}}},
	} {
		f.rules = append(f.rules, publishWarning(t, s, f.county, in))
	}
	return f
}

func publishWarning(t *testing.T, s *sqlstore.Store, a access.Actor, in sqlstore.WarningRuleInput) int64 {
	t.Helper()
	id, err := s.CreateWarningRule(ctx, a, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Name, err)
	}
	r, err := s.Rule(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishRule(ctx, a, id, r.Version); err != nil {
		t.Fatalf("publish %s: %v", in.Name, err)
	}
	return id
}

// medicalEvent is a hospitalisation of the fixture's household head with
// this stay's out-of-pocket cost in yuan.
func (f *warnFixture) medicalEvent(date string, oopYuan int64) sqlstore.FeedEventSeed {
	return sqlstore.FeedEventSeed{Type: "hospitalisation", Date: date, PersonID: f.head, HouseholdID: f.household,
		PlaceCode: "530325002009-01-01", Fields: map[string]any{"oop_cost": oopYuan * 100}}
}

// push stores events as one batch of the account by, and drains the queue.
func (f *warnFixture) push(t *testing.T, s *sqlstore.Store, by access.Actor, dept string, evs ...sqlstore.FeedEventSeed) {
	t.Helper()
	f.batches++
	for i := range evs {
		if evs[i].RowKey == "" {
			evs[i].RowKey = fmt.Sprintf("r%d", i+1)
		}
	}
	if _, err := s.SeedFeedEvents(ctx, dept, fmt.Sprintf("b%d", f.batches), "530325", by.Username, evs); err != nil {
		t.Fatal(err)
	}
	drainWarnings(t, s)
}

func drainWarnings(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	for {
		n, err := s.DrainWarnings(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func warningsOf(t *testing.T, s *sqlstore.Store, a access.Actor, f sqlstore.WarningFilter) []sqlstore.Warning {
	t.Helper()
	ws, err := s.Warnings(ctx, a, f)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func rulesExample(name, rating string, expect bool) rules.EventExample {
	return rules.EventExample{Name: name, Expect: expect, Event: rules.Event{Type: "dangerous_housing", Date: "2026-05-01",
		Fields: map[string]any{"rating": rating}}}
}

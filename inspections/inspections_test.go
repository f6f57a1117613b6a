package inspections

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"safetynet"
)

func TestDrawIsReproducibleAndWeighted(t *testing.T) {
	var villages []string
	hh := map[string][]Candidate{}
	for v := range 30 {
		code := fmt.Sprintf("62092210%04d", v)
		villages = append(villages, code)
		for i := range 40 {
			hh[code] = append(hh[code], Candidate{ID: int64(v*1000 + i), Key: i%4 == 0}) // 10 key, 30 ordinary
		}
	}
	a := Draw(42, villages, 5, hh, 10)
	// Candidates in another order give the same draw.
	rev := slices.Clone(villages)
	slices.Reverse(rev)
	b := Draw(42, rev, 5, hh, 10)
	if !slices.Equal(a.Villages, b.Villages) {
		t.Fatalf("villages differ: %v vs %v", a.Villages, b.Villages)
	}
	for _, v := range a.Villages {
		if !slices.Equal(a.Households[v], b.Households[v]) {
			t.Fatalf("households of %s differ", v)
		}
		if n := len(a.Households[v]); n != 10 {
			t.Fatalf("village %s: %d households, want 10", v, n)
		}
		key := 0
		for _, id := range a.Households[v] {
			if id%4 == 0 {
				key++
			}
		}
		if key != KeyQuota(10) {
			t.Fatalf("village %s: %d key households, want %d", v, key, KeyQuota(10))
		}
	}
	c := Draw(43, villages, 5, hh, 10)
	if slices.Equal(a.Villages, c.Villages) {
		t.Fatalf("another seed drew the same villages %v", a.Villages)
	}
}

func TestDrawHouseholdsShortStrata(t *testing.T) {
	cases := []struct {
		name      string
		key, ord  int
		n         int
		wantKey   int
		wantTotal int
	}{
		{"enough", 10, 10, 10, 7, 10},
		{"few key", 2, 20, 10, 2, 10},
		{"few ordinary", 20, 1, 10, 9, 10},
		{"small village", 3, 2, 10, 3, 5},
		{"one", 5, 5, 1, 1, 1},
		{"two keeps an ordinary", 5, 5, 2, 1, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var cs []Candidate
			for i := range tc.key {
				cs = append(cs, Candidate{ID: int64(i + 1), Key: true})
			}
			for i := range tc.ord {
				cs = append(cs, Candidate{ID: int64(1000 + i)})
			}
			got := DrawHouseholds(7, "v", cs, tc.n)
			key := 0
			for _, id := range got {
				if id < 1000 {
					key++
				}
			}
			if len(got) != tc.wantTotal || key != tc.wantKey {
				t.Fatalf("got %d households with %d key, want %d with %d", len(got), key, tc.wantTotal, tc.wantKey)
			}
		})
	}
}

func TestDigestChangesWithCandidates(t *testing.T) {
	v := []string{"a", "b"}
	m := map[string][]Candidate{"a": {{ID: 1, Key: true}, {ID: 2}}}
	d1 := Digest(v, m)
	m["a"] = append(m["a"], Candidate{ID: 3})
	if Digest(v, m) == d1 {
		t.Fatal("a new household did not change the digest")
	}
	m["a"] = m["a"][:2]
	m["a"][1].Key = true
	if Digest(v, m) == d1 {
		t.Fatal("a household becoming key did not change the digest")
	}
}

func TestCheckNew(t *testing.T) {
	ok := NewInspection{ClientID: "c1", Title: "督查", PlaceCode: "620922", PlannedOn: "2026-12-01", Villages: 3, Households: 5, InspectorIDs: []int64{2, 2, 3}}
	got, err := CheckNew(ok, "2026-11-30")
	if err != nil || !slices.Equal(got.InspectorIDs, []int64{2, 3}) {
		t.Fatalf("CheckNew = %v, %v", got.InspectorIDs, err)
	}
	bad := []struct {
		field string
		edit  func(*NewInspection)
	}{
		{"title", func(n *NewInspection) { n.Title = " " }},
		{"planned_on", func(n *NewInspection) { n.PlannedOn = "2026-11-29" }},
		{"planned_on", func(n *NewInspection) { n.PlannedOn = "12/01" }},
		{"villages", func(n *NewInspection) { n.Villages = 0 }},
		{"households", func(n *NewInspection) { n.Households = 51 }},
		{"place_code", func(n *NewInspection) { n.PlaceCode = "" }},
		{"inspectors", func(n *NewInspection) { n.InspectorIDs = []int64{-1} }},
	}
	for _, b := range bad {
		in := ok
		in.InspectorIDs = slices.Clone(ok.InspectorIDs)
		b.edit(&in)
		_, err := CheckNew(in, "2026-11-30")
		if e := safetynet.AsError(err); e == nil || e.Field != b.field {
			t.Errorf("%s: got %v", b.field, err)
		}
	}
}

func TestCheckCheck(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	all := func(ans string) []Answer {
		var out []Answer
		for i := len(Items) - 1; i >= 0; i-- { // any order in, checklist order out
			out = append(out, Answer{Item: Items[i].Code, Answer: ans, Note: "说明"})
		}
		return out
	}
	c, err := CheckCheck(NewCheck{ClientID: "x", SampleID: 1, Found: true, Answers: all(AnswerOK)}, now)
	if err != nil || c.Answers[0].Item != ItemVisited || EncodeAnswers(c.Answers) != "visited=ok,ledger=ok,measures=ok,services=ok,opinion=ok" {
		t.Fatalf("CheckCheck = %+v, %v", c.Answers, err)
	}
	notes := map[string]string{ItemLedger: "人数不符"}
	back := DecodeAnswers("ledger=problem,visited=ok", notes)
	if len(back) != 2 || back[0].Item != ItemVisited || back[1].Note != "人数不符" || len(Problems(back)) != 1 {
		t.Fatalf("DecodeAnswers = %+v", back)
	}
	missing := all(AnswerOK)[1:]
	noNote := all(AnswerOK)
	noNote[0] = Answer{Item: noNote[0].Item, Answer: AnswerProblem}
	bad := []struct {
		name, field string
		c           NewCheck
	}{
		{"missing item", "answers", NewCheck{ClientID: "x", SampleID: 1, Found: true, Answers: missing}},
		{"problem without note", "answers", NewCheck{ClientID: "x", SampleID: 1, Found: true, Answers: noNote}},
		{"unknown answer", "answers", NewCheck{ClientID: "x", SampleID: 1, Found: true, Answers: all("maybe")}},
		{"not found without note", "note", NewCheck{ClientID: "x", SampleID: 1}},
		{"not found with answers", "answers", NewCheck{ClientID: "x", SampleID: 1, Answers: all(AnswerOK), Note: "n"}},
		{"future", "checked_at", NewCheck{ClientID: "x", SampleID: 1, Note: "n", CheckedAt: now.Add(time.Hour)}},
		{"too many photos", "photos", NewCheck{ClientID: "x", SampleID: 1, Note: "n", Photos: make([][]byte, 5)}},
		{"no client id", "client_id", NewCheck{SampleID: 1, Note: "n"}},
	}
	for _, b := range bad {
		_, err := CheckCheck(b.c, now)
		if e := safetynet.AsError(err); e == nil || e.Field != b.field {
			t.Errorf("%s: got %v", b.name, err)
		}
	}
}

func TestVisible(t *testing.T) {
	for _, st := range []string{StatusDraft, StatusDrawn} {
		if Visible(st, false, true, true) {
			t.Errorf("%s visible to a non-inspector", st)
		}
		if !Visible(st, true, false, false) {
			t.Errorf("%s hidden from its inspector", st)
		}
	}
	if !Visible(StatusStarted, false, true, true) || Visible(StatusStarted, false, true, false) || Visible(StatusClosed, false, false, true) {
		t.Error("started inspections follow view permission and scope")
	}
}

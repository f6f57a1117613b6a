package synth

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"safetynet"
)

var (
	testToday  = time.Date(2026, 3, 5, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	testPlaces = []Place{
		{Code: "530325002009", Name: "腰站社区居民委员会", County: "530325"},
		{Code: "370781103220", Name: "滴水崖村村民委员会", County: "370781"},
		{Code: "410804001001", Name: "马村街道第一社区居委会", County: "410804"},
		{Code: "620922201202", Name: "布隆吉村村委会", County: "620922"},
	}
)

const testN = 20000

var testBatch []safetynet.LedgerHousehold

func batch(t testing.TB) []safetynet.LedgerHousehold {
	t.Helper()
	if testBatch == nil {
		testBatch = New(1, testPlaces, testToday).Batch(testN)
	}
	return testBatch
}

// years is the time from a to b in years.
func years(a, b time.Time) float64 { return b.Sub(a).Hours() / 24 / 365.2425 }

func TestValid(t *testing.T) {
	hhs := batch(t)
	if len(hhs) != testN {
		t.Fatalf("got %d households", len(hhs))
	}
	numbers := map[string]bool{}
	row := 2
	for _, h := range hhs {
		out, err := safetynet.CheckHouseholdInput(h.Household, testToday)
		if err != nil {
			t.Fatalf("household %s: %v", h.Household.Number, err)
		}
		if out != h.Household {
			t.Errorf("household %s is not normalised:\n%+v\n%+v", h.Household.Number, h.Household, out)
		}
		if numbers[h.Household.Number] {
			t.Errorf("household number %s twice", h.Household.Number)
		}
		numbers[h.Household.Number] = true
		if !strings.HasPrefix(h.Household.Number, h.Household.PlaceCode+"-") || h.Key != "number:"+h.Household.Number {
			t.Errorf("number %q, key %q, place %q", h.Household.Number, h.Key, h.Household.PlaceCode)
		}
		if strings.Contains(h.Household.Address, "委员会") || !strings.HasSuffix(h.Household.Address, "号") {
			t.Errorf("address %q", h.Household.Address)
		}
		if h.Household.IncomeYear != 2025 || h.Household.IncomeFen < 3000_00 || h.Household.IncomeFen > 30000_99 {
			t.Errorf("income %d in %d", h.Household.IncomeFen, h.Household.IncomeYear)
		}
		if h.Row != row || len(h.Members) == 0 || h.Members[0].Row != row {
			t.Fatalf("household %s: row %d, want %d", h.Household.Number, h.Row, row)
		}
		for _, c := range h.Categories {
			if _, err := safetynet.CheckNewAssignment(safetynet.SubjectHousehold, c, testToday); err != nil {
				t.Errorf("household %s category %+v: %v", h.Household.Number, c, err)
			}
			if c.Start.After(testToday) || c.Start.Before(testToday.AddDate(-5, 0, -2)) {
				t.Errorf("household start %v", c.Start)
			}
		}
		for i, m := range h.Members {
			if m.Row != row {
				t.Fatalf("person row %d, want %d", m.Row, row)
			}
			row++
			if (i == 0) != (m.Person.Relation == "head") {
				t.Errorf("household %s: member %d has relation %s", h.Household.Number, i, m.Person.Relation)
			}
			out, legacy, err := safetynet.CheckPersonInput(m.Person, testToday)
			if err != nil || legacy {
				t.Fatalf("person %s of %s: %v (legacy %v)", m.Person.Name, h.Household.Number, err, legacy)
			}
			if out != m.Person {
				t.Errorf("person is not normalised:\n%+v\n%+v", m.Person, out)
			}
			if m.Person.Birth.IsZero() || m.Person.Sex == "" {
				t.Errorf("person %s without birth or sex", m.Person.Name)
			}
			if m.Person.Phone != "" && m.Person.Phone == h.Household.Phone {
				t.Errorf("person phone equals the household's")
			}
			for _, c := range m.Categories {
				if _, err := safetynet.CheckNewAssignment(safetynet.SubjectPerson, c, testToday); err != nil {
					t.Errorf("person category %+v: %v", c, err)
				}
				if c.Start.Before(m.Person.Birth) {
					t.Errorf("person category %s starts before birth", c.Category)
				}
			}
		}
	}
}

func TestUniqueIDs(t *testing.T) {
	hhs := batch(t)
	seen := map[string]bool{}
	persons, without := 0, 0
	for _, h := range hhs {
		pl := h.Household.PlaceCode
		var county string
		for _, p := range testPlaces {
			if p.Code == pl {
				county = p.County
			}
		}
		for _, m := range h.Members {
			persons++
			id := m.Person.IDNumber
			if id == "" {
				without++
				continue
			}
			if seen[id] {
				t.Fatalf("ID number %s twice", id[:6])
			}
			seen[id] = true
			if id[:6] != county {
				t.Errorf("ID region %s in place %s", id[:6], pl)
			}
		}
	}
	if share := float64(without) / float64(persons); share < 0.0005 || share > 0.01 {
		t.Errorf("%.2f%% of persons without ID number", 100*share)
	}
	t.Logf("%d persons (%.2f per household), %d without ID number", persons, float64(persons)/testN, without)
}

func TestFamilies(t *testing.T) {
	hhs := batch(t)
	today := testToday
	for _, h := range hhs {
		var head, spouse *safetynet.PersonInput
		byRel := map[string][]*safetynet.PersonInput{}
		for i := range h.Members {
			p := &h.Members[i].Person
			byRel[p.Relation] = append(byRel[p.Relation], p)
			switch p.Relation {
			case "head":
				head = p
			case "spouse":
				spouse = p
			}
		}
		if head == nil || len(byRel["head"]) != 1 || len(byRel["spouse"]) > 1 {
			t.Fatalf("household %s: relations %v", h.Household.Number, byRel)
		}
		if spouse != nil {
			if d := years(head.Birth, spouse.Birth); d > 15 || d < -15 || head.Sex == spouse.Sex {
				t.Errorf("spouses %v/%s and %v/%s", head.Birth, head.Sex, spouse.Birth, spouse.Sex)
			}
		}
		parents := []*safetynet.PersonInput{head}
		if spouse != nil {
			parents = append(parents, spouse)
		}
		children := append(append([]*safetynet.PersonInput{}, byRel["son"]...), byRel["daughter"]...)
		inLaws := append(append([]*safetynet.PersonInput{}, byRel["daughter_in_law"]...), byRel["son_in_law"]...)
		grand := append(append([]*safetynet.PersonInput{}, byRel["grandson"]...), byRel["granddaughter"]...)
		for _, c := range children {
			for _, p := range parents {
				if d := years(p.Birth, c.Birth); d < 20 || d > 40 {
					t.Errorf("household %s: child %v, parent %v", h.Household.Number, c.Birth, p.Birth)
				}
			}
			if (c.Relation == "son") != (c.Sex == "M") {
				t.Errorf("%s of sex %s", c.Relation, c.Sex)
			}
		}
		for _, c := range inLaws {
			if d := years(head.Birth, c.Birth); d < 14 {
				t.Errorf("in-law %v, head %v", c.Birth, head.Birth)
			}
			for _, k := range children {
				if d := years(k.Birth, c.Birth); d > 15 || d < -15 {
					t.Errorf("couple of the middle generation %v and %v", k.Birth, c.Birth)
				}
			}
		}
		for _, g := range grand {
			if d := years(head.Birth, g.Birth); d < 40 {
				t.Errorf("grandchild %v, head %v", g.Birth, head.Birth)
			}
			for _, p := range append(append([]*safetynet.PersonInput{}, children...), inLaws...) {
				if d := years(p.Birth, g.Birth); d < 20 || d > 40 {
					t.Errorf("grandchild %v, parent %v", g.Birth, p.Birth)
				}
			}
		}
		for _, p := range append(byRel["father"], byRel["mother"]...) {
			if d := years(p.Birth, head.Birth); d < 20 || d > 40 {
				t.Errorf("head %v, parent %v", head.Birth, p.Birth)
			}
		}
		for i := range h.Members {
			p := &h.Members[i].Person
			age := safetynet.Person{Birth: p.Birth}.Age(today)
			if age < 0 || age > 100 {
				t.Errorf("age %d", age)
			}
			if age < 6 && p.Education != "preschool" || age < 16 && p.Labour != "none" {
				t.Errorf("child of %d: %s, %s", age, p.Education, p.Labour)
			}
			if (p.DisabilityKind != "") != (p.Health == "disabled") {
				t.Errorf("disability %q with health %s", p.DisabilityKind, p.Health)
			}
			for _, c := range h.Members[i].Categories {
				switch c.Category {
				case safetynet.CatElderlyAlone:
					if age < 65 || len(h.Members) != 1 {
						t.Errorf("elderly alone aged %d in a household of %d", age, len(h.Members))
					}
				case "left_behind_child":
					if age >= 16 {
						t.Errorf("left-behind child aged %d", age)
					}
				case "left_behind_elderly":
					if age < 60 {
						t.Errorf("left-behind elderly aged %d", age)
					}
				case "disabled":
					if p.DisabilityKind == "" {
						t.Error("disabled without disability")
					}
				case "serious_illness":
					if p.Health != "serious" {
						t.Error("serious illness while " + p.Health)
					}
				}
			}
		}
	}
}

func TestShares(t *testing.T) {
	hhs := batch(t)
	count := map[string]int{}
	persons := map[string]int{}
	nPersons, twoChar, disabled, phone, oneChar := 0, 0, 0, 0, 0
	places := map[string]int{}
	for _, h := range hhs {
		places[h.Household.PlaceCode]++
		seen := map[string]bool{}
		monitored := false
		for _, c := range h.Categories {
			if !seen[c.Category] {
				count[c.Category]++
				seen[c.Category] = true
			}
			cat, _ := safetynet.CategoryByCode(c.Category)
			if cat.Monitored {
				monitored = true
				hasRisk := false
				for _, r := range h.Categories {
					hasRisk = hasRisk || r.Category == safetynet.CatRisk && r.RiskType == c.RiskType && c.RiskType != ""
				}
				if !hasRisk {
					t.Errorf("monitored household %s without its risk label", h.Household.Number)
				}
				if h.Household.IncomeFen > 9000_99 {
					t.Errorf("monitored household with income %d", h.Household.IncomeFen)
				}
			}
		}
		if monitored {
			count["monitored"]++
		}
		if seen["ordinary"] == (seen["tuopin"] || monitored || seen["dibao"] || seen["tekun"]) {
			t.Errorf("household %s: ordinary and %v", h.Household.Number, h.Categories)
		}
		if h.Household.Phone != "" {
			phone++
		}
		for _, m := range h.Members {
			nPersons++
			switch utf8.RuneCountInString(m.Person.Name) {
			case 2:
				twoChar++
			}
			if m.Person.DisabilityKind != "" {
				disabled++
			}
			for _, c := range m.Categories {
				persons[c.Category]++
			}
		}
	}
	_ = oneChar
	pct := func(n, of int) float64 { return 100 * float64(n) / float64(of) }
	for cat, want := range map[string]float64{"tuopin": 20, "monitored": 4, "dibao": 6, "tekun": 1, "risk": 4} {
		if got := pct(count[cat], testN); got < want-2 || got > want+2 {
			t.Errorf("%s: %.1f%% of households, want %.0f%%", cat, got, want)
		}
	}
	if got := pct(persons[safetynet.CatElderlyAlone], testN); got < 6 || got > 10 {
		t.Errorf("elderly alone: %.1f%% of households, want 8%%", got)
	}
	if got := pct(twoChar, nPersons); got < 15 {
		t.Errorf("two-character names: %.1f%%, want at least 15%%", got)
	}
	if got := pct(disabled, nPersons); got < 2 || got > 4.5 {
		t.Errorf("disabled: %.1f%% of persons, want about 3%%", got)
	}
	if got := pct(phone, testN); got < 87 || got > 93 {
		t.Errorf("household phone: %.1f%%, want 90%%", got)
	}
	if len(places) != len(testPlaces) {
		t.Errorf("households in %d places, want %d", len(places), len(testPlaces))
	}
	for p, n := range places {
		if n < testN/len(testPlaces)/2 {
			t.Errorf("place %s has %d households", p, n)
		}
	}
	t.Logf("households: %v", count)
	t.Logf("persons: %v; two-character names %.1f%%, disabled %.1f%%", persons, pct(twoChar, nPersons), pct(disabled, nPersons))
	t.Logf("places: %v", places)
}

func TestDeterministic(t *testing.T) {
	a := New(7, testPlaces, testToday).Batch(2000)
	b := New(7, testPlaces, testToday).Batch(2000)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave different households")
	}
	c := New(8, testPlaces, testToday).Batch(2000)
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds gave the same households")
	}
}

func TestDefaultPlace(t *testing.T) {
	h := New(1, nil, testToday).Next()
	if h.Household.PlaceCode != DefaultPlace.Code || h.Household.Number != DefaultPlace.Code+"-0001" || h.Household.Address == "" || !strings.HasPrefix(h.Household.Address, "腰站社区") {
		t.Errorf("%+v", h.Household)
	}
}

func TestBadPlace(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a bad county code")
		}
	}()
	New(1, []Place{{Code: "x", County: "000000"}}, testToday)
}

func BenchmarkBatch(b *testing.B) {
	for b.Loop() {
		New(1, testPlaces, testToday).Batch(100_000)
	}
}

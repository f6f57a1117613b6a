package pacts

import (
	"errors"
	"testing"
	"time"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func TestCurrent(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	for _, c := range []struct {
		name     string
		now      time.Time
		deadline int
		loc      *time.Location
		day      string
		due      time.Time
	}{
		{"before the deadline it is yesterday", time.Date(2026, 3, 2, 7, 59, 0, 0, shanghai), 480, shanghai, "2026-03-01",
			time.Date(2026, 3, 1, 8, 0, 0, 0, shanghai)},
		{"at the deadline it is today", time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai), 480, shanghai, "2026-03-02",
			time.Date(2026, 3, 2, 8, 0, 0, 0, shanghai)},
		{"across the month end", time.Date(2026, 3, 1, 0, 30, 0, 0, shanghai), 480, shanghai, "2026-02-28",
			time.Date(2026, 2, 28, 8, 0, 0, 0, shanghai)},
		{"across the year end", time.Date(2027, 1, 1, 7, 0, 0, 0, shanghai), 480, shanghai, "2026-12-31",
			time.Date(2026, 12, 31, 8, 0, 0, 0, shanghai)},
		{"UTC evening is the next Shanghai morning", time.Date(2026, 4, 30, 23, 30, 0, 0, time.UTC), 450, shanghai, "2026-05-01",
			time.Date(2026, 5, 1, 7, 30, 0, 0, shanghai)},
		{"deadline at midnight", time.Date(2026, 5, 1, 0, 0, 0, 0, shanghai), 0, shanghai, "2026-05-01",
			time.Date(2026, 5, 1, 0, 0, 0, 0, shanghai)},
		{"a zone with daylight saving keeps the wall clock", time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC), 480, ny, "2026-03-08",
			time.Date(2026, 3, 8, 8, 0, 0, 0, ny)},
	} {
		t.Run(c.name, func(t *testing.T) {
			day, due := Current(c.now, c.deadline, c.loc)
			if day != c.day || !due.Equal(c.due) {
				t.Fatalf("Current = %s %v, want %s %v", day, due, c.day, c.due)
			}
		})
	}
}

func TestMissed(t *testing.T) {
	terms := Terms{DeadlineMin: 480}.Normalize()
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai)
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, shanghai) }
	for _, c := range []struct {
		name    string
		day     string
		signs   []time.Time
		aways   []Away
		created time.Time
		now     time.Time
		want    bool
	}{
		{"no sign by the deadline", "2026-03-02", nil, nil, created, at(2, 8, 0), true},
		{"not yet the deadline", "2026-03-02", nil, nil, created, at(2, 7, 59), false},
		{"sign before the deadline", "2026-03-02", []time.Time{at(2, 7, 10)}, nil, created, at(2, 8, 5), false},
		{"sign at the deadline counts", "2026-03-02", []time.Time{at(2, 8, 0)}, nil, created, at(2, 8, 5), false},
		{"yesterday evening's sign does not count", "2026-03-02", []time.Time{at(1, 22, 0)}, nil, created, at(2, 8, 5), true},
		{"late sign does not undo the miss", "2026-03-02", []time.Time{at(2, 8, 30)}, nil, created, at(2, 9, 0), true},
		{"paused: at the children's", "2026-03-02", nil, []Away{{From: "2026-02-27", To: "2026-03-03", Reason: "children"}}, created, at(2, 9, 0), false},
		{"pause ended the day before", "2026-03-02", nil, []Away{{From: "2026-02-27", To: "2026-03-01", Reason: "hospital"}}, created, at(2, 9, 0), true},
		{"pact made after the deadline", "2026-03-02", nil, nil, at(2, 9, 0), at(2, 10, 0), false},
		{"UTC sign before Shanghai deadline", "2026-03-02", []time.Time{time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)}, nil, created, at(2, 9, 0), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Missed(c.day, terms, c.signs, c.aways, c.created, c.now)
			if err != nil || got != c.want {
				t.Fatalf("Missed = %v, %v; want %v", got, err, c.want)
			}
		})
	}
}

func TestNext(t *testing.T) {
	due := time.Date(2026, 3, 31, 8, 0, 0, 0, shanghai)
	for _, c := range []struct {
		name    string
		alerted int
		ack     bool
		now     time.Time
		step    int
		ok      bool
		after   time.Time
	}{
		{"steward at once", -1, false, due, 0, true, due.Add(30 * time.Minute)},
		{"grid worker waits", 0, false, due.Add(29 * time.Minute), 0, false, due.Add(30 * time.Minute)},
		{"grid worker after 30 minutes", 0, false, due.Add(30 * time.Minute), 1, true, due.Add(60 * time.Minute)},
		{"town is the last", 2, false, due.Add(2 * time.Hour), 3, true, time.Time{}},
		{"after the last nobody", 3, false, due.Add(5 * time.Hour), 0, false, time.Time{}},
		{"acknowledged stops the ladder", 0, true, due.Add(time.Hour), 0, false, time.Time{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			step, ok, after := Next(due, 30, c.alerted, c.ack, 4, c.now)
			if step != c.step || ok != c.ok || !after.Equal(c.after) {
				t.Fatalf("Next = %d %v %v, want %d %v %v", step, ok, after, c.step, c.ok, c.after)
			}
		})
	}
}

func TestTermsCheck(t *testing.T) {
	for _, c := range []struct {
		name  string
		terms Terms
		field string
	}{
		{"defaults", Terms{DeadlineMin: 480}, ""},
		{"deadline past midnight", Terms{DeadlineMin: 24 * 60}, "deadline"},
		{"unknown zone", Terms{DeadlineMin: 480, Zone: "Mars/Olympus"}, "zone"},
		{"wait too long", Terms{DeadlineMin: 480, WaitMin: 2000}, "wait_minutes"},
		{"ladder without steward first", Terms{DeadlineMin: 480, Ladder: []Rung{RungGrid}}, "ladder"},
		{"ladder twice", Terms{DeadlineMin: 480, Ladder: []Rung{RungSteward, RungGrid, RungGrid}}, "ladder"},
		{"unknown rung", Terms{DeadlineMin: 480, Ladder: []Rung{RungSteward, "county"}}, "ladder"},
		{"short ladder", Terms{DeadlineMin: 480, Ladder: []Rung{RungSteward, RungVillage}}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.terms.Normalize().Check()
			var fe *FieldError
			if c.field == "" && err != nil || c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field) {
				t.Fatalf("Check = %v, want field %q", err, c.field)
			}
		})
	}
}

func TestCheckAway(t *testing.T) {
	for _, c := range []struct {
		a     Away
		field string
	}{
		{Away{From: "2026-02-27", To: "2026-03-02", Reason: "children"}, ""},
		{Away{From: "2026-03-02", To: "2026-03-01", Reason: "hospital"}, "to"},
		{Away{From: "2026-02-30", To: "2026-03-01", Reason: "hospital"}, "from"},
		{Away{From: "2026-03-01", To: "2026-03-01", Reason: "party"}, "reason"},
	} {
		err := CheckAway(c.a)
		var fe *FieldError
		if c.field == "" && err != nil || c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field) {
			t.Errorf("CheckAway(%+v) = %v, want field %q", c.a, err, c.field)
		}
	}
}

func TestVerifySignal(t *testing.T) {
	secret := []byte("s3cret")
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"kind":"water","value":12}`)
	good := SignSignal(secret, now.Unix(), body)
	for _, c := range []struct {
		name     string
		ts, sig  string
		body     []byte
		want     error
		accepted bool
	}{
		{"signed", "1800000000", good, body, nil, true},
		{"unsigned", "", "", body, ErrUnsigned, false},
		{"other body", "1800000000", good, []byte(`{"kind":"water","value":13}`), ErrSignature, false},
		{"other secret", "1800000000", SignSignal([]byte("x"), now.Unix(), body), body, ErrSignature, false},
		{"too old", "1799999000", SignSignal(secret, 1_799_999_000, body), body, ErrStale, false},
		{"from the future", "1800001000", SignSignal(secret, 1_800_001_000, body), body, ErrStale, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := VerifySignal(secret, c.ts, c.sig, c.body, now)
			if !errors.Is(err, c.want) || (err == nil) != c.accepted {
				t.Fatalf("VerifySignal = %v, want %v", err, c.want)
			}
		})
	}
}

func TestToken(t *testing.T) {
	a, ha := NewToken()
	b, hb := NewToken()
	if a == b || ha == hb || HashToken(a) != ha || ha == a {
		t.Fatal("tokens are not random or hashes do not match")
	}
}

func TestAddDays(t *testing.T) {
	for in, want := range map[string]string{"2026-02-28": "2026-03-01", "2028-02-28": "2028-02-29", "2026-12-31": "2027-01-01"} {
		if got := AddDays(in, 1); got != want {
			t.Errorf("AddDays(%s) = %s, want %s", in, got, want)
		}
	}
}

package safetynet

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// cst is China Standard Time, the zone the deployments run in.
var cst = time.FixedZone("CST", 8*60*60)

func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 9, 30, 0, 0, cst)
}

func TestAddWorkingDays(t *testing.T) {
	mon := day(2025, time.June, 2)
	if mon.Weekday() != time.Monday {
		t.Fatalf("fixture %s is a %s, not a Monday", mon, mon.Weekday())
	}
	thu, fri, sat, sun := mon.AddDate(0, 0, 3), mon.AddDate(0, 0, 4), mon.AddDate(0, 0, 5), mon.AddDate(0, 0, 6)
	tests := []struct {
		name  string
		start time.Time
		n     int
		want  time.Time
	}{
		{"zero on a Monday", mon, 0, mon},
		{"zero on a Saturday stays on Saturday", sat, 0, sat},
		{"zero on a Sunday stays on Sunday", sun, 0, sun},
		{"one from Monday", mon, 1, day(2025, time.June, 3)},
		{"four from Monday is Friday", mon, 4, day(2025, time.June, 6)},
		{"five from Monday is next Monday", mon, 5, day(2025, time.June, 9)},
		{"ten from Monday", mon, 10, day(2025, time.June, 16)},
		{"one from Thursday", thu, 1, day(2025, time.June, 6)},
		{"two from Thursday crosses the weekend", thu, 2, day(2025, time.June, 9)},
		{"one from Friday is Monday", fri, 1, day(2025, time.June, 9)},
		{"three from Friday is Wednesday", fri, 3, day(2025, time.June, 11)},
		{"five from Friday is next Friday", fri, 5, day(2025, time.June, 13)},
		{"six from Friday crosses two weekends", fri, 6, day(2025, time.June, 16)},
		{"one from Saturday is Monday", sat, 1, day(2025, time.June, 9)},
		{"one from Sunday is Monday", sun, 1, day(2025, time.June, 9)},
		{"five from Sunday is Friday", sun, 5, day(2025, time.June, 13)},
		{"twenty from Monday is four weeks on", mon, 20, day(2025, time.June, 30)},
		{"across the new year", day(2025, time.December, 31), 1, day(2026, time.January, 1)},
		{"across the new year and a weekend", day(2025, time.December, 31), 3, day(2026, time.January, 5)},
		{"across the end of February", day(2026, time.February, 27), 1, day(2026, time.March, 2)},
		{"across a leap day", day(2024, time.February, 28), 1, day(2024, time.February, 29)},
		// Negative counts are not supported: the time is returned unchanged.
		{"negative is a no-op", mon, -1, mon},
		{"negative from Saturday is a no-op", sat, -3, sat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AddWorkingDays(tt.start, tt.n)
			if !got.Equal(tt.want) {
				t.Errorf("AddWorkingDays(%s %s, %d) = %s %s, want %s %s", tt.start.Weekday(), tt.start.Format(time.DateOnly), tt.n,
					got.Weekday(), got.Format(time.DateTime), tt.want.Weekday(), tt.want.Format(time.DateTime))
			}
		})
	}
}

func TestAddWorkingDaysKeepsTimeOfDayAndZone(t *testing.T) {
	tests := []struct {
		start time.Time
		n     int
		want  time.Time
	}{
		{time.Date(2025, 6, 6, 23, 59, 59, 999, cst), 1, time.Date(2025, 6, 9, 23, 59, 59, 999, cst)},
		{time.Date(2025, 6, 6, 0, 0, 0, 0, cst), 2, time.Date(2025, 6, 10, 0, 0, 0, 0, cst)},
		{time.Date(2025, 6, 7, 17, 45, 0, 0, time.UTC), 1, time.Date(2025, 6, 9, 17, 45, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got := AddWorkingDays(tt.start, tt.n)
		if !got.Equal(tt.want) {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.start, tt.n, got, tt.want)
		}
		if got.Location() != tt.start.Location() {
			t.Errorf("AddWorkingDays(%s, %d) changed the location to %s", tt.start, tt.n, got.Location())
		}
		h, m, s := got.Clock()
		wh, wm, ws := tt.start.Clock()
		if h != wh || m != wm || s != ws || got.Nanosecond() != tt.start.Nanosecond() {
			t.Errorf("AddWorkingDays(%s, %d) = %s: time of day not kept", tt.start, tt.n, got)
		}
	}
}

// TestAddWorkingDaysProperties checks, for every start over two weeks and
// every n up to 15, that the result is a weekday, keeps the clock, and lies
// exactly n weekdays after the start.
func TestAddWorkingDaysProperties(t *testing.T) {
	base := time.Date(2025, 6, 1, 14, 5, 6, 7, cst)
	for i := range 14 {
		start := base.AddDate(0, 0, i)
		for n := 0; n <= 15; n++ {
			got := AddWorkingDays(start, n)
			if n == 0 {
				if !got.Equal(start) {
					t.Errorf("AddWorkingDays(%s, 0) = %s, want the start", start, got)
				}
				continue
			}
			if wd := got.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Errorf("AddWorkingDays(%s, %d) = %s, a %s", start, n, got, wd)
			}
			count := 0
			for d := start.AddDate(0, 0, 1); !d.After(got); d = d.AddDate(0, 0, 1) {
				if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
					count++
				}
			}
			if count != n {
				t.Errorf("AddWorkingDays(%s, %d) = %s, which is %d working days later", start, n, got, count)
			}
			if got.Sub(start) < time.Duration(n)*24*time.Hour {
				t.Errorf("AddWorkingDays(%s, %d) = %s, less than n calendar days", start, n, got)
			}
		}
	}
}

func TestDefaultTimeLimits(t *testing.T) {
	tests := []struct {
		urgency string
		want    StepLimits
	}{
		{"urgent", StepLimits{Acknowledge: Duration(2 * time.Hour), Verify: Duration(24 * time.Hour), Help: Duration(24 * time.Hour)}},
		{"normal", StepLimits{Acknowledge: Duration(24 * time.Hour), Verify: Duration(72 * time.Hour), Help: Duration(72 * time.Hour)}},
		// Anything but "urgent" gets the normal limits.
		{"", StepLimits{Acknowledge: Duration(24 * time.Hour), Verify: Duration(72 * time.Hour), Help: Duration(72 * time.Hour)}},
		{"URGENT", StepLimits{Acknowledge: Duration(24 * time.Hour), Verify: Duration(72 * time.Hour), Help: Duration(72 * time.Hour)}},
		{"紧急", StepLimits{Acknowledge: Duration(24 * time.Hour), Verify: Duration(72 * time.Hour), Help: Duration(72 * time.Hour)}},
	}
	for _, tt := range tests {
		if got := DefaultTimeLimits.For(tt.urgency); got != tt.want {
			t.Errorf("DefaultTimeLimits.For(%q) = %+v, want %+v", tt.urgency, got, tt.want)
		}
	}
	if DefaultTimeLimits.FollowupDays != 7 {
		t.Errorf("FollowupDays = %d, want 7", DefaultTimeLimits.FollowupDays)
	}
	if err := DefaultTimeLimits.Check(); err != nil {
		t.Errorf("DefaultTimeLimits.Check(): %v", err)
	}
	// Every urgent limit is shorter than or equal to its normal one.
	u, n := DefaultTimeLimits.Urgent, DefaultTimeLimits.Normal
	if u.Acknowledge > n.Acknowledge || u.Verify > n.Verify || u.Help > n.Help {
		t.Errorf("urgent limits %+v are not all within normal ones %+v", u, n)
	}
}

func TestTimeLimitsForCustom(t *testing.T) {
	l := TimeLimits{
		Urgent: StepLimits{Acknowledge: Duration(time.Minute), Verify: Duration(2 * time.Minute), Help: Duration(3 * time.Minute)},
		Normal: StepLimits{Acknowledge: Duration(time.Hour), Verify: Duration(2 * time.Hour), Help: Duration(3 * time.Hour)},
	}
	if got := l.For("urgent"); got != l.Urgent {
		t.Errorf("For(urgent) = %+v, want %+v", got, l.Urgent)
	}
	if got := l.For("normal"); got != l.Normal {
		t.Errorf("For(normal) = %+v, want %+v", got, l.Normal)
	}
}

func TestTimeLimitsCheck(t *testing.T) {
	const oneDay = 24 * time.Hour
	tests := []struct {
		name      string
		change    func(*TimeLimits)
		wantField string // "" for valid
	}{
		{"defaults", func(*TimeLimits) {}, ""},
		{"one minute", func(l *TimeLimits) { l.Urgent.Acknowledge = Duration(time.Minute) }, ""},
		{"sixty days", func(l *TimeLimits) { l.Normal.Help = Duration(60 * oneDay) }, ""},
		{"followup 1", func(l *TimeLimits) { l.FollowupDays = 1 }, ""},
		{"followup 365", func(l *TimeLimits) { l.FollowupDays = 365 }, ""},
		{"zero acknowledge", func(l *TimeLimits) { l.Urgent.Acknowledge = 0 }, "limits"},
		{"59 seconds", func(l *TimeLimits) { l.Urgent.Verify = Duration(59 * time.Second) }, "limits"},
		{"negative", func(l *TimeLimits) { l.Normal.Verify = Duration(-time.Hour) }, "limits"},
		{"over sixty days", func(l *TimeLimits) { l.Normal.Acknowledge = Duration(60*oneDay + time.Nanosecond) }, "limits"},
		{"urgent help", func(l *TimeLimits) { l.Urgent.Help = Duration(61 * oneDay) }, "limits"},
		{"normal help", func(l *TimeLimits) { l.Normal.Help = 0 }, "limits"},
		{"followup 0", func(l *TimeLimits) { l.FollowupDays = 0 }, "followup_days"},
		{"followup negative", func(l *TimeLimits) { l.FollowupDays = -7 }, "followup_days"},
		{"followup 366", func(l *TimeLimits) { l.FollowupDays = 366 }, "followup_days"},
		{"zero value", func(l *TimeLimits) { *l = TimeLimits{} }, "limits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := DefaultTimeLimits
			tt.change(&l)
			err := l.Check()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Check(): %v", err)
				}
				return
			}
			assertInvalid(t, err, tt.wantField)
		})
	}
}

func TestDurationUnmarshalText(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"2h", 2 * time.Hour, false},
		{"90m", 90 * time.Minute, false},
		{"1h30m", 90 * time.Minute, false},
		{"72h0m0s", 72 * time.Hour, false},
		{"3d", 72 * time.Hour, false},
		{"1d", 24 * time.Hour, false},
		{"60d", 60 * 24 * time.Hour, false},
		{" 3d ", 72 * time.Hour, false},
		{"\t2h\n", 2 * time.Hour, false},
		{"0d", 0, false},
		{"0", 0, false},
		{"45s", 45 * time.Second, false},
		{"", 0, true},
		{"   ", 0, true},
		{"2", 0, true},
		{"abc", 0, true},
		{"d", 0, true},
		{"3x", 0, true},
		{"1.5d", 0, true},
		{"3d12h", 0, true},
		{"two hours", 0, true},
		{"2 h", 0, true},
	}
	for _, tt := range tests {
		const sentinel = Duration(12345)
		d := sentinel
		err := d.UnmarshalText([]byte(tt.in))
		if tt.wantErr {
			if err == nil {
				t.Errorf("UnmarshalText(%q) = %v, want an error", tt.in, time.Duration(d))
				continue
			}
			assertInvalid(t, err, "limits")
			if d != sentinel {
				t.Errorf("UnmarshalText(%q) failed but changed the value to %v", tt.in, time.Duration(d))
			}
			continue
		}
		if err != nil {
			t.Errorf("UnmarshalText(%q): %v", tt.in, err)
			continue
		}
		if time.Duration(d) != tt.want {
			t.Errorf("UnmarshalText(%q) = %v, want %v", tt.in, time.Duration(d), tt.want)
		}
	}
}

func TestDurationUnmarshalTextTrailingGarbage(t *testing.T) {
	for _, in := range []string{"3dd", "3d d"} {
		var d Duration
		if err := d.UnmarshalText([]byte(in)); err == nil {
			t.Errorf("UnmarshalText(%q) = %v, want an error", in, time.Duration(d))
		}
	}
}

func TestDurationMarshalText(t *testing.T) {
	tests := []struct {
		d    Duration
		want string
	}{
		{Duration(2 * time.Hour), "2h0m0s"},
		{Duration(72 * time.Hour), "72h0m0s"},
		{Duration(90 * time.Minute), "1h30m0s"},
		{0, "0s"},
	}
	for _, tt := range tests {
		b, err := tt.d.MarshalText()
		if err != nil || string(b) != tt.want {
			t.Errorf("MarshalText(%v) = %q, %v; want %q", time.Duration(tt.d), b, err, tt.want)
		}
		var back Duration
		if err := back.UnmarshalText(b); err != nil || back != tt.d {
			t.Errorf("round trip of %v gave %v, %v", time.Duration(tt.d), time.Duration(back), err)
		}
	}
}

func TestTimeLimitsJSON(t *testing.T) {
	b, err := json.Marshal(DefaultTimeLimits)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"urgent":{"acknowledge":"2h0m0s","verify":"24h0m0s","help":"24h0m0s"}`, `"followup_days":7`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	var back TimeLimits
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back != DefaultTimeLimits {
		t.Errorf("round trip gave %+v, want %+v", back, DefaultTimeLimits)
	}

	var custom TimeLimits
	in := `{"urgent":{"acknowledge":"30m","verify":"1d","help":"2d"},"normal":{"acknowledge":"1d","verify":"3d","help":"72h"},"followup_days":14}`
	if err := json.Unmarshal([]byte(in), &custom); err != nil {
		t.Fatal(err)
	}
	want := TimeLimits{
		Urgent:       StepLimits{Duration(30 * time.Minute), Duration(24 * time.Hour), Duration(48 * time.Hour)},
		Normal:       StepLimits{Duration(24 * time.Hour), Duration(72 * time.Hour), Duration(72 * time.Hour)},
		FollowupDays: 14,
	}
	if custom != want {
		t.Errorf("Unmarshal(%s) = %+v, want %+v", in, custom, want)
	}
	if err := json.Unmarshal([]byte(`{"urgent":{"acknowledge":"soon"}}`), &custom); err == nil {
		t.Error("Unmarshal of a bad duration succeeded")
	}
}

func TestMeasureLabel(t *testing.T) {
	m := Measure{ZH: "临时救助", EN: "temporary assistance"}
	for lang, want := range map[string]string{"zh": "临时救助", "en": "temporary assistance", "": "temporary assistance", "fr": "temporary assistance"} {
		if got := m.Label(lang); got != want {
			t.Errorf("Label(%q) = %q, want %q", lang, got, want)
		}
	}
}

func validMeasure() Measure {
	return Measure{Code: "temporary", ZH: "临时救助", EN: "temporary assistance", Kind: "cash", Unit: "once",
		Level: LevelTown, CountyAboveFen: 500000, DecisionDays: 5, Active: true, Position: 3}
}

func TestCheckMeasure(t *testing.T) {
	tests := []struct {
		name      string
		change    func(*Measure)
		wantField string
	}{
		{"valid", func(*Measure) {}, ""},
		{"village level", func(m *Measure) { m.Level = LevelVillage }, ""},
		{"county level", func(m *Measure) { m.Level = LevelCounty }, ""},
		{"one day", func(m *Measure) { m.DecisionDays = 1 }, ""},
		{"ninety days", func(m *Measure) { m.DecisionDays = 90 }, ""},
		{"no county threshold", func(m *Measure) { m.CountyAboveFen = 0 }, ""},
		{"no English name", func(m *Measure) { m.EN = "" }, ""},
		{"forty-character name", func(m *Measure) { m.ZH = strings.Repeat("救", 40) }, ""},
		{"empty code", func(m *Measure) { m.Code = "" }, "code"},
		{"code with a dash", func(m *Measure) { m.Code = "a-b" }, "code"},
		{"code with a space", func(m *Measure) { m.Code = "a b" }, "code"},
		{"code with Chinese", func(m *Measure) { m.Code = "救助" }, "code"},
		{"code too long", func(m *Measure) { m.Code = strings.Repeat("a", 33) }, "code"},
		{"no Chinese name", func(m *Measure) { m.ZH = "" }, "zh"},
		{"blank Chinese name", func(m *Measure) { m.ZH = "  " }, "zh"},
		{"Chinese name too long", func(m *Measure) { m.ZH = strings.Repeat("救", 41) }, "zh"},
		{"English name too long", func(m *Measure) { m.EN = strings.Repeat("a", 81) }, "en"},
		{"no level", func(m *Measure) { m.Level = "" }, "level"},
		{"grid level", func(m *Measure) { m.Level = LevelGrid }, "level"},
		{"province level", func(m *Measure) { m.Level = LevelProvince }, "level"},
		{"zero days", func(m *Measure) { m.DecisionDays = 0 }, "decision_days"},
		{"ninety-one days", func(m *Measure) { m.DecisionDays = 91 }, "decision_days"},
		{"negative threshold", func(m *Measure) { m.CountyAboveFen = -1 }, "county_above"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validMeasure()
			tt.change(&m)
			_, err := CheckMeasure(m)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("CheckMeasure(%+v): %v", m, err)
				}
				return
			}
			assertInvalid(t, err, tt.wantField)
		})
	}
}

func TestCheckMeasureTrims(t *testing.T) {
	m := validMeasure()
	m.ZH, m.EN = "  临时救助 ", " temporary assistance\n"
	got, err := CheckMeasure(m)
	if err != nil {
		t.Fatal(err)
	}
	if got.ZH != "临时救助" || got.EN != "temporary assistance" {
		t.Errorf("names not trimmed: %q, %q", got.ZH, got.EN)
	}
	if got.Code != m.Code || got.Level != m.Level || got.DecisionDays != m.DecisionDays || got.CountyAboveFen != m.CountyAboveFen {
		t.Errorf("CheckMeasure changed other fields: %+v", got)
	}
}

func TestCheckMeasureUnderscoreCode(t *testing.T) {
	for _, code := range []string{"public_job", "housing_repair"} {
		m := validMeasure()
		m.Code = code
		if _, err := CheckMeasure(m); err != nil {
			t.Errorf("CheckMeasure(code %q): %v", code, err)
		}
	}
}

// clueNow is the server's clock in the clue tests.
var clueNow = time.Date(2025, 6, 10, 15, 0, 0, 0, cst)

func validClue() NewClue {
	return NewClue{
		ClientID:   "c-0001",
		Source:     "grid",
		Name:       "张三",
		PlaceCode:  "530302101001",
		Kinds:      []string{"fall"},
		Urgency:    "urgent",
		Note:       "在家中跌倒",
		ReportedAt: clueNow.Add(-time.Hour),
	}
}

func TestCheckNewClueErrors(t *testing.T) {
	tests := []struct {
		name      string
		change    func(*NewClue)
		wantField string
	}{
		{"no client id", func(c *NewClue) { c.ClientID = "" }, "client_id"},
		{"blank client id", func(c *NewClue) { c.ClientID = "   " }, "client_id"},
		{"client id too long", func(c *NewClue) { c.ClientID = strings.Repeat("a", 65) }, "client_id"},
		{"unknown source", func(c *NewClue) { c.Source = "phone" }, "source"},
		{"source label instead of code", func(c *NewClue) { c.Source = "热线来电" }, "source"},
		{"no name without household", func(c *NewClue) { c.Name = "" }, "name"},
		{"blank name without household", func(c *NewClue) { c.Name = " \t " }, "name"},
		{"name too long", func(c *NewClue) { c.Name = strings.Repeat("张", 33) }, "name"},
		{"name with NUL", func(c *NewClue) { c.Name = "张\x00三" }, "name"},
		{"no place without household", func(c *NewClue) { c.PlaceCode = "" }, "place_code"},
		{"no kinds", func(c *NewClue) { c.Kinds = nil }, "kinds"},
		{"empty kinds", func(c *NewClue) { c.Kinds = []string{} }, "kinds"},
		{"unknown kind", func(c *NewClue) { c.Kinds = []string{"fall", "flood"} }, "kinds"},
		{"kind label instead of code", func(c *NewClue) { c.Kinds = []string{"跌倒受伤"} }, "kinds"},
		{"empty kind", func(c *NewClue) { c.Kinds = []string{""} }, "kinds"},
		{"unknown urgency", func(c *NewClue) { c.Urgency = "high" }, "urgency"},
		{"urgency in capitals", func(c *NewClue) { c.Urgency = "URGENT" }, "urgency"},
		{"note too long", func(c *NewClue) { c.Note = strings.Repeat("字", 1001) }, "note"},
		{"note with invalid UTF-8", func(c *NewClue) { c.Note = "a\xffb" }, "note"},
		{"photo too big", func(c *NewClue) { c.Photo = make([]byte, MaxPhoto+1) }, "photo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validClue()
			tt.change(&c)
			_, err := CheckNewClue(c, clueNow)
			assertInvalid(t, err, tt.wantField)
		})
	}
}

func TestCheckNewClueValid(t *testing.T) {
	tests := []struct {
		name   string
		change func(*NewClue)
		check  func(*testing.T, NewClue)
	}{
		{"unchanged", func(*NewClue) {}, func(t *testing.T, c NewClue) {
			want := validClue()
			if c.ClientID != want.ClientID || c.Source != "grid" || c.Name != "张三" || c.PlaceCode != want.PlaceCode ||
				!slices.Equal(c.Kinds, []string{"fall"}) || c.Urgency != "urgent" || c.Note != want.Note || !c.ReportedAt.Equal(want.ReportedAt) {
				t.Errorf("got %+v, want %+v", c, want)
			}
		}},
		{"client id trimmed", func(c *NewClue) { c.ClientID = "  c-0001\n" }, func(t *testing.T, c NewClue) {
			if c.ClientID != "c-0001" {
				t.Errorf("ClientID = %q", c.ClientID)
			}
		}},
		{"client id of 64", func(c *NewClue) { c.ClientID = strings.Repeat("a", 64) }, func(t *testing.T, c NewClue) {
			if len(c.ClientID) != 64 {
				t.Errorf("ClientID has %d bytes", len(c.ClientID))
			}
		}},
		{"source defaults to grid", func(c *NewClue) { c.Source = "" }, func(t *testing.T, c NewClue) {
			if c.Source != "grid" {
				t.Errorf("Source = %q, want grid", c.Source)
			}
		}},
		{"hotline source kept", func(c *NewClue) { c.Source = "hotline" }, func(t *testing.T, c NewClue) {
			if c.Source != "hotline" {
				t.Errorf("Source = %q, want hotline", c.Source)
			}
		}},
		{"urgency defaults to normal", func(c *NewClue) { c.Urgency = "" }, func(t *testing.T, c NewClue) {
			if c.Urgency != "normal" {
				t.Errorf("Urgency = %q, want normal", c.Urgency)
			}
		}},
		{"kinds deduplicated in order", func(c *NewClue) { c.Kinds = []string{"illness", "fall", "illness", "fall", "other"} },
			func(t *testing.T, c NewClue) {
				if want := []string{"illness", "fall", "other"}; !slices.Equal(c.Kinds, want) {
					t.Errorf("Kinds = %q, want %q", c.Kinds, want)
				}
			}},
		{"name and note trimmed", func(c *NewClue) { c.Name, c.Note = "  张三 ", "\t说明 " }, func(t *testing.T, c NewClue) {
			if c.Name != "张三" || c.Note != "说明" {
				t.Errorf("Name = %q, Note = %q", c.Name, c.Note)
			}
		}},
		{"name of 32 characters", func(c *NewClue) { c.Name = strings.Repeat("张", 32) }, func(t *testing.T, c NewClue) {
			if c.Name != strings.Repeat("张", 32) {
				t.Errorf("Name = %q", c.Name)
			}
		}},
		{"note of 1000 characters", func(c *NewClue) { c.Note = strings.Repeat("字", 1000) }, func(*testing.T, NewClue) {}},
		{"registered household needs no name or place", func(c *NewClue) { c.HouseholdID, c.Name, c.PlaceCode = 42, "", "" },
			func(t *testing.T, c NewClue) {
				if c.HouseholdID != 42 {
					t.Errorf("HouseholdID = %d", c.HouseholdID)
				}
			}},
		{"photo of exactly MaxPhoto", func(c *NewClue) { c.Photo = make([]byte, MaxPhoto) }, func(t *testing.T, c NewClue) {
			if len(c.Photo) != MaxPhoto {
				t.Errorf("photo has %d bytes", len(c.Photo))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validClue()
			tt.change(&c)
			got, err := CheckNewClue(c, clueNow)
			if err != nil {
				t.Fatalf("CheckNewClue: %v", err)
			}
			tt.check(t, got)
		})
	}
}

func TestCheckNewClueReportedAt(t *testing.T) {
	tests := []struct {
		name     string
		reported time.Time
		want     time.Time
	}{
		{"zero becomes now", time.Time{}, clueNow},
		{"an hour ago kept", clueNow.Add(-time.Hour), clueNow.Add(-time.Hour)},
		{"now kept", clueNow, clueNow},
		{"five minutes ahead kept", clueNow.Add(5 * time.Minute), clueNow.Add(5 * time.Minute)},
		{"more than five minutes ahead becomes now", clueNow.Add(5*time.Minute + time.Second), clueNow},
		{"tomorrow becomes now", clueNow.AddDate(0, 0, 1), clueNow},
		{"thirty days ago kept", clueNow.AddDate(0, 0, -30), clueNow.AddDate(0, 0, -30)},
		{"more than thirty days ago becomes now", clueNow.AddDate(0, 0, -30).Add(-time.Second), clueNow},
		{"a year ago becomes now", clueNow.AddDate(-1, 0, 0), clueNow},
	}
	for _, tt := range tests {
		c := validClue()
		c.ReportedAt = tt.reported
		got, err := CheckNewClue(c, clueNow)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !got.ReportedAt.Equal(tt.want) {
			t.Errorf("%s: ReportedAt = %s, want %s", tt.name, got.ReportedAt, tt.want)
		}
	}
}

func TestClueVocabularies(t *testing.T) {
	tests := []struct {
		name  string
		v     Vocab
		codes []string
	}{
		{"Urgencies", Urgencies, []string{"urgent", "normal"}},
		{"ClueSources", ClueSources, []string{"grid", "self", "hotline", "department", "visit"}},
		{"VerifyDecisions", VerifyDecisions, []string{"no_action", "emergency", "open_case"}},
	}
	for _, tt := range tests {
		if got := tt.v.Codes(); !slices.Equal(got, tt.codes) {
			t.Errorf("%s codes = %q, want %q", tt.name, got, tt.codes)
		}
	}
	for _, k := range []string{"fall", "illness", "death", "house_damage", "power_water", "no_food", "income_loss", "dropout", "disaster", "dispute", "other"} {
		if !ClueKinds.Valid(k) {
			t.Errorf("ClueKinds lacks %q", k)
		}
	}
}

func TestCheckReason(t *testing.T) {
	tests := []struct {
		field    string
		in       string
		required bool
		want     string
		wantErr  bool
	}{
		{"reason", "  核实无误 ", true, "核实无误", false},
		{"reason", "", false, "", false},
		{"reason", "   ", false, "", false},
		{"reason", "", true, "", true},
		{"end_note", " \n ", true, "", true},
		{"note", strings.Repeat("字", 1000), true, strings.Repeat("字", 1000), false},
		{"note", strings.Repeat("字", 1001), false, "", true},
	}
	for _, tt := range tests {
		got, err := CheckReason(tt.field, tt.in, tt.required)
		if tt.wantErr {
			assertInvalid(t, err, tt.field)
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CheckReason(%q, %q, %v) = %q, %v; want %q", tt.field, tt.in, tt.required, got, err, tt.want)
		}
	}
}

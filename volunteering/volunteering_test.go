package volunteering

import (
	"errors"
	"testing"
	"time"
)

func day(s string, h, m int) time.Time {
	d, _ := time.ParseInLocation(DateLayout, s, Zone)
	return d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// Seed 003: lunch and dinner delivered every day from 7/28 to 9/30 make
// two slots a day over 65 days, in local time across month ends.
func TestSlotsOfMealDelivery(t *testing.T) {
	r := Relay{Title: "暖邻相伴爱心送餐", ShortName: "宇奶奶", Address: "西塘街17号", Tasks: []Task{{Kind: KindMeal, Title: "午餐、晚餐送餐",
		Bring: "热饭菜一份", From: "2026-07-28", To: "2026-09-30", Windows: []Window{{11 * 60, 12 * 60}, {17 * 60, 18 * 60}}}}}.Normalize()
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
	if r.Tasks[0].Address != "西塘街17号" || r.Tasks[0].PerSlot != 1 {
		t.Fatalf("normalized = %+v", r.Tasks[0])
	}
	s, err := r.Tasks[0].Slots()
	if err != nil || len(s) != 65*2 {
		t.Fatalf("slots = %d %v", len(s), err)
	}
	if !s[0].Start.Equal(day("2026-07-28", 11, 0)) || !s[len(s)-1].End.Equal(day("2026-09-30", 18, 0)) || !s[9].Start.Equal(day("2026-08-01", 17, 0)) {
		t.Fatalf("first %v last %v tenth %v", s[0], s[len(s)-1], s[9])
	}
	if Minutes(s[0].Start, s[0].End) != 60 {
		t.Fatal("minutes")
	}
}

func TestCheckRelay(t *testing.T) {
	ok := Task{Kind: KindCare, Title: "照护", From: "2026-07-28", To: "2026-07-30", Windows: []Window{{8 * 60, 9 * 60}}}
	for _, c := range []struct {
		name  string
		edit  func(*Relay)
		field string
	}{
		{"no title", func(r *Relay) { r.Title = "" }, "title"},
		{"no short name", func(r *Relay) { r.ShortName = "" }, "short_name"},
		{"no tasks", func(r *Relay) { r.Tasks = nil }, "tasks"},
		{"bad kind", func(r *Relay) { r.Tasks[0].Kind = "x" }, "tasks[0].kind"},
		{"reversed days", func(r *Relay) { r.Tasks[0].To = "2026-07-01" }, "tasks[0].to"},
		{"too long", func(r *Relay) { r.Tasks[0].To = "2027-07-01" }, "tasks[0].to"},
		{"empty window", func(r *Relay) { r.Tasks[0].Windows = []Window{{600, 600}} }, "tasks[0].windows"},
		{"overlap", func(r *Relay) { r.Tasks[0].Windows = []Window{{600, 700}, {650, 800}} }, "tasks[0].windows"},
		{"people", func(r *Relay) { r.Tasks[0].PerSlot = 11 }, "tasks[0].per_slot"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Relay{Title: "接龙", ShortName: "宇奶奶", Address: "西塘街17号", Tasks: []Task{ok}}
			c.edit(&r)
			err := r.Normalize().Check()
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Fatalf("err = %v, want field %s", err, c.field)
			}
		})
	}
}

func TestParseWindows(t *testing.T) {
	ws, err := ParseWindows("11:00-12:00，17:00-18:30")
	if err != nil || len(ws) != 2 || ws[1] != (Window{17 * 60, 18*60 + 30}) || WindowsString(ws) != "11:00-12:00,17:00-18:30" {
		t.Fatalf("%v %v", ws, err)
	}
	if _, err := ParseWindows("11点"); err == nil {
		t.Fatal("accepted 11点")
	}
}

func TestShortName(t *testing.T) {
	now := day("2026-07-28", 0, 0)
	old, young := time.Date(1946, 3, 12, 0, 0, 0, 0, time.UTC), time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, sex string
		birth     time.Time
		want      string
	}{{"宇淑纯", "F", old, "宇奶奶"}, {"徐光明", "male", old, "徐爷爷"}, {"欧阳芳", "female", young, "欧阳阿姨"}, {"陈洁", "", young, "陈家"}} {
		if got := ShortName(c.name, c.sex, c.birth, now); got != c.want {
			t.Errorf("ShortName(%s) = %s, want %s", c.name, got, c.want)
		}
	}
}

// A taker sees the details from 12 hours before the start until done or a
// day after the end; a place is given back before the start only; done
// from an hour before the start to a day after the end.
func TestWindowsOfASlot(t *testing.T) {
	start, end := day("2026-07-29", 11, 0), day("2026-07-29", 12, 0)
	for _, c := range []struct {
		at     time.Time
		status string
		want   bool
	}{{start.Add(-13 * time.Hour), TakeTaken, false}, {start.Add(-12 * time.Hour), TakeTaken, true}, {end, TakeTaken, true},
		{end.Add(25 * time.Hour), TakeTaken, false}, {start, TakeDone, false}} {
		if Visible(c.status, start, end, c.at) != c.want {
			t.Errorf("Visible(%s at %v) != %v", c.status, c.at, c.want)
		}
	}
	if CanRelease(start, start.Add(-time.Minute)) != nil || CanRelease(start, start) != ErrStarted {
		t.Error("release")
	}
	if CanDone(start, end, start.Add(-2*time.Hour), "") != ErrTooEarly || CanDone(start, end, end, "送到了") != nil ||
		CanDone(start, end, end.Add(25*time.Hour), "") != ErrTooLate {
		t.Error("done")
	}
	if CanTake(end, end) != ErrPast || CanTake(end, start) != nil {
		t.Error("take")
	}
	if Seat(2, []int{1}) != 2 || Seat(2, []int{2}) != 1 || Seat(1, []int{1}) != 0 {
		t.Error("seat")
	}
}

func TestCheckSignup(t *testing.T) {
	if n, p, err := CheckSignup(" 李婶 ", "138 7310 0018"); err != nil || n != "李婶" || p != "13873100018" {
		t.Fatalf("%s %s %v", n, p, err)
	}
	for _, p := range []string{"", "12345", "2387310001x", "23873100018"} {
		if _, _, err := CheckSignup("李婶", p); err == nil {
			t.Errorf("accepted phone %q", p)
		}
	}
}

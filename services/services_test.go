package services

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"safetynet"
)

func day(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPeriods(t *testing.T) {
	for _, tt := range []struct {
		f               Frequency
		start, end, now string
		want            string
	}{
		{Weekly, "2027-03-01", "2027-06-30", "2027-03-01", "2027-03-01..2027-03-07"},
		{Weekly, "2027-03-01", "2027-06-30", "2027-03-15", "2027-03-01..2027-03-07 2027-03-08..2027-03-14 2027-03-15..2027-03-21"},
		{Biweekly, "2027-03-01", "2027-03-20", "2027-03-16", "2027-03-01..2027-03-14 2027-03-15..2027-03-20"},
		{TwiceMonthly, "2027-02-10", "2027-12-31", "2027-03-02", "2027-02-10..2027-02-15 2027-02-16..2027-02-28 2027-03-01..2027-03-15"},
		{Monthly, "2027-01-31", "2027-12-31", "2027-03-01", "2027-01-31..2027-01-31 2027-02-01..2027-02-28 2027-03-01..2027-03-31"},
		{Daily, "2027-03-01", "2027-03-31", "2027-03-03", "2027-03-01..2027-03-01 2027-03-02..2027-03-02 2027-03-03..2027-03-03"},
		{Once, "2027-03-01", "2027-03-31", "2027-03-03", "2027-03-01..2027-03-31"},
		{Once, "2027-04-01", "2027-04-30", "2027-03-03", ""},                                                                                                                     // not begun
		{Weekly, "2026-01-05", "2027-12-31", "2027-03-03", "2027-02-01..2027-02-07 2027-02-08..2027-02-14 2027-02-15..2027-02-21 2027-02-22..2027-02-28 2027-03-01..2027-03-07"}, // only the last 30 days are kept
	} {
		var got []string
		for _, p := range Periods(tt.f, day(tt.start), day(tt.end), day(tt.now), 30) {
			got = append(got, p.Start.Format(DateLayout)+".."+p.End.Format(DateLayout))
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s %s–%s on %s: %v, want %s", tt.f, tt.start, tt.end, tt.now, got, tt.want)
		}
	}
}

func photo(tb testing.TB, side int) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, side, side*3/4))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 31)
	}
	img.Set(1, 1, color.White)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckRecord(t *testing.T) {
	now := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	ok := NewRecord{ClientID: "c-1", HouseholdID: 7, Type: Cleaning, StartedAt: now.Add(-time.Hour), EndedAt: now.Add(-time.Minute),
		Photos: [][]byte{photo(t, 64)}, Code: "123456", Note: "  打扫  "}
	got, kind, err := CheckRecord(ok, now)
	if err != nil || kind != ConfirmCode || got.Note != "打扫" {
		t.Fatalf("a good record: %+v %q %v", got, kind, err)
	}
	sig := ok
	sig.Code, sig.Signature = "", PNG(200, 80, 1)
	if _, kind, err := CheckRecord(sig, now); err != nil || kind != ConfirmSignature {
		t.Fatalf("a signed record: %q %v", kind, err)
	}
	big := make([]byte, MaxPhotoBytes+1)
	copy(big, photo(t, 64))
	for _, c := range []struct {
		field  string
		change func(r *NewRecord)
	}{
		{"client_id", func(r *NewRecord) { r.ClientID = " " }},
		{"service_type", func(r *NewRecord) { r.Type = "massage" }},
		{"household_id", func(r *NewRecord) { r.HouseholdID = 0 }},
		{"ended_at", func(r *NewRecord) { r.EndedAt = now.Add(10 * time.Minute) }},
		{"ended_at", func(r *NewRecord) { r.EndedAt = r.StartedAt.Add(-time.Second) }},
		{"ended_at", func(r *NewRecord) { r.StartedAt = r.EndedAt.Add(-13 * time.Hour) }},
		{"started_at", func(r *NewRecord) {
			r.StartedAt, r.EndedAt = now.AddDate(0, -3, 0), now.AddDate(0, -3, 0).Add(time.Hour)
		}},
		{"note", func(r *NewRecord) { r.Note = strings.Repeat("记", 501) }},
		{"photos", func(r *NewRecord) { r.Photos = [][]byte{[]byte("%PDF-1.4 not an image")} }},
		{"photos", func(r *NewRecord) { r.Photos = [][]byte{ok.Photos[0][:len(ok.Photos[0])/2]} }},
		{"photos", func(r *NewRecord) { r.Photos = [][]byte{big} }},
		{"photos", func(r *NewRecord) {
			r.Photos = [][]byte{ok.Photos[0], ok.Photos[0], ok.Photos[0], ok.Photos[0], ok.Photos[0]}
		}},
		{"signature", func(r *NewRecord) { r.Code, r.Signature = "", ok.Photos[0] }}, // a JPEG is not a drawn signature
		{"code", func(r *NewRecord) { r.Code = "12a456" }},
		{"confirmation", func(r *NewRecord) { r.Code = "" }},
		{"location", func(r *NewRecord) { r.Location = &Location{LatE6: 91e6} }},
	} {
		r := ok
		c.change(&r)
		_, _, err := CheckRecord(r, now)
		if e := safetynet.AsError(err); e == nil || e.Code != safetynet.EInvalid || e.Field != c.field {
			t.Errorf("want a refusal naming %s, got %v", c.field, err)
		}
	}
	due := ok
	due.HouseholdID, due.Type, due.DueID = 0, "", 9
	if _, _, err := CheckRecord(due, now); err != nil {
		t.Errorf("a due service names its household and type: %v", err)
	}
}

func TestContractAndMoney(t *testing.T) {
	for in, want := range map[string]int64{"30": 3000, "30.5": 3050, "1,200.05": 120005, "0.07": 7} {
		if got, ok := ParseYuan(in); !ok || got != want {
			t.Errorf("ParseYuan(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-30", "30.555", "3e5", "三十", "1.2.3"} {
		if _, ok := ParseYuan(in); ok {
			t.Errorf("ParseYuan(%q) accepted", in)
		}
	}
	if Yuan(3050) != "30.50" || Yuan(-7) != "-0.07" {
		t.Errorf("Yuan: %s %s", Yuan(3050), Yuan(-7))
	}
	k := NewContract{Title: "居家服务", StartsOn: "2027-01-01", EndsOn: "2027-12-31", BudgetFen: 100_000, Prices: []Price{{Cleaning, 3000}}}
	if err := CheckContract(k); err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(*NewContract){
		"negative price":  func(k *NewContract) { k.Prices = []Price{{Cleaning, -1}} },
		"absurd price":    func(k *NewContract) { k.Prices = []Price{{Cleaning, MaxPriceFen + 1}} },
		"twice priced":    func(k *NewContract) { k.Prices = []Price{{Cleaning, 3000}, {Cleaning, 2000}} },
		"no price":        func(k *NewContract) { k.Prices = nil },
		"zero budget":     func(k *NewContract) { k.BudgetFen = 0 },
		"end before":      func(k *NewContract) { k.EndsOn = "2026-12-31" },
		"no title":        func(k *NewContract) { k.Title = " " },
		"unknown service": func(k *NewContract) { k.Prices = []Price{{"massage", 3000}} },
	} {
		c := k
		change(&c)
		if safetynet.CodeOf(CheckContract(c)) != safetynet.EInvalid {
			t.Errorf("%s: accepted", name)
		}
	}
	if !ValidCode(NewCode()) || ValidCode("12345") {
		t.Error("codes")
	}
	if CodeHash(nil, 1, "123456") == CodeHash(nil, 2, "123456") {
		t.Error("a code hashes the same for two households")
	}
}

// BenchmarkCheckImage is the cost of checking one phone photo (1280 px,
// as the page scales it, and 640 px).
func BenchmarkCheckImage(b *testing.B) {
	for _, side := range []int{640, 1280} {
		p := photo(b, side)
		b.Run(fmt.Sprintf("%dpx", side), func(b *testing.B) {
			for b.Loop() {
				if err := CheckImage(p, MaxPhotoBytes, "photos"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCheckImageStructure: whole JPEGs and PNGs pass; renamed, truncated
// and altered ones are refused without decoding their pixels.
func TestCheckImageStructure(t *testing.T) {
	jp, pn := photo(t, 320), PNG(200, 80, 3)
	flip := func(b []byte, i int) []byte { c := append([]byte(nil), b...); c[i] ^= 0x55; return c }
	for _, tt := range []struct {
		name string
		b    []byte
		ok   bool
	}{
		{"a JPEG", jp, true},
		{"a PNG", pn, true},
		{"a JPEG with bytes after its end", append(append([]byte(nil), jp...), 0, 0, 0), true},
		{"a JPEG cut in its scan", jp[:len(jp)-40], false},
		{"a JPEG cut in its headers", jp[:30], false},
		{"a PNG cut before IEND", pn[:len(pn)-12], false},
		{"a PNG with an altered pixel chunk", flip(pn, len(pn)-20), false},
		{"text named .jpg", []byte("\xff\xd8 this is not a photo"), false},
		{"a GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), false},
	} {
		err := CheckImage(tt.b, MaxPhotoBytes, "photos")
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

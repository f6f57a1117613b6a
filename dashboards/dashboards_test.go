package dashboards

import (
	"errors"
	"strings"
	"testing"
	"time"

	"safetynet"
)

func TestPeriods(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, loc) }
	at := time.Date(2026, 2, 14, 15, 30, 0, 0, loc)
	for _, tt := range []struct {
		kind                       string
		from, to, prevFrom, prevTo time.Time
		zh, prevZH                 string
	}{
		{Month, d(2026, 2, 1), d(2026, 3, 1), d(2026, 1, 1), d(2026, 2, 1), "2026年2月", "2026年1月"},
		{Quarter, d(2026, 1, 1), d(2026, 4, 1), d(2025, 10, 1), d(2026, 1, 1), "2026年第1季度", "2025年第4季度"},
		{Year, d(2026, 1, 1), d(2027, 1, 1), d(2025, 1, 1), d(2026, 1, 1), "2026年", "2025年"},
		{"", d(2026, 2, 1), d(2026, 3, 1), d(2026, 1, 1), d(2026, 2, 1), "2026年2月", "2026年1月"},
	} {
		p, err := NewPeriod(tt.kind, at, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if !p.From.Equal(tt.from) || !p.To.Equal(tt.to) || !p.PrevFrom.Equal(tt.prevFrom) || !p.PrevTo.Equal(tt.prevTo) {
			t.Errorf("%s: %v–%v, before %v–%v", tt.kind, p.From, p.To, p.PrevFrom, p.PrevTo)
		}
		if p.Label("zh") != tt.zh || p.PrevLabel("zh") != tt.prevZH {
			t.Errorf("%s: labels %q %q", tt.kind, p.Label("zh"), p.PrevLabel("zh"))
		}
	}
	p, err := NewPeriod(Custom, at, d(2026, 3, 10), d(2026, 3, 19))
	if err != nil {
		t.Fatal(err)
	}
	if p.Days() != 10 || !p.PrevFrom.Equal(d(2026, 2, 28)) || !p.PrevTo.Equal(d(2026, 3, 10)) || !p.Last().Equal(d(2026, 3, 19)) {
		t.Errorf("custom: %+v", p)
	}
	if got := p.Label("en"); got != "2026-03-10 to 2026-03-19" {
		t.Errorf("custom label %q", got)
	}
	for _, bad := range []struct {
		kind, field string
		from, to    time.Time
	}{{"week", "period", time.Time{}, time.Time{}}, {Custom, "from", time.Time{}, d(2026, 1, 1)}, {Custom, "to", d(2026, 1, 1), time.Time{}},
		{Custom, "to", d(2026, 2, 1), d(2026, 1, 1)}, {Custom, "to", d(2010, 1, 1), d(2026, 1, 1)}} {
		_, err := NewPeriod(bad.kind, at, bad.from, bad.to)
		var e *safetynet.Error
		if !errors.As(err, &e) || e.Field != bad.field {
			t.Errorf("%s %v–%v: %v, want an error of field %s", bad.kind, bad.from, bad.to, err, bad.field)
		}
	}
}

func TestCompareAndFormat(t *testing.T) {
	for _, tt := range []struct {
		cur, prev int64
		lower     bool
		want      string
		good      bool
	}{{70, 100, true, "−30%", true}, {556, 400, false, "+39%", true}, {5, 0, false, "—", false}, {100, 100, false, "0%", false}, {90, 100, false, "−10%", false}} {
		c := Compare(tt.cur, tt.prev, tt.lower)
		if c.String() != tt.want || c.Good != tt.good {
			t.Errorf("Compare(%d, %d) = %s good %v", tt.cur, tt.prev, c, c.Good)
		}
	}
	if Yuan(264_500_00) != "264,500.00" || Yuan(-5) != "-0.05" || Thousands(2_600_000) != "2,600,000" || Thousands(0) != "0" {
		t.Errorf("formats: %s %s %s", Yuan(264_500_00), Yuan(-5), Thousands(2_600_000))
	}
	if FormatValue(90, Minutes, "zh") != "1.5 小时" || Rate(1, 3) != "33.3%" || Rate(1, 0) != "—" {
		t.Errorf("%s %s", FormatValue(90, Minutes, "zh"), Rate(1, 3))
	}
	v := Values{"a": 1}
	v.Add(Values{"a": 2, "cat.dibao": 3})
	if v["a"] != 3 || v["cat.dibao"] != 3 || strings.Join(Codes(KeyCategory, v), ",") != "dibao" {
		t.Errorf("values %v", v)
	}
	if s := Summarise([]time.Duration{3, 1, 2}); s.N != 3 || s.Median != 2 {
		t.Errorf("summarise %+v", s)
	}
}

// TestCharts: the SVG is one element with a 320-unit viewBox, no script,
// labels escaped, a link per linked row with a row-high target, bars
// proportional to the values.
func TestCharts(t *testing.T) {
	svg := BarChart([]Bar{{Label: "胜境街道<script>", Cur: 100, Prev: 50, Link: "/dashboard?place=1&x=2"}, {Label: "营上镇", Cur: 25}}, true, Thousands)
	if !strings.HasPrefix(svg, `<svg class="chart"`) || !strings.Contains(svg, `viewBox="0 0 320 `) || strings.Contains(svg, "<script") {
		t.Fatalf("bar chart: %s", svg)
	}
	if !strings.Contains(svg, "胜境街道&lt;script&gt;") || !strings.Contains(svg, `href="/dashboard?place=1&amp;x=2"`) || strings.Count(svg, "<a ") != 1 {
		t.Errorf("bar chart labels or links: %s", svg)
	}
	// The first bar is the widest (224 units: 320 less the values' room), the second a quarter of it.
	if !strings.Contains(svg, `width="224.0"`) || !strings.Contains(svg, `width="56.0"`) {
		t.Errorf("bar widths: %s", svg)
	}
	d := Donut([]Slice{{Label: "红", Value: 3, Colour: RiskColours["red"], Link: "/register?colour=red"}, {Label: "绿", Value: 1}}, "4")
	if !strings.Contains(d, "#c62828") || strings.Count(d, "stroke-dasharray") != 2 || !strings.Contains(d, ">4</text>") {
		t.Errorf("donut: %s", d)
	}
	if empty := BarChart(nil, false, Thousands); !strings.Contains(empty, `viewBox="0 0 320 24"`) {
		t.Errorf("empty chart: %s", empty)
	}
}

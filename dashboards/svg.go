package dashboards

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Charts are drawn on the server as inline SVG: no script, no web font, a
// viewBox 320 units wide scaled to the width of the page (a 360-px phone
// shows it at about its own size), the text at 13 units so it stays
// legible there. The SVG is only a picture (aria-hidden): the numbers it
// shows are in the table that goes with it, read by screen readers and
// printed.

// ChartWidth is the width of a chart's viewBox.
const ChartWidth = 320

// Bar is a row of a bar chart: the value now and, when Prev is shown,
// before.
type Bar struct {
	Label     string
	Cur, Prev int64
	Link      string // where the row leads, "" for nowhere
}

// Slice is a part of a donut.
type Slice struct {
	Label  string
	Value  int64
	Colour string // a CSS colour; "" picks one of the palette
	Link   string
}

// Palette colours slices and bars; each is readable beside the others for
// the common kinds of colour blindness and prints in grey distinctly.
var Palette = []string{"#1f5fbf", "#e07b00", "#2a9d5c", "#c23b3b", "#7a4fb0", "#8c6d1f", "#3c8c9e", "#b5488a", "#5f6b7a", "#9bbf2a"}

// Colours of a household's risk colour.
var RiskColours = map[string]string{"red": "#c62828", "yellow": "#f0b400", "green": "#2e7d32", "": "#9aa4b2"}

const (
	curColour  = "#1f5fbf"
	prevColour = "#a7b1bf"
	fontSize   = 13
)

func esc(s string) string { return html.EscapeString(s) }

func maxOf(bars []Bar, prev bool) int64 {
	var m int64
	for _, b := range bars {
		m = max(m, b.Cur)
		if prev {
			m = max(m, b.Prev)
		}
	}
	return m
}

// BarChart draws horizontal bars, one row per bar: its label above, the
// bar of this period and, with prev, a thinner grey bar of the previous
// period beneath; the value written at the bar's end by format.
func BarChart(bars []Bar, prev bool, format func(int64) string) string {
	// A row is at least 48 units high: on a phone the viewBox shows at
	// about a pixel a unit, and a row that links on is a 44-px target.
	const labelH, barH, prevH = 16, 14, 8
	rowH := 54
	if prev {
		rowH = 56
	}
	h := rowH*len(bars) + 4
	if len(bars) == 0 {
		h = 24
	}
	m := maxOf(bars, prev)
	valueW := 96.0
	scale := func(v int64) float64 {
		if m <= 0 || v <= 0 {
			return 0
		}
		return math.Max(1, float64(v)/float64(m)*(ChartWidth-valueW))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" data-user viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false" font-size="%d" font-family="sans-serif">`, ChartWidth, h, fontSize)
	for i, r := range bars {
		y := i*rowH + 2
		if r.Link != "" {
			fmt.Fprintf(&b, `<a href="%s"><rect x="0" y="%d" width="%d" height="%d" fill="transparent"/>`, esc(r.Link), y, ChartWidth, rowH-2)
		}
		fmt.Fprintf(&b, `<text x="0" y="%d" fill="#222">%s</text>`, y+labelH-4, esc(clip(r.Label, 22)))
		w := scale(r.Cur)
		fmt.Fprintf(&b, `<rect x="0" y="%d" width="%.1f" height="%d" rx="2" fill="%s"/>`, y+labelH, w, barH, curColour)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="#222">%s</text>`, w+4, y+labelH+barH-2, esc(format(r.Cur)))
		if prev {
			pw := scale(r.Prev)
			py := y + labelH + barH + 2
			fmt.Fprintf(&b, `<rect x="0" y="%d" width="%.1f" height="%d" rx="2" fill="%s"/>`, py, pw, prevH, prevColour)
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="#555" font-size="10">%s</text>`, pw+4, py+prevH, esc(format(r.Prev)))
		}
		if r.Link != "" {
			b.WriteString(`</a>`)
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// Donut draws the slices as a ring with the total in its middle and a
// legend beside it (below it on a narrow page, as the viewBox scales).
func Donut(slices []Slice, total string) string {
	var sum int64
	for _, s := range slices {
		sum += max(0, s.Value)
	}
	const cx, cy, r, stroke = 70.0, 70.0, 52.0, 24.0
	const legendRow = 54 // a legend entry that links on is a 44-px target on a phone
	legendH := legendRow*len(slices) + 4
	h := max(170, legendH)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" data-user viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" aria-hidden="true" focusable="false" font-size="%d" font-family="sans-serif">`, ChartWidth, h, fontSize)
	circ := 2 * math.Pi * r
	fmt.Fprintf(&b, `<circle cx="%.0f" cy="%.0f" r="%.0f" fill="none" stroke="#e6e9ee" stroke-width="%.0f"/>`, cx, cy, r, stroke)
	off := 0.0
	for i, s := range slices {
		if sum == 0 || s.Value <= 0 {
			continue
		}
		l := float64(s.Value) / float64(sum) * circ
		fmt.Fprintf(&b, `<circle cx="%.0f" cy="%.0f" r="%.0f" fill="none" stroke="%s" stroke-width="%.0f" stroke-dasharray="%.2f %.2f" stroke-dashoffset="%.2f" transform="rotate(-90 %.0f %.0f)"/>`,
			cx, cy, r, sliceColour(s, i), stroke, l, circ-l, -off, cx, cy)
		off += l
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle" font-weight="bold" fill="#222">%s</text>`, cx, cy+5, esc(total))
	for i, s := range slices {
		y := 28 + i*legendRow
		if s.Link != "" {
			fmt.Fprintf(&b, `<a href="%s"><rect x="146" y="%d" width="%d" height="%d" fill="transparent"/>`, esc(s.Link), y-24, ChartWidth-146, legendRow-1)
		}
		fmt.Fprintf(&b, `<rect x="150" y="%d" width="12" height="12" fill="%s"/>`, y-10, sliceColour(s, i))
		fmt.Fprintf(&b, `<text x="168" y="%d" fill="#222">%s %s</text>`, y, esc(clip(s.Label, 8)), esc(Thousands(s.Value)))
		if s.Link != "" {
			b.WriteString(`</a>`)
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func sliceColour(s Slice, i int) string {
	if s.Colour != "" {
		return s.Colour
	}
	return Palette[i%len(Palette)]
}

// clip shortens a label to n characters with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

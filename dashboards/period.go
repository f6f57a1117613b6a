// Package dashboards holds what the dashboards per level (数据看板) compute
// without storage: the periods compared, the figures shown and how they
// sum, their change against the previous period, and the charts drawn on
// the server as inline SVG.
package dashboards

import (
	"fmt"
	"time"

	"safetynet"
)

// Period kinds.
const (
	Month   = "month"
	Quarter = "quarter"
	Year    = "year"
	Custom  = "custom"
)

// Kinds are the kinds of period a dashboard offers, in the order shown.
var Kinds = []string{Month, Quarter, Year, Custom}

// Period is a span of local days [From, To) and the one it is compared
// with: the month, quarter or year before, or as many days just before a
// custom period.
type Period struct {
	Kind             string
	From, To         time.Time // To is the day after the last
	PrevFrom, PrevTo time.Time
}

// Last is the last day of the period.
func (p Period) Last() time.Time { return p.To.AddDate(0, 0, -1) }

// PrevLast is the last day of the previous period.
func (p Period) PrevLast() time.Time { return p.PrevTo.AddDate(0, 0, -1) }

// Days is how many days the period has.
func (p Period) Days() int { return int(p.To.Sub(p.From).Hours()/24 + 0.5) }

// MaxCustomDays bounds a custom period (five years).
const MaxCustomDays = 5 * 366

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// ParseDay reads a local date YYYY-MM-DD in loc.
func ParseDay(s string, loc *time.Location) (time.Time, error) {
	return time.ParseInLocation("2006-01-02", s, loc)
}

// NewPeriod makes the period of kind that holds the day at (month,
// quarter, year), or [from, to] both included for custom. An empty kind
// is the month.
func NewPeriod(kind string, at, from, to time.Time) (Period, error) {
	var p Period
	if kind == "" {
		kind = Month
	}
	p.Kind = kind
	at = day(at)
	switch kind {
	case Month:
		p.From = time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, at.Location())
		p.To = p.From.AddDate(0, 1, 0)
		p.PrevFrom, p.PrevTo = p.From.AddDate(0, -1, 0), p.From
	case Quarter:
		q := (int(at.Month()) - 1) / 3
		p.From = time.Date(at.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, at.Location())
		p.To = p.From.AddDate(0, 3, 0)
		p.PrevFrom, p.PrevTo = p.From.AddDate(0, -3, 0), p.From
	case Year:
		p.From = time.Date(at.Year(), 1, 1, 0, 0, 0, 0, at.Location())
		p.To = p.From.AddDate(1, 0, 0)
		p.PrevFrom, p.PrevTo = p.From.AddDate(-1, 0, 0), p.From
	case Custom:
		if from.IsZero() {
			return p, safetynet.Invalid("from", "请填写开始日期", "enter the first day")
		}
		if to.IsZero() {
			return p, safetynet.Invalid("to", "请填写结束日期", "enter the last day")
		}
		from, to = day(from), day(to)
		if to.Before(from) {
			return p, safetynet.Invalid("to", "结束日期不能早于开始日期", "the last day cannot be before the first")
		}
		p.From, p.To = from, to.AddDate(0, 0, 1)
		n := p.Days()
		if n > MaxCustomDays {
			return p, safetynet.Invalid("to", "期间最长五年", "a period is at most five years long")
		}
		p.PrevFrom, p.PrevTo = p.From.AddDate(0, 0, -n), p.From
	default:
		return p, safetynet.Invalid("period", "期间类别无效：按月、按季、按年或自定义", "the period is a month, quarter, year or custom")
	}
	return p, nil
}

// Label names the period: "2026年11月", "2026年第4季度", "2026年",
// "2026-11-01 至 2026-11-30"; in English "November 2026", "Q4 2026", ….
func (p Period) Label(lang string) string { return periodLabel(p.Kind, p.From, p.To, lang) }

// PrevLabel names the previous period.
func (p Period) PrevLabel(lang string) string { return periodLabel(p.Kind, p.PrevFrom, p.PrevTo, lang) }

func periodLabel(kind string, from, to time.Time, lang string) string {
	en := lang == "en"
	switch kind {
	case Month:
		if en {
			return from.Format("January 2006")
		}
		return fmt.Sprintf("%d年%d月", from.Year(), int(from.Month()))
	case Quarter:
		q := (int(from.Month())-1)/3 + 1
		if en {
			return fmt.Sprintf("Q%d %d", q, from.Year())
		}
		return fmt.Sprintf("%d年第%d季度", from.Year(), q)
	case Year:
		if en {
			return fmt.Sprint(from.Year())
		}
		return fmt.Sprintf("%d年", from.Year())
	}
	sep := " 至 "
	if en {
		sep = " to "
	}
	return from.Format("2006-01-02") + sep + to.AddDate(0, 0, -1).Format("2006-01-02")
}

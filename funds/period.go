package funds

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"safetynet"
)

// Period is a span of local days [From, To) with the one just before it
// of the same length, for figures shown beside their previous period.
type Period struct {
	Label     string // 2024, 2024-03 or 2024-Q2
	From, To  time.Time
	PrevFrom  time.Time
	PrevLabel string
	Months    int
}

// ParsePeriod reads a year (2024), a month (2024-03) or a quarter
// (2024-Q2); empty means the year of today.
func ParsePeriod(s string, today time.Time) (Period, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		s = strconv.Itoa(Day(today).Year())
	}
	bad := safetynet.Invalid("period", "期间应写作 2024、2024-03 或 2024-Q2", "a period is written 2024, 2024-03 or 2024-Q2")
	y, rest, _ := strings.Cut(s, "-")
	year, err := strconv.Atoi(y)
	if err != nil || year < 2000 || year > 2100 {
		return Period{}, bad
	}
	var p Period
	switch {
	case rest == "":
		p.From, p.Months = time.Date(year, 1, 1, 0, 0, 0, 0, Zone), 12
	case strings.HasPrefix(rest, "Q"):
		q, err := strconv.Atoi(rest[1:])
		if err != nil || q < 1 || q > 4 {
			return Period{}, bad
		}
		p.From, p.Months = time.Date(year, time.Month(3*q-2), 1, 0, 0, 0, 0, Zone), 3
	default:
		m, err := strconv.Atoi(rest)
		if err != nil || m < 1 || m > 12 || len(rest) != 2 {
			return Period{}, bad
		}
		p.From, p.Months = time.Date(year, time.Month(m), 1, 0, 0, 0, 0, Zone), 1
	}
	p.To = p.From.AddDate(0, p.Months, 0)
	p.PrevFrom = p.From.AddDate(0, -p.Months, 0)
	p.Label, p.PrevLabel = label(p.From, p.Months), label(p.PrevFrom, p.Months)
	return p, nil
}

func label(from time.Time, months int) string {
	switch months {
	case 12:
		return strconv.Itoa(from.Year())
	case 3:
		return fmt.Sprintf("%d-Q%d", from.Year(), (int(from.Month())-1)/3+1)
	}
	return from.Format("2006-01")
}

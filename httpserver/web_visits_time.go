package httpserver

import (
	"fmt"
	"time"

	"safetynet/visits"
)

// placeZone is the local time of the places the day list, visits and
// certifications speak of (Asia/Shanghai unless the system has none): the
// server itself runs in UTC, so pages never use its zone for them.
var placeZone = visits.Zone("")

// LocalTime formats an instant in the places' local time. An instant at
// local midnight is the end of the day before (a visit due "by the end of
// 31 January" reads 2026-01-31 24:00, not 2026-02-01 00:00); zero is "—".
func (p *page) LocalTime(t time.Time) string { return localTime(t) }

func localTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(placeZone)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.AddDate(0, 0, -1).Format("2006-01-02") + " 24:00"
	}
	return t.Format("2006-01-02 15:04")
}

// LocalDate is the local calendar day of an instant ("" for zero).
func (p *page) LocalDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(placeZone).Format("2006-01-02")
}

// PlaceZone names the places' zone, for scripts that date records made on
// the phone.
func (p *page) PlaceZone() string { return placeZone.String() }

// CertClientID is the client id of a certification form of the day page
// sent without script: the same for the same worker, due and due date, so
// that sending the form twice records once (a script makes a new id for
// each record it keeps on the phone).
func (p *page) CertClientID(it visits.Item) string {
	return fmt.Sprintf("day-%d-%d-%s", p.actor.UserID, it.ID, p.LocalDate(it.Due))
}

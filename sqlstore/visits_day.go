package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/visits"
)

// DaySection is one part of the grid worker's day.
type DaySection struct {
	Name  string        `json:"name"`
	Items []visits.Item `json:"items"`
}

// Day is the grid worker's day: its sections in order, each with overdue
// items first.
type Day struct {
	Date     string       `json:"date"` // local date
	Sections []DaySection `json:"sections"`
}

// daySection computes one section of an actor's day. Other capabilities
// add theirs to daySections (the pact round, certifications due).
type daySection struct {
	name string
	list func(ctx context.Context, a access.Actor, now time.Time) ([]visits.Item, error)
}

func (s *Store) daySections() []daySection {
	return []daySection{
		{visits.SectionVisits, s.dayVisits},
		{visits.SectionOutreach, s.dayOutreach},
		{"pacts", s.dayPacts},
		{"certifications", s.dayCertifications},
	}
}

// pactStateLabels name a pact's state on the day list.
var pactStateLabels = map[string][2]string{
	"waiting":  {"待确认", "waiting for a sign"},
	"kept":     {"平安", "all well"},
	"missed":   {"未见信号", "no sign"},
	"late":     {"迟到的信号", "late sign"},
	"resolved": {"已处理", "resolved"},
	"paused":   {"暂停", "paused"},
}

// dayPacts is the curtain-pact round of the actor as steward.
func (s *Store) dayPacts(ctx context.Context, a access.Actor, now time.Time) ([]visits.Item, error) {
	round, err := s.PactRound(ctx, a, now)
	if err != nil {
		return nil, err
	}
	out := make([]visits.Item, 0, len(round))
	for _, r := range round {
		l := pactStateLabels[r.State]
		if l[0] == "" {
			l = [2]string{r.State, r.State}
		}
		out = append(out, visits.Item{Section: "pacts", ID: r.PactID, Name: r.PersonName, Place: r.PlaceName, What: "pact",
			Due: r.Due, Overdue: r.State == "missed", Link: "/pacts/round",
			LabelZH: "窗帘之约 · " + l[0], LabelEN: "curtain pact · " + l[1]})
	}
	return out, nil
}

// dayCertifications lists the survival certifications due within 30
// days in the actor's area (none for roles that do not see them).
func (s *Store) dayCertifications(ctx context.Context, a access.Actor, _ time.Time) ([]visits.Item, error) {
	if !a.Can(access.CertificationView) {
		return nil, nil
	}
	dues, err := s.CertificationsDue(ctx, a, 30*24*time.Hour)
	if err != nil {
		return nil, err
	}
	out := make([]visits.Item, 0, len(dues))
	for _, c := range dues {
		out = append(out, visits.Item{Section: "certifications", ID: c.ID, HouseholdID: c.HouseholdID, Name: c.PersonName,
			Place: c.PlaceName, What: "certification", Due: c.DueDate, Overdue: c.DaysLeft < 0,
			Link:    fmt.Sprintf("/certifications/%d", c.ID),
			LabelZH: c.MeasureZH + "生存认证", LabelEN: "survival certification (" + c.MeasureEN + ")"})
	}
	return out, nil
}

// VisitDay returns the actor's day: the visits and calls due (overdue
// first), then the outreach tasks, then the sections other capabilities
// add. Volunteers and cadres see only the households paired with them.
func (s *Store) VisitDay(ctx context.Context, a access.Actor) (Day, error) {
	if visits.DayScope(a) == visits.DayNone {
		return Day{}, safetynet.Forbidden()
	}
	now := s.now()
	day := Day{Date: visits.LocalDate(now, visitZone).Format(visits.DateLayout), Sections: []DaySection{}}
	for _, sec := range s.daySections() {
		items, err := sec.list(ctx, a, now)
		if err != nil {
			return Day{}, err
		}
		if items == nil {
			items = []visits.Item{}
		}
		visits.SortSection(items, now)
		day.Sections = append(day.Sections, DaySection{Name: sec.name, Items: items})
	}
	return day, nil
}

// dayLimit bounds a section: a day longer than this is not a day's work.
const dayLimit = 2000

// dayVisits lists the open due visits of the actor's households. The
// due visits are chosen first, the place's (on visit_due_place) and the
// pairs' (on visit_due_household) apart — an OR of the two made both
// planners read every due visit — and cut to dayLimit; only then is each
// household's head looked up, once per household.
func (s *Store) dayVisits(ctx context.Context, a access.Actor, now time.Time) ([]visits.Item, error) {
	const cols = `SELECT id, household_id, place_code, need, trigger_code, due_at FROM visit_due WHERE status = 'open' AND `
	due := cols + `household_id IN (SELECT household_id FROM visit_pairs WHERE user_id = ?)`
	args := []any{a.UserID}
	if visits.DayScope(a) == visits.DayPlace {
		due = cols + `place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) UNION ` + due
		args = []any{a.Place, a.UserID}
	}
	var out []visits.Item
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `WITH d AS (`+due+` ORDER BY due_at, household_id LIMIT `+strconv.Itoa(dayLimit)+`),
			n AS (SELECT h.id, COALESCE(hp.name, '') AS name FROM households h LEFT JOIN persons hp ON hp.id = h.head_person_id
				WHERE h.id IN (SELECT household_id FROM d))
			SELECT d.id, d.household_id, n.name, p.name, d.need, d.trigger_code, d.due_at
			FROM d JOIN n ON n.id = d.household_id JOIN places p ON p.code = d.place_code
			ORDER BY d.due_at, d.household_id`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: day visits: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var it visits.Item
			var need, trigger string
			var due int64
			if err := rows.Scan(&it.ID, &it.HouseholdID, &it.Name, &it.Place, &need, &trigger, &due); err != nil {
				return err
			}
			it.Section, it.What, it.Due = visits.SectionVisits, need, fromMS(due)
			if trigger != "" {
				it.What = "must_" + trigger
			}
			it.Link = "/households/" + strconv.FormatInt(it.HouseholdID, 10)
			out = append(out, it)
		}
		return rows.Err()
	})
	return out, err
}

// dayOutreach lists the actor's pending outreach tasks (惠民政策宣传).
func (s *Store) dayOutreach(ctx context.Context, a access.Actor, _ time.Time) ([]visits.Item, error) {
	if !a.Can(access.OutreachRecord) || visits.DayScope(a) != visits.DayPlace {
		return nil, nil
	}
	tasks, err := s.OutreachTasks(ctx, a, "pending")
	if err != nil {
		return nil, err
	}
	out := make([]visits.Item, 0, len(tasks))
	for _, o := range tasks {
		out = append(out, visits.Item{Section: visits.SectionOutreach, ID: o.ID, HouseholdID: o.HouseholdID, Name: o.Name,
			Place: o.PlaceName, What: o.Measure, LabelZH: o.MeasureZH, LabelEN: o.MeasureEN, Link: "/outreach"})
	}
	return out, nil
}

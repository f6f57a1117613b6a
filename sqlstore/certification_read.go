package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/certification"
)

// CertificationDue is a recipient's certification for a measure: the
// cycle's start, the due date and what the county decided if it is late.
type CertificationDue struct {
	ID          int64
	PersonID    int64
	HouseholdID int64
	PersonName  string
	PlaceCode   string
	PlaceName   string
	Measure     string
	MeasureZH   string
	MeasureEN   string
	BasisDate   time.Time
	DueDate     time.Time
	LastDone    time.Time // zero before the first certification
	Active      bool
	Status      string // certification.Status*
	DaysLeft    int    // negative when overdue
	Review      string // certification.Review* or ""
	ReviewNote  string
	ReviewedBy  string
	ReviewedAt  time.Time
	Version     int
}

// CertificationFilter selects dues.
type CertificationFilter struct {
	Place   string        // a place of the actor's scope; all of it if empty
	Within  time.Duration // due up to today + Within (overdue ones included)
	Overdue bool          // only those past their due date
	Review  string        // only those with this review state ("none" for none yet)
	Limit   int
}

const certDueCols = `cd.id, cd.person_id, cd.household_id, p.name, cd.place_code, pl.name, cd.measure, COALESCE(m.zh, cd.measure),
	COALESCE(m.en, cd.measure), cd.basis_date, cd.due_date, cd.last_done, cd.active, cd.review, cd.review_note, cd.reviewed_by,
	cd.reviewed_at, cd.version`

const certDueFrom = ` FROM certification_dues cd JOIN persons p ON p.id = cd.person_id JOIN places pl ON pl.code = cd.place_code
	LEFT JOIN measure_catalogue m ON m.code = cd.measure`

func (s *Store) scanCertDue(rows interface{ Scan(...any) error }, today time.Time) (CertificationDue, error) {
	var c CertificationDue
	var basis, due, last string
	var active int
	var reviewed int64
	if err := rows.Scan(&c.ID, &c.PersonID, &c.HouseholdID, &c.PersonName, &c.PlaceCode, &c.PlaceName, &c.Measure, &c.MeasureZH,
		&c.MeasureEN, &basis, &due, &last, &active, &c.Review, &c.ReviewNote, &c.ReviewedBy, &reviewed, &c.Version); err != nil {
		return c, err
	}
	c.BasisDate, _ = certification.ParseDay(basis)
	c.DueDate, _ = certification.ParseDay(due)
	if last != "" {
		c.LastDone, _ = certification.ParseDay(last)
	}
	if reviewed > 0 {
		c.ReviewedAt = fromMS(reviewed)
	}
	c.Active = active == 1
	c.Status = certification.StatusOn(c.DueDate, today)
	c.DaysLeft = certification.DaysLeft(c.DueDate, today)
	return c, nil
}

// CertificationsDue lists the recipients of the actor's area whose
// certification is due within the given time from today, or overdue,
// the earliest due date first: the grid worker's list to help with.
func (s *Store) CertificationsDue(ctx context.Context, a access.Actor, within time.Duration) ([]CertificationDue, error) {
	return s.Certifications(ctx, a, CertificationFilter{Within: within})
}

// Certifications lists the dues of the actor's area that f selects, the
// earliest due date first.
func (s *Store) Certifications(ctx context.Context, a access.Actor, f CertificationFilter) ([]CertificationDue, error) {
	if err := a.Require(access.CertificationView); err != nil {
		return nil, err
	}
	today := certification.Day(s.now())
	where, args := scopeClause(a.Scope(access.Register), "cd.place_code")
	conds := []string{"cd.active = 1", where}
	if f.Place != "" {
		conds, args = append(conds, "cd.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"), append(args, f.Place)
	}
	if f.Overdue {
		conds, args = append(conds, "cd.due_date < ?"), append(args, today.Format(dateLayout))
	} else {
		within := f.Within
		if within <= 0 {
			within = certification.Window
		}
		conds, args = append(conds, "cd.due_date <= ?"), append(args, certification.Day(today.Add(within+12*time.Hour)).Format(dateLayout))
	}
	switch f.Review {
	case "":
	case "none":
		conds = append(conds, "cd.review = ''")
	case certification.ReviewContinue, certification.ReviewSuspend, certification.ReviewRestored:
		conds, args = append(conds, "cd.review = ?"), append(args, f.Review)
	default:
		return nil, safetynet.Invalid("review", "审核状态无效", "unknown review state %q", f.Review)
	}
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 2000
	}
	var out []CertificationDue
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+certDueCols+certDueFrom+` WHERE `+strings.Join(conds, " AND ")+
			fmt.Sprintf(` ORDER BY cd.due_date, cd.id LIMIT %d`, limit), args...)
		if err != nil {
			return fmt.Errorf("sqlstore: certifications: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			c, err := s.scanCertDue(rows, today)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// CertificationRecordView is a recorded assistance.
type CertificationRecordView struct {
	ID          int64
	Method      string
	On          time.Time
	DueDate     time.Time
	Late        bool
	Evidence    string
	HasPhoto    bool
	Note        string
	Username    string
	DisplayName string
	At          time.Time
}

// CertificationReviewView is a decision of the county.
type CertificationReviewView struct {
	Decision string
	Note     string
	Username string
	At       time.Time
}

// CertificationDetail is a due with its history.
type CertificationDetail struct {
	CertificationDue
	Records []CertificationRecordView
	Reviews []CertificationReviewView
}

// Certification returns a due of the actor's area with its records and
// reviews; NotFound outside it.
func (s *Store) Certification(ctx context.Context, a access.Actor, id int64) (CertificationDetail, error) {
	var out CertificationDetail
	if err := a.Require(access.CertificationView); err != nil {
		return out, err
	}
	today := certification.Day(s.now())
	err := s.read(ctx, func(t *tx) error {
		where, args := scopeCheck(a.Scope(access.Register), "cd.place_code")
		c, err := s.scanCertDue(t.queryRow(ctx, `SELECT `+certDueCols+certDueFrom+` WHERE cd.id = ? AND `+where, append([]any{id}, args...)...), today)
		if isNoRows(err) {
			return safetynet.NotFound("认证对象", "certification")
		}
		if err != nil {
			return err
		}
		out.CertificationDue = c
		rows, err := t.query(ctx, `SELECT r.id, r.method, r.on_date, r.due_date, r.late, r.evidence, CASE WHEN r.photo IS NULL THEN 0 ELSE 1 END,
			r.note, r.username, r.display_name, r.at FROM certification_records r WHERE r.due_id = ? ORDER BY r.id DESC`, id)
		if err != nil {
			return fmt.Errorf("sqlstore: certification records: %w", err)
		}
		for rows.Next() {
			var r CertificationRecordView
			var on, due string
			var late, photo int
			var at int64
			if err := rows.Scan(&r.ID, &r.Method, &on, &due, &late, &r.Evidence, &photo, &r.Note, &r.Username, &r.DisplayName, &at); err != nil {
				rows.Close()
				return err
			}
			r.On, _ = certification.ParseDay(on)
			r.DueDate, _ = certification.ParseDay(due)
			r.Late, r.HasPhoto, r.At = late == 1, photo == 1, fromMS(at)
			out.Records = append(out.Records, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = t.query(ctx, `SELECT decision, note, username, at FROM certification_reviews WHERE due_id = ? ORDER BY id DESC`, id)
		if err != nil {
			return fmt.Errorf("sqlstore: certification reviews: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r CertificationReviewView
			var at int64
			if err := rows.Scan(&r.Decision, &r.Note, &r.Username, &at); err != nil {
				return err
			}
			r.At = fromMS(at)
			out.Reviews = append(out.Reviews, r)
		}
		return rows.Err()
	})
	return out, err
}

// CertificationPhoto returns the photo of a record of the actor's area.
func (s *Store) CertificationPhoto(ctx context.Context, a access.Actor, recordID int64) ([]byte, error) {
	if err := a.Require(access.CertificationView); err != nil {
		return nil, err
	}
	where, args := scopeCheck(a.Scope(access.Register), "r.place_code")
	var b []byte
	err := s.queryRow(ctx, `SELECT r.photo FROM certification_records r WHERE r.id = ? AND r.photo IS NOT NULL AND `+where,
		append([]any{recordID}, args...)...).Scan(&b)
	if isNoRows(err) {
		return nil, safetynet.NotFound("照片", "photo")
	}
	return b, err
}

// CertCounts are the certifications of a period: done by method, done
// late, and missed (due in the period and not done by the due date).
type CertCounts struct {
	Face, Home, Data int
	Done             int
	Late             int
	Missed           int
}

// CertPlaceFigures are a place's certification figures.
type CertPlaceFigures struct {
	Place    safetynet.Place
	Current  CertCounts
	Previous CertCounts
	DueSoon  int // due within the window now
	Overdue  int // overdue now
}

// CertFigures are the figures of a place and of each place below it.
type CertFigures struct {
	From, To time.Time
	Place    CertPlaceFigures
	ByChild  []CertPlaceFigures
}

// CertificationFigures counts the certifications of place (the actor's
// place if empty) and of each place one level below, for the days
// [from, to) and the period of the same length before, with what is due
// soon and overdue now.
func (s *Store) CertificationFigures(ctx context.Context, a access.Actor, place string, from, to time.Time) (CertFigures, error) {
	f := CertFigures{From: from, To: to}
	if err := a.Require(access.CertificationView); err != nil {
		return f, err
	}
	if place == "" {
		place = a.Place
	}
	if !to.After(from) {
		return f, safetynet.Invalid("to", "结束日期应晚于开始日期", "the period must end after it starts")
	}
	prevFrom := certification.Day(from.Add(-to.Sub(from) + 12*time.Hour))
	today := certification.Day(s.now())
	d := func(t time.Time) string { return certification.Day(t).Format(dateLayout) }
	err := s.read(ctx, func(t *tx) error {
		p, err := s.placeInScope(ctx, t, a.Scope(access.Register), place)
		if err != nil {
			return err
		}
		f.Place.Place = p
		byChild := map[string]*CertPlaceFigures{}
		rows, err := t.query(ctx, `SELECT `+placeColumns+` FROM places p WHERE p.parent_code = ? ORDER BY p.code`, place)
		if err != nil {
			return fmt.Errorf("sqlstore: certification figures: %w", err)
		}
		for rows.Next() {
			c, err := scanPlace(rows)
			if err != nil {
				rows.Close()
				return err
			}
			f.ByChild = append(f.ByChild, CertPlaceFigures{Place: c})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range f.ByChild {
			byChild[f.ByChild[i].Place.Code] = &f.ByChild[i]
		}
		add := func(q string, args []any, set func(pf *CertPlaceFigures, key string, n int)) error {
			rows, err := t.query(ctx, q, args...)
			if err != nil {
				return fmt.Errorf("sqlstore: certification figures: %w", err)
			}
			defer rows.Close()
			for rows.Next() {
				var child, key string
				var n int
				if err := rows.Scan(&child, &key, &n); err != nil {
					return err
				}
				set(&f.Place, key, n)
				if pf := byChild[child]; pf != nil {
					set(pf, key, n)
				}
			}
			return rows.Err()
		}
		// childOf maps a place column to the child of place above it ('' for
		// the place itself).
		childOf := func(col string) string {
			return `COALESCE((SELECT c.code FROM place_tree ct JOIN places c ON c.code = ct.ancestor
				WHERE ct.descendant = ` + col + ` AND c.parent_code = ?), '')`
		}
		inSub := func(col string) string {
			return col + ` IN (SELECT descendant FROM place_tree WHERE ancestor = ?)`
		}
		count := func(c *CertCounts, key string, n int) {
			switch key {
			case certification.MethodFace:
				c.Face += n
			case certification.MethodHome:
				c.Home += n
			case certification.MethodData:
				c.Data += n
			case "late":
				c.Late += n
				return
			case "missed":
				c.Missed += n
				return
			}
			c.Done += n
		}
		for _, period := range []struct {
			from, to string
			pick     func(pf *CertPlaceFigures) *CertCounts
		}{
			{d(from), d(to), func(pf *CertPlaceFigures) *CertCounts { return &pf.Current }},
			{d(prevFrom), d(from), func(pf *CertPlaceFigures) *CertCounts { return &pf.Previous }},
		} {
			set := func(pf *CertPlaceFigures, key string, n int) { count(period.pick(pf), key, n) }
			if err := add(`SELECT `+childOf("r.place_code")+`, r.method, COUNT(*) FROM certification_records r
				WHERE `+inSub("r.place_code")+` AND r.on_date >= ? AND r.on_date < ? GROUP BY 1, 2`,
				[]any{place, place, period.from, period.to}, set); err != nil {
				return err
			}
			if err := add(`SELECT `+childOf("r.place_code")+`, 'late', COUNT(*) FROM certification_records r
				WHERE `+inSub("r.place_code")+` AND r.late = 1 AND r.on_date >= ? AND r.on_date < ? GROUP BY 1`,
				[]any{place, place, period.from, period.to}, set); err != nil {
				return err
			}
			// Missed: due in the period and either done late or still not done.
			if err := add(`SELECT `+childOf("x.place_code")+`, 'missed', COUNT(*) FROM (
					SELECT r.place_code FROM certification_records r WHERE r.late = 1 AND r.due_date >= ? AND r.due_date < ?
					UNION ALL
					SELECT cd.place_code FROM certification_dues cd WHERE cd.active = 1 AND cd.due_date >= ? AND cd.due_date < ? AND cd.due_date < ?) x
				WHERE `+inSub("x.place_code")+` GROUP BY 1`,
				[]any{place, period.from, period.to, period.from, period.to, today.Format(dateLayout), place}, set); err != nil {
				return err
			}
		}
		until := certification.Day(today.Add(certification.Window + 12*time.Hour)).Format(dateLayout)
		return add(`SELECT `+childOf("cd.place_code")+`, CASE WHEN cd.due_date < ? THEN 'overdue' ELSE 'soon' END, COUNT(*)
			FROM certification_dues cd WHERE cd.active = 1 AND cd.due_date <= ? AND `+inSub("cd.place_code")+` GROUP BY 1, 2`,
			[]any{place, today.Format(dateLayout), until, place}, func(pf *CertPlaceFigures, key string, n int) {
				if key == "overdue" {
					pf.Overdue += n
				} else {
					pf.DueSoon += n
				}
			})
	})
	return f, err
}

// DaysOver is how many days past its due date the certification is (0
// when not overdue).
func (c CertificationDue) DaysOver() int { return max(0, -c.DaysLeft) }

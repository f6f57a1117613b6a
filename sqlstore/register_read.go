package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
)

const dateLayout = "2006-01-02"

func dateStr(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

func parseDate(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

const householdCols = `h.id, h.number, h.place_code, pl.name, h.address, h.phone_enc, h.head_person_id,
	COALESCE((SELECT hp.name FROM persons hp WHERE hp.id = h.head_person_id), ''), h.member_count,
	h.income_year, h.income_fen, h.housing, h.water, h.notes, h.status, h.merged_into, h.version, h.created_at, h.updated_at`

const householdFrom = ` FROM households h JOIN places pl ON pl.code = h.place_code `

func (s *Store) scanHousehold(r scanner, reveal bool) (safetynet.Household, error) {
	var h safetynet.Household
	var phone []byte
	var created, updated int64
	if err := r.Scan(&h.ID, &h.Number, &h.PlaceCode, &h.PlaceName, &h.Address, &phone, &h.HeadID, &h.HeadName, &h.Members,
		&h.IncomeYear, &h.IncomeFen, &h.Housing, &h.Water, &h.Notes, &h.Status, &h.MergedInto, &h.Version, &created, &updated); err != nil {
		return h, err
	}
	h.CreatedAt, h.UpdatedAt = fromMS(created), fromMS(updated)
	p, err := s.unseal(phone, ctxHHPhone)
	if err != nil {
		return h, err
	}
	h.Phone = p
	if !reveal {
		h.Phone, h.PhoneMasked = safetynet.MaskPhone(p), p != ""
	}
	return h, nil
}

const personCols = `p.id, p.household_id, p.place_code, p.relation, p.name, p.id_enc, p.id_legacy, p.birth_date, p.sex,
	p.phone_enc, p.disability_kind, p.disability_grade, p.health, p.health_notes, p.education, p.in_school, p.labour,
	p.work, p.status, p.status_date, p.status_note, p.version, p.created_at, p.updated_at`

func (s *Store) scanPerson(r scanner, reveal bool, extra ...any) (safetynet.Person, error) {
	var p safetynet.Person
	var idEnc, phoneEnc []byte
	var legacy, inSchool int
	var birth, statusDate string
	var created, updated int64
	dest := append([]any{&p.ID, &p.HouseholdID, &p.PlaceCode, &p.Relation, &p.Name, &idEnc, &legacy, &birth, &p.Sex,
		&phoneEnc, &p.DisabilityKind, &p.DisabilityGrade, &p.Health, &p.HealthNotes, &p.Education, &inSchool, &p.Labour,
		&p.Work, &p.Status, &statusDate, &p.StatusNote, &p.Version, &created, &updated}, extra...)
	if err := r.Scan(dest...); err != nil {
		return p, err
	}
	p.IDLegacy, p.InSchool = legacy == 1, inSchool == 1
	p.Birth, p.StatusDate = parseDate(birth), parseDate(statusDate)
	p.CreatedAt, p.UpdatedAt = fromMS(created), fromMS(updated)
	var err error
	if p.IDNumber, err = s.unseal(idEnc, ctxPersonID); err != nil {
		return p, err
	}
	if p.Phone, err = s.unseal(phoneEnc, ctxPersonPhone); err != nil {
		return p, err
	}
	if !reveal {
		p.IDNumber, p.Phone = maskID(p.IDNumber), safetynet.MaskPhone(p.Phone)
	}
	return p, nil
}

var (
	errHouseholdNotFound = safetynet.NotFound("家庭", "household")
	errPersonNotFound    = safetynet.NotFound("人员", "person")
)

// registerScope is the SQL condition of the actor's register scope on a
// place_code column.
func registerScope(a access.Actor, column string) (string, []any) {
	return scopeClause(a.Scope(access.Register), column)
}

func (s *Store) householdInScope(ctx context.Context, t *tx, sc access.Scope, id int64, reveal bool) (safetynet.Household, error) {
	where, args := scopeCheck(sc, "h.place_code")
	h, err := s.scanHousehold(t.queryRow(ctx, `SELECT `+householdCols+householdFrom+`WHERE h.id = ? AND `+where,
		append([]any{id}, args...)...), reveal)
	if errors.Is(err, sql.ErrNoRows) {
		return h, errHouseholdNotFound
	}
	if err != nil {
		return h, fmt.Errorf("sqlstore: household %d: %w", id, err)
	}
	return h, nil
}

func (s *Store) personInScope(ctx context.Context, t *tx, sc access.Scope, id int64, reveal bool) (safetynet.Person, error) {
	where, args := scopeCheck(sc, "p.place_code")
	p, err := s.scanPerson(t.queryRow(ctx, `SELECT `+personCols+` FROM persons p WHERE p.id = ? AND `+where,
		append([]any{id}, args...)...), reveal)
	if errors.Is(err, sql.ErrNoRows) {
		return p, errPersonNotFound
	}
	if err != nil {
		return p, fmt.Errorf("sqlstore: person %d: %w", id, err)
	}
	return p, nil
}

// activeAssignments loads the active assignments of subjects.
func (s *Store) activeAssignments(ctx context.Context, t *tx, subject safetynet.Subject, ids []int64) (map[int64][]safetynet.Assignment, error) {
	out := map[int64][]safetynet.Assignment{}
	if len(ids) == 0 {
		return out, nil
	}
	for i := 0; i < len(ids); i += 400 {
		part := ids[i:min(i+400, len(ids))]
		args := []any{string(subject)}
		for _, id := range part {
			args = append(args, id)
		}
		rows, err := t.query(ctx, `SELECT `+assignmentCols+` FROM assignments WHERE subject = ? AND end_date = ''
			AND subject_id IN (`+placeholders(len(part))+`) ORDER BY id`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: assignments: %w", err)
		}
		for rows.Next() {
			a, err := scanAssignment(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlstore: assignments: %w", err)
			}
			out[a.SubjectID] = append(out[a.SubjectID], a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

const assignmentCols = `id, subject, subject_id, category, risk_type, start_date, start_reason, end_date, end_reason, end_note,
	source, created_by, ended_by`

func scanAssignment(r scanner) (safetynet.Assignment, error) {
	var a safetynet.Assignment
	var subject, start, end string
	err := r.Scan(&a.ID, &subject, &a.SubjectID, &a.Category, &a.RiskType, &start, &a.StartReason, &end, &a.EndReason,
		&a.EndNote, &a.Source, &a.CreatedBy, &a.EndedBy)
	a.Subject, a.Start, a.End = safetynet.Subject(subject), parseDate(start), parseDate(end)
	return a, err
}

// HouseholdView is everything the household page (一户一表) shows.
type HouseholdView struct {
	Household safetynet.Household
	Members   []safetynet.Person // active members, head first
	Former    []safetynet.Person // members who died, moved away or left
	History   []safetynet.Assignment
	Events    []Event
}

// HouseholdView loads a household with its members, all its category
// history and recent events. The view is recorded in the audit log: the
// page holds health and disability details.
func (s *Store) HouseholdView(ctx context.Context, a access.Actor, id int64) (HouseholdView, error) {
	var v HouseholdView
	if err := a.Require(access.RegisterView); err != nil {
		return v, err
	}
	err := s.read(ctx, func(t *tx) error {
		var err error
		if v.Household, err = s.householdInScope(ctx, t, a.Scope(access.Register), id, false); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT `+personCols+` FROM persons p WHERE p.household_id = ?
			ORDER BY CASE WHEN p.id = ? THEN 0 ELSE 1 END, p.birth_date, p.id`, id, v.Household.HeadID)
		if err != nil {
			return fmt.Errorf("sqlstore: members of %d: %w", id, err)
		}
		var ids []int64
		for rows.Next() {
			p, err := s.scanPerson(rows, false)
			if err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: members of %d: %w", id, err)
			}
			ids = append(ids, p.ID)
			if p.Status == safetynet.StatusActive {
				v.Members = append(v.Members, p)
			} else {
				v.Former = append(v.Former, p)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Persons who moved to another household also count as former members.
		if err := s.formerMembers(ctx, t, id, &v); err != nil {
			return err
		}
		cats, err := s.activeAssignments(ctx, t, safetynet.SubjectPerson, ids)
		if err != nil {
			return err
		}
		for i := range v.Members {
			v.Members[i].Categories = cats[v.Members[i].ID]
		}
		if v.History, err = s.assignmentHistory(ctx, t, safetynet.SubjectHousehold, id); err != nil {
			return err
		}
		for _, h := range v.History {
			if h.Active() {
				v.Household.Categories = append(v.Household.Categories, h)
			}
		}
		v.Events, err = s.events(ctx, t, "household_id", id, 50)
		return err
	})
	if err != nil {
		return v, err
	}
	return v, s.RecordView(ctx, a, "household.view", "household", fmt.Sprint(id), v.Household.PlaceCode, nil)
}

// formerMembers adds persons whose membership of household id ended while
// they live on in another household.
func (s *Store) formerMembers(ctx context.Context, t *tx, id int64, v *HouseholdView) error {
	rows, err := t.query(ctx, `SELECT `+personCols+` FROM persons p WHERE p.household_id <> ? AND p.id IN
		(SELECT person_id FROM memberships WHERE household_id = ? AND end_date <> '')`, id, id)
	if err != nil {
		return fmt.Errorf("sqlstore: former members of %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := s.scanPerson(rows, false)
		if err != nil {
			return fmt.Errorf("sqlstore: former members of %d: %w", id, err)
		}
		p.Status = "left"
		v.Former = append(v.Former, p)
	}
	return rows.Err()
}

func (s *Store) assignmentHistory(ctx context.Context, t *tx, subject safetynet.Subject, id int64) ([]safetynet.Assignment, error) {
	rows, err := t.query(ctx, `SELECT `+assignmentCols+` FROM assignments WHERE subject = ? AND subject_id = ?
		ORDER BY CASE WHEN end_date = '' THEN 0 ELSE 1 END, start_date DESC, id DESC`, string(subject), id)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: category history: %w", err)
	}
	defer rows.Close()
	var out []safetynet.Assignment
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: category history: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PersonView is everything the person file (一人一档) shows.
type PersonView struct {
	Person      safetynet.Person
	Household   safetynet.Household
	History     []safetynet.Assignment
	Memberships []Membership
	Events      []Event
}

// Membership is a period of a person in a household.
type Membership struct {
	HouseholdID int64
	Address     string
	Relation    string
	Start, End  time.Time
	EndReason   string
}

// PersonView loads a person's file with their whole timeline; the view is
// audited.
func (s *Store) PersonView(ctx context.Context, a access.Actor, id int64) (PersonView, error) {
	var v PersonView
	if err := a.Require(access.RegisterView); err != nil {
		return v, err
	}
	err := s.read(ctx, func(t *tx) error {
		var err error
		if v.Person, err = s.personInScope(ctx, t, a.Scope(access.Register), id, false); err != nil {
			return err
		}
		if v.Household, err = s.householdInScope(ctx, t, rootScope, v.Person.HouseholdID, false); err != nil {
			return err
		}
		if v.History, err = s.assignmentHistory(ctx, t, safetynet.SubjectPerson, id); err != nil {
			return err
		}
		for _, h := range v.History {
			if h.Active() {
				v.Person.Categories = append(v.Person.Categories, h)
			}
		}
		rows, err := t.query(ctx, `SELECT m.household_id, h.address, m.relation, m.start_date, m.end_date, m.end_reason
			FROM memberships m JOIN households h ON h.id = m.household_id WHERE m.person_id = ? ORDER BY m.id`, id)
		if err != nil {
			return fmt.Errorf("sqlstore: memberships of %d: %w", id, err)
		}
		for rows.Next() {
			var m Membership
			var start, end string
			if err := rows.Scan(&m.HouseholdID, &m.Address, &m.Relation, &start, &end, &m.EndReason); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: memberships of %d: %w", id, err)
			}
			m.Start, m.End = parseDate(start), parseDate(end)
			v.Memberships = append(v.Memberships, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		v.Events, err = s.events(ctx, t, "person_id", id, 200)
		return err
	})
	if err != nil {
		return v, err
	}
	return v, s.RecordView(ctx, a, "person.view", "person", fmt.Sprint(id), v.Person.PlaceCode, nil)
}

// RevealField names what a reveal shows.
type RevealField string

// Fields that can be revealed.
const (
	RevealID    RevealField = "id_number"
	RevealPhone RevealField = "phone"
)

// RevealPerson returns a person's full ID or phone number. It needs the
// reveal permission and writes an audit entry (without the number).
func (s *Store) RevealPerson(ctx context.Context, a access.Actor, id int64, field RevealField) (string, error) {
	if err := a.Require(access.IdentityReveal); err != nil {
		return "", err
	}
	if field != RevealID && field != RevealPhone {
		return "", safetynet.Invalid("field", "只能查看身份证号或电话", "field must be id_number or phone")
	}
	var p safetynet.Person
	err := s.read(ctx, func(t *tx) error {
		var err error
		p, err = s.personInScope(ctx, t, a.Scope(access.Register), id, true)
		return err
	})
	if err != nil {
		return "", err
	}
	if err := s.RecordView(ctx, a, "person.reveal", "person", fmt.Sprint(id), p.PlaceCode, map[string]string{"field": string(field)}); err != nil {
		return "", err
	}
	if field == RevealID {
		return p.IDNumber, nil
	}
	return p.Phone, nil
}

// RevealHousehold returns a household's full phone number, audited.
func (s *Store) RevealHousehold(ctx context.Context, a access.Actor, id int64) (string, error) {
	if err := a.Require(access.IdentityReveal); err != nil {
		return "", err
	}
	var h safetynet.Household
	err := s.read(ctx, func(t *tx) error {
		var err error
		h, err = s.householdInScope(ctx, t, a.Scope(access.Register), id, true)
		return err
	})
	if err != nil {
		return "", err
	}
	if err := s.RecordView(ctx, a, "household.reveal", "household", fmt.Sprint(id), h.PlaceCode, map[string]string{"field": "phone"}); err != nil {
		return "", err
	}
	return h.Phone, nil
}

// HouseholdFilter selects households of the register.
type HouseholdFilter struct {
	PlaceCode string // within this place's subtree (and the actor's scope)
	Category  string // holding this category now (household or member category)
	AfterID   int64  // keyset pagination
	Limit     int
	WithGone  bool // include merged and dissolved households

	// Colour: with this risk colour now (red, yellow, green; colours_read.go).
	Colour string
}

// Households lists households in the actor's scope, by ID.
func (s *Store) Households(ctx context.Context, a access.Actor, f HouseholdFilter) ([]safetynet.Household, error) {
	if err := a.Require(access.RegisterView); err != nil {
		return nil, err
	}
	where, args := registerScope(a, "h.place_code")
	conds := []string{where}
	if f.PlaceCode != "" {
		conds, args = append(conds, "h.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"), append(args, f.PlaceCode)
	}
	if f.Category != "" {
		c, ok := safetynet.CategoryByCode(f.Category)
		if !ok {
			return nil, safetynet.Invalid("category", "类别无效：%s", "unknown category %q", f.Category)
		}
		if c.For == safetynet.SubjectHousehold {
			conds = append(conds, "EXISTS (SELECT 1 FROM assignments x WHERE x.subject = 'household' AND x.subject_id = h.id AND x.category = ? AND x.end_date = '')")
		} else {
			conds = append(conds, "EXISTS (SELECT 1 FROM assignments x WHERE x.subject = 'person' AND x.household_id = h.id AND x.category = ? AND x.end_date = '')")
		}
		args = append(args, f.Category)
	}
	if f.Colour != "" {
		cond, cargs, err := colourFilter(f.Colour) // colours_read.go
		if err != nil {
			return nil, err
		}
		conds, args = append(conds, cond), append(args, cargs...)
	}
	if !f.WithGone {
		conds = append(conds, "h.status = 'active'")
	}
	if f.AfterID > 0 {
		conds, args = append(conds, "h.id > ?"), append(args, f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var out []safetynet.Household
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+householdCols+householdFrom+`WHERE `+strings.Join(conds, " AND ")+
			fmt.Sprintf(` ORDER BY h.id LIMIT %d`, limit), args...)
		if err != nil {
			return fmt.Errorf("sqlstore: households: %w", err)
		}
		var ids []int64
		for rows.Next() {
			h, err := s.scanHousehold(rows, false)
			if err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: households: %w", err)
			}
			out = append(out, h)
			ids = append(ids, h.ID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		cats, err := s.activeAssignments(ctx, t, safetynet.SubjectHousehold, ids)
		for i := range out {
			out[i].Categories = cats[out[i].ID]
		}
		return err
	})
	return out, err
}

// Household returns a household of the actor's scope without its members
// (for summaries; not audited: it holds no sensitive detail).
func (s *Store) Household(ctx context.Context, a access.Actor, id int64) (safetynet.Household, error) {
	if err := a.Require(access.RegisterView); err != nil {
		return safetynet.Household{}, err
	}
	var h safetynet.Household
	err := s.read(ctx, func(t *tx) error {
		var err error
		h, err = s.householdInScope(ctx, t, a.Scope(access.Register), id, false)
		return err
	})
	return h, err
}

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/visits"
)

// visitZone is the time zone of visit dates.
var visitZone = visits.Zone("")

// VisitPlan is the county's frequencies and must-visit times, with the
// version that a change must name.
type VisitPlan struct {
	Version     int                `json:"version"`
	Frequencies []visits.Frequency `json:"frequencies"`
	Within      []visits.Within    `json:"within"`
}

// fieldErr turns a domain field error into a 400.
func fieldErr(err error) error {
	var fe *visits.FieldError
	if errors.As(err, &fe) {
		return safetynet.Text(safetynet.EInvalid, fe.Field, fe.ZH, fe.EN)
	}
	return err
}

// VisitPlan returns the plan in force (the defaults until a county sets
// its own, version 0).
func (s *Store) VisitPlan(ctx context.Context) (VisitPlan, error) {
	var p VisitPlan
	err := s.read(ctx, func(t *tx) (err error) {
		p, err = s.visitPlan(ctx, t)
		return err
	})
	return p, err
}

func (s *Store) visitPlan(ctx context.Context, t *tx) (VisitPlan, error) {
	var v string
	err := t.queryRow(ctx, `SELECT value FROM settings WHERE name = 'visits'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return VisitPlan{Frequencies: visits.DefaultFrequencies, Within: visits.DefaultWithin}, nil
	}
	if err != nil {
		return VisitPlan{}, fmt.Errorf("sqlstore: visit plan: %w", err)
	}
	var p VisitPlan
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return VisitPlan{}, fmt.Errorf("sqlstore: visit plan: %w", err)
	}
	return p, nil
}

// SetVisitPlan replaces the frequencies and must-visit times; version is
// the plan's version the change was made on. Visits already due stay.
func (s *Store) SetVisitPlan(ctx context.Context, a access.Actor, p VisitPlan, version int) (VisitPlan, error) {
	if err := a.Require(access.SettingsEdit); err != nil {
		return VisitPlan{}, err
	}
	fs, err := visits.CheckFrequencies(p.Frequencies)
	if err != nil {
		return VisitPlan{}, fieldErr(err)
	}
	ws, err := visits.CheckWithin(p.Within)
	if err != nil {
		return VisitPlan{}, fieldErr(err)
	}
	out := VisitPlan{Frequencies: fs, Within: ws}
	err = s.write(ctx, func(t *tx) error {
		cur, err := s.visitPlan(ctx, t)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return safetynet.Conflict("version", "走访计划已被他人修改，请刷新后重试", "the visit plan was changed by someone else; reload and retry")
		}
		out.Version = version + 1
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES ('visits', ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, string(b)); err != nil {
			return fmt.Errorf("sqlstore: set visit plan: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "settings.visits", objType: "settings", objID: "visits",
			detail: map[string]any{"version": out.Version}})
	})
	return out, err
}

// KeyFamily is a household marked as a key family (六帮六助重点家庭).
type KeyFamily struct {
	HouseholdID int64     `json:"household_id"`
	Name        string    `json:"name"`
	PlaceName   string    `json:"place"`
	Note        string    `json:"note"`
	MarkedBy    string    `json:"marked_by"`
	MarkedAt    time.Time `json:"marked_at"`
}

// MarkKeyFamily marks (on) or unmarks a household of the actor's scope as
// a key family. Marking twice is one mark.
func (s *Store) MarkKeyFamily(ctx context.Context, a access.Actor, householdID int64, on bool, note string) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 200 {
		return safetynet.Invalid("note", "说明不能超过200字", "note is longer than 200 characters")
	}
	return s.write(ctx, func(t *tx) error {
		h, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false)
		if err != nil {
			return err
		}
		if on {
			_, err = t.exec(ctx, `INSERT INTO visit_marks (household_id, place_code, note, marked_by, marked_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (household_id) DO UPDATE SET note = excluded.note`, h.ID, h.PlaceCode, note, a.Username, ms(s.now()))
		} else {
			_, err = t.exec(ctx, `DELETE FROM visit_marks WHERE household_id = ?`, h.ID)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: key family: %w", err)
		}
		kind := "visits.mark"
		if !on {
			kind = "visits.unmark"
		}
		if err := s.event(ctx, t, a, h.ID, 0, h.PlaceCode, kind, nil); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: kind, objType: "household", objID: fmt.Sprint(h.ID), place: h.PlaceCode})
	})
}

// KeyFamilies lists the key families of the actor's scope under place
// (the actor's place when "").
func (s *Store) KeyFamilies(ctx context.Context, a access.Actor, place string) ([]KeyFamily, error) {
	if err := a.Require(access.RegisterView); err != nil {
		return nil, err
	}
	where, args := scopeClause(a.Scope(access.Register), "m.place_code")
	if place != "" {
		where += " AND m.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"
		args = append(args, place)
	}
	out := []KeyFamily{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT m.household_id, COALESCE(hp.name, ''), p.name, m.note, COALESCE(u.display_name, m.marked_by), m.marked_at
			FROM visit_marks m JOIN households h ON h.id = m.household_id JOIN places p ON p.code = m.place_code
			LEFT JOIN persons hp ON hp.id = h.head_person_id LEFT JOIN users u ON u.username = m.marked_by
			WHERE `+where+` ORDER BY p.name, m.household_id LIMIT 2000`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: key families: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k KeyFamily
			var at int64
			if err := rows.Scan(&k.HouseholdID, &k.Name, &k.PlaceName, &k.Note, &k.MarkedBy, &at); err != nil {
				return err
			}
			k.MarkedAt = fromMS(at)
			out = append(out, k)
		}
		return rows.Err()
	})
	return out, err
}

// VisitPair is who visits a household: a cadre, the grid worker or a
// neighbour.
type VisitPair struct {
	ID          int64  `json:"id"`
	HouseholdID int64  `json:"household_id"`
	Level       string `json:"level"`
	UserID      int64  `json:"user_id"`
	Name        string `json:"name"`
	Phone       string `json:"phone"` // masked
}

// NewVisitPair pairs a household with a user, or (neighbours only) a
// named person with a phone number.
type NewVisitPair struct {
	HouseholdID int64
	Level       string
	UserID      int64
	Name, Phone string
}

// PairVisitor pairs a household of the actor's scope with a visitor. A
// user must be of the level's role and work in a place above or at the
// household's. Pairing twice is one pair.
func (s *Store) PairVisitor(ctx context.Context, a access.Actor, in NewVisitPair) (int64, error) {
	if err := a.Require(access.RegisterEdit); err != nil {
		return 0, err
	}
	if !slices.Contains(visits.PairLevels, in.Level) {
		return 0, safetynet.Invalid("level", "包户层级应为乡镇、村、网格或邻里", "level must be town, village, grid or neighbour")
	}
	in.Name, in.Phone = strings.TrimSpace(in.Name), strings.TrimSpace(in.Phone)
	if in.UserID == 0 && (in.Level != visits.LevelNeighbour || in.Name == "" || in.Phone == "") {
		return 0, safetynet.Invalid("user_id", "请选择用户；邻居可填写姓名和电话", "choose a user; a neighbour may be a name with a phone number")
	}
	if in.UserID == 0 && (len([]rune(in.Name)) > 40 || len(in.Phone) > 20) {
		return 0, safetynet.Invalid("name", "姓名或电话过长", "name or phone too long")
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		h, err := s.householdInScope(ctx, t, a.Scope(access.Register), in.HouseholdID, false)
		if err != nil {
			return err
		}
		var phone []byte
		if in.UserID != 0 {
			var role, place, name string
			err := t.queryRow(ctx, `SELECT u.role, u.place_code, CASE WHEN u.display_name = '' THEN u.username ELSE u.display_name END
				FROM users u WHERE u.id = ? AND u.disabled = 0 AND EXISTS (SELECT 1 FROM place_tree pt WHERE pt.ancestor = u.place_code
				AND pt.descendant = ?)`, in.UserID, h.PlaceCode).Scan(&role, &place, &name)
			if err != nil || !visits.PairRoleOK(in.Level, safetynet.Role(role)) {
				return safetynet.Invalid("user_id", "该用户不能在这一层级包这户", "this user cannot visit this household at this level")
			}
			in.Name = name
		} else if phone, _, err = s.seal(in.Phone, "visit_pairs.phone", idxPhone); err != nil {
			return err
		}
		err = t.queryRow(ctx, `INSERT INTO visit_pairs (household_id, place_code, level, user_id, name, phone_enc, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (household_id, level, user_id, name) DO NOTHING RETURNING id`,
			h.ID, h.PlaceCode, in.Level, in.UserID, in.Name, phone, a.Username, ms(s.now())).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return t.queryRow(ctx, `SELECT id FROM visit_pairs WHERE household_id = ? AND level = ? AND user_id = ? AND name = ?`,
				h.ID, in.Level, in.UserID, in.Name).Scan(&id)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: visit pair: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "visits.pair", objType: "household", objID: fmt.Sprint(h.ID), place: h.PlaceCode,
			detail: map[string]any{"pair": id}})
	})
	return id, err
}

// UnpairVisitor removes a pair of a household of the actor's scope.
func (s *Store) UnpairVisitor(ctx context.Context, a access.Actor, id int64) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	where, args := scopeCheck(a.Scope(access.Register), "place_code")
	return s.write(ctx, func(t *tx) error {
		var hid int64
		var place string
		err := t.queryRow(ctx, `SELECT household_id, place_code FROM visit_pairs WHERE id = ? AND `+where, append([]any{id}, args...)...).Scan(&hid, &place)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("没有这个包户关系", "no such visit pair")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: visit pair: %w", err)
		}
		if _, err := t.exec(ctx, `DELETE FROM visit_pairs WHERE id = ?`, id); err != nil {
			return fmt.Errorf("sqlstore: visit pair: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "visits.unpair", objType: "household", objID: fmt.Sprint(hid), place: place})
	})
}

// VisitPairs lists who visits a household of the actor's scope.
func (s *Store) VisitPairs(ctx context.Context, a access.Actor, householdID int64) ([]VisitPair, error) {
	if err := a.Require(access.RegisterView); err != nil {
		return nil, err
	}
	out := []VisitPair{}
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT id, household_id, level, user_id, name, phone_enc FROM visit_pairs WHERE household_id = ?
			ORDER BY CASE level WHEN 'town' THEN 1 WHEN 'village' THEN 2 WHEN 'grid' THEN 3 ELSE 4 END, id`, householdID)
		if err != nil {
			return fmt.Errorf("sqlstore: visit pairs: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var p VisitPair
			var enc []byte
			if err := rows.Scan(&p.ID, &p.HouseholdID, &p.Level, &p.UserID, &p.Name, &enc); err != nil {
				return err
			}
			if ph, err := s.unseal(enc, "visit_pairs.phone"); err == nil {
				p.Phone = safetynet.MaskPhone(ph)
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// VisitorsFor lists the users who may be paired with a household of
// place: the town officers, village staff, grid workers and volunteers
// working at the place or above it, within the actor's scope.
func (s *Store) VisitorsFor(ctx context.Context, a access.Actor, place string) ([]safetynet.User, error) {
	if err := a.Require(access.UserView); err != nil {
		return nil, err
	}
	where, args := scopeClause(a.Scope(access.Users), "u.place_code")
	var out []safetynet.User
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT u.id, u.username, u.display_name, u.role, u.place_code FROM users u
			WHERE u.disabled = 0 AND u.role IN ('town_officer', 'village_staff', 'grid_worker', 'volunteer')
			AND u.place_code IN (SELECT ancestor FROM place_tree WHERE descendant = ?) AND `+where+`
			ORDER BY u.role, u.display_name LIMIT 200`, append([]any{place}, args...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: visitors: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u safetynet.User
			var role string
			if err := rows.Scan(&u.ID, &u.Username, &u.DisplayName, &role, &u.PlaceCode); err != nil {
				return err
			}
			u.Role = safetynet.Role(role)
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, err
}

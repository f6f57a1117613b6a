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
	"safetynet/pacts"
)

// Pact is a curtain pact as pages and the API show it.
type Pact struct {
	ID          int64
	PersonID    int64
	PersonName  string
	PlaceCode   string
	PlaceName   string
	StewardID   int64
	StewardName string
	Terms       pacts.Terms
	Status      string
	HasToken    bool
	Aways       []pacts.Away
	Devices     []PactDevice
	Days        []PactDay // the last 14 days with a sign or an alert
	Version     int
	CreatedAt   time.Time
}

// PactDevice is a device bound to a pact.
type PactDevice struct {
	Device string
	Kind   string
}

// PactInput creates or changes a pact.
type PactInput struct {
	PersonID  int64
	StewardID int64
	Terms     pacts.Terms
	// Since is when the pact began, for a pact kept on paper before it
	// was recorded here (at most a year ago); zero is now.
	Since time.Time
}

// DeviceKinds are the devices a pact can listen to.
var DeviceKinds = []string{"water", "door", "plug"}

// pactScope limits pacts (alias p) to what the actor may see: a volunteer
// (a neighbour) only the pacts they keep; staff the pacts of their places
// and those they keep.
func pactScope(a access.Actor, alias string) (string, []any) {
	own := alias + ".steward_id = ?"
	if a.Role == safetynet.RoleVolunteer {
		return own, []any{a.UserID}
	}
	sc := a.Scope(access.Register)
	if sc.Kind != access.ScopeSubtree {
		return own, []any{a.UserID}
	}
	c, args := scopeCheck(sc, alias+".place_code")
	return "(" + c + " OR " + own + ")", append(args, a.UserID)
}

// pactsVisible reports whether the actor's role sees pacts at all:
// neighbours (volunteers) their own, staff with the register theirs.
func pactsVisible(a access.Actor) error {
	if a.Role == safetynet.RoleVolunteer || a.Can(access.RegisterView) {
		return nil
	}
	return safetynet.Forbidden()
}

// pactsActable reports whether the actor may record signs, pauses and
// findings: neighbours on their own pacts, and those who record visits.
func pactsActable(a access.Actor) error {
	if a.Role == safetynet.RoleVolunteer || a.Can(access.FollowupRecord) {
		return nil
	}
	return safetynet.Forbidden()
}

func invalidField(err error) error {
	var fe *pacts.FieldError
	if errors.As(err, &fe) {
		return safetynet.Text(safetynet.EInvalid, fe.Field, pactFieldZh[fe.Field], fe.Reason)
	}
	return err
}

// pactFieldZh says in Chinese what is wrong with a field of a pact.
var pactFieldZh = map[string]string{
	"deadline": "截止时间须为 00:00 到 23:59 之间的时刻", "zone": "时区无效", "wait_minutes": "等待时间须在 1 到 1440 分钟之间",
	"ladder": "后备顺序须以红管家开头，且每一级只出现一次", "from": "开始日期无效", "to": "结束日期无效，须不早于开始日期、不超过一年",
	"reason": "请选择外出原因", "day": "日期无效",
}

// rungRoles are the roles whose users answer a ladder step.
var rungRoles = map[pacts.Rung]safetynet.Role{
	pacts.RungGrid: safetynet.RoleGridWorker, pacts.RungVillage: safetynet.RoleVillageStaff, pacts.RungTown: safetynet.RoleTownOfficer,
}

var rungLevels = map[pacts.Rung]safetynet.Level{
	pacts.RungGrid: safetynet.LevelGrid, pacts.RungVillage: safetynet.LevelVillage, pacts.RungTown: safetynet.LevelTown,
}

// checkPactInput validates and looks up the person's place.
func (s *Store) checkPactInput(ctx context.Context, t *tx, a access.Actor, in *PactInput) (place string, err error) {
	in.Terms = in.Terms.Normalize()
	if err := in.Terms.Check(); err != nil {
		return "", invalidField(err)
	}
	sc := a.Scope(access.Register)
	c, args := scopeCheck(sc, "p.place_code")
	err = t.queryRow(ctx, `SELECT p.place_code FROM persons p WHERE p.id = ? AND `+c, append([]any{in.PersonID}, args...)...).Scan(&place)
	if errors.Is(err, sql.ErrNoRows) {
		return "", safetynet.Invalid("person_id", "找不到该人员", "no such person")
	}
	if err != nil {
		return "", fmt.Errorf("sqlstore: pact person: %w", err)
	}
	var role string
	uc, uargs := scopeCheck(a.Scope(access.Users), "u.place_code")
	if !a.Can(access.UserView) {
		uc, uargs = scopeCheck(sc, "u.place_code")
	}
	err = t.queryRow(ctx, `SELECT u.role FROM users u WHERE u.id = ? AND u.disabled = 0 AND `+uc, append([]any{in.StewardID}, uargs...)...).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", safetynet.Invalid("steward_id", "找不到该红管家", "no such steward")
	}
	if err != nil {
		return "", fmt.Errorf("sqlstore: pact steward: %w", err)
	}
	if r := safetynet.Role(role); r != safetynet.RoleGridWorker && r != safetynet.RoleVolunteer {
		return "", safetynet.Invalid("steward_id", "红管家须是网格员或志愿者（邻居）", "the steward must be a grid worker or a volunteer (neighbour)")
	}
	return place, nil
}

// writeRungs stores the ladder with the place each step answers for.
func (s *Store) writeRungs(ctx context.Context, t *tx, id int64, place string, ladder []pacts.Rung) error {
	if _, err := t.exec(ctx, `DELETE FROM pact_rungs WHERE pact_id = ?`, id); err != nil {
		return fmt.Errorf("sqlstore: pact ladder: %w", err)
	}
	for i, r := range ladder {
		owner := ""
		if l, ok := rungLevels[r]; ok {
			code, found, err := s.ancestorAt(ctx, t, place, l)
			if err != nil {
				return err
			}
			if found {
				owner = code
			}
		}
		if _, err := t.exec(ctx, `INSERT INTO pact_rungs (pact_id, rung, kind, owner_place) VALUES (?, ?, ?, ?)`, id, i, string(r), owner); err != nil {
			return fmt.Errorf("sqlstore: pact ladder: %w", err)
		}
	}
	return nil
}

// CreatePact makes a pact and returns its id.
func (s *Store) CreatePact(ctx context.Context, a access.Actor, in PactInput) (int64, error) {
	if err := a.Require(access.RegisterEdit); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		place, err := s.checkPactInput(ctx, t, a, &in)
		if err != nil {
			return err
		}
		now := ms(s.now())
		since := now
		if !in.Since.IsZero() {
			if in.Since.After(s.now()) || in.Since.Before(s.now().AddDate(-1, 0, 0)) {
				return safetynet.Invalid("since", "开始日期须在一年内且不晚于今天", "since must be within the last year and not in the future")
			}
			since = ms(in.Since)
		}
		if err := t.queryRow(ctx, `INSERT INTO pacts (person_id, place_code, steward_id, deadline_min, zone, wait_min, ladder, rungs,
			created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.PersonID, place, in.StewardID,
			in.Terms.DeadlineMin, in.Terms.Zone, in.Terms.WaitMin, pacts.LadderString(in.Terms.Ladder), len(in.Terms.Ladder),
			a.Username, since, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: create pact: %w", err)
		}
		return s.writeRungs(ctx, t, id, place, in.Terms.Ladder)
	})
	return id, err
}

// UpdatePact changes a pact's person, steward and terms (at version).
func (s *Store) UpdatePact(ctx context.Context, a access.Actor, id int64, version int, in PactInput) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := s.pactIn(ctx, t, a, id, true); err != nil {
			return err
		}
		place, err := s.checkPactInput(ctx, t, a, &in)
		if err != nil {
			return err
		}
		r, err := t.exec(ctx, `UPDATE pacts SET person_id = ?, place_code = ?, steward_id = ?, deadline_min = ?, zone = ?, wait_min = ?,
			ladder = ?, rungs = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, in.PersonID, place, in.StewardID,
			in.Terms.DeadlineMin, in.Terms.Zone, in.Terms.WaitMin, pacts.LadderString(in.Terms.Ladder), len(in.Terms.Ladder),
			ms(s.now()), id, version)
		if err != nil {
			return fmt.Errorf("sqlstore: update pact: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return safetynet.Conflict("version", "该约定已被他人修改，请刷新", "the pact was changed meanwhile; reload")
		}
		return s.writeRungs(ctx, t, id, place, in.Terms.Ladder)
	})
}

// EndPact ends a pact: no more days are watched and its link is revoked.
func (s *Store) EndPact(ctx context.Context, a access.Actor, id int64) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := s.pactIn(ctx, t, a, id, true); err != nil {
			return err
		}
		_, err := t.exec(ctx, `UPDATE pacts SET status = 'ended', token_hash = '', version = version + 1, updated_at = ? WHERE id = ?`,
			ms(s.now()), id)
		return err
	})
}

// pactIn finds a pact the actor may see (manage: only in the actor's
// places, not merely kept by them).
func (s *Store) pactIn(ctx context.Context, t *tx, a access.Actor, id int64, manage bool) (string, error) {
	c, args := pactScope(a, "p")
	if manage {
		sc := a.Scope(access.Register)
		c, args = scopeCheck(sc, "p.place_code")
	}
	var place string
	err := t.queryRow(ctx, `SELECT p.place_code FROM pacts p WHERE p.id = ? AND `+c, append([]any{id}, args...)...).Scan(&place)
	if errors.Is(err, sql.ErrNoRows) {
		return "", safetynet.NotFound("约定", "pact")
	}
	if err != nil {
		return "", fmt.Errorf("sqlstore: pact: %w", err)
	}
	return place, nil
}

const pactColumns = `p.id, p.person_id, pe.name, p.place_code, pl.name, p.steward_id, COALESCE(NULLIF(u.display_name, ''), u.username),
	p.deadline_min, p.zone, p.wait_min, p.ladder, p.status, p.token_hash, p.version, p.created_at`

const pactJoins = ` FROM pacts p JOIN persons pe ON pe.id = p.person_id JOIN places pl ON pl.code = p.place_code
	JOIN users u ON u.id = p.steward_id`

func scanPact(rows interface{ Scan(...any) error }) (Pact, error) {
	var p Pact
	var ladder, token string
	var created int64
	err := rows.Scan(&p.ID, &p.PersonID, &p.PersonName, &p.PlaceCode, &p.PlaceName, &p.StewardID, &p.StewardName,
		&p.Terms.DeadlineMin, &p.Terms.Zone, &p.Terms.WaitMin, &ladder, &p.Status, &token, &p.Version, &created)
	p.Terms.Ladder, p.HasToken, p.CreatedAt = pacts.ParseLadder(ladder), token != "", fromMS(created)
	return p, err
}

// Pacts lists the active pacts the actor sees under place ("" for all).
func (s *Store) Pacts(ctx context.Context, a access.Actor, place string) ([]Pact, error) {
	if err := pactsVisible(a); err != nil {
		return nil, err
	}
	c, args := pactScope(a, "p")
	q := `SELECT ` + pactColumns + pactJoins + ` WHERE p.status = 'active' AND ` + c
	if place != "" {
		pc, pargs := scopeClause(access.Scope{Kind: access.ScopeSubtree, Place: place}, "p.place_code")
		q, args = q+` AND `+pc, append(args, pargs...)
	}
	var out []Pact
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, q+` ORDER BY pl.name, pe.name, p.id LIMIT 2000`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: pacts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPact(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// PactView returns one pact with its pauses and devices.
func (s *Store) PactView(ctx context.Context, a access.Actor, id int64) (Pact, error) {
	var p Pact
	if err := pactsVisible(a); err != nil {
		return p, err
	}
	c, args := pactScope(a, "p")
	err := s.read(ctx, func(t *tx) error {
		var err error
		p, err = scanPact(t.queryRow(ctx, `SELECT `+pactColumns+pactJoins+` WHERE p.id = ? AND `+c, append([]any{id}, args...)...))
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("约定", "pact")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: pact: %w", err)
		}
		rows, err := t.query(ctx, `SELECT from_day, to_day, reason FROM pact_away WHERE pact_id = ? ORDER BY from_day`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var w pacts.Away
			if err := rows.Scan(&w.From, &w.To, &w.Reason); err != nil {
				rows.Close()
				return err
			}
			p.Aways = append(p.Aways, w)
		}
		rows.Close()
		rows, err = t.query(ctx, `SELECT device, kind FROM pact_devices WHERE pact_id = ? ORDER BY device`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d PactDevice
			if err := rows.Scan(&d.Device, &d.Kind); err != nil {
				return err
			}
			p.Devices = append(p.Devices, d)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		rows, err = t.query(ctx, `SELECT `+pactDayColumns+pactDayJoins+` WHERE d.pact_id = ? ORDER BY d.day DESC LIMIT 14`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			d, err := scanPactDay(rows)
			if err != nil {
				return err
			}
			p.Days = append(p.Days, d)
		}
		return rows.Err()
	})
	return p, err
}

// ReplacePactToken makes a new link for the person's own page and
// returns its token (shown once); the old link stops working.
func (s *Store) ReplacePactToken(ctx context.Context, a access.Actor, id int64) (string, error) {
	if err := a.Require(access.RegisterEdit); err != nil {
		return "", err
	}
	token, hash := pacts.NewToken()
	err := s.write(ctx, func(t *tx) error {
		if _, err := s.pactIn(ctx, t, a, id, true); err != nil {
			return err
		}
		_, err := t.exec(ctx, `UPDATE pacts SET token_hash = ?, updated_at = ? WHERE id = ? AND status = 'active'`, hash, ms(s.now()), id)
		return err
	})
	return token, err
}

// RevokePactToken stops the person's link.
func (s *Store) RevokePactToken(ctx context.Context, a access.Actor, id int64) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := s.pactIn(ctx, t, a, id, true); err != nil {
			return err
		}
		_, err := t.exec(ctx, `UPDATE pacts SET token_hash = '', updated_at = ? WHERE id = ?`, ms(s.now()), id)
		return err
	})
}

// AddPactAway pauses a pact between two local days.
func (s *Store) AddPactAway(ctx context.Context, a access.Actor, id int64, w pacts.Away) error {
	if err := pactsActable(a); err != nil {
		return err
	}
	if err := pacts.CheckAway(w); err != nil {
		return invalidField(err)
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := s.pactIn(ctx, t, a, id, false); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO pact_away (pact_id, from_day, to_day, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, w.From, w.To, w.Reason, a.Username, ms(s.now()))
		return err
	})
}

// BindPactDevice binds a device to a pact and returns its secret (shown
// once, to configure the device).
func (s *Store) BindPactDevice(ctx context.Context, a access.Actor, id int64, device, kind string) (string, error) {
	if err := a.Require(access.RegisterEdit); err != nil {
		return "", err
	}
	device = strings.TrimSpace(device)
	if device == "" || len(device) > 64 || strings.ContainsAny(device, "/?# ") {
		return "", safetynet.Invalid("device", "设备编号须为 1–64 个字符，不含空格和斜杠", "the device code must be 1–64 characters without spaces or slashes")
	}
	ok := false
	for _, k := range DeviceKinds {
		ok = ok || k == kind
	}
	if !ok {
		return "", safetynet.Invalid("kind", "设备类型须为水表、门磁或智能插座", "the kind must be water, door or plug")
	}
	secret := pacts.NewSecret()
	enc, _, err := s.seal(secret, ctxDeviceSecret, "")
	if err != nil {
		return "", err
	}
	err = s.write(ctx, func(t *tx) error {
		if _, err := s.pactIn(ctx, t, a, id, true); err != nil {
			return err
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM pact_devices WHERE device = ?`, device).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return safetynet.Conflict("device", "该设备已绑定", "the device is bound already")
		}
		_, err := t.exec(ctx, `INSERT INTO pact_devices (device, pact_id, kind, secret, secret_enc, created_at) VALUES (?, ?, ?, '', ?, ?)`,
			device, id, kind, enc, ms(s.now()))
		return err
	})
	return secret, err
}

// PactSteward is a user who may keep a pact: a grid worker or a
// neighbour (volunteer) of the actor's places.
type PactSteward struct {
	ID        int64
	Name      string
	Role      safetynet.Role
	PlaceName string
}

// PactStewards lists the grid workers and volunteers under the actor's place.
func (s *Store) PactStewards(ctx context.Context, a access.Actor) ([]PactSteward, error) {
	if err := a.Require(access.RegisterEdit); err != nil {
		return nil, err
	}
	c, args := scopeClause(a.Scope(access.Register), "u.place_code")
	var out []PactSteward
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT u.id, COALESCE(NULLIF(u.display_name, ''), u.username), u.role, p.name FROM users u
			JOIN places p ON p.code = u.place_code WHERE u.disabled = 0 AND u.role IN ('grid_worker', 'volunteer') AND `+c+`
			ORDER BY p.name, u.display_name, u.id LIMIT 500`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: stewards: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var st PactSteward
			var role string
			if err := rows.Scan(&st.ID, &st.Name, &role, &st.PlaceName); err != nil {
				return err
			}
			st.Role = safetynet.Role(role)
			out = append(out, st)
		}
		return rows.Err()
	})
	return out, err
}

// PactPersonName names a person of the actor's places for the pact form.
func (s *Store) PactPersonName(ctx context.Context, a access.Actor, id int64) (string, error) {
	if err := a.Require(access.RegisterEdit); err != nil {
		return "", err
	}
	c, args := scopeCheck(a.Scope(access.Register), "p.place_code")
	var name string
	err := s.queryRow(ctx, `SELECT p.name FROM persons p WHERE p.id = ? AND `+c, append([]any{id}, args...)...).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", safetynet.NotFound("人员", "person")
	}
	return name, err
}

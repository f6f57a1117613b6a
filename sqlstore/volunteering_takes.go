package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/volunteering"
)

// Taker is who takes slots: a user whose role may (VolunteerTake), or a
// neighbour's device on a relay's sign-up link.
type Taker struct {
	actor       access.Actor
	relayToken  string
	deviceToken string
}

// UserTaker is a logged-in volunteer (or grid worker, social worker …).
func UserTaker(a access.Actor) Taker { return Taker{actor: a} }

// DeviceTaker is a neighbour signed up on the relay of relayToken, known
// by the token kept on their device.
func DeviceTaker(relayToken, deviceToken string) Taker {
	return Taker{relayToken: relayToken, deviceToken: deviceToken}
}

// taker is a Taker resolved in a transaction.
type taker struct {
	volunteer int64  // 0: a user with no volunteer row yet
	relay     int64  // neighbours: the only relay they act on
	place     string // users: their place, to find relays nearby
	actor     access.Actor
}

var errSignupFirst = safetynet.Text(safetynet.EUnauthorized, "device", "请先登记姓名和手机号", "sign up with your name and phone first")
var errLinkGone = safetynet.NotFound("接龙链接已失效", "the sign-up link is no longer valid")
var errSlotNotFound = safetynet.NotFound("找不到该时段", "no such slot")

// resolve finds the taker's volunteer row; create makes it for a user who
// has none yet.
func (s *Store) resolve(ctx context.Context, t *tx, tk Taker, create bool) (taker, error) {
	if tk.relayToken == "" {
		a := tk.actor
		if err := a.Require(access.VolunteerTake); err != nil {
			return taker{}, err
		}
		r := taker{place: a.Place, actor: a}
		err := t.queryRow(ctx, `SELECT id FROM volunteers WHERE user_id = ?`, a.UserID).Scan(&r.volunteer)
		if errors.Is(err, sql.ErrNoRows) && create {
			var name string
			if err := t.queryRow(ctx, `SELECT COALESCE(NULLIF(display_name, ''), username) FROM users WHERE id = ?`, a.UserID).Scan(&name); err != nil {
				return r, fmt.Errorf("sqlstore: volunteer user: %w", err)
			}
			if _, err := t.exec(ctx, `INSERT INTO volunteers (user_id, name, place_code, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING`,
				a.UserID, name, a.Place, ms(s.now())); err != nil {
				return r, fmt.Errorf("sqlstore: volunteer user: %w", err)
			}
			err = t.queryRow(ctx, `SELECT id FROM volunteers WHERE user_id = ?`, a.UserID).Scan(&r.volunteer)
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return r, fmt.Errorf("sqlstore: volunteer user: %w", err)
		}
		return r, nil
	}
	var r taker
	var village string
	err := t.queryRow(ctx, `SELECT id, village_code FROM volunteer_relays WHERE token_hash = ? AND status = 'open'`,
		volunteering.HashToken(tk.relayToken)).Scan(&r.relay, &village)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errLinkGone
	}
	if err != nil {
		return r, fmt.Errorf("sqlstore: relay link: %w", err)
	}
	if tk.deviceToken == "" {
		return r, errSignupFirst
	}
	err = t.queryRow(ctx, `SELECT volunteer_id FROM volunteer_devices WHERE token_hash = ?`, volunteering.HashToken(tk.deviceToken)).Scan(&r.volunteer)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errSignupFirst
	}
	if err != nil {
		return r, fmt.Errorf("sqlstore: volunteer device: %w", err)
	}
	r.actor = access.Actor{Username: fmt.Sprintf("neighbour:%d", r.volunteer), Role: safetynet.RoleVolunteer, Place: village, IP: "link"}
	return r, nil
}

// slotVisible is the condition on a slot's relay (alias r) for a taker:
// a neighbour only the relay of the link; a user relays whose village
// contains their place or lies within it.
func (k taker) slotVisible() (string, []any) {
	if k.relay != 0 {
		return "r.id = ?", []any{k.relay}
	}
	return `(EXISTS (SELECT 1 FROM place_tree WHERE ancestor = r.village_code AND descendant = ?)
		OR EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = r.village_code))`, []any{k.place, k.place}
}

// TakeResult says whether the taker already held the place.
type TakeResult struct {
	Already bool
}

// TakeSlot takes a place of a slot, first-come. The place is counted by a
// conditional UPDATE (taken < capacity) and held by a row whose unique
// (slot, seat) forbids a second holder: of two takers of the last place,
// one gets it and the other a conflict "已被认领". Taking a place one
// already holds answers Already.
func (s *Store) TakeSlot(ctx context.Context, tk Taker, slotID int64) (TakeResult, error) {
	var res TakeResult
	err := s.write(ctx, func(t *tx) error {
		k, err := s.resolve(ctx, t, tk, true)
		if err != nil {
			return err
		}
		c, args := k.slotVisible()
		var relay int64
		var start, end int64
		var capacity int
		var status, village string
		err = t.queryRow(ctx, `SELECT sl.relay_id, sl.starts_at, sl.ends_at, sl.capacity, r.status, r.village_code
			FROM volunteer_slots sl JOIN volunteer_relays r ON r.id = sl.relay_id WHERE sl.id = ? AND `+c,
			append([]any{slotID}, args...)...).Scan(&relay, &start, &end, &capacity, &status, &village)
		if errors.Is(err, sql.ErrNoRows) {
			return errSlotNotFound
		}
		if err != nil {
			return fmt.Errorf("sqlstore: take slot: %w", err)
		}
		var mine int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM volunteer_takes WHERE slot_id = ? AND volunteer_id = ?`, slotID, k.volunteer).Scan(&mine); err != nil {
			return fmt.Errorf("sqlstore: take slot: %w", err)
		}
		if mine > 0 {
			res.Already = true
			return nil
		}
		if status != volunteering.RelayOpen {
			return volunteerErr(volunteering.ErrClosed)
		}
		if err := volunteering.CanTake(fromMS(end), s.now()); err != nil {
			return volunteerErr(err)
		}
		r, err := t.exec(ctx, `UPDATE volunteer_slots SET taken = taken + 1 WHERE id = ? AND taken < capacity`, slotID)
		if err != nil {
			return fmt.Errorf("sqlstore: take slot: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return volunteerErr(volunteering.ErrTaken)
		}
		// The row lock of the UPDATE orders takers of this slot: the seats
		// read now are those of everyone before.
		used, err := t.query(ctx, `SELECT seat FROM volunteer_takes WHERE slot_id = ?`, slotID)
		if err != nil {
			return fmt.Errorf("sqlstore: take slot: %w", err)
		}
		var seats []int
		for used.Next() {
			var n int
			if err := used.Scan(&n); err != nil {
				used.Close()
				return err
			}
			seats = append(seats, n)
		}
		used.Close()
		seat := volunteering.Seat(capacity, seats)
		if seat == 0 {
			return volunteerErr(volunteering.ErrTaken)
		}
		if _, err := t.exec(ctx, `INSERT INTO volunteer_takes (slot_id, seat, volunteer_id, relay_id, village_code, starts_at, taken_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, slotID, seat, k.volunteer, relay, village, start, ms(s.now())); err != nil {
			if classify(err) == errUnique {
				return volunteerErr(volunteering.ErrTaken)
			}
			return fmt.Errorf("sqlstore: take slot: %w", err)
		}
		return s.audit(ctx, t, k.actor, auditRec{action: "volunteer.take", objType: "volunteer_slot", objID: fmt.Sprint(slotID), place: village,
			detail: map[string]any{"relay_id": relay, "volunteer_id": k.volunteer}})
	})
	return res, err
}

// takeOf loads the taker's place in a slot they may see.
func (s *Store) takeOf(ctx context.Context, t *tx, k taker, slotID int64) (id, relay int64, start, end time.Time, status, village string, err error) {
	c, args := k.slotVisible()
	var st, en, tid int64
	err = t.queryRow(ctx, `SELECT COALESCE(m.id, 0), sl.relay_id, sl.starts_at, sl.ends_at, COALESCE(m.status, ''), r.village_code
		FROM volunteer_slots sl JOIN volunteer_relays r ON r.id = sl.relay_id
		LEFT JOIN volunteer_takes m ON m.slot_id = sl.id AND m.volunteer_id = ?
		WHERE sl.id = ? AND (m.id IS NOT NULL OR `+c+`)`, append([]any{k.volunteer, slotID}, args...)...).Scan(&tid, &relay, &st, &en, &status, &village)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, start, end, "", "", errSlotNotFound
	}
	if err != nil {
		return 0, 0, start, end, "", "", fmt.Errorf("sqlstore: slot: %w", err)
	}
	if tid == 0 {
		return 0, relay, fromMS(st), fromMS(en), "", village, volunteerErr(volunteering.ErrNotYours)
	}
	return tid, relay, fromMS(st), fromMS(en), status, village, nil
}

// ReleaseSlot gives a place back before the slot starts.
func (s *Store) ReleaseSlot(ctx context.Context, tk Taker, slotID int64) error {
	return s.write(ctx, func(t *tx) error {
		k, err := s.resolve(ctx, t, tk, false)
		if err != nil {
			return err
		}
		id, relay, start, _, status, village, err := s.takeOf(ctx, t, k, slotID)
		if err != nil {
			return err
		}
		if status == volunteering.TakeDone {
			return volunteerErr(volunteering.ErrDone)
		}
		if err := volunteering.CanRelease(start, s.now()); err != nil {
			return volunteerErr(err)
		}
		var takenAt int64
		if err := t.queryRow(ctx, `SELECT taken_at FROM volunteer_takes WHERE id = ?`, id).Scan(&takenAt); err != nil {
			return fmt.Errorf("sqlstore: release: %w", err)
		}
		if _, err := t.exec(ctx, `DELETE FROM volunteer_takes WHERE id = ?`, id); err != nil {
			return fmt.Errorf("sqlstore: release: %w", err)
		}
		if _, err := t.exec(ctx, `UPDATE volunteer_slots SET taken = taken - 1 WHERE id = ?`, slotID); err != nil {
			return fmt.Errorf("sqlstore: release: %w", err)
		}
		if _, err := t.exec(ctx, `INSERT INTO volunteer_returns (slot_id, volunteer_id, taken_at, returned_at) VALUES (?, ?, ?, ?)`,
			slotID, k.volunteer, takenAt, ms(s.now())); err != nil {
			return fmt.Errorf("sqlstore: release: %w", err)
		}
		return s.audit(ctx, t, k.actor, auditRec{action: "volunteer.release", objType: "volunteer_slot", objID: fmt.Sprint(slotID), place: village,
			detail: map[string]any{"relay_id": relay, "volunteer_id": k.volunteer}})
	})
}

// DoneSlot marks the taker's place done with an optional note; marking it
// again changes nothing.
func (s *Store) DoneSlot(ctx context.Context, tk Taker, slotID int64, note string) error {
	return s.write(ctx, func(t *tx) error {
		k, err := s.resolve(ctx, t, tk, false)
		if err != nil {
			return err
		}
		id, relay, start, end, status, village, err := s.takeOf(ctx, t, k, slotID)
		if err != nil {
			return err
		}
		if status == volunteering.TakeDone {
			return nil
		}
		if err := volunteering.CanDone(start, end, s.now(), note); err != nil {
			return volunteerErr(err)
		}
		r, err := t.exec(ctx, `UPDATE volunteer_takes SET status = ?, note = ?, minutes = ?, done_at = ? WHERE id = ? AND status = ?`,
			volunteering.TakeDone, note, volunteering.Minutes(start, end), ms(s.now()), id, volunteering.TakeTaken)
		if err != nil {
			return fmt.Errorf("sqlstore: done: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return nil
		}
		if _, err := t.exec(ctx, `UPDATE volunteer_slots SET done = done + 1 WHERE id = ?`, slotID); err != nil {
			return fmt.Errorf("sqlstore: done: %w", err)
		}
		return s.audit(ctx, t, k.actor, auditRec{action: "volunteer.done", objType: "volunteer_slot", objID: fmt.Sprint(slotID), place: village,
			detail: map[string]any{"relay_id": relay, "volunteer_id": k.volunteer}})
	})
}

// MySlot is a place the taker holds, with what the task needs only while
// it is active (Active): the short name, the address, what to bring.
type MySlot struct {
	SlotID     int64
	RelayID    int64
	RelayTitle string
	TaskTitle  string
	Kind       string
	Start, End time.Time
	Status     string
	Note       string
	Active     bool
	ShortName  string
	Address    string
	Bring      string
	RelayNote  string
	CanRelease bool
	CanDone    bool
}

// MySlots lists the places the taker holds or held (at most 200):
// upcoming first, soonest first, then the latest past ones.
func (s *Store) MySlots(ctx context.Context, tk Taker) ([]MySlot, error) {
	var out []MySlot
	err := s.read(ctx, func(t *tx) error {
		k, err := s.resolve(ctx, t, tk, false)
		if err != nil || k.volunteer == 0 {
			return err
		}
		// Slots still to do (or to mark done) first, soonest first; then the
		// latest past ones.
		recent := ms(s.now().Add(-volunteering.DoneGrace))
		rows, err := t.query(ctx, `SELECT sl.id, r.id, r.title, k.title, k.kind, sl.starts_at, sl.ends_at, m.status, m.note, r.short_name, k.address, k.bring, r.note
			FROM volunteer_takes m JOIN volunteer_slots sl ON sl.id = m.slot_id JOIN volunteer_tasks k ON k.id = sl.task_id
			JOIN volunteer_relays r ON r.id = sl.relay_id WHERE m.volunteer_id = ?
			ORDER BY CASE WHEN sl.ends_at >= ? THEN 0 ELSE 1 END, CASE WHEN sl.ends_at >= ? THEN sl.starts_at ELSE -sl.starts_at END, sl.id
			LIMIT 200`, k.volunteer, recent, recent)
		if err != nil {
			return fmt.Errorf("sqlstore: my slots: %w", err)
		}
		defer rows.Close()
		now := s.now()
		for rows.Next() {
			var m MySlot
			var st, en int64
			var short, addr, bring, rnote string
			if err := rows.Scan(&m.SlotID, &m.RelayID, &m.RelayTitle, &m.TaskTitle, &m.Kind, &st, &en, &m.Status, &m.Note, &short, &addr, &bring, &rnote); err != nil {
				return err
			}
			m.Start, m.End = fromMS(st), fromMS(en)
			if volunteering.Visible(m.Status, m.Start, m.End, now) {
				m.Active, m.ShortName, m.Address, m.Bring, m.RelayNote = true, short, addr, bring, rnote
			}
			m.CanRelease = m.Status == volunteering.TakeTaken && volunteering.CanRelease(m.Start, now) == nil
			m.CanDone = m.Status == volunteering.TakeTaken && volunteering.CanDone(m.Start, m.End, now, "") == nil
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// TakerRelay is a relay a taker may choose places from: its upcoming
// slots, open or full, without who holds them or whom they are for.
type TakerRelay struct {
	ID          int64
	Title       string
	VillageName string
	Tasks       []VolunteerTask // without the address
	Slots       []VolunteerSlot
}

// maxTakerSlots bounds the upcoming slots a taker's list shows per relay,
// and takerAhead how far ahead it looks: a week is what people sign up
// for in a group chat.
const (
	maxTakerSlots = 100
	takerAhead    = 7 * 24 * time.Hour
)

// TakerRelays lists the open relays a taker may take places in with
// their slots of the coming week: a neighbour the relay of the link, a user the
// relays of the villages around them.
func (s *Store) TakerRelays(ctx context.Context, tk Taker) ([]TakerRelay, error) {
	var out []TakerRelay
	err := s.read(ctx, func(t *tx) error {
		k, err := s.resolve(ctx, t, tk, false)
		if err != nil && !errors.Is(err, errSignupFirst) {
			return err
		}
		c, args := k.slotVisible()
		rows, err := t.query(ctx, `SELECT r.id, r.title, COALESCE(p.name, '') FROM volunteer_relays r LEFT JOIN places p ON p.code = r.village_code
			WHERE r.status = 'open' AND `+c+` ORDER BY r.id DESC LIMIT 50`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: taker relays: %w", err)
		}
		for rows.Next() {
			var r TakerRelay
			if err := rows.Scan(&r.ID, &r.Title, &r.VillageName); err != nil {
				rows.Close()
				return err
			}
			out = append(out, r)
		}
		rows.Close()
		now, ahead := ms(s.now()), ms(s.now().Add(takerAhead))
		for i := range out {
			tasks, err := s.relayTasks(ctx, t, out[i].ID)
			if err != nil {
				return err
			}
			for j := range tasks {
				tasks[j].Address = ""
			}
			out[i].Tasks = tasks
			all, err := s.relaySlots(ctx, t, out[i].ID, k.volunteer)
			if err != nil {
				return err
			}
			for _, sl := range all {
				if ms(sl.End) > now && ms(sl.Start) < ahead && len(out[i].Slots) < maxTakerSlots {
					out[i].Slots = append(out[i].Slots, sl)
				}
			}
		}
		return nil
	})
	return out, err
}

// NeighbourView is what a relay's sign-up page shows before the slots:
// the relay's title and village, and the neighbour's own name once signed
// up on this device.
type NeighbourView struct {
	RelayID     int64
	Title       string
	VillageName string
	Name        string // "" until signed up
}

// VolunteerLinkView opens a sign-up link.
func (s *Store) VolunteerLinkView(ctx context.Context, relayToken, deviceToken string) (NeighbourView, error) {
	var v NeighbourView
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT r.id, r.title, COALESCE(p.name, '') FROM volunteer_relays r LEFT JOIN places p ON p.code = r.village_code
			WHERE r.token_hash = ? AND r.status = 'open'`, volunteering.HashToken(relayToken)).Scan(&v.RelayID, &v.Title, &v.VillageName)
		if errors.Is(err, sql.ErrNoRows) {
			return errLinkGone
		}
		if err != nil {
			return fmt.Errorf("sqlstore: relay link: %w", err)
		}
		if deviceToken == "" {
			return nil
		}
		err = t.queryRow(ctx, `SELECT v.name FROM volunteer_devices d JOIN volunteers v ON v.id = d.volunteer_id WHERE d.token_hash = ?`,
			volunteering.HashToken(deviceToken)).Scan(&v.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	return v, err
}

// SignupNeighbour records a neighbour's name and phone (sealed like
// persons' phones, with the blind index for the village to find them
// again) once and returns the token their device keeps; the device is
// then known on every relay's link. A sign-up on another device is a
// volunteer of its own: knowing someone's name and number must not give
// their slots (and the addresses of them) to another phone.
func (s *Store) SignupNeighbour(ctx context.Context, relayToken, name, phone string) (string, error) {
	name, phone, err := volunteering.CheckSignup(name, phone)
	if err != nil {
		return "", volunteerErr(err)
	}
	enc, idx, err := s.seal(phone, "volunteer.phone", idxPhone)
	if err != nil {
		return "", err
	}
	token, hash := volunteering.NewToken()
	err = s.write(ctx, func(t *tx) error {
		var relay int64
		var village string
		err := t.queryRow(ctx, `SELECT id, village_code FROM volunteer_relays WHERE token_hash = ? AND status = 'open'`,
			volunteering.HashToken(relayToken)).Scan(&relay, &village)
		if errors.Is(err, sql.ErrNoRows) {
			return errLinkGone
		}
		if err != nil {
			return fmt.Errorf("sqlstore: signup: %w", err)
		}
		var id int64
		err = t.queryRow(ctx, `INSERT INTO volunteers (name, phone_enc, phone_idx, place_code, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			name, enc, idx, village, ms(s.now())).Scan(&id)
		if err != nil {
			return fmt.Errorf("sqlstore: signup: %w", err)
		}
		if _, err := t.exec(ctx, `INSERT INTO volunteer_devices (token_hash, volunteer_id, created_at) VALUES (?, ?, ?)`, hash, id, ms(s.now())); err != nil {
			return fmt.Errorf("sqlstore: signup device: %w", err)
		}
		a := access.Actor{Username: fmt.Sprintf("neighbour:%d", id), Role: safetynet.RoleVolunteer, Place: village, IP: "link"}
		return s.audit(ctx, t, a, auditRec{action: "volunteer.signup", objType: "volunteer", objID: fmt.Sprint(id), place: village,
			detail: map[string]any{"relay_id": relay}})
	})
	return token, err
}

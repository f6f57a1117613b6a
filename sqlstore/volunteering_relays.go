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
	"safetynet/volunteering"
)

// VolunteerRelay is a relay (接龙) as the village's page and the API show
// it: every slot with who took it.
type VolunteerRelay struct {
	ID          int64
	Title       string
	HouseholdID int64
	PersonID    int64
	CaseID      int64
	PlaceCode   string
	PlaceName   string
	VillageCode string
	ShortName   string
	Address     string
	Note        string
	Status      string
	HasLink     bool
	Version     int
	CreatedBy   string
	CreatedAt   time.Time
	Tasks       []VolunteerTask
	Slots       []VolunteerSlot
	Places      int // places over all slots
	Taken       int
	Done        int
}

// VolunteerTask is a task of a relay.
type VolunteerTask struct {
	ID      int64
	Kind    string
	Title   string
	Bring   string
	Address string
	From    string
	To      string
	Windows string
	PerSlot int
}

// VolunteerSlot is one slot with its takers (names for the village only).
type VolunteerSlot struct {
	ID        int64
	TaskID    int64
	TaskTitle string
	Kind      string
	Start     time.Time
	End       time.Time
	Capacity  int
	Taken     int
	Done      int
	Alerted   bool
	Takers    []SlotTaker
	Mine      string // the viewer's own place in it: "", taken or done
}

// Open reports whether the slot has a place left.
func (v VolunteerSlot) Open() bool { return v.Taken < v.Capacity }

// SlotTaker is who holds a place of a slot.
type SlotTaker struct {
	VolunteerID int64
	Name        string
	Neighbour   bool
	Status      string
	Note        string
}

// VolunteerRelayInput opens a relay for a household (from a case or not).
type VolunteerRelayInput struct {
	ClientID    string
	HouseholdID int64
	PersonID    int64 // the person cared for, a member of the household; 0 for none named
	CaseID      int64
	Relay       volunteering.Relay
}

// VolunteerDraft is what the form to open a relay starts from.
type VolunteerDraft struct {
	HouseholdID int64
	CaseID      int64
	PlaceName   string
	Address     string
	Members     []DraftMember
}

// DraftMember is a household member the relay may be for, with the short
// name takers would use.
type DraftMember struct {
	ID        int64
	Name      string
	ShortName string
}

// relayFieldZh says in Chinese what is wrong with a field of a relay.
var relayFieldZh = map[string]string{
	"title": "请填写接龙标题（不超过 60 字）", "short_name": "请填写称呼（如“宇奶奶”，不超过 20 字）", "address": "请填写地址（不超过 100 字）",
	"note": "说明不超过 500 字", "tasks": "请填写 1 到 10 项任务，合计不超过 2000 个时段", "kind": "请选择任务类型",
	"bring": "“带什么、做什么”不超过 200 字", "from": "开始日期无效", "to": "结束日期须不早于开始日期，且不超过 120 天",
	"windows": "时间段无效：写作 11:00-12:00，多个用逗号分开，不可重叠", "per_slot": "每个时段 1 到 10 人",
	"name": "请填写姓名（不超过 20 字）", "phone": "请填写 11 位手机号码",
}

// volunteerErr turns a volunteering decision's error into a domain error.
func volunteerErr(err error) error {
	var fe *volunteering.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	if fe.Field == "slot" || fe.Field == "note" {
		zh, en := slotReasonZh[fe.Reason], slotReasonEn[fe.Reason]
		if fe.Reason == "taken" || fe.Reason == "already_done" {
			return safetynet.Text(safetynet.EConflict, fe.Field, zh, en)
		}
		return safetynet.Text(safetynet.EInvalid, fe.Field, zh, en)
	}
	key := fe.Field
	if i := strings.LastIndex(key, "."); i >= 0 {
		key = key[i+1:]
	}
	return safetynet.Text(safetynet.EInvalid, fe.Field, relayFieldZh[key], fe.Reason)
}

var slotReasonZh = map[string]string{"taken": "已被认领：这个时段的名额刚被别人认领了", "past": "这个时段已经结束",
	"started": "时段已开始，不能退回；如有变化请联系村(社区)", "too_early": "时段开始前 1 小时起才能标记完成",
	"too_late": "已超过时段结束 24 小时，不能再标记完成", "relay_closed": "接龙已结束", "not_yours": "您没有认领这个时段",
	"already_done": "已标记完成", "note_too_long": "备注不超过 500 字"}

var slotReasonEn = map[string]string{"taken": "already taken: the last place of this slot was just taken by someone else",
	"past": "the slot has ended", "started": "the slot has started and cannot be given back; tell the village",
	"too_early": "a slot can be marked done from one hour before it starts", "too_late": "more than 24 hours after the slot, it can no longer be marked done",
	"relay_closed": "the relay is closed", "not_yours": "you hold no place in this slot", "already_done": "already marked done",
	"note_too_long": "the note is longer than 500 characters"}

// VolunteerRelayDraft prepares the form for a household or a case's
// household: its members with the short names takers would use.
func (s *Store) VolunteerRelayDraft(ctx context.Context, a access.Actor, householdID, caseID int64) (VolunteerDraft, error) {
	d := VolunteerDraft{HouseholdID: householdID, CaseID: caseID}
	if err := a.Require(access.VolunteerManage); err != nil {
		return d, err
	}
	err := s.read(ctx, func(t *tx) error {
		if caseID != 0 {
			c, args := scopeCheck(a.Scope(access.Work), "c.place_code")
			err := t.queryRow(ctx, `SELECT c.household_id FROM cases c WHERE c.id = ? AND `+c, append([]any{caseID}, args...)...).Scan(&d.HouseholdID)
			if errors.Is(err, sql.ErrNoRows) {
				return safetynet.NotFound("找不到该案件", "no such case")
			}
			if err != nil {
				return fmt.Errorf("sqlstore: relay draft case: %w", err)
			}
		}
		c, args := scopeCheck(a.Scope(access.Register), "h.place_code")
		err := t.queryRow(ctx, `SELECT h.address, p.name FROM households h JOIN places p ON p.code = h.place_code
			WHERE h.id = ? AND h.status = 'active' AND `+c, append([]any{d.HouseholdID}, args...)...).Scan(&d.Address, &d.PlaceName)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("找不到该户", "no such household")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: relay draft household: %w", err)
		}
		rows, err := t.query(ctx, `SELECT id, name, sex, birth_date FROM persons WHERE household_id = ? AND status = 'active' ORDER BY birth_date, id`, d.HouseholdID)
		if err != nil {
			return fmt.Errorf("sqlstore: relay draft members: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var m DraftMember
			var sex, birth string
			if err := rows.Scan(&m.ID, &m.Name, &sex, &birth); err != nil {
				return err
			}
			b, _ := time.Parse("2006-01-02", birth)
			m.ShortName = volunteering.ShortName(m.Name, sex, b, s.now())
			d.Members = append(d.Members, m)
		}
		return rows.Err()
	})
	return d, err
}

// CreateVolunteerRelay opens a relay with its tasks and their slots; a
// resend with the same client id returns the relay made the first time.
func (s *Store) CreateVolunteerRelay(ctx context.Context, a access.Actor, in VolunteerRelayInput) (int64, bool, error) {
	if err := a.Require(access.VolunteerManage); err != nil {
		return 0, false, err
	}
	if strings.TrimSpace(in.ClientID) == "" || len(in.ClientID) > 64 {
		return 0, false, safetynet.Invalid("client_id", "缺少提交编号", "client_id is required (1 to 64 characters)")
	}
	r := in.Relay.Normalize()
	if err := r.Check(); err != nil {
		return 0, false, volunteerErr(err)
	}
	slots := make([][]volunteering.SlotTime, len(r.Tasks))
	for i, task := range r.Tasks {
		slots[i], _ = task.Slots()
	}
	var id int64
	created := false
	err := s.write(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT id FROM volunteer_relays WHERE client_id = ?`, in.ClientID).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlstore: relay resend: %w", err)
		}
		sc := a.Scope(access.Register)
		if in.CaseID != 0 {
			c, args := scopeCheck(a.Scope(access.Work), "c.place_code")
			var hh int64
			err := t.queryRow(ctx, `SELECT c.household_id FROM cases c WHERE c.id = ? AND `+c, append([]any{in.CaseID}, args...)...).Scan(&hh)
			if errors.Is(err, sql.ErrNoRows) {
				return safetynet.NotFound("找不到该案件", "no such case")
			}
			if err != nil {
				return fmt.Errorf("sqlstore: relay case: %w", err)
			}
			in.HouseholdID = hh
		}
		c, args := scopeCheck(sc, "h.place_code")
		var place string
		err = t.queryRow(ctx, `SELECT h.place_code FROM households h WHERE h.id = ? AND h.status = 'active' AND `+c,
			append([]any{in.HouseholdID}, args...)...).Scan(&place)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.Invalid("household_id", "找不到该户", "no such household")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: relay household: %w", err)
		}
		if in.PersonID != 0 {
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM persons WHERE id = ? AND household_id = ?`, in.PersonID, in.HouseholdID).Scan(&n); err != nil {
				return fmt.Errorf("sqlstore: relay person: %w", err)
			}
			if n == 0 {
				return safetynet.Invalid("person_id", "该人员不是这一户的成员", "the person is not a member of the household")
			}
		}
		village, found, err := s.ancestorAt(ctx, t, place, safetynet.LevelVillage)
		if err != nil {
			return err
		}
		if !found {
			village = place
		}
		now := ms(s.now())
		if err := t.queryRow(ctx, `INSERT INTO volunteer_relays (client_id, title, household_id, person_id, case_id, place_code, village_code,
			short_name, address, note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.ClientID, r.Title, in.HouseholdID, in.PersonID, in.CaseID, place, village, r.ShortName, r.Address, r.Note, a.Username, now, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: create relay: %w", err)
		}
		count := 0
		for i, task := range r.Tasks {
			var tid int64
			if err := t.queryRow(ctx, `INSERT INTO volunteer_tasks (relay_id, position, kind, title, bring, address, from_day, to_day, windows, per_slot)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, id, i, task.Kind, task.Title, task.Bring, task.Address, task.From, task.To,
				volunteering.WindowsString(task.Windows), task.PerSlot).Scan(&tid); err != nil {
				return fmt.Errorf("sqlstore: relay task: %w", err)
			}
			for _, st := range slots[i] {
				if _, err := t.exec(ctx, `INSERT INTO volunteer_slots (relay_id, task_id, village_code, starts_at, ends_at, capacity) VALUES (?, ?, ?, ?, ?, ?)`,
					id, tid, village, ms(st.Start), ms(st.End), task.PerSlot); err != nil {
					return fmt.Errorf("sqlstore: relay slot: %w", err)
				}
				count++
			}
		}
		created = true
		return s.audit(ctx, t, a, auditRec{action: "volunteer.relay.create", objType: "volunteer_relay", objID: fmt.Sprint(id), place: place,
			detail: map[string]any{"title": r.Title, "household_id": in.HouseholdID, "case_id": in.CaseID, "tasks": len(r.Tasks), "slots": count}})
	})
	return id, created, err
}

const relayCols = `r.id, r.title, r.household_id, r.person_id, r.case_id, r.place_code, COALESCE(p.name, ''), r.village_code, r.short_name,
	r.address, r.note, r.status, r.token_hash, r.version, r.created_by, r.created_at`

const relayFrom = ` FROM volunteer_relays r LEFT JOIN places p ON p.code = r.place_code `

func scanRelay(sc interface{ Scan(...any) error }) (VolunteerRelay, error) {
	var v VolunteerRelay
	var token string
	var created int64
	err := sc.Scan(&v.ID, &v.Title, &v.HouseholdID, &v.PersonID, &v.CaseID, &v.PlaceCode, &v.PlaceName, &v.VillageCode, &v.ShortName,
		&v.Address, &v.Note, &v.Status, &token, &v.Version, &v.CreatedBy, &created)
	v.HasLink, v.CreatedAt = token != "", fromMS(created)
	return v, err
}

// relayManaged limits relays (alias r) to those the actor manages.
func relayManaged(a access.Actor) (string, []any, error) {
	if !a.Can(access.VolunteerManage) {
		return "", nil, safetynet.Forbidden()
	}
	sc := a.VolunteerScope()
	if sc.Kind != access.ScopeSubtree {
		return "", nil, safetynet.Forbidden()
	}
	c, args := scopeCheck(sc, "r.place_code")
	return c, args, nil
}

// VolunteerRelayFilter narrows the list of relays.
type VolunteerRelayFilter struct {
	CaseID int64
	Status string // open, closed or "" for both
	Limit  int
}

// VolunteerRelays lists the relays the actor manages, newest first, with
// their counts of places, taken and done.
func (s *Store) VolunteerRelays(ctx context.Context, a access.Actor, f VolunteerRelayFilter) ([]VolunteerRelay, error) {
	if _, _, err := relayManaged(a); err != nil {
		return nil, err
	}
	c, args := scopeClause(a.VolunteerScope(), "r.place_code")
	q := `SELECT ` + relayCols + `, COALESCE((SELECT SUM(capacity) FROM volunteer_slots WHERE relay_id = r.id), 0),
		COALESCE((SELECT SUM(taken) FROM volunteer_slots WHERE relay_id = r.id), 0), COALESCE((SELECT SUM(done) FROM volunteer_slots WHERE relay_id = r.id), 0)` +
		relayFrom + `WHERE ` + c
	if f.CaseID != 0 {
		q += ` AND r.case_id = ?`
		args = append(args, f.CaseID)
	}
	if f.Status != "" {
		q += ` AND r.status = ?`
		args = append(args, f.Status)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q += fmt.Sprintf(` ORDER BY r.id DESC LIMIT %d`, f.Limit)
	var out []VolunteerRelay
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: relays: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var v VolunteerRelay
			var token string
			var created int64
			if err := rows.Scan(&v.ID, &v.Title, &v.HouseholdID, &v.PersonID, &v.CaseID, &v.PlaceCode, &v.PlaceName, &v.VillageCode, &v.ShortName,
				&v.Address, &v.Note, &v.Status, &token, &v.Version, &v.CreatedBy, &created, &v.Places, &v.Taken, &v.Done); err != nil {
				return err
			}
			v.HasLink, v.CreatedAt = token != "", fromMS(created)
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// VolunteerRelay loads a relay the actor manages with its tasks and all
// its slots and takers.
func (s *Store) VolunteerRelay(ctx context.Context, a access.Actor, id int64) (VolunteerRelay, error) {
	var v VolunteerRelay
	c, args, err := relayManaged(a)
	if err != nil {
		return v, err
	}
	err = s.read(ctx, func(t *tx) error {
		var err error
		v, err = scanRelay(t.queryRow(ctx, `SELECT `+relayCols+relayFrom+`WHERE r.id = ? AND `+c, append([]any{id}, args...)...))
		if errors.Is(err, sql.ErrNoRows) {
			return errRelayNotFound
		}
		if err != nil {
			return fmt.Errorf("sqlstore: relay %d: %w", id, err)
		}
		if v.Tasks, err = s.relayTasks(ctx, t, id); err != nil {
			return err
		}
		if v.Slots, err = s.relaySlots(ctx, t, id, 0); err != nil {
			return err
		}
		takers := map[int64]int{}
		for i, sl := range v.Slots {
			takers[sl.ID] = i
			v.Places += sl.Capacity
			v.Taken += sl.Taken
			v.Done += sl.Done
		}
		rows, err := t.query(ctx, `SELECT k.slot_id, k.volunteer_id, COALESCE(NULLIF(u.display_name, ''), v.name), v.user_id IS NULL, k.status, k.note
			FROM volunteer_takes k JOIN volunteers v ON v.id = k.volunteer_id LEFT JOIN users u ON u.id = v.user_id
			WHERE k.relay_id = ? ORDER BY k.slot_id, k.seat`, id)
		if err != nil {
			return fmt.Errorf("sqlstore: relay takers: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var slot int64
			var tk SlotTaker
			if err := rows.Scan(&slot, &tk.VolunteerID, &tk.Name, &tk.Neighbour, &tk.Status, &tk.Note); err != nil {
				return err
			}
			if i, ok := takers[slot]; ok {
				v.Slots[i].Takers = append(v.Slots[i].Takers, tk)
			}
		}
		return rows.Err()
	})
	return v, err
}

var errRelayNotFound = safetynet.NotFound("找不到该接龙", "no such relay")

func (s *Store) relayTasks(ctx context.Context, t *tx, id int64) ([]VolunteerTask, error) {
	rows, err := t.query(ctx, `SELECT id, kind, title, bring, address, from_day, to_day, windows, per_slot FROM volunteer_tasks WHERE relay_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: relay tasks: %w", err)
	}
	defer rows.Close()
	var out []VolunteerTask
	for rows.Next() {
		var k VolunteerTask
		if err := rows.Scan(&k.ID, &k.Kind, &k.Title, &k.Bring, &k.Address, &k.From, &k.To, &k.Windows, &k.PerSlot); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// relaySlots lists a relay's slots in time order with the viewer's own
// place (volunteer 0: none).
func (s *Store) relaySlots(ctx context.Context, t *tx, id, volunteer int64) ([]VolunteerSlot, error) {
	rows, err := t.query(ctx, `SELECT sl.id, sl.task_id, k.title, k.kind, sl.starts_at, sl.ends_at, sl.capacity, sl.taken, sl.done, sl.empty_alerted_at,
		COALESCE((SELECT m.status FROM volunteer_takes m WHERE m.slot_id = sl.id AND m.volunteer_id = ?), '')
		FROM volunteer_slots sl JOIN volunteer_tasks k ON k.id = sl.task_id WHERE sl.relay_id = ? ORDER BY sl.starts_at, k.position`, volunteer, id)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: relay slots: %w", err)
	}
	defer rows.Close()
	var out []VolunteerSlot
	for rows.Next() {
		var v VolunteerSlot
		var start, end, alerted int64
		if err := rows.Scan(&v.ID, &v.TaskID, &v.TaskTitle, &v.Kind, &start, &end, &v.Capacity, &v.Taken, &v.Done, &alerted, &v.Mine); err != nil {
			return nil, err
		}
		v.Start, v.End, v.Alerted = fromMS(start), fromMS(end), alerted != 0
		out = append(out, v)
	}
	return out, rows.Err()
}

// CloseVolunteerRelay ends a relay (at version): its open slots can no
// longer be taken, its link stops working; what was done stays counted.
func (s *Store) CloseVolunteerRelay(ctx context.Context, a access.Actor, id int64, version int) error {
	c, args, err := relayManaged(a)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var place, status string
		var v int
		err := t.queryRow(ctx, `SELECT r.place_code, r.status, r.version FROM volunteer_relays r WHERE r.id = ? AND `+c, append([]any{id}, args...)...).Scan(&place, &status, &v)
		if errors.Is(err, sql.ErrNoRows) {
			return errRelayNotFound
		}
		if err != nil {
			return fmt.Errorf("sqlstore: close relay: %w", err)
		}
		if v != version {
			return s.conflict(ctx, t, "volunteer_relay", fmt.Sprint(id))
		}
		if status == volunteering.RelayClosed {
			return nil
		}
		if _, err := t.exec(ctx, `UPDATE volunteer_relays SET status = ?, token_hash = '', version = version + 1, updated_at = ? WHERE id = ?`,
			volunteering.RelayClosed, ms(s.now()), id); err != nil {
			return fmt.Errorf("sqlstore: close relay: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "volunteer.relay.close", objType: "volunteer_relay", objID: fmt.Sprint(id), place: place})
	})
}

// NewVolunteerLink makes a new sign-up link for an open relay and returns
// its token (only its hash is kept; an older link stops working).
func (s *Store) NewVolunteerLink(ctx context.Context, a access.Actor, id int64) (string, error) {
	c, args, err := relayManaged(a)
	if err != nil {
		return "", err
	}
	token, hash := volunteering.NewToken()
	err = s.write(ctx, func(t *tx) error {
		var place, status string
		err := t.queryRow(ctx, `SELECT r.place_code, r.status FROM volunteer_relays r WHERE r.id = ? AND `+c, append([]any{id}, args...)...).Scan(&place, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return errRelayNotFound
		}
		if err != nil {
			return fmt.Errorf("sqlstore: relay link: %w", err)
		}
		if status != volunteering.RelayOpen {
			return volunteerErr(volunteering.ErrClosed)
		}
		if _, err := t.exec(ctx, `UPDATE volunteer_relays SET token_hash = ?, updated_at = ? WHERE id = ?`, hash, ms(s.now()), id); err != nil {
			return fmt.Errorf("sqlstore: relay link: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "volunteer.relay.link", objType: "volunteer_relay", objID: fmt.Sprint(id), place: place})
	})
	return token, err
}

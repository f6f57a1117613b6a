package sqlstore

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/auth"
	"safetynet/relay"
)

// A year of activity on top of a register: the clues, cases, visits,
// services, pacts, volunteer hours, funds, monitoring and risk colours a
// county-level register shows after a year of use, for benchmarks of the
// pages that read them (the dashboards of issue 12). Everything is
// deterministic from the seed, the register and the end time; the rows
// are written in bulk (insertRows: COPY on PostgreSQL, multi-row INSERTs
// on SQLite) in one transaction with one audit entry, so that a failure
// leaves nothing behind. The rates are per month and per 1,000,000
// persons of the register (scaled to its size and by Scale):
//
//	clues                 3,000 a month; sources grid 38%, resident 20%,
//	                      hotline 15%, visit 14%, department 13% (65%
//	                      active discovery); 20% urgent
//	acknowledged          within 10 min–8 h (urgent 5–60 min)
//	verified              2 h–3 days later; 62% become cases (urgent 85%),
//	                      the rest close with no action
//	cases                 an emergency measure for urgent ones; 1–2
//	                      applications (catalogue measures by risk) decided
//	                      within the measure's days (82% approved); a
//	                      follow-up 30 days after opening; closed 30–150
//	                      days after opening (risk eliminated 40%, stable
//	                      40%, …); steps not yet reached stay open on the
//	                      relay's clocks, overdue ones escalated one level
//	key households        monitored and 特困 households are marked; one
//	                      visit due a month each, 92% visited
//	pacts                 15% of the elderly living alone, started over
//	                      the year; a day row each day, 96% kept, 3% late,
//	                      1% missed and answered
//	services              one organisation per town under a town contract;
//	                      5,000 plans (cleaning, meals, care visits,
//	                      tutoring) and their records, reviewed and settled
//	                      for the months before the last
//	volunteering          150 relays a month of 7 daily slots; 3,000
//	                      volunteers; 1–2 takes a slot, done with minutes
//	funds                 per county a budget source, per town a unit's
//	                      and a donation source: receipts quarterly,
//	                      monthly allocations to measures and households,
//	                      spending from them, within the balances
//	monitoring            200 inclusions and 150 eliminations a month,
//	                      with their steps; 30 still open at the end
//	risk colours          every monitored household: red 8%, yellow 27%,
//	                      green 65%, with a history row
//
// The generator refuses to run twice on the same database (the settings
// row activity.generated) unless Force is set.

// ActivityOptions say what to generate.
type ActivityOptions struct {
	End    time.Time // the end of the period (default: now)
	Months int       // months before End (default 12)
	Seed   uint64    // the same seed on the same register gives the same rows
	Scale  float64   // multiplies the rates (default 1)
	Force  bool      // run even if activity was generated before
	// Progress, if set, is told what is being generated.
	Progress func(step string)
}

// ActivityResult says what was generated: rows per table.
type ActivityResult struct {
	From, To time.Time
	Persons  int
	Rows     map[string]int // rows written per table
	Ended    int            // households' monitored category periods ended (风险消除)
	// What the figures should find of them:
	OpenSteps, OverdueSteps int      // open steps on the relay's clocks (visits' own excepted), and past due
	Funds                   FundSums // received, allocated and spent
	VolunteerTimes          int      // takes done
	VolunteerMinutes        int
	ServicesReviewed        int   // services accepted or rejected
	ServicesSettledFen      int64 // accepted services of the closed (approved) months
}

// activitySetting marks a database that holds generated activity.
const activitySetting = "activity.generated"

// activityZone is the local time of the generated days (China, no DST).
var activityZone = time.FixedZone("CST", 8*3600)

// ErrActivityGenerated is returned when activity was generated before.
var ErrActivityGenerated = safetynet.Conflict("activity", "该数据库已生成过活动数据（使用 --force 再次生成）",
	"activity was already generated on this database (use --force to generate again)")

type actHH struct {
	id, head                     int64
	place, village, town, county string
	cats                         uint32
}

type actUser struct {
	id                  int64
	name, role, display string
}

// The categories the generator looks at, as bits of actHH.cats.
var actCats = []string{"dibao", "tekun", "monitor_marginal", "monitor_unstable", "monitor_sudden", "elderly_alone",
	"disabled", "serious_illness", "left_behind_child", "left_behind_elderly", "single_parent", "risk", "grandparent_headed"}

func actBit(cat string) uint32 {
	for i, c := range actCats {
		if c == cat {
			return 1 << i
		}
	}
	return 0
}

const actMonitored = 1<<2 | 1<<3 | 1<<4

// actGen holds the generation's state: the register read once, the
// buffers of rows to write, the next IDs.
type actGen struct {
	s        *Store
	t        *tx
	ctx      context.Context
	opt      ActivityOptions
	from, to time.Time
	now      time.Time
	scale    float64
	hhs      []actHH
	byID     map[int64]int
	level    map[string]string
	parent   map[string]string
	names    map[string]string
	users    map[string][]actUser // by place code
	rows     map[string]int
	bufs     map[string]*actBuf
	next     map[string]int64   // SQLite: the last ID given per table
	reserved map[string][]int64 // PostgreSQL: IDs reserved and not yet given
	tag      string
	// While holding, rows are kept aside in held and written by release:
	// a child row may be made before the parent row it refers to.
	holding bool
	held    []actRow
	ended   int // category periods ended by eliminations
	res     *ActivityResult
	pwHash  string // of the stewards created, a random password nobody knows
}

type actRow struct {
	table string
	row   []any
}

// hold keeps the rows added from now on aside until release.
func (g *actGen) hold() { g.holding = true }

// release adds the rows held, in the order they were made.
func (g *actGen) release() error {
	g.holding = false
	held := g.held
	g.held = nil
	for _, x := range held {
		if err := g.add(x.table, x.row...); err != nil {
			return err
		}
	}
	return nil
}

type actBuf struct {
	cols []string
	rows [][]any
}

var actCols = map[string][]string{
	"users": {"id", "username", "display_name", "role", "place_code", "password_hash", "must_change_password", "created_at",
		"updated_at"},
	"clues": {"id", "client_id", "source", "reporter_id", "reporter_name", "household_id", "person_id", "subject_name", "place_code",
		"village_code", "kinds", "urgency", "note", "reported_at", "received_at", "status", "acknowledged_at", "acknowledged_by",
		"verified_at", "verified_by", "closed_at", "case_id", "updated_at"},
	"verifications": {"clue_id", "visited_at", "user_id", "username", "checklist", "risks", "decision", "note"},
	"cases": {"id", "clue_id", "household_id", "place_code", "village_code", "urgency", "risk_types", "status", "opened_at", "opened_by",
		"first_help_at", "closed_at", "closed_by", "outcome", "close_note", "updated_at"},
	"case_measures": {"id", "case_id", "kind", "measure", "description", "provider", "amount_fen", "period_start", "period_end", "status",
		"approval_level", "done_at", "created_at", "created_by", "decided_at", "decided_by", "reason"},
	"followups": {"id", "case_id", "due_date", "done_at", "done_by", "note", "created_by", "created_at"},
	"deadlines": {"kind", "clue_id", "case_id", "item_id", "place_code", "level", "owner_place", "due_at", "interval_ms", "escalations",
		"status", "created_at", "done_at"},
	"notifications": {"user_id", "created_at", "kind", "detail", "link", "clue_id", "case_id", "read_at"},
	"work_events":   {"at", "clue_id", "case_id", "household_id", "place_code", "kind", "detail", "user_id", "username"},
	"visit_marks":   {"household_id", "place_code", "note", "marked_by", "marked_at"},
	"visit_pairs":   {"household_id", "place_code", "level", "user_id", "name", "created_by", "created_at"},
	"visit_due": {"id", "household_id", "place_code", "need", "due_date", "due_at", "status", "batch", "created_at", "done_at",
		"visit_id"},
	"visit_records": {"id", "client_id", "household_id", "place_code", "due_id", "kind", "result", "note", "checklist", "made_at",
		"made_date", "visitor_id", "visitor_name", "visitor_level", "created_at"},
	"visit_last": {"household_id", "need", "last_date"},
	"pacts": {"id", "person_id", "place_code", "steward_id", "deadline_min", "zone", "wait_min", "ladder", "rungs", "last_day", "status",
		"created_by", "created_at", "updated_at"},
	"pact_rungs": {"pact_id", "rung", "kind", "owner_place"},
	"pact_days": {"pact_id", "day", "place_code", "status", "due_at", "sign_at", "sign_source", "rung", "next_at", "ack_by", "ack_at",
		"finding", "finding_note", "finding_by", "finding_at"},
	"service_orgs": {"id", "name", "place_code", "contact", "status", "created_by", "created_at", "updated_at"},
	"service_contracts": {"id", "org_id", "place_code", "title", "doc_no", "starts_on", "ends_on", "budget_fen", "status", "created_by",
		"created_at", "updated_at"},
	"service_prices":   {"contract_id", "service_type", "price_fen"},
	"service_coverage": {"contract_id", "household_id", "category", "place_code"},
	"service_workers":  {"id", "org_id", "name", "kind", "certified", "status", "created_by", "created_at"},
	"service_plans": {"id", "contract_id", "household_id", "person_id", "place_code", "service_type", "frequency", "worker_id",
		"starts_on", "ends_on", "status", "created_by", "created_at", "updated_at"},
	"service_records": {"id", "client_id", "contract_id", "org_id", "plan_id", "worker_id", "household_id", "person_id", "place_code",
		"service_type", "started_at", "ended_at", "month", "confirm_kind", "price_fen", "note", "review_status", "recorded_by",
		"created_at"},
	"settlement_months": {"org_id", "month", "status"},
	"service_reviews":   {"record_id", "decision", "reason", "user_id", "reviewer", "at"},
	"settlements": {"id", "org_id", "month", "accepted", "rejected", "services_fen", "adjustments_fen", "total_fen", "approved_by",
		"approver", "approver_place", "approved_at"},
	"settlement_lines": {"settlement_id", "contract_id", "worker_id", "service_type", "price_fen", "services", "amount_fen"},
	"volunteers":       {"id", "name", "place_code", "created_at"},
	"volunteer_relays": {"id", "client_id", "title", "household_id", "person_id", "case_id", "place_code", "village_code", "short_name",
		"address", "status", "created_by", "created_at", "updated_at"},
	"volunteer_tasks": {"id", "relay_id", "position", "kind", "title", "address", "from_day", "to_day", "windows", "per_slot"},
	"volunteer_slots": {"id", "relay_id", "task_id", "village_code", "starts_at", "ends_at", "capacity", "taken", "done"},
	"volunteer_takes": {"slot_id", "seat", "volunteer_id", "relay_id", "village_code", "starts_at", "status", "minutes", "taken_at",
		"done_at"},
	"fund_sources": {"id", "client_id", "name", "kind", "donor", "place_code", "received_fen", "allocated_fen", "spent_fen", "entries",
		"created_by", "created_at"},
	"fund_entries": {"id", "client_id", "source_id", "place_code", "kind", "amount_fen", "on_date", "doc_no", "payee", "note", "target",
		"measure", "allocation_id", "user_id", "username", "display_name", "at"},
	"fund_allocations": {"entry_id", "source_id", "amount_fen", "spent_fen"},
	"fund_targets":     {"entry_id", "household_id", "person_id", "place_code", "share_fen"},
	"monitoring_processes": {"id", "kind", "household_id", "place_code", "status", "step", "category", "risk_causes", "income_fen",
		"members", "origin", "reason", "assignment_id", "proposed_at", "due_at", "ended_at", "created_by", "updated_at"},
	"monitoring_records": {"process_id", "action", "passed", "on_date", "people_count", "people", "notice_start", "notice_end",
		"notice_where", "note", "username", "at"},
	"assignments": {"id", "subject", "subject_id", "household_id", "place_code", "category", "risk_type", "start_date", "start_reason",
		"source", "created_by", "created_at"},
	"household_colours": {"household_id", "place_code", "colour", "county", "rule_version", "explain_zh", "explain_en", "since",
		"updated_at"},
	"colour_history": {"household_id", "at", "colour", "previous", "rule_version", "explain_zh", "explain_en"},
}

// actFlush is how many rows of a table are buffered before they are written.
const actFlush = 20000

func (g *actGen) add(table string, row ...any) error {
	if g.holding {
		g.held = append(g.held, actRow{table, row})
		return nil
	}
	b := g.bufs[table]
	if b == nil {
		b = &actBuf{cols: actCols[table]}
		g.bufs[table] = b
	}
	if len(row) != len(b.cols) {
		return fmt.Errorf("sqlstore: activity %s: %d values for %d columns", table, len(row), len(b.cols))
	}
	b.rows = append(b.rows, row)
	g.rows[table]++
	if len(b.rows) >= actFlush {
		return g.flushAll() // all tables, parents first
	}
	return nil
}

func (g *actGen) flush(table string) error {
	b := g.bufs[table]
	if b == nil || len(b.rows) == 0 {
		return nil
	}
	if err := g.t.insertRows(g.ctx, table, b.cols, b.rows); err != nil {
		return err
	}
	b.rows = b.rows[:0]
	return nil
}

// flushAll writes every buffer, parents before the rows that refer to them.
func (g *actGen) flushAll() error {
	order := []string{"users", "clues", "verifications", "cases", "case_measures", "followups", "deadlines", "notifications", "work_events",
		"visit_marks", "visit_pairs", "visit_records", "visit_due", "visit_last", "pacts", "pact_rungs", "pact_days",
		"service_orgs", "service_contracts", "service_prices", "service_coverage", "service_workers", "service_plans",
		"service_records", "service_reviews", "settlement_months", "settlements", "settlement_lines", "volunteers", "volunteer_relays", "volunteer_tasks", "volunteer_slots",
		"volunteer_takes", "fund_sources", "fund_entries", "fund_allocations", "fund_targets", "assignments",
		"monitoring_processes", "monitoring_records", "household_colours", "colour_history"}
	for _, table := range order {
		if err := g.flush(table); err != nil {
			return err
		}
	}
	return nil
}

// id returns a new ID of table: on SQLite the IDs after the largest (the
// transaction holds the single writer throughout); on PostgreSQL IDs
// reserved from the identity's sequence in blocks (allocIDs), which
// writers running meanwhile share safely.
func (g *actGen) id(table string) (int64, error) {
	if g.s.d.name == "postgres" {
		block := g.reserved[table]
		if len(block) == 0 {
			var err error
			if block, err = g.t.allocIDs(g.ctx, table, 5000); err != nil {
				return 0, err
			}
		}
		g.reserved[table] = block[1:]
		return block[0], nil
	}
	n, ok := g.next[table]
	if !ok {
		if err := g.t.queryRow(g.ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&n); err != nil {
			return 0, fmt.Errorf("sqlstore: activity %s IDs: %w", table, err)
		}
	}
	n++
	g.next[table] = n
	return n, nil
}

func (g *actGen) progress(step string) {
	if g.opt.Progress != nil {
		g.opt.Progress(step)
	}
}

// GenerateActivity fills the months before opt.End with activity on the
// register (see the rates above).
func (s *Store) GenerateActivity(ctx context.Context, opt ActivityOptions) (ActivityResult, error) {
	if opt.Months == 0 {
		opt.Months = 12
	}
	if opt.Months < 1 || opt.Months > 60 {
		return ActivityResult{}, safetynet.Invalid("months", "月数应在1至60之间", "months must be from 1 to 60")
	}
	if opt.Scale == 0 {
		opt.Scale = 1
	}
	if opt.Scale < 0 || opt.Scale > 100 {
		return ActivityResult{}, safetynet.Invalid("scale", "倍数应在0至100之间", "scale must be from 0 to 100")
	}
	now := s.now()
	if opt.End.IsZero() {
		opt.End = now
	}
	if opt.End.After(now) {
		return ActivityResult{}, safetynet.Invalid("end", "结束时间不能晚于现在", "the end cannot be in the future")
	}
	res := ActivityResult{To: opt.End, From: opt.End.AddDate(0, -opt.Months, 0)}
	err := s.write(ctx, func(t *tx) error {
		var done string
		err := t.queryRow(ctx, `SELECT value FROM settings WHERE name = ?`, activitySetting).Scan(&done)
		if err == nil && !opt.Force {
			return ErrActivityGenerated
		}
		g := &actGen{s: s, t: t, ctx: ctx, opt: opt, from: res.From, to: res.To, now: opt.End, rows: map[string]int{}, res: &res,
			bufs: map[string]*actBuf{}, next: map[string]int64{},
			reserved: map[string][]int64{}, tag: fmt.Sprintf("act%d-%d", opt.Seed, opt.End.Unix())}
		if err := g.load(); err != nil {
			return err
		}
		if len(g.hhs) == 0 {
			return safetynet.Invalid("register", "台账中没有家庭", "the register has no households")
		}
		var persons int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM persons WHERE status = 'active'`).Scan(&persons); err != nil {
			return fmt.Errorf("sqlstore: activity: %w", err)
		}
		res.Persons = persons
		g.scale = float64(persons) / 1e6 * opt.Scale
		for _, step := range []struct {
			name string
			fn   func(*rand.Rand) error
		}{{"relay", g.relay}, {"visits", g.visits}, {"pacts", g.pacts}, {"services", g.services},
			{"volunteering", g.volunteering}, {"funds", g.funds}, {"monitoring", g.monitoring}} {
			g.progress(step.name)
			r := rand.New(rand.NewPCG(opt.Seed, uint64(len(step.name))*7919+uint64(step.name[0])))
			if err := step.fn(r); err != nil {
				return err
			}
			if err := g.flushAll(); err != nil {
				return err
			}
		}
		g.progress("colours")
		if err := g.colours(rand.New(rand.NewPCG(opt.Seed, 99))); err != nil {
			return err
		}
		if err := g.flushAll(); err != nil {
			return err
		}
		res.Rows, res.Ended = g.rows, g.ended
		mark, _ := json.Marshal(map[string]any{"from": dateStr(res.From.In(activityZone)), "to": dateStr(res.To.In(activityZone)),
			"seed": opt.Seed, "scale": opt.Scale, "at": ms(now)})
		if _, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
			activitySetting, string(mark)); err != nil {
			return fmt.Errorf("sqlstore: activity mark: %w", err)
		}
		total := 0
		for _, n := range g.rows {
			total += n
		}
		return s.audit(ctx, t, access.System(), auditRec{action: "activity.generate", objType: "activity", objID: g.tag,
			place: safetynet.RootPlaceCode, detail: map[string]any{"months": opt.Months, "seed": opt.Seed, "rows": total}})
	})
	if err != nil {
		return ActivityResult{}, err
	}
	// The planners' statistics of the tables written (the register's own
	// are left as they were).
	for table := range res.Rows {
		if _, err := s.w.ExecContext(ctx, `ANALYZE `+table); err != nil {
			return res, fmt.Errorf("sqlstore: analyze %s: %w", table, err)
		}
	}
	return res, nil
}

// load reads the register: places, users, households and their active
// categories.
func (g *actGen) load() error {
	ctx, t := g.ctx, g.t
	g.level, g.parent, g.names = map[string]string{}, map[string]string{}, map[string]string{}
	rows, err := t.query(ctx, `SELECT code, level, COALESCE(parent_code, ''), name FROM places`)
	if err != nil {
		return fmt.Errorf("sqlstore: activity places: %w", err)
	}
	for rows.Next() {
		var code, level, parent, name string
		if err := rows.Scan(&code, &level, &parent, &name); err != nil {
			rows.Close()
			return err
		}
		g.level[code], g.parent[code], g.names[code] = level, parent, name
	}
	rows.Close()
	g.users = map[string][]actUser{}
	rows, err = t.query(ctx, `SELECT id, username, role, place_code, COALESCE(NULLIF(display_name, ''), username) FROM users
		WHERE disabled = 0 ORDER BY id`)
	if err != nil {
		return fmt.Errorf("sqlstore: activity users: %w", err)
	}
	for rows.Next() {
		var u actUser
		var place string
		if err := rows.Scan(&u.id, &u.name, &u.role, &place, &u.display); err != nil {
			rows.Close()
			return err
		}
		g.users[place] = append(g.users[place], u)
	}
	rows.Close()
	g.byID = map[int64]int{}
	rows, err = t.query(ctx, `SELECT id, head_person_id, place_code FROM households WHERE status = 'active' ORDER BY id`)
	if err != nil {
		return fmt.Errorf("sqlstore: activity households: %w", err)
	}
	for rows.Next() {
		var h actHH
		if err := rows.Scan(&h.id, &h.head, &h.place); err != nil {
			rows.Close()
			return err
		}
		h.village, h.town, h.county = g.up(h.place, "village"), g.up(h.place, "town"), g.up(h.place, "county")
		if h.village == "" || h.town == "" || h.county == "" || h.head == 0 {
			continue // outside a county's villages, or no head: left out
		}
		g.byID[h.id] = len(g.hhs)
		g.hhs = append(g.hhs, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = t.query(ctx, `SELECT household_id, category FROM assignments WHERE end_date = ''`)
	if err != nil {
		return fmt.Errorf("sqlstore: activity categories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var cat string
		if err := rows.Scan(&id, &cat); err != nil {
			return err
		}
		if i, ok := g.byID[id]; ok {
			g.hhs[i].cats |= actBit(cat)
		}
	}
	return rows.Err()
}

// up returns the ancestor of code (or code itself) at level, or "".
func (g *actGen) up(code, level string) string {
	for i := 0; code != "" && i < 12; i++ {
		if g.level[code] == level {
			return code
		}
		code = g.parent[code]
	}
	return ""
}

// userFor returns the nearest user answering for place: one of role at
// the place or above, else any user up the tree, else the first user.
func (g *actGen) userFor(place string, roles ...string) actUser {
	for code := place; code != ""; code = g.parent[code] {
		for _, u := range g.users[code] {
			for _, r := range roles {
				if u.role == r {
					return u
				}
			}
		}
	}
	for code := place; code != ""; code = g.parent[code] {
		if us := g.users[code]; len(us) > 0 {
			return us[0]
		}
	}
	best := actUser{}
	for _, us := range g.users {
		for _, u := range us {
			if best.id == 0 || u.id < best.id {
				best = u
			}
		}
	}
	return best
}

// count is a monthly rate scaled to the register, drawn around its mean.
func (g *actGen) count(r *rand.Rand, perMillion float64) int {
	mean := perMillion * g.scale
	n := int(mean*(0.85+0.3*r.Float64()) + r.Float64())
	return max(n, 0)
}

// months are the generated months: their starts, the last cut at the end.
func (g *actGen) months() [][2]time.Time {
	var out [][2]time.Time
	for m := g.from; m.Before(g.to); m = m.AddDate(0, 1, 0) {
		out = append(out, [2]time.Time{m, minTime(m.AddDate(0, 1, 0), g.to)})
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// at returns a working-hours time within [from, to): a random day, 8:00–19:59 local.
func actAt(r *rand.Rand, from, to time.Time) time.Time {
	span := to.Sub(from)
	if span <= 0 {
		return from
	}
	x := from.Add(time.Duration(r.Int64N(int64(span)))).In(activityZone)
	day := time.Date(x.Year(), x.Month(), x.Day(), 8, 0, 0, 0, activityZone)
	y := day.Add(time.Duration(r.Int64N(int64(12 * time.Hour))))
	if y.Before(from) || !y.Before(to) {
		return x
	}
	return y
}

// actWork moves t forward into working hours (8:00–19:59 local): office
// work — decisions, follow-ups, closings — is not done at night.
func actWork(r *rand.Rand, t time.Time) time.Time {
	x := t.In(activityZone)
	day := time.Date(x.Year(), x.Month(), x.Day(), 8, 0, 0, 0, activityZone)
	switch {
	case x.Hour() < 8:
		return day.Add(between(r, 0, 2*time.Hour))
	case x.Hour() >= 20:
		return day.AddDate(0, 0, 1).Add(between(r, 0, 2*time.Hour))
	}
	return t
}

func actDay(t time.Time) string { return t.In(activityZone).Format(dateLayout) }

// actJSON is the JSON of a work event's or notice's detail.
func actJSON(m map[string]any) string {
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// weighted picks a code by weights.
func weighted(r *rand.Rand, codes []string, weights []int) string {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	x := r.IntN(sum)
	for i, w := range weights {
		if x < w {
			return codes[i]
		}
		x -= w
	}
	return codes[len(codes)-1]
}

func between(r *rand.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(r.Int64N(int64(hi-lo)))
}

// pickHH draws a household: with probability p one holding any of mask.
func (g *actGen) pickHH(r *rand.Rand, pool []int, p float64) actHH {
	if len(pool) > 0 && r.Float64() < p {
		return g.hhs[pool[r.IntN(len(pool))]]
	}
	return g.hhs[r.IntN(len(g.hhs))]
}

func (g *actGen) pool(mask uint32) []int {
	var out []int
	for i, h := range g.hhs {
		if h.cats&mask != 0 {
			out = append(out, i)
		}
	}
	return out
}

type actMeasure struct {
	code, level, unit string
	days              int
	amount            int64
	countyAbove       int64 // decided by the county above this amount
}

// actMeasures are the catalogue's measures with typical amounts (fen).
var actMeasures = []actMeasure{
	{"dibao", "county", "month", 20, 45000, 0}, {"tekun", "county", "month", 20, 80000, 0}, {"temporary", "town", "once", 5, 200000, 500000},
	{"medical", "county", "once", 10, 800000, 0}, {"insurance", "town", "year", 10, 12900, 0}, {"disability", "county", "month", 15, 9000, 0},
	{"yulu", "county", "year", 15, 300000, 0}, {"microcredit", "county", "once", 15, 5000000, 0}, {"public_job", "town", "month", 10, 80000, 0},
	{"housing_repair", "town", "once", 15, 2500000, 3000000}, {"service", "village", "month", 5, 20000, 0},
}

// measuresFor are the measures an application of a risk may ask for.
var measuresFor = map[string][]int{
	"illness": {3, 2, 4, 0}, "disability": {5, 0, 10}, "schooling": {6, 2}, "disaster": {2, 9}, "accident": {2, 3},
	"business": {7, 2}, "employment": {8, 2}, "labour": {0, 10, 8}, "housing": {9, 2}, "water": {2}, "other": {2, 0},
}

var clueRisk = map[string]string{"fall": "accident", "illness": "illness", "death": "other", "house_damage": "housing",
	"power_water": "water", "no_food": "other", "income_loss": "employment", "dropout": "schooling", "disaster": "disaster",
	"dispute": "other", "other": "other"}

// deadline adds a step: done at doneAt (0: still open; overdue ones were
// moved one level up).
func (g *actGen) deadline(kind string, clue, kase, item int64, h actHH, created, due time.Time, doneAt time.Time) error {
	return g.deadlineAt("village", kind, clue, kase, item, h, created, due, doneAt)
}

// deadlineAt adds a step owned first at level (village, town or county).
func (g *actGen) deadlineAt(level, kind string, clue, kase, item int64, h actHH, created, due time.Time, doneAt time.Time) error {
	owners := map[string]string{"village": h.village, "town": h.town, "county": h.county}
	owner, esc := owners[level], 0
	status, done := "open", int64(0)
	if !doneAt.IsZero() {
		status, done = "done", ms(doneAt)
	} else if next, ok := relay.NextLevel(safetynet.Level(level)); ok && due.Before(g.now) {
		// Escalated once by the sweep, with a new deadline of the same length.
		level, owner, esc = string(next), owners[string(next)], 1
		due = due.Add(due.Sub(created))
		if err := g.add("work_events", ms(due.Add(-due.Sub(created)/2)), clue, kase, h.id, h.place, "escalated",
			actJSON(map[string]any{"level": level, "step": kind}), 0, "system"); err != nil {
			return err
		}
	}
	if status == "open" && kind != "visit.due" {
		g.res.OpenSteps++
		if !due.After(g.now) {
			g.res.OverdueSteps++
		}
	}
	return g.add("deadlines", kind, clue, kase, item, h.place, level, owner, ms(due), due.Sub(created).Milliseconds(), esc, status,
		ms(created), done)
}

func (g *actGen) notify(place, role, kind string, at time.Time, detail, link string, clue, kase int64, r *rand.Rand) error {
	for _, u := range g.users[place] {
		if u.role != role {
			continue
		}
		read := int64(0)
		if at.Add(48 * time.Hour).Before(g.now) {
			read = ms(at.Add(between(r, time.Minute, 36*time.Hour)))
		}
		if err := g.add("notifications", u.id, ms(at), kind, detail, link, clue, kase, read); err != nil {
			return err
		}
	}
	return nil
}

func (g *actGen) relay(r *rand.Rand) error {
	pool := g.pool(^uint32(0))
	sources := []string{"grid", "self", "hotline", "visit", "department"}
	sourceW := []int{38, 20, 15, 14, 13}
	kinds := []string{"fall", "illness", "death", "house_damage", "power_water", "no_food", "income_loss", "dropout", "disaster", "dispute", "other"}
	kindW := []int{12, 30, 6, 10, 5, 6, 14, 4, 5, 4, 4}
	outcomes := []string{"risk_eliminated", "stable", "moved_away", "deceased", "transferred", "other"}
	outcomeW := []int{40, 40, 5, 5, 5, 5}
	checkItems := []string{"food", "clothing", "schooling", "medical", "housing", "water", "income", "labour"}
	for _, m := range g.months() {
		n := g.count(r, 3000)
		for range n {
			h := g.pickHH(r, pool, 0.7)
			reported := actAt(r, m[0], m[1])
			received := reported.Add(between(r, 0, 5*time.Minute))
			if !received.Before(g.now) {
				received = reported
			}
			source := weighted(r, sources, sourceW)
			kind := weighted(r, kinds, kindW)
			urgency := "normal"
			if r.IntN(100) < 20 {
				urgency = "urgent"
			}
			reporter := g.userFor(h.place, "grid_worker", "village_staff")
			clueID, err := g.id("clues")
			if err != nil {
				return err
			}
			ackAfter, ackLimit := between(r, 10*time.Minute, 8*time.Hour), 24*time.Hour
			verAfter, verLimit := between(r, 2*time.Hour, 72*time.Hour), 72*time.Hour
			if urgency == "urgent" {
				ackAfter, ackLimit = between(r, 5*time.Minute, time.Hour), 2*time.Hour
				verAfter, verLimit = between(r, time.Hour, 24*time.Hour), 24*time.Hour
			}
			acked, verified := reported.Add(ackAfter), reported.Add(ackAfter+verAfter)
			staff := g.userFor(h.village, "village_staff", "grid_worker")
			status, ackAt, verAt, closedAt, caseID := relay.ClueReported, int64(0), int64(0), int64(0), int64(0)
			ackBy, verBy := "", ""
			isCase := r.IntN(100) < 62 || (urgency == "urgent" && r.IntN(100) < 85)
			var caseRow []any
			g.hold() // the clue's verification and its case's measures refer to rows added after them
			detail := actJSON(map[string]any{"kinds": []string{kind}, "urgency": urgency, "source": source, "name": ""})
			if err := g.add("work_events", ms(reported), clueID, 0, h.id, h.place, "clue.report", detail, reporter.id, reporter.name); err != nil {
				return err
			}
			if err := g.notify(h.village, "village_staff", relay.NoticeClueNew, received, detail, relay.ClueLink(clueID), clueID, 0, r); err != nil {
				return err
			}
			if acked.Before(g.now) {
				status, ackAt, ackBy = relay.ClueAcknowledged, ms(acked), staff.name
				if err := g.deadline(relay.StepAcknowledge, clueID, 0, 0, h, received, received.Add(ackLimit), acked); err != nil {
					return err
				}
				if err := g.add("work_events", ms(acked), clueID, 0, h.id, h.place, "clue.acknowledge", "{}", staff.id, staff.name); err != nil {
					return err
				}
				if verified.Before(g.now) {
					verAt, verBy = ms(verified), staff.name
					if err := g.deadline(relay.StepVerify, clueID, 0, 0, h, acked, acked.Add(verLimit), verified); err != nil {
						return err
					}
					check := map[string]string{}
					risk := clueRisk[kind]
					for _, it := range checkItems {
						check[it] = "ok"
					}
					decision, risks, problems := "no_action", "", []string{}
					if isCase {
						decision, risks = "open_case", risk
						if urgency == "urgent" {
							decision = "emergency"
						}
						problem := pick(r, []string{"food", "medical", "housing", "income"})
						check[problem], problems = "problem", []string{problem}
					}
					cj, _ := json.Marshal(check)
					if err := g.add("verifications", clueID, verAt, staff.id, staff.name, string(cj), risks, decision, ""); err != nil {
						return err
					}
					if err := g.add("work_events", verAt, clueID, 0, h.id, h.place, "clue.verify",
						actJSON(map[string]any{"decision": decision, "risks": strings.Split(risks, ",")[:boolInt(risks != "")], "problems": problems}),
						staff.id, staff.name); err != nil {
						return err
					}
					if !isCase {
						status, closedAt = relay.ClueClosed, verAt
					} else {
						status = relay.ClueCase
						if caseID, caseRow, err = g.relayCase(r, h, clueID, urgency, risk, verified, staff, outcomes, outcomeW); err != nil {
							return err
						}
					}
				} else if err := g.deadline(relay.StepVerify, clueID, 0, 0, h, acked, acked.Add(verLimit), time.Time{}); err != nil {
					return err
				}
			} else if err := g.deadline(relay.StepAcknowledge, clueID, 0, 0, h, received, received.Add(ackLimit), time.Time{}); err != nil {
				return err
			}
			updated := max(ms(received), ackAt, verAt)
			held := g.held
			g.holding, g.held = false, nil
			if err := g.add("clues", clueID, fmt.Sprintf("%s-c%d", g.tag, clueID), source, reporter.id, reporter.name, h.id, h.head, "",
				h.place, h.village, kind, urgency, "", ms(reported), ms(received), status, ackAt, ackBy, verAt, verBy, closedAt, caseID,
				updated); err != nil {
				return err
			}
			if caseRow != nil {
				if err := g.add("cases", caseRow...); err != nil {
					return err
				}
			}
			g.hold()
			g.held = held
			if err := g.release(); err != nil {
				return err
			}
		}
	}
	return nil
}

// relayCase makes the case of a verified clue with its measures, its
// follow-up and its steps; the case row is returned to be written after
// its clue.
func (g *actGen) relayCase(r *rand.Rand, h actHH, clueID int64, urgency, risk string, opened time.Time, staff actUser,
	outcomes []string, outcomeW []int) (int64, []any, error) {
	caseID, err := g.id("cases")
	if err != nil {
		return 0, nil, err
	}
	detail := actJSON(map[string]any{"risks": []string{risk}, "urgency": urgency, "note": ""})
	if err := g.add("work_events", ms(opened), clueID, caseID, h.id, h.place, "case.open", detail, staff.id, staff.name); err != nil {
		return 0, nil, err
	}
	if err := g.notify(h.village, "village_staff", relay.NoticeCaseOpen, opened, detail,
		relay.CaseLink(caseID), 0, caseID, r); err != nil {
		return 0, nil, err
	}
	var firstHelp time.Time
	pending := false
	if urgency == "urgent" {
		done := opened.Add(between(r, 30*time.Minute, 6*time.Hour))
		if done.Before(g.now) {
			firstHelp = done
			mid, err := g.id("case_measures")
			if err != nil {
				return 0, nil, err
			}
			what := pick(r, []string{"送医就诊", "送米面油", "临时安置", "紧急维修"})
			if err := g.add("case_measures", mid, caseID, "emergency", "", what, "村委会", int64(r.IntN(50)+5)*1000, "", "", "done", "",
				ms(done), ms(done), staff.name, 0, "", ""); err != nil {
				return 0, nil, err
			}
			if err := g.add("work_events", ms(done), clueID, caseID, h.id, h.place, "case.emergency",
				actJSON(map[string]any{"description": what, "provider": "村委会"}), staff.id, staff.name); err != nil {
				return 0, nil, err
			}
		}
	}
	apps := 1 + r.IntN(2)
	choices := measuresFor[risk]
	used := map[int]bool{}
	for range apps {
		mi := choices[r.IntN(len(choices))]
		if used[mi] {
			continue
		}
		used[mi] = true
		m := actMeasures[mi]
		created := opened.Add(between(r, time.Hour, 72*time.Hour))
		if !created.Before(g.now) {
			continue
		}
		mid, err := g.id("case_measures")
		if err != nil {
			return 0, nil, err
		}
		limit := time.Duration(m.days) * 24 * time.Hour
		decided := actWork(r, created.Add(time.Duration(float64(limit)*(0.2+1.0*r.Float64()))))
		amount := m.amount / 2 * int64(2+r.IntN(3))
		status, decAt, decBy, reason, pStart, pEnd := relay.ApplicationApplied, int64(0), "", "", "", ""
		level := m.level
		if m.countyAbove > 0 && amount > m.countyAbove {
			level = "county"
		}
		approver := g.userFor(h.town, "town_officer", "county_officer")
		switch level {
		case "county":
			approver = g.userFor(h.county, "county_officer")
		case "village":
			approver = g.userFor(h.village, "village_staff", "town_officer")
		}
		if decided.Before(g.now) {
			decAt, decBy = ms(decided), approver.name
			if r.IntN(100) < 82 {
				status = relay.ApplicationApproved
				if firstHelp.IsZero() || decided.Before(firstHelp) {
					firstHelp = decided
				}
				if m.unit == "month" || m.unit == "year" {
					d := decided.In(activityZone)
					pStart, pEnd = actDay(d), actDay(d.AddDate(1, 0, -1))
				}
			} else {
				status, reason = relay.ApplicationRejected, "经核查不符合条件"
			}
			if err := g.deadlineAt(level, relay.StepDecide, clueID, caseID, mid, h, created, created.Add(limit), decided); err != nil {
				return 0, nil, err
			}
		} else {
			pending = true
			if err := g.deadlineAt(level, relay.StepDecide, clueID, caseID, mid, h, created, created.Add(limit), time.Time{}); err != nil {
				return 0, nil, err
			}
		}
		if err := g.add("case_measures", mid, caseID, "application", m.code, "", "", amount, pStart, pEnd, status, level, 0,
			ms(created), staff.name, decAt, decBy, reason); err != nil {
			return 0, nil, err
		}
		if err := g.add("work_events", ms(created), clueID, caseID, h.id, h.place, "measure.apply",
			actJSON(map[string]any{"measure": m.code, "amount": amount, "level": level}),
			staff.id, staff.name); err != nil {
			return 0, nil, err
		}
		if decAt != 0 {
			if err := g.add("work_events", decAt, clueID, caseID, h.id, h.place, "measure."+status,
				actJSON(map[string]any{"measure": m.code, "amount": amount, "status": status, "reason": reason, "item": mid}),
				approver.id, approver.name); err != nil {
				return 0, nil, err
			}
		}
	}
	helpLimit := 72 * time.Hour
	if urgency == "urgent" {
		helpLimit = 24 * time.Hour
	}
	if err := g.deadline(relay.StepHelp, clueID, caseID, 0, h, opened, opened.Add(helpLimit), firstHelp); err != nil {
		return 0, nil, err
	}
	// The follow-up visit, 30 days after opening.
	fid, err := g.id("followups")
	if err != nil {
		return 0, nil, err
	}
	due := opened.In(activityZone).AddDate(0, 0, 30)
	fDone := actWork(r, due.Add(between(r, -72*time.Hour, 48*time.Hour)))
	var fDoneAt time.Time
	doneBy := ""
	if fDone.Before(g.now) && r.IntN(100) < 93 {
		fDoneAt, doneBy = fDone, staff.name
	}
	note := ""
	if doneBy != "" {
		note = pick(r, []string{"生活已恢复正常", "措施已落实，情况稳定", "仍需继续关注"})
	}
	if err := g.add("followups", fid, caseID, actDay(due), ms(fDoneAt), doneBy, note, staff.name, ms(opened)); err != nil {
		return 0, nil, err
	}
	if err := g.add("work_events", ms(opened), clueID, caseID, h.id, h.place, "followup.schedule",
		actJSON(map[string]any{"due": actDay(due), "item": fid}), staff.id, staff.name); err != nil {
		return 0, nil, err
	}
	if doneBy != "" {
		if err := g.add("work_events", ms(fDoneAt), clueID, caseID, h.id, h.place, "followup.done",
			actJSON(map[string]any{"note": note, "item": fid}), staff.id, staff.name); err != nil {
			return 0, nil, err
		}
	}
	if err := g.deadline(relay.StepFollowup, clueID, caseID, fid, h, opened, due.Add(24*time.Hour), fDoneAt); err != nil {
		return 0, nil, err
	}
	status, closedAt, closedBy, outcome := "open", time.Time{}, "", ""
	if c := actWork(r, opened.Add(between(r, 30*24*time.Hour, 150*24*time.Hour))); c.Before(g.now) && !pending && !fDoneAt.IsZero() {
		if !firstHelp.IsZero() && c.Before(firstHelp) {
			c = firstHelp.Add(time.Hour)
		}
		if c.Before(g.now) {
			status, closedAt, closedBy, outcome = "closed", c, staff.name, weighted(r, outcomes, outcomeW)
			if err := g.add("work_events", ms(c), clueID, caseID, h.id, h.place, "case.close", actJSON(map[string]any{"outcome": outcome, "note": ""}),
				staff.id, staff.name); err != nil {
				return 0, nil, err
			}
		}
	}
	updated := max(ms(opened), ms(firstHelp), ms(closedAt))
	return caseID, []any{caseID, clueID, h.id, h.place, h.village, urgency, risk, status, ms(opened), staff.name, ms(firstHelp),
		ms(closedAt), closedBy, outcome, "", updated}, nil
}

// visits: the key households (monitored and 特困) marked, paired with
// their village cadre, one visit due a month, 92% visited in the month.
func (g *actGen) visits(r *rand.Rand) error {
	var marked []actHH
	have, err := g.idSet(`SELECT household_id FROM visit_marks`)
	if err != nil {
		return fmt.Errorf("sqlstore: activity marks: %w", err)
	}
	// Households with an open planned due already (the demo's own plan)
	// keep it: this generator gives them no open due of its own.
	open, err := g.idSet(`SELECT DISTINCT household_id FROM visit_due WHERE status = 'open' AND trigger_code = ''`)
	if err != nil {
		return fmt.Errorf("sqlstore: activity dues: %w", err)
	}
	for _, h := range g.hhs {
		if h.cats&(actMonitored|actBit("tekun")) != 0 && !have[h.id] {
			marked = append(marked, h)
		}
	}
	start := g.from
	for _, h := range marked {
		cadre := g.userFor(h.village, "village_staff", "grid_worker")
		if err := g.add("visit_marks", h.id, h.place, "重点家庭（监测户、特困户）", cadre.name, ms(start)); err != nil {
			return err
		}
		if err := g.add("visit_pairs", h.id, h.place, "village", cadre.id, cadre.name, cadre.name, ms(start)); err != nil {
			return err
		}
	}
	// A due visit stays open until a visit answers it (the plan makes no
	// second one meanwhile): a month without a visit leaves it open, and
	// the next month's visit closes it late.
	type dueRow struct {
		id, created int64
		day         string
		at          time.Time
	}
	months := g.months()
	last := map[int64]string{}
	lastHome := map[int64]string{}
	pending := map[int64]dueRow{}
	for _, m := range months {
		for _, h := range marked {
			d, ok := pending[h.id]
			if !ok {
				due := m[1].Add(-time.Nanosecond).In(activityZone)
				dueDay := time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, activityZone)
				id, err := g.id("visit_due")
				if err != nil {
					return err
				}
				d = dueRow{id: id, created: ms(m[0]), day: actDay(dueDay), at: dueDay.Add(24*time.Hour - time.Millisecond)}
				pending[h.id] = d
			}
			madeAt := actAt(r, m[0], m[1])
			if r.IntN(100) >= 92 || madeAt.After(g.now.Add(-time.Hour)) {
				continue
			}
			vid, err := g.id("visit_records")
			if err != nil {
				return err
			}
			delete(pending, h.id)
			if err := g.add("visit_due", d.id, h.id, h.place, "any", d.day, ms(d.at), "done", g.tag, d.created, ms(madeAt), vid); err != nil {
				return err
			}
			cadre := g.userFor(h.village, "village_staff", "grid_worker")
			kind := weighted(r, []string{"home", "call", "passing"}, []int{70, 20, 10})
			result := "fine"
			if r.IntN(100) < 6 {
				result = "not_fine"
			}
			day := actDay(madeAt)
			if err := g.add("visit_records", vid, fmt.Sprintf("%s-v%d", g.tag, vid), h.id, h.place, d.id, kind, result, "", "",
				ms(madeAt), day, cadre.id, cadre.name, "village", ms(madeAt)); err != nil {
				return err
			}
			last[h.id] = day
			if kind == "home" {
				lastHome[h.id] = day
			}
		}
	}
	// The dues still open at the end, with their steps on the relay's clocks
	// (a household with an open planned due of its own keeps that one).
	for _, h := range marked {
		d, ok := pending[h.id]
		if !ok {
			continue
		}
		status := "open"
		if open[h.id] {
			status = "cancelled"
		}
		if err := g.add("visit_due", d.id, h.id, h.place, "any", d.day, ms(d.at), status, g.tag, d.created, 0, 0); err != nil {
			return err
		}
		if status == "open" {
			if err := g.deadline("visit.due", 0, 0, d.id, h, time.UnixMilli(d.created), d.at, time.Time{}); err != nil {
				return err
			}
		}
	}
	ids := make([]int64, 0, len(last))
	for id := range last {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	// visit_last is upserted (a household of the demo may have a row
	// already), 500 rows a statement.
	var args []any
	upsert := func() error {
		if len(args) == 0 {
			return nil
		}
		q := `INSERT INTO visit_last (household_id, need, last_date) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(args)/3), ", ") +
			` ON CONFLICT (household_id, need) DO UPDATE SET last_date = excluded.last_date WHERE excluded.last_date > visit_last.last_date`
		if _, err := g.t.exec(g.ctx, q, args...); err != nil {
			return fmt.Errorf("sqlstore: activity visit_last: %w", err)
		}
		args = args[:0]
		return nil
	}
	for _, id := range ids {
		for _, need := range []string{"any", "home"} {
			day := last[id]
			if need == "home" {
				day = lastHome[id]
			}
			if day == "" {
				continue
			}
			args = append(args, id, need, day)
			g.rows["visit_last"]++
			if len(args) == 1500 {
				if err := upsert(); err != nil {
					return err
				}
			}
		}
	}
	if err := upsert(); err != nil {
		return err
	}
	return nil
}

// pacts: 15% of the elderly living alone, started over the year, with a
// row for every day since.
func (g *actGen) pacts(r *rand.Rand) error {
	alone := actBit("elderly_alone")
	taken, err := g.idSet(`SELECT person_id FROM pacts WHERE status = 'active'`)
	if err != nil {
		return fmt.Errorf("sqlstore: activity pacts: %w", err)
	}
	today := actDay(g.now)
	ladder := []string{"steward", "grid", "village", "town"}
	for _, h := range g.hhs {
		if h.cats&alone == 0 || taken[h.head] || r.IntN(100) >= 15 {
			continue
		}
		taken[h.head] = true
		steward, err := g.steward(h)
		if err != nil {
			return err
		}
		pid, err := g.id("pacts")
		if err != nil {
			return err
		}
		start := g.from.Add(time.Duration(r.Int64N(int64(g.to.Sub(g.from)) * 3 / 4)))
		startDay := start.In(activityZone)
		startDay = time.Date(startDay.Year(), startDay.Month(), startDay.Day(), 0, 0, 0, 0, activityZone)
		deadline := 8 * 60
		lastDay := ""
		g.hold() // the days are written after their pact
		for d := startDay.AddDate(0, 0, 1); ; d = d.AddDate(0, 0, 1) {
			due := d.Add(time.Duration(deadline) * time.Minute)
			if !due.Before(g.now) {
				break
			}
			day := actDay(d)
			lastDay = day
			x := r.IntN(1000)
			if due.After(g.now.Add(-3 * time.Hour)) {
				x = 0 // a day just past its deadline: signed in time (no alert still running)
			}
			status, signAt, source, rung, nextAt, ackBy, ackAt := "kept", int64(0), "", -1, int64(0), int64(0), int64(0)
			finding, findingAt, findingBy := "", int64(0), int64(0)
			switch {
			case x < 960:
				signAt = ms(d.Add(time.Duration(6*60+r.IntN(deadline-6*60)) * time.Minute))
				source = weighted(r, []string{"self", "round", "device"}, []int{60, 30, 10})
			case x < 990:
				status, rung = "late", 0
				signAt = ms(due.Add(between(r, 5*time.Minute, 50*time.Minute)))
				source = "self"
			default:
				status, rung = "resolved", 1
				ackBy, ackAt = steward.id, ms(due.Add(between(r, 10*time.Minute, 90*time.Minute)))
				finding, findingBy = weighted(r, []string{"fine", "absent", "hospital", "help"}, []int{80, 12, 5, 3}), steward.id
				findingAt = ackAt + int64(between(r, 10*time.Minute, time.Hour)/time.Millisecond)
			}
			if err := g.add("pact_days", pid, day, h.place, status, ms(due), signAt, source, rung, nextAt, ackBy, ackAt, finding, "",
				findingBy, findingAt); err != nil {
				return err
			}
		}
		if lastDay > today {
			lastDay = today
		}
		days := g.held
		g.holding, g.held = false, nil
		if err := g.add("pacts", pid, h.head, h.place, steward.id, deadline, "Asia/Shanghai", 30, strings.Join(ladder, ","), len(ladder),
			lastDay, "active", steward.name, ms(start), ms(start)); err != nil {
			return err
		}
		owners := []string{"", h.place, h.village, h.town}
		if g.level[h.place] != "grid" {
			owners[1] = h.village
		}
		for i, k := range ladder {
			if err := g.add("pact_rungs", pid, i, k, owners[i]); err != nil {
				return err
			}
		}
		g.hold()
		g.held = days
		if err := g.release(); err != nil {
			return err
		}
	}
	return nil
}

// steward returns the red steward (红管家) of a household's pact: a grid
// worker or volunteer of its place or above, else a volunteer user made
// for its village (role volunteer, a random password nobody knows and to
// be changed: an administrator resets it to hand the login over).
func (g *actGen) steward(h actHH) (actUser, error) {
	for code := h.place; code != ""; code = g.parent[code] {
		for _, u := range g.users[code] {
			if u.role == string(safetynet.RoleGridWorker) || u.role == string(safetynet.RoleVolunteer) {
				return u, nil
			}
		}
	}
	if g.pwHash == "" {
		var b [24]byte
		if _, err := crand.Read(b[:]); err != nil {
			return actUser{}, err
		}
		hash, err := auth.HashPassword(base64.RawURLEncoding.EncodeToString(b[:]), auth.DefaultParams)
		if err != nil {
			return actUser{}, err
		}
		g.pwHash = hash
	}
	id, err := g.id("users")
	if err != nil {
		return actUser{}, err
	}
	u := actUser{id: id, name: "steward-" + h.village, role: string(safetynet.RoleVolunteer), display: g.names[h.village] + "红管家"}
	if err := g.add("users", id, u.name, u.display, u.role, h.village, g.pwHash, 1, ms(g.from), ms(g.from)); err != nil {
		return actUser{}, err
	}
	g.users[h.village] = append(g.users[h.village], u)
	return u, nil
}

var actServiceTypes = []struct {
	typ, freq string
	price     int64
	perMonth  int
	mask      string
}{
	{"cleaning", "weekly", 3000, 4, "elderly_alone"},
	{"meal_delivery", "weekly", 1500, 4, "tekun"},
	{"care_visit", "twice_monthly", 5000, 2, "disabled"},
	{"tutoring", "weekly", 6000, 4, "left_behind_child"},
	{"counselling", "monthly", 10000, 1, "serious_illness"},
	{"haircut", "monthly", 1500, 1, "elderly_alone"},
}

// services: an organisation per town, its contract with the town, its
// workers, plans for the households of its target groups and the records.
func (g *actGen) services(r *rand.Rand) error {
	towns := map[string][]int{}
	var order []string
	for i, h := range g.hhs {
		if _, ok := towns[h.town]; !ok {
			order = append(order, h.town)
		}
		towns[h.town] = append(towns[h.town], i)
	}
	sort.Strings(order)
	planTarget := 5000 * g.scale
	var eligible int
	for _, h := range g.hhs {
		for _, st := range actServiceTypes {
			if h.cats&actBit(st.mask) != 0 {
				eligible++
				break
			}
		}
	}
	p := 1.0
	if eligible > 0 {
		p = min(1, planTarget/float64(eligible))
	}
	startDay, endDay := actDay(g.from), actDay(g.from.AddDate(1, 0, 0).Add(-time.Hour))
	if g.to.Sub(g.from) > 366*24*time.Hour {
		endDay = actDay(g.to)
	}
	months := g.months()
	lastMonth := g.now.In(activityZone).Format("2006-01")
	type line struct {
		contract, worker int64
		typ              string
		price            int64
	}
	type settled struct {
		accepted, rejected int
		fen                int64
		lines              map[line]int
	}
	for _, town := range order {
		officer := g.userFor(town, "town_officer", "county_officer")
		orgID, err := g.id("service_orgs")
		if err != nil {
			return err
		}
		name := g.names[town] + "阳光社工服务中心"
		if err := g.add("service_orgs", orgID, name, town, "王主任", "active", officer.name, ms(g.from), ms(g.from)); err != nil {
			return err
		}
		cid, err := g.id("service_contracts")
		if err != nil {
			return err
		}
		if err := g.add("service_contracts", cid, orgID, town, g.names[town]+"政府购买社会救助服务", fmt.Sprintf("政采〔%d〕%s号",
			g.from.In(activityZone).Year(), town[len(town)-3:]), startDay, endDay, int64(800000_00), "active", officer.name, ms(g.from),
			ms(g.from)); err != nil {
			return err
		}
		for _, st := range actServiceTypes {
			if err := g.add("service_prices", cid, st.typ, st.price); err != nil {
				return err
			}
		}
		for _, cat := range []string{"elderly_alone", "tekun", "disabled", "left_behind_child", "serious_illness"} {
			if err := g.add("service_coverage", cid, nil, cat, town); err != nil {
				return err
			}
		}
		var workers []int64
		for k := range 6 {
			wid, err := g.id("service_workers")
			if err != nil {
				return err
			}
			kind := []string{"social_worker", "social_worker", "helper", "helper", "tutor", "psychologist"}[k]
			if err := g.add("service_workers", wid, orgID, fmt.Sprintf("%s服务员%d", g.names[town], k+1), kind, boolInt(k < 2), "active",
				officer.name, ms(g.from)); err != nil {
				return err
			}
			workers = append(workers, wid)
		}
		byMonth := map[string]*settled{}
		for _, i := range towns[town] {
			h := g.hhs[i]
			for _, st := range actServiceTypes {
				if h.cats&actBit(st.mask) == 0 || r.Float64() >= p {
					continue
				}
				planID, err := g.id("service_plans")
				if err != nil {
					return err
				}
				worker := workers[r.IntN(len(workers))]
				if err := g.add("service_plans", planID, cid, h.id, h.head, h.place, st.typ, st.freq, worker, startDay, endDay, "active",
					officer.name, ms(g.from), ms(g.from)); err != nil {
					return err
				}
				for _, m := range months {
					month := m[0].In(activityZone).Format("2006-01")
					for range st.perMonth {
						if r.IntN(100) >= 90 {
							continue
						}
						at := actAt(r, m[0], m[1])
						if !at.Add(2 * time.Hour).Before(g.now) {
							continue
						}
						review := "pending"
						if month < lastMonth {
							review = "accepted"
							if r.IntN(100) < 4 {
								review = "rejected"
							}
						}
						rid, err := g.id("service_records")
						if err != nil {
							return err
						}
						if err := g.add("service_records", rid, fmt.Sprintf("%s-s%d", g.tag, rid), cid, orgID, planID, worker,
							h.id, h.head, h.place, st.typ, at.Unix(), at.Add(between(r, 30*time.Minute, 2*time.Hour)).Unix(), month,
							pick(r, []string{"signature", "code"}), st.price, "", review, officer.name, at.Unix()); err != nil {
							return err
						}
						if review == "pending" {
							continue
						}
						g.res.ServicesReviewed++
						// Verified by the village within days; the month then settled.
						reviewer, reason := g.userFor(h.village, "village_staff", "town_officer"), ""
						if review == "rejected" {
							reason = "服务时长不足，与记录不符"
						}
						if err := g.add("service_reviews", rid, review, reason, reviewer.id, reviewer.display,
							ms(minTime(at.Add(between(r, 24*time.Hour, 5*24*time.Hour)), g.now))); err != nil {
							return err
						}
						sm := byMonth[month]
						if sm == nil {
							sm = &settled{lines: map[line]int{}}
							byMonth[month] = sm
						}
						if review == "rejected" {
							sm.rejected++
							continue
						}
						sm.accepted++
						sm.fen += st.price
						sm.lines[line{cid, worker, st.typ, st.price}]++
					}
				}
			}
		}
		// The months before the last are closed: approved by the town
		// on the 8th of the next month, with their lines.
		for _, m := range months {
			month := m[0].In(activityZone).Format("2006-01")
			if month >= lastMonth {
				continue
			}
			if err := g.add("settlement_months", orgID, month, "closed"); err != nil {
				return err
			}
			sm := byMonth[month]
			if sm == nil {
				sm = &settled{lines: map[line]int{}}
			}
			sid, err := g.id("settlements")
			if err != nil {
				return err
			}
			next := m[0].In(activityZone).AddDate(0, 1, 0)
			approved := minTime(time.Date(next.Year(), next.Month(), 8, 10, 0, 0, 0, activityZone), g.now)
			g.res.ServicesSettledFen += sm.fen
			if err := g.add("settlements", sid, orgID, month, sm.accepted, sm.rejected, sm.fen, 0, sm.fen, officer.id, officer.display,
				town, ms(approved)); err != nil {
				return err
			}
			keys := make([]line, 0, len(sm.lines))
			for k := range sm.lines {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool {
				a, b := keys[i], keys[j]
				if a.worker != b.worker {
					return a.worker < b.worker
				}
				return a.typ < b.typ
			})
			for _, k := range keys {
				n := sm.lines[k]
				if err := g.add("settlement_lines", sid, k.contract, k.worker, k.typ, k.price, n, int64(n)*k.price); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// volunteering: neighbours who volunteer, relays for households in need,
// a week of daily slots each, taken and done with minutes.
func (g *actGen) volunteering(r *rand.Rand) error {
	byVillage := map[string][]int64{}
	nv := max(1, int(3000*g.scale))
	for range nv {
		h := g.hhs[r.IntN(len(g.hhs))]
		vid, err := g.id("volunteers")
		if err != nil {
			return err
		}
		name := pick(r, []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄"}) + pick(r, []string{"大姐", "大哥", "阿姨", "师傅", "老师"})
		if err := g.add("volunteers", vid, name, h.village, ms(g.from)); err != nil {
			return err
		}
		byVillage[h.village] = append(byVillage[h.village], vid)
	}
	pool := g.pool(actBit("elderly_alone") | actBit("disabled") | actBit("serious_illness"))
	for _, m := range g.months() {
		for range g.count(r, 150) {
			h := g.pickHH(r, pool, 1)
			vols := byVillage[h.village]
			if len(vols) == 0 {
				vols = byVillage[pick(r, mapKeys(byVillage))]
			}
			staff := g.userFor(h.village, "village_staff")
			rid, err := g.id("volunteer_relays")
			if err != nil {
				return err
			}
			created := actAt(r, m[0], m[1])
			first := created.In(activityZone).AddDate(0, 0, 1)
			first = time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, activityZone)
			kind := pick(r, []string{"meal", "care", "visit"})
			title := map[string]string{"meal": "送餐接龙", "care": "照护接龙", "visit": "探访陪伴接龙"}[kind]
			status := "closed"
			if first.AddDate(0, 0, 7).After(g.now) {
				status = "open"
			}
			if err := g.add("volunteer_relays", rid, fmt.Sprintf("%s-r%d", g.tag, rid), title, h.id, h.head, 0, h.place, h.village,
				"老人家", g.names[h.place], status, staff.name, ms(created), ms(created)); err != nil {
				return err
			}
			tid, err := g.id("volunteer_tasks")
			if err != nil {
				return err
			}
			if err := g.add("volunteer_tasks", tid, rid, 1, kind, title, g.names[h.place], actDay(first), actDay(first.AddDate(0, 0, 6)),
				"11:00-12:00", 2); err != nil {
				return err
			}
			for d := range 7 {
				startsAt := first.AddDate(0, 0, d).Add(11 * time.Hour)
				sid, err := g.id("volunteer_slots")
				if err != nil {
					return err
				}
				taken := 1 + r.IntN(2)
				if taken > len(vols) {
					taken = len(vols)
				}
				seen := map[int64]bool{}
				var takes [][]any
				done := 0
				for seat := range taken {
					v := vols[r.IntN(len(vols))]
					if seen[v] {
						continue
					}
					seen[v] = true
					st, minutes, doneAt := "taken", 0, int64(0)
					if startsAt.Add(time.Hour).Before(g.now) {
						st, minutes, doneAt = "done", 30+r.IntN(91), ms(startsAt.Add(time.Hour))
						done++
						g.res.VolunteerTimes++
						g.res.VolunteerMinutes += minutes
					}
					takenAt := minTime(created.Add(time.Duration(seat+1)*time.Hour), g.now)
					takes = append(takes, []any{sid, seat, v, rid, h.village, ms(startsAt), st, minutes, ms(takenAt), doneAt})
				}
				if err := g.add("volunteer_slots", sid, rid, tid, h.village, ms(startsAt), ms(startsAt.Add(time.Hour)), 2, len(takes), done); err != nil {
					return err
				}
				for _, tk := range takes {
					if err := g.add("volunteer_takes", tk...); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// funds: per county a budget source, per town a unit's and a donation
// source; receipts, allocations and spending within the balances.
func (g *actGen) funds(r *rand.Rand) error {
	type src struct {
		id                        int64
		place, kind               string
		recv, alloc, spent, count int64
	}
	places := map[string]bool{}
	var owners []string
	byTown := map[string][]int{}
	for i, h := range g.hhs {
		for _, p := range []string{h.county, h.town} {
			if !places[p] {
				places[p] = true
				owners = append(owners, p)
			}
		}
		byTown[h.town] = append(byTown[h.town], i)
	}
	sort.Strings(owners)
	entry := 0
	for _, owner := range owners {
		officer := g.userFor(owner, "town_officer", "county_officer")
		kinds := []string{"unit", "donation"}
		if g.level[owner] == "county" {
			kinds = []string{"budget"}
		}
		for _, kind := range kinds {
			s := &src{place: owner, kind: kind}
			var err error
			if s.id, err = g.id("fund_sources"); err != nil {
				return err
			}
			name := map[string]string{"budget": "财政衔接资金", "unit": "帮扶单位资金", "donation": "社会捐赠"}[kind]
			donor := map[string]string{"budget": "", "unit": "县直帮扶单位", "donation": "爱心企业"}[kind]
			scaleFen := int64(max(1, g.scale*float64(len(byTown[owner])+1)/100)) // about the size of the place
			if kind == "budget" {
				scaleFen *= 20
			}
			newEntry := func(kind string, amount int64, on time.Time, target, measure string, allocation any) (int64, error) {
				payee := ""
				switch kind {
				case "receipt":
					payee = map[string]string{"budget": "县财政局", "unit": donor, "donation": donor}[s.kind]
				case "spend":
					payee = "受助家庭及服务供应方"
				}
				id, err := g.id("fund_entries")
				if err != nil {
					return 0, err
				}
				entry++
				s.count++
				return id, g.add("fund_entries", id, fmt.Sprintf("%s-f%d", g.tag, id), s.id, owner, kind, amount, actDay(on),
					fmt.Sprintf("%s〔%d〕%d号", map[string]string{"receipt": "收", "allocation": "拨", "spend": "支"}[kind], on.In(activityZone).Year(), entry),
					payee, "", target, measure, allocation, officer.id, officer.name, officer.display, ms(on))
			}
			g.hold() // the entries are written after their source
			for mi, m := range g.months() {
				if mi%3 == 0 {
					amount := scaleFen * int64(200000+r.IntN(200000))
					on := actAt(r, m[0], m[1])
					if _, err := newEntry("receipt", amount, on, "", "", nil); err != nil {
						return err
					}
					s.recv += amount
					g.res.Funds.Received += amount
				}
				// Allocations: to a measure, or to named households of the place.
				for range 2 {
					free := s.recv - s.alloc
					if free <= 0 {
						break
					}
					amount := min(free, free/4+int64(r.IntN(100000)))
					if amount <= 0 {
						continue
					}
					on := actAt(r, m[0], m[1])
					target, measure := "measure", pick(r, []string{"temporary", "medical", "insurance", "yulu"})
					hh := byTown[owner]
					if len(hh) > 0 && r.IntN(2) == 0 {
						target, measure = "households", ""
					}
					id, err := newEntry("allocation", amount, on, target, measure, nil)
					if err != nil {
						return err
					}
					s.alloc += amount
					g.res.Funds.Allocated += amount
					spent := int64(0)
					if target == "households" {
						n := min(len(hh), 5+r.IntN(20))
						share := amount / int64(n)
						left := amount
						for k := range n {
							h := g.hhs[hh[r.IntN(len(hh))]]
							sh := share
							if k == n-1 {
								sh = left
							}
							left -= sh
							if err := g.add("fund_targets", id, h.id, nil, h.place, sh); err != nil {
								return err
							}
						}
					}
					// Spending from it, most of it within the month.
					sp := amount * int64(50+r.IntN(50)) / 100
					if spendAt := on.Add(between(r, time.Hour, 10*24*time.Hour)); sp > 0 && spendAt.Before(g.now) {
						if _, err := newEntry("spend", sp, spendAt, "", "", id); err != nil {
							return err
						}
						spent = sp
						s.spent += sp
						g.res.Funds.Spent += sp
					}
					if err := g.add("fund_allocations", id, s.id, amount, spent); err != nil {
						return err
					}
				}
			}
			entries := g.held
			g.holding, g.held = false, nil
			if err := g.add("fund_sources", s.id, fmt.Sprintf("%s-src%d", g.tag, s.id), g.names[owner]+name, kind, donor, owner, s.recv,
				s.alloc, s.spent, s.count, officer.name, ms(g.from)); err != nil {
				return err
			}
			g.hold()
			g.held = entries
			if err := g.release(); err != nil {
				return err
			}
		}
	}
	return nil
}

// monitoring: inclusions (with the register's category period) and
// eliminations (ending it), with their steps; the last ones still open.
func (g *actGen) monitoring(r *rand.Rand) error {
	open, err := g.idSet(`SELECT household_id FROM monitoring_processes WHERE status = 'open'`)
	if err != nil {
		return fmt.Errorf("sqlstore: activity monitoring: %w", err)
	}
	// Candidates: households not monitored (inclusion), monitored ones
	// whose category came from a generated or earlier inclusion (elimination).
	var notMonitored, monitored []int
	for i, h := range g.hhs {
		if open[h.id] {
			continue
		}
		if h.cats&actMonitored != 0 {
			monitored = append(monitored, i)
		} else if h.cats&(actBit("dibao")|actBit("tekun")) == 0 {
			notMonitored = append(notMonitored, i)
		}
	}
	used := map[int64]bool{}
	cats := []string{"monitor_marginal", "monitor_unstable", "monitor_sudden"}
	risks := []string{"illness", "disability", "schooling", "disaster", "accident", "employment", "labour"}
	for _, m := range g.months() {
		for _, kind := range []string{"include", "eliminate"} {
			n, src := g.count(r, 200), notMonitored
			if kind == "eliminate" {
				n, src = g.count(r, 150), monitored
			}
			for range n {
				if len(src) == 0 {
					break
				}
				hi := src[r.IntN(len(src))]
				h := g.hhs[hi]
				if used[h.id] {
					continue
				}
				used[h.id] = true
				proposed := actAt(r, m[0], m[1])
				steps := []time.Time{proposed, proposed.Add(between(r, 24*time.Hour, 5*24*time.Hour))}
				steps = append(steps, steps[1].Add(between(r, 5*24*time.Hour, 8*24*time.Hour)))
				steps = append(steps, steps[2].Add(between(r, 24*time.Hour, 5*24*time.Hour)))
				steps = append(steps, steps[3].Add(between(r, 24*time.Hour, 5*24*time.Hour)))
				pid, err := g.id("monitoring_processes")
				if err != nil {
					return err
				}
				staff := g.userFor(h.village, "village_staff")
				cat, risk := pick(r, cats), pick(r, risks)
				if kind == "eliminate" {
					for _, c := range cats {
						if h.cats&actBit(c) != 0 {
							cat = c
							break
						}
					}
				}
				status, step, ended, assignment := "confirmed", "", steps[4], int64(0)
				actions := []string{"propose", "review", "notice", "town", "county"}
				if !steps[4].Before(g.now) {
					status, step, ended = "open", "town", time.Time{}
					actions = actions[:3]
					if !steps[2].Before(g.now) {
						step, actions = "review", actions[:1]
					}
				}
				if status == "confirmed" {
					on := actDay(steps[4])
					if kind == "include" {
						aid, err := g.id("assignments")
						if err != nil {
							return err
						}
						assignment = aid
						if err := g.add("assignments", aid, "household", h.id, h.id, h.place, cat, risk, on,
							fmt.Sprintf("纳入监测（流程 %d）", pid), "monitoring", staff.name, ms(steps[4])); err != nil {
							return err
						}
						g.hhs[hi].cats |= actBit(cat)
					} else {
						var aid int64
						err := g.t.queryRow(g.ctx, `SELECT id FROM assignments WHERE subject = 'household' AND subject_id = ? AND category = ?
							AND end_date = '' ORDER BY id LIMIT 1`, h.id, cat).Scan(&aid)
						if err != nil {
							return fmt.Errorf("sqlstore: activity elimination of household %d: %w", h.id, err)
						}
						if _, err := g.t.exec(g.ctx, `UPDATE assignments SET end_date = CASE WHEN start_date > ? THEN start_date ELSE ? END,
							end_reason = 'risk_eliminated', end_note = ?, ended_by = ?, ended_at = ? WHERE id = ?`, on, on,
							fmt.Sprintf("风险消除（流程 %d）", pid), staff.name, ms(steps[4]), aid); err != nil {
							return fmt.Errorf("sqlstore: activity elimination: %w", err)
						}
						g.ended++
						g.hhs[hi].cats &^= actBit(cat)
						assignment = aid
					}
				}
				due := proposed.AddDate(0, 0, 30)
				if err := g.add("monitoring_processes", pid, kind, h.id, h.place, status, step, cat, risk, int64(600000+r.IntN(600000)),
					1+r.IntN(5), pick(r, []string{"clue", "warning", "application", "screening"}), "", assignment, ms(proposed), ms(due),
					ms(ended), staff.name, ms(steps[len(actions)-1])); err != nil {
					return err
				}
				for k, act := range actions {
					on := actDay(steps[k])
					ns, ne, where, people := "", "", "", 0
					if act == "notice" {
						ns, ne, where = on, actDay(steps[k].AddDate(0, 0, 5)), "村务公开栏"
					}
					if act == "review" {
						people = 7 + r.IntN(10)
					}
					if err := g.add("monitoring_records", pid, act, 1, on, people, "", ns, ne, where, "", staff.name, ms(steps[k])); err != nil {
						return err
					}
				}
				if status == "open" {
					level := "village" // the democratic review
					if step == "town" {
						level = "town"
					}
					if err := g.deadlineAt(level, "monitoring."+step, 0, 0, pid, h, steps[len(actions)-1], steps[len(actions)-1].AddDate(0, 0, 7),
						time.Time{}); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// colours: a colour for every monitored household without one.
func (g *actGen) colours(r *rand.Rand) error {
	have, err := g.idSet(`SELECT household_id FROM household_colours`)
	if err != nil {
		return fmt.Errorf("sqlstore: activity colours: %w", err)
	}
	explain := map[string][2]string{
		"red":    {"人均纯收入低于监测线，且有未结案件", "income per person below the line, with an open case"},
		"yellow": {"人均纯收入接近监测线", "income per person near the line"},
		"green":  {"收入稳定，帮扶措施落实", "stable income, measures in place"},
	}
	for _, h := range g.hhs {
		if h.cats&actMonitored == 0 || have[h.id] {
			continue
		}
		colour := weighted(r, []string{"red", "yellow", "green"}, []int{8, 27, 65})
		since := actAt(r, g.from, g.to)
		e := explain[colour]
		if err := g.add("household_colours", h.id, h.place, colour, h.county, 0, e[0], e[1], ms(since), ms(since)); err != nil {
			return err
		}
		if err := g.add("colour_history", h.id, ms(since), colour, "", 0, e[0], e[1]); err != nil {
			return err
		}
	}
	return nil
}

// idSet reads the ids a query selects as a set.
func (g *actGen) idSet(q string, args ...any) (map[int64]bool, error) {
	ids, err := queryIDs(g.ctx, g.t, q, args...)
	if err != nil {
		return nil, err
	}
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, nil
}

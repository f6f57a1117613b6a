package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"safetynet"
	"safetynet/access"
	"safetynet/relay"
	"safetynet/rules"
)

// warnRule is a published warning rule version in force.
type warnRule struct {
	id       int64
	version  int
	name     string
	place    string
	from, to string
	types    []string
	urgency  string
	kinds    []string
	period   string
	prog     *rules.Program
	progErr  error
}

// feedEvent is a stored department event (feeds contract: feed_events).
type feedEvent struct {
	id, batchID           int64
	department, typ, date string
	personID, householdID int64
	place                 string
	exact                 bool
	idIdx                 []byte
	name, address         string
	fields                map[string]any // as stored: yuan in fen
	by                    string         // the account that pushed the batch
}

// drainInChunk is how many keys the drain's reads put in one IN list:
// few round trips (PostgreSQL accepts 65,535 parameters, SQLite 32,766).
const drainInChunk = 5000

// placeInfo is a place with the places above it (itself included).
type placeInfo struct {
	level safetynet.Level
	above map[string]bool
	at    map[safetynet.Level]string // the nearest place of each level at or above it (ancestorAt)
	depth map[safetynet.Level]int
}

// loadWarnRules reads the published warning rules, compiled.
func (s *Store) loadWarnRules(ctx context.Context, t *tx, env *rules.EventEnv, status string) ([]*warnRule, error) {
	q := `SELECT r.id, r.published, r.name, r.place_code, r.valid_from, r.valid_to, v.source, w.event_types, w.urgency, w.clue_kinds, w.period
		FROM rules r JOIN rule_versions v ON v.rule_id = r.id AND v.number = r.published
		JOIN warning_rule_settings w ON w.rule_id = r.id WHERE r.kind = 'warning' AND r.status = ? ORDER BY r.id`
	rows, err := t.query(ctx, q, status)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: warning rules: %w", err)
	}
	defer rows.Close()
	var out []*warnRule
	for rows.Next() {
		r := &warnRule{}
		var src, types, kinds string
		if err := rows.Scan(&r.id, &r.version, &r.name, &r.place, &r.from, &r.to, &src, &types, &r.urgency, &kinds, &r.period); err != nil {
			return nil, err
		}
		r.types, r.kinds = splitCodes(types), splitCodes(kinds)
		// A version compiled when published; a catalogue change since may
		// break it: it then fails on every event (logged), never matches.
		r.prog, r.progErr = env.Compile(r.id, r.version, src)
		out = append(out, r)
	}
	return out, rows.Err()
}

// appliesTo reports whether rule r applies to event ev at place p.
func (r *warnRule) appliesTo(ev *feedEvent, p *placeInfo) bool {
	return slices.Contains(r.types, ev.typ) && p != nil && p.above[r.place] &&
		(r.from == "" || r.from <= ev.date) && (r.to == "" || r.to >= ev.date)
}

func strList(vals []string) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ") + ")", args
}

const feedEventCols = `e.id, e.batch_id, e.department, e.event_type, e.event_date, e.person_id, e.household_id, e.place_code,
	e.place_exact, e.id_idx, e.name, e.address, e.fields, b.created_by`

func scanFeedEvent(r scanner) (*feedEvent, error) {
	ev := &feedEvent{}
	var exact int
	var fields string
	if err := r.Scan(&ev.id, &ev.batchID, &ev.department, &ev.typ, &ev.date, &ev.personID, &ev.householdID, &ev.place, &exact,
		&ev.idIdx, &ev.name, &ev.address, &fields, &ev.by); err != nil {
		return nil, err
	}
	ev.exact = exact == 1
	return ev, scanFieldsJSON(fields, ev)
}

// scanFieldsJSON decodes an event's stored fields, numbers kept exact; a
// malformed object reads as no fields.
func scanFieldsJSON(fields string, ev *feedEvent) error {
	d := json.NewDecoder(strings.NewReader(fields))
	d.UseNumber()
	if err := d.Decode(&ev.fields); err != nil || ev.fields == nil {
		ev.fields = map[string]any{}
	}
	return nil
}

// loadFeedEvents reads events by id.
func loadFeedEvents(ctx context.Context, t *tx, ids []int64) ([]*feedEvent, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := idList(ids)
	rows, err := t.query(ctx, `SELECT `+feedEventCols+` FROM feed_events e JOIN feed_batches b ON b.id = e.batch_id
		WHERE e.id IN `+in+` ORDER BY e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: feed events: %w", err)
	}
	defer rows.Close()
	var out []*feedEvent
	for rows.Next() {
		ev, err := scanFeedEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// placeInfos reads the places above each place in one query per 500.
func placeInfos(ctx context.Context, t *tx, cache map[string]*placeInfo, places []string) error {
	var miss []string
	seen := map[string]bool{}
	for _, p := range places {
		if _, ok := cache[p]; !ok && !seen[p] {
			seen[p] = true
			miss = append(miss, p)
		}
	}
	for len(miss) > 0 {
		chunk := miss[:min(len(miss), drainInChunk)]
		miss = miss[len(chunk):]
		in, args := strList(chunk)
		rows, err := t.query(ctx, `SELECT pt.descendant, pt.ancestor, p.level, pt.depth FROM place_tree pt JOIN places p ON p.code = pt.ancestor
			WHERE pt.descendant IN `+in, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: places above: %w", err)
		}
		for rows.Next() {
			var d, a, l string
			var depth int
			if err := rows.Scan(&d, &a, &l, &depth); err != nil {
				rows.Close()
				return err
			}
			pi := cache[d]
			if pi == nil {
				pi = &placeInfo{above: map[string]bool{}, at: map[safetynet.Level]string{}, depth: map[safetynet.Level]int{}}
				cache[d] = pi
			}
			pi.above[a] = true
			if old, ok := pi.depth[safetynet.Level(l)]; !ok || depth < old {
				pi.at[safetynet.Level(l)], pi.depth[safetynet.Level(l)] = a, depth
			}
			if a == d {
				pi.level = safetynet.Level(l)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// subjectOf keys the person of an event for dedupe: the registered person,
// else the blind index of the ID number, else the event itself.
func subjectOf(ev *feedEvent) string {
	switch {
	case ev.personID != 0:
		return "p" + strconv.FormatInt(ev.personID, 10)
	case len(ev.idIdx) > 0:
		return "i" + hex.EncodeToString(ev.idIdx)
	}
	return "e" + strconv.FormatInt(ev.id, 10)
}

func periodOf(period string, ev *feedEvent) string {
	switch period {
	case PeriodMonth:
		if len(ev.date) >= 7 {
			return ev.date[:7]
		}
	case PeriodEvent:
		return "e" + strconv.FormatInt(ev.id, 10)
	}
	if len(ev.date) >= 4 {
		return ev.date[:4]
	}
	return ev.date
}

// fieldNumber reads a stored JSON number.
func fieldNumber(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, true
		}
		if f, err := x.Float64(); err == nil {
			return int64(f), true
		}
	case float64:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

// ruleEvent converts a stored event to what rules see: yuan from fen,
// typed by the event type's fields.
func ruleEvent(ev *feedEvent) rules.Event {
	out := rules.Event{ID: ev.id, Type: ev.typ, Date: ev.date, Department: ev.department, Registered: ev.personID != 0,
		Fields: map[string]any{}}
	et, _ := safetynet.EventTypeOf(ev.typ)
	for _, f := range et.Fields {
		v, ok := ev.fields[f.Name]
		if !ok || v == nil {
			continue
		}
		switch f.Kind {
		case safetynet.FieldYuan, safetynet.FieldInt:
			n, ok := fieldNumber(v)
			if !ok {
				continue
			}
			if x, ok := rules.EventFieldValue(f.Kind, n); ok {
				out.Fields[f.Name] = x
			}
		default:
			if s, ok := v.(string); ok {
				out.Fields[f.Name] = s
			}
		}
	}
	return out
}

// addYearToDate computes oop_ytd (rules.YTDField) for the medical events
// whose department did not send it: the sum of oop_cost of the person's
// medical events of the event's year dated on or before it (same date:
// stored before it), this event included.
func addYearToDate(ctx context.Context, t *tx, evs []*feedEvent, out []rules.EventInput) error {
	var persons []int64
	var idxs [][]byte
	lo, hi := "", ""
	for i, ev := range evs {
		if !slices.Contains(rules.MedicalEventTypes, ev.typ) {
			continue
		}
		if _, sent := out[i].Event.Fields[rules.YTDField]; sent {
			continue
		}
		switch {
		case ev.personID != 0:
			persons = append(persons, ev.personID)
		case len(ev.idIdx) > 0:
			idxs = append(idxs, ev.idIdx)
		default:
			continue
		}
		if len(ev.date) >= 4 && (lo == "" || ev.date[:4]+"-01-01" < lo) {
			lo = ev.date[:4] + "-01-01"
		}
		if ev.date > hi {
			hi = ev.date
		}
	}
	if len(persons) == 0 && len(idxs) == 0 {
		return nil
	}
	// Each subject once: a subject read in two chunks would count twice.
	slices.Sort(persons)
	persons = slices.Compact(persons)
	slices.SortFunc(idxs, bytes.Compare)
	idxs = slices.CompactFunc(idxs, bytes.Equal)
	types, targs := strList(rules.MedicalEventTypes)
	var history []*feedEvent
	read := func(cond string, args []any) error {
		// Only what the sum needs: the subject, the date and the cost.
		rows, err := t.query(ctx, `SELECT e.id, e.person_id, e.id_idx, e.event_date, e.fields FROM feed_events e
			WHERE `+cond+` AND e.event_type IN `+types+` AND e.event_date >= ? AND e.event_date <= ?`,
			append(append(args, targs...), lo, hi)...)
		if err != nil {
			return fmt.Errorf("sqlstore: events of the year: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			ev := &feedEvent{}
			var fields string
			if err := rows.Scan(&ev.id, &ev.personID, &ev.idIdx, &ev.date, &fields); err != nil {
				return err
			}
			if err := scanFieldsJSON(fields, ev); err != nil {
				return err
			}
			history = append(history, ev)
		}
		return rows.Err()
	}
	for len(persons) > 0 {
		chunk := persons[:min(len(persons), drainInChunk)]
		persons = persons[len(chunk):]
		in, args := idList(chunk)
		if err := read(`e.person_id IN `+in, args); err != nil {
			return err
		}
	}
	for len(idxs) > 0 {
		chunk := idxs[:min(len(idxs), drainInChunk)]
		idxs = idxs[len(chunk):]
		args := make([]any, len(chunk))
		for i, x := range chunk {
			args[i] = x
		}
		if err := read(`e.person_id = 0 AND e.id_idx IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+`)`, args); err != nil {
			return err
		}
	}
	bySubject := map[string][]*feedEvent{}
	for _, h := range history {
		k := subjectOf(h)
		bySubject[k] = append(bySubject[k], h)
	}
	for i, ev := range evs {
		if !slices.Contains(rules.MedicalEventTypes, ev.typ) || (ev.personID == 0 && len(ev.idIdx) == 0) {
			continue
		}
		if _, sent := out[i].Event.Fields[rules.YTDField]; sent {
			continue
		}
		var sum int64
		for _, h := range bySubject[subjectOf(ev)] {
			if len(h.date) < 4 || h.date[:4] != ev.date[:4] || h.date > ev.date || h.date == ev.date && h.id > ev.id {
				continue
			}
			if n, ok := fieldNumber(h.fields["oop_cost"]); ok {
				sum += n
			}
		}
		out[i].Event.Fields[rules.YTDField] = float64(sum) / 100
		out[i].Event.Computed = append(out[i].Event.Computed, rules.YTDField)
	}
	return nil
}

// warningInputs builds what the rules see of each event: the event, the
// person and the household as of now.
func (s *Store) warningInputs(ctx context.Context, t *tx, evs []*feedEvent) ([]rules.EventInput, error) {
	out := make([]rules.EventInput, len(evs))
	var hids []int64
	seen := map[int64]bool{}
	for i, ev := range evs {
		out[i].Event = ruleEvent(ev)
		out[i].Household.PlaceCode = ev.place
		if ev.householdID != 0 && !seen[ev.householdID] {
			seen[ev.householdID] = true
			hids = append(hids, ev.householdID)
		}
	}
	if err := addYearToDate(ctx, t, evs, out); err != nil {
		return nil, err
	}
	hs := map[int64]*rules.Household{}
	for len(hids) > 0 {
		chunk := hids[:min(len(hids), drainInChunk)]
		hids = hids[len(chunk):]
		loaded, err := s.loadRuleHouseholds(ctx, t, chunk, s.now())
		if err != nil {
			return nil, err
		}
		for i := range loaded {
			hs[loaded[i].ID] = &loaded[i].Household
		}
	}
	for i, ev := range evs {
		h := hs[ev.householdID]
		if h == nil {
			continue
		}
		out[i].Household = *h
		for _, m := range append(append([]rules.Member(nil), h.Members...), h.Former...) {
			if m.ID == ev.personID {
				out[i].Person = m
			}
		}
	}
	return out, nil
}

// claimQueue takes up to limit events off the warning queue for this
// transaction. On PostgreSQL the rows are locked and skipped by other
// processes (FOR UPDATE SKIP LOCKED) and deleted; if the transaction
// fails they are back. SQLite has one writer at a time.
func claimQueue(ctx context.Context, t *tx, limit int) ([]int64, error) {
	var rows *sql.Rows
	var err error
	if t.d.name == "postgres" {
		rows, err = t.query(ctx, `DELETE FROM warning_queue WHERE event_id IN (SELECT event_id FROM warning_queue ORDER BY event_id
			LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING event_id`, limit)
	} else {
		rows, err = t.query(ctx, `DELETE FROM warning_queue WHERE event_id IN (SELECT event_id FROM warning_queue ORDER BY event_id
			LIMIT ?) RETURNING event_id`, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: claim warning queue: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, rows.Err()
}

// drainState caches what one drain reads more than once.
type drainState struct {
	params map[string]rules.Params
	places map[string]*placeInfo
	actors map[string]access.Actor
	// latest is the latest warning of each rule, subject and base period
	// of the drain's events (key rule|subject|period), read in one query.
	latest map[string]latestWarning
	names  map[int64]string // registered persons' names
}

// latestWarning is a rule's latest warning about a subject in a period,
// with its clue's state.
type latestWarning struct {
	period     string
	clueStatus string
	caseID     int64
}

func latestKey(rule int64, subject, base string) string {
	return strconv.FormatInt(rule, 10) + "|" + subject + "|" + base
}

// prefetch reads, for the drain's events, the warnings already raised
// about their subjects and the names of their persons.
func (st *drainState) prefetch(ctx context.Context, t *tx, evs []*feedEvent) error {
	var subjects []string
	var persons []int64
	seen := map[string]bool{}
	for _, ev := range evs {
		if sub := subjectOf(ev); !seen[sub] {
			seen[sub] = true
			subjects = append(subjects, sub)
		}
		if ev.personID != 0 {
			persons = append(persons, ev.personID)
		}
	}
	for len(subjects) > 0 {
		chunk := subjects[:min(len(subjects), drainInChunk)]
		subjects = subjects[len(chunk):]
		in, args := strList(chunk)
		rows, err := t.query(ctx, `SELECT w.rule_id, w.subject, w.period, COALESCE(c.status, ''), COALESCE(c.case_id, 0) FROM warnings w
			LEFT JOIN clues c ON c.id = w.clue_id WHERE w.subject IN `+in+` ORDER BY w.id`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: earlier warnings: %w", err)
		}
		for rows.Next() {
			var rule int64
			var sub string
			var lw latestWarning
			if err := rows.Scan(&rule, &sub, &lw.period, &lw.clueStatus, &lw.caseID); err != nil {
				rows.Close()
				return err
			}
			base, _, _ := strings.Cut(lw.period, "#")
			st.latest[latestKey(rule, sub, base)] = lw // ordered by id: the latest wins
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	slices.Sort(persons)
	persons = slices.Compact(persons)
	for len(persons) > 0 {
		chunk := persons[:min(len(persons), drainInChunk)]
		persons = persons[len(chunk):]
		in, args := idList(chunk)
		rows, err := t.query(ctx, `SELECT id, name FROM persons WHERE id IN `+in, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: names: %w", err)
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return err
			}
			st.names[id] = name
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// DrainWarnings takes up to limit events off the warning queue and
// evaluates the published warning rules that apply to each (event type,
// place under the rule's scope, event date within the rule's dates). A
// match writes a warning and a relay clue (source 部门推送) in the same
// transaction as the dequeue, unless the rule warned the same person in
// the same period already (see decideWarning). A rule failing on an event
// is logged in warning_errors and does not stop the others. Several
// processes may drain one PostgreSQL database at once: each event is
// claimed by one of them, and the unique key (rule, person, period) keeps
// a warning from being raised twice. It returns how many events it took.
//
// The work is set-based: what the events need is read with a few queries
// (places, households, earlier warnings, names, parameters), the rules
// run in memory on all cores, and the warnings, their clues and what the
// clues open (deadlines, notifications, timelines, audit) are written in
// bulk (insertWarningRows, insertClues).
func (s *Store) DrainWarnings(ctx context.Context, limit int) (int, error) {
	if limit <= 0 {
		limit = 1000
	}
	env, err := s.WarningEnv(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.write(ctx, func(t *tx) error {
		ids, err := claimQueue(ctx, t, limit)
		if err != nil || len(ids) == 0 {
			return err
		}
		n = len(ids)
		evs, err := loadFeedEvents(ctx, t, ids)
		if err != nil {
			return err
		}
		rs, err := s.loadWarnRules(ctx, t, env, RulePublished)
		if err != nil || len(rs) == 0 {
			return err
		}
		st := &drainState{params: map[string]rules.Params{}, places: map[string]*placeInfo{}, actors: map[string]access.Actor{},
			latest: map[string]latestWarning{}, names: map[int64]string{}}
		var places []string
		var todo []*feedEvent
		for _, ev := range evs {
			for _, r := range rs {
				if slices.Contains(r.types, ev.typ) {
					todo = append(todo, ev)
					places = append(places, ev.place)
					break
				}
			}
		}
		if len(todo) == 0 {
			return nil
		}
		if err := placeInfos(ctx, t, st.places, places); err != nil {
			return err
		}
		ins, err := s.warningInputs(ctx, t, todo)
		if err != nil {
			return err
		}
		if err := st.prefetch(ctx, t, todo); err != nil {
			return err
		}
		if err := s.loadDrainParams(ctx, t, st, rs, todo); err != nil {
			return err
		}
		results := st.evaluate(ctx, rs, todo, ins)
		now := ms(s.now())
		var errRows [][]any
		var raise []*pendingWarning
		for i, ev := range todo {
			for _, res := range results[i] {
				switch {
				case res.failed:
					errRows = append(errRows, []any{ev.id, res.rule.id, res.rule.version, truncRunes(res.zh, 500), truncRunes(res.en, 500), now})
				case res.matched:
					if w := st.decideWarning(res.rule, ev); w != nil {
						w.in, w.params = &ins[i], res.params
						raise = append(raise, w)
					}
				}
			}
		}
		if err := t.insertRows(ctx, "warning_errors", []string{"event_id", "rule_id", "rule_version", "error_zh", "error_en", "at"},
			errRows); err != nil {
			return fmt.Errorf("sqlstore: warning errors: %w", err)
		}
		return s.raiseWarnings(ctx, t, st, raise)
	})
	return n, err
}

// ruleResult is what one rule said of one event.
type ruleResult struct {
	rule    *warnRule
	params  rules.Params
	matched bool
	failed  bool
	zh, en  string // the failure
}

func paramsKey(pi *placeInfo, ev *feedEvent) (county string, year int, key string) {
	county = pi.at[safetynet.LevelCounty]
	y := ev.date[:min(4, len(ev.date))]
	year, _ = strconv.Atoi(y)
	return county, year, county + "/" + y
}

// loadDrainParams reads the parameters of each county and year the
// events' rules run with.
func (s *Store) loadDrainParams(ctx context.Context, t *tx, st *drainState, rs []*warnRule, evs []*feedEvent) error {
	for _, ev := range evs {
		pi := st.places[ev.place]
		if !slices.ContainsFunc(rs, func(r *warnRule) bool { return r.appliesTo(ev, pi) && r.progErr == nil }) {
			continue
		}
		county, year, key := paramsKey(pi, ev)
		if _, ok := st.params[key]; ok {
			continue
		}
		p, err := s.countyParams(ctx, t, county, year)
		if err != nil {
			return err
		}
		st.params[key] = rules.WithDefaults(p)
	}
	return nil
}

// evaluate runs the rules applying to each event, the events shared out
// among the cores; it reads only what the drain state holds.
func (st *drainState) evaluate(ctx context.Context, rs []*warnRule, evs []*feedEvent, ins []rules.EventInput) [][]ruleResult {
	out := make([][]ruleResult, len(evs))
	one := func(i int) {
		ev := evs[i]
		pi := st.places[ev.place]
		for _, r := range rs {
			if !r.appliesTo(ev, pi) {
				continue
			}
			if r.progErr != nil {
				out[i] = append(out[i], ruleResult{rule: r, failed: true, zh: "规则无法编译", en: "the rule does not compile: " + r.progErr.Error()})
				continue
			}
			_, _, key := paramsKey(pi, ev)
			params := st.params[key]
			res := r.prog.EvalEvent(ctx, params, &ins[i])
			if res.Err != nil {
				zh, en := res.Err.Error(), res.Err.Error()
				var ee *rules.EvalError
				if errors.As(res.Err, &ee) {
					zh, en = ee.ZH, ee.EN
				}
				out[i] = append(out[i], ruleResult{rule: r, failed: true, zh: zh, en: en})
				continue
			}
			if res.Matched {
				out[i] = append(out[i], ruleResult{rule: r, params: params, matched: true})
			}
		}
	}
	parallel(len(evs), one)
	return out
}

// parallel calls fn(0) … fn(n-1), in contiguous parts on the cores.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/64))
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	per := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				fn(i)
			}
		}(lo, min(lo+per, n))
	}
	wg.Wait()
}

// pendingWarning is a warning decided, to be written.
type pendingWarning struct {
	rule            *warnRule
	ev              *feedEvent
	in              *rules.EventInput
	params          rules.Params
	subject, period string
	zh, en          string // the explanation
}

// decideWarning says whether rule r's match on ev raises a warning: not
// if the rule warned the same person in the same period already. A new
// crossing in the same period warns again only after the earlier
// warning's clue was closed as verified with no risk (no case opened):
// the new warning's period is then suffixed '#2', '#3'…
func (st *drainState) decideWarning(r *warnRule, ev *feedEvent) *pendingWarning {
	subject, base := subjectOf(ev), periodOf(r.period, ev)
	period := base
	key := latestKey(r.id, subject, base)
	if lw, ok := st.latest[key]; ok {
		if lw.clueStatus != relay.ClueClosed || lw.caseID != 0 {
			return nil // warned already in this period
		}
		n := 1
		if _, suffix, found := strings.Cut(lw.period, "#"); found {
			n, _ = strconv.Atoi(suffix)
		}
		period = fmt.Sprintf("%s#%d", base, n+1)
	}
	st.latest[key] = latestWarning{period: period, clueStatus: relay.ClueReported}
	return &pendingWarning{rule: r, ev: ev, subject: subject, period: period}
}

// raiseWarnings writes the warnings decided and their clues. A warning
// another process raised meanwhile (same rule, person and period) is
// skipped with its clue.
func (s *Store) raiseWarnings(ctx context.Context, t *tx, st *drainState, ws []*pendingWarning) error {
	if len(ws) == 0 {
		return nil
	}
	parallel(len(ws), func(i int) {
		w := ws[i]
		ex := w.rule.prog.ExplainEvent(ctx, w.params, w.in)
		w.zh, w.en = ex.ZH(), ex.EN()
	})
	var lands []string
	for _, w := range ws {
		if w.in.Household.ID != 0 && w.in.Household.PlaceCode != "" {
			lands = append(lands, w.in.Household.PlaceCode)
		}
	}
	if err := placeInfos(ctx, t, st.places, lands); err != nil {
		return err
	}
	wids, err := t.allocIDs(ctx, "warnings", len(ws))
	if err != nil {
		return err
	}
	cids, err := t.allocIDs(ctx, "clues", len(ws))
	if err != nil {
		return err
	}
	now := s.now()
	rows := make([][]any, len(ws))
	clues := make([]clueToInsert, len(ws))
	for i, w := range ws {
		ev, in, r := w.ev, w.in, w.rule
		land, village, err := s.landing(ctx, t, st, ev, in)
		if err != nil {
			return err
		}
		rows[i] = []any{wids[i], r.id, r.version, ev.id, ev.department, ev.by, ev.typ, ev.date, w.subject, w.period, ev.personID,
			ev.householdID, land, cids[i], w.zh, w.en, ms(now)}
		kinds := r.kinds
		if len(kinds) == 0 {
			kinds = []string{ClueKindOfEvent[ev.typ]}
			if kinds[0] == "" {
				kinds[0] = "other"
			}
		}
		name := ev.name
		if n, ok := st.names[ev.personID]; ok && ev.personID != 0 {
			name = n
		}
		if strings.TrimSpace(name) == "" {
			name = "（姓名未报送）"
		}
		hid := ev.householdID
		if in.Household.ID == 0 {
			hid = 0 // not (or no longer) an active household
		}
		et, _ := safetynet.EventTypeOf(ev.typ)
		note := fmt.Sprintf("%s推送%s（%s）：%s；规则“%s”", safetynet.Departments.Label(ev.department, "zh"), et.ZH, ev.date, w.zh, r.name)
		if hid == 0 && ev.address != "" {
			note += "；部门登记地址：" + ev.address
		}
		pid := ev.personID
		if hid == 0 {
			pid = 0
		}
		actor, err := s.warningActor(ctx, t, st, ev.by)
		if err != nil {
			return err
		}
		clues[i] = clueToInsert{id: cids[i], actor: actor, village: village, in: safetynet.NewClue{
			ClientID: "warning-" + strconv.FormatInt(wids[i], 10), Source: "department", HouseholdID: hid, PersonID: pid,
			Name: name, PlaceCode: land, Kinds: kinds, Urgency: r.urgency, Note: truncRunes(note, 1000), ReportedAt: now}}
	}
	inserted, err := insertWarningRows(ctx, t, rows)
	if err != nil {
		return err
	}
	kept := clues[:0]
	for i, c := range clues {
		if inserted[wids[i]] {
			kept = append(kept, c)
		} // else raised meanwhile by another process
	}
	return s.insertClues(ctx, t, kept, st.places)
}

// landing is where a warning's clue lands: the household's place for a
// registered person; for someone not in the register, the event's place
// when the department's address named a village (or a group or grid) —
// place_exact — else the town above the place, else its county.
func (s *Store) landing(ctx context.Context, t *tx, st *drainState, ev *feedEvent, in *rules.EventInput) (place, village string, err error) {
	place = ev.place
	if in.Household.ID != 0 && in.Household.PlaceCode != "" {
		place = in.Household.PlaceCode
	}
	if err := placeInfos(ctx, t, st.places, []string{place}); err != nil {
		return "", "", err
	}
	pi := st.places[place]
	if pi == nil {
		return "", "", fmt.Errorf("sqlstore: event %d: unknown place %q", ev.id, place)
	}
	registered := in.Household.ID != 0
	if v, ok := pi.at[safetynet.LevelVillage]; ok && (registered || ev.exact) {
		return place, v, nil
	}
	if town, ok := pi.at[safetynet.LevelTown]; ok {
		return town, "", nil
	}
	if county, ok := pi.at[safetynet.LevelCounty]; ok {
		return county, "", nil
	}
	return place, "", nil
}

// warningActor is the reporter of warnings' clues: the department account
// that pushed the event, else the system.
func (s *Store) warningActor(ctx context.Context, t *tx, st *drainState, username string) (access.Actor, error) {
	if a, ok := st.actors[username]; ok {
		return a, nil
	}
	a := access.Actor{Username: "system", Role: safetynet.RoleAdmin, Place: safetynet.RootPlaceCode, IP: "warnings"}
	var role string
	err := t.queryRow(ctx, `SELECT id, username, role, place_code FROM users WHERE username = ?`, username).
		Scan(&a.UserID, &a.Username, &role, &a.Place)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		a = access.Actor{Username: "system", Role: safetynet.RoleAdmin, Place: safetynet.RootPlaceCode, IP: "warnings"}
	case err != nil:
		return a, fmt.Errorf("sqlstore: warning reporter: %w", err)
	default:
		a.Role, a.IP = safetynet.Role(role), "warnings"
	}
	st.actors[username] = a
	return a, nil
}

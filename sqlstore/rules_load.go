package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/rules"
)

// ruleHousehold is a household loaded for screening with its place.
type ruleHousehold struct {
	rules.Household
	place string
}

// idList renders ids as an IN list of placeholders with its arguments.
func idList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

// chunkSel selects the rows of a chunk of households: by a range of
// household ids when the chunk's ids are dense enough (one range scan of
// an index, one statement prepared once), else by the list of ids. Rows
// of other households in the range are dropped by the caller (has).
type chunkSel struct {
	ids    []int64
	at     map[int64]int // household id → its index in ids
	lo, hi int64
	dense  bool
}

func newChunkSel(ids []int64) chunkSel {
	c := chunkSel{ids: ids, at: make(map[int64]int, len(ids))}
	for i, id := range ids {
		c.at[id] = i
		if i == 0 || id < c.lo {
			c.lo = id
		}
		if id > c.hi {
			c.hi = id
		}
	}
	// A range up to twice the chunk: reading the narrow index over the
	// households in between costs less than a look-up per household; a
	// county's households spread over the register's ids (the preview of a
	// rule) are looked up one by one.
	c.dense = len(ids) > 0 && c.hi-c.lo < 2*int64(len(ids))+64
	return c
}

// where is the condition on col (a household id column) and its arguments.
func (c chunkSel) where(col string) (string, []any) {
	if c.dense {
		return col + " BETWEEN ? AND ?", []any{c.lo, c.hi}
	}
	in, args := idList(c.ids)
	return col + " IN " + in, args
}

// has reports whether id is one of the chunk's households.
func (c chunkSel) has(id int64) bool { _, ok := c.at[id]; return ok }

// personRuleCols is what screening reads of a person: its id, its
// household and, packed in one text, the codes and values rules read
// (vocabulary codes, checked when written, hold no '|'). One text column
// instead of ten: the driver's cost is per column and per text read.
const personRuleCols = `id, household_id, relation || '|' || birth_date || '|' || sex || '|' || disability_kind || '|' ||
	disability_grade || '|' || health || '|' || education || '|' || in_school || '|' || labour || '|' || status`

func scanRulePerson(rows interface{ Scan(...any) error }) (safetynet.Person, error) {
	var p safetynet.Person
	var packed string
	if err := rows.Scan(&p.ID, &p.HouseholdID, &packed); err != nil {
		return p, err
	}
	var f [10]string
	n := 0
	for n < len(f)-1 {
		i := strings.IndexByte(packed, '|')
		if i < 0 {
			break
		}
		f[n], packed = packed[:i], packed[i+1:]
		n++
	}
	f[n] = packed
	if n != len(f)-1 {
		return p, fmt.Errorf("sqlstore: person %d: %d fields read for screening, want %d", p.ID, n+1, len(f))
	}
	grade, err1 := strconv.Atoi(f[4])
	school, err2 := strconv.Atoi(f[7])
	if err := errors.Join(err1, err2); err != nil {
		return p, fmt.Errorf("sqlstore: person %d: %w", p.ID, err)
	}
	p.Relation, p.Birth, p.Sex, p.DisabilityKind, p.DisabilityGrade = f[0], parseDate(f[1]), f[2], f[3], grade
	p.Health, p.Education, p.InSchool, p.Labour, p.Status = f[5], f[6], school == 1, f[8], f[9]
	return p, nil
}

// loadRuleHouseholds reads the active households whose id is in ids, with
// their persons (living, deceased, and those who moved to another
// household: h.former_members), categories and measures in force at day,
// as rules see them, in the order of their ids. Nothing secret is read:
// IDs and phones stay sealed. Every read is a range scan of an index
// holding the columns read (migration rules/0002) when the ids are dense;
// the members of a chunk share two arrays (members and former members).
func (s *Store) loadRuleHouseholds(ctx context.Context, t *tx, ids []int64, day time.Time) ([]ruleHousehold, error) {
	hs, err := s.ruleHouseholdRows(ctx, t, ids)
	if err != nil || len(hs) == 0 {
		return nil, err
	}
	return hs, s.fillRuleHouseholds(ctx, t, hs, day)
}

// ruleHouseholdRows reads the active households of ids, in the order of
// their ids, without their members, categories and measures.
func (s *Store) ruleHouseholdRows(ctx context.Context, t *tx, ids []int64) ([]ruleHousehold, error) {
	hs, _, err := s.ruleHouseholdRowsSeq(ctx, t, ids)
	return hs, err
}

// ruleHouseholdRowsSeq is ruleHouseholdRows, with the change counter
// (households.screen_seq) of every household of ids, active or not.
func (s *Store) ruleHouseholdRowsSeq(ctx context.Context, t *tx, ids []int64) ([]ruleHousehold, map[int64]int64, error) {
	if len(ids) == 0 {
		return nil, nil, nil
	}
	sel := newChunkSel(ids)
	cond, args := sel.where("id")
	rows, err := t.query(ctx, `SELECT id, place_code, income_year, income_fen, housing, water, status, screen_seq FROM households
		WHERE `+cond+` ORDER BY id`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlstore: households to screen: %w", err)
	}
	defer rows.Close()
	out := make([]ruleHousehold, 0, len(ids))
	seq := make(map[int64]int64, len(ids))
	for rows.Next() {
		var h safetynet.Household
		var status string
		var n int64
		if err := rows.Scan(&h.ID, &h.PlaceCode, &h.IncomeYear, &h.IncomeFen, &h.Housing, &h.Water, &status, &n); err != nil {
			return nil, nil, err
		}
		if !sel.has(h.ID) {
			continue
		}
		seq[h.ID] = n
		if status == "active" {
			out = append(out, ruleHousehold{Household: rules.HouseholdOf(&h, nil), place: h.PlaceCode})
		}
	}
	return out, seq, rows.Err()
}

// screenSeqs reads the change counters of the chunk's households; on
// PostgreSQL it locks their rows FOR SHARE until t ends, so that no change
// queues them between this read and the answers written from it.
func screenSeqs(ctx context.Context, t *tx, ids []int64) (map[int64]int64, error) {
	sel := newChunkSel(ids)
	cond, args := sel.where("id")
	q := `SELECT id, screen_seq FROM households WHERE ` + cond
	if t.d.name == "postgres" {
		q += ` ORDER BY id FOR SHARE`
	}
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: households' change counters: %w", err)
	}
	defer rows.Close()
	seq := make(map[int64]int64, len(ids))
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		if sel.has(id) {
			seq[id] = n
		}
	}
	return seq, rows.Err()
}

// fillRuleHouseholds adds to the households hs (from ruleHouseholdRows)
// their members and former members, the categories held and the measures
// in force at day: everything of a chunk a rule reads is filled here.
func (s *Store) fillRuleHouseholds(ctx context.Context, t *tx, hs []ruleHousehold, day time.Time) error {
	if len(hs) == 0 {
		return nil
	}
	ids := make([]int64, len(hs))
	idx := make(map[int64]int, len(hs))
	for i := range hs {
		ids[i] = hs[i].ID
		idx[hs[i].ID] = i
	}
	sel := newChunkSel(ids)
	if err := s.loadRuleMembers(ctx, t, sel, idx, hs, day); err != nil {
		return err
	}
	cond, args := sel.where("c.household_id")
	rows, err := t.query(ctx, `SELECT c.household_id, m.measure, m.period_start, m.period_end FROM cases c
		JOIN case_measures m ON m.case_id = c.id WHERE `+cond+` AND m.kind = 'application' AND m.status = 'approved'`, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: measures to screen: %w", err)
	}
	defer rows.Close()
	d := dateStr(day)
	for rows.Next() {
		var hid int64
		var code, ps, pe string
		if err := rows.Scan(&hid, &code, &ps, &pe); err != nil {
			return err
		}
		if (ps == "" || ps <= d) && (pe == "" || pe >= d) {
			if i, ok := idx[hid]; ok {
				hs[i].Measures = append(hs[i].Measures, code)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return s.fillColourFacts(ctx, t, hs, day) // h.monitored … h.overdue_steps (colours_facts.go)
}

// memberAt is where a person of the chunk is: its household's index and
// whether it is a former member, and its index in that list.
type memberAt struct {
	household, at int
	former        bool
}

// loadRuleMembers fills the members and former members of the chunk's
// households out (idx: household id → index), with the categories they
// and the households hold now.
func (s *Store) loadRuleMembers(ctx context.Context, t *tx, sel chunkSel, idx map[int64]int, out []ruleHousehold, day time.Time) error {
	cond, args := sel.where("household_id")
	rows, err := t.query(ctx, `SELECT `+personRuleCols+` FROM persons WHERE `+cond+` ORDER BY household_id, id`, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: persons to screen: %w", err)
	}
	// Rows come household by household: each household's members are a
	// run of one shared array, sliced at the end.
	type run struct{ lo, hi, flo, fhi int }
	runs := make([]run, len(out))
	members := make([]rules.Member, 0, 4*len(out))
	var former []rules.Member
	pat := make(map[int64]memberAt, 4*len(out))
	cur := -1
	for rows.Next() {
		p, err := scanRulePerson(rows)
		if err != nil {
			rows.Close()
			return err
		}
		i, ok := idx[p.HouseholdID]
		if !ok {
			continue
		}
		if i != cur {
			runs[i] = run{len(members), len(members), len(former), len(former)}
			cur = i
		}
		m := rules.MemberOf(&p, day)
		if m.Deceased || m.MovedAway {
			pat[p.ID] = memberAt{household: i, at: len(former), former: true}
			former = append(former, m)
			runs[i].fhi = len(former)
		} else {
			pat[p.ID] = memberAt{household: i, at: len(members)}
			members = append(members, m)
			runs[i].hi = len(members)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, r := range runs {
		if r.hi > r.lo {
			out[i].Members = members[r.lo:r.hi:r.hi]
		}
		if r.fhi > r.flo {
			out[i].Former = former[r.flo:r.fhi:r.fhi]
		}
	}
	rows, err = t.query(ctx, `SELECT subject_id, household_id, subject || '|' || category FROM assignments
		WHERE `+cond+` AND end_date = ''`, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: categories to screen: %w", err)
	}
	for rows.Next() {
		var sid, hid int64
		var packed string
		if err := rows.Scan(&sid, &hid, &packed); err != nil {
			rows.Close()
			return err
		}
		subject, cat, _ := strings.Cut(packed, "|")
		if subject == string(safetynet.SubjectHousehold) {
			if i, ok := idx[sid]; ok {
				out[i].Categories = append(out[i].Categories, cat)
			}
			continue
		}
		at, ok := pat[sid]
		if !ok || out[at.household].ID != hid {
			continue
		}
		m := &members[at.at] // the household's Members share the array
		if at.former {
			m = &former[at.at]
		}
		m.Categories = append(m.Categories, cat)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return s.loadFormerMovers(ctx, t, sel, idx, pat, out, day)
}

// loadFormerMovers adds to the former members of the chunk's households
// the persons who left one for another household (moved, split off):
// their membership there ended and they are no longer among its persons
// (pat). They keep the relation they had there and the person categories
// they hold now.
func (s *Store) loadFormerMovers(ctx context.Context, t *tx, sel chunkSel, idx map[int64]int, pat map[int64]memberAt,
	out []ruleHousehold, day time.Time) error {
	cond, args := sel.where("household_id")
	rows, err := t.query(ctx, `SELECT household_id, person_id, relation FROM memberships WHERE `+cond+` AND end_date <> ''
		ORDER BY household_id, id`, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: former members to screen: %w", err)
	}
	type left struct {
		household int
		person    int64
		relation  string
	}
	var gone []left
	seen := map[[2]int64]int{}
	for rows.Next() {
		var hid, pid int64
		var rel string
		if err := rows.Scan(&hid, &pid, &rel); err != nil {
			rows.Close()
			return err
		}
		i, ok := idx[hid]
		if !ok {
			continue
		}
		if at, ok := pat[pid]; ok && at.household == i {
			continue // still a person of the household (deceased, or came back)
		}
		k := [2]int64{hid, pid}
		if j, ok := seen[k]; ok {
			gone[j].relation = rel // the latest membership there
			continue
		}
		seen[k] = len(gone)
		gone = append(gone, left{household: i, person: pid, relation: rel})
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(gone) == 0 {
		return err
	}
	pids := make([]int64, len(gone))
	for j, g := range gone {
		pids[j] = g.person
	}
	byID := map[int64]rules.Member{}
	for part := range slices.Chunk(uniqueIDs(pids), 500) {
		in, pargs := idList(part)
		rows, err := t.query(ctx, `SELECT `+personRuleCols+` FROM persons WHERE id IN `+in, pargs...)
		if err != nil {
			return fmt.Errorf("sqlstore: former members to screen: %w", err)
		}
		for rows.Next() {
			p, err := scanRulePerson(rows)
			if err != nil {
				rows.Close()
				return err
			}
			byID[p.ID] = rules.MemberOf(&p, day)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = t.query(ctx, `SELECT subject_id, category FROM assignments WHERE subject = 'person' AND subject_id IN `+in+`
			AND end_date = ''`, pargs...)
		if err != nil {
			return fmt.Errorf("sqlstore: former members' categories: %w", err)
		}
		for rows.Next() {
			var pid int64
			var cat string
			if err := rows.Scan(&pid, &cat); err != nil {
				rows.Close()
				return err
			}
			if m, ok := byID[pid]; ok {
				m.Categories = append(m.Categories, cat)
				byID[pid] = m
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, g := range gone {
		m, ok := byID[g.person]
		if !ok {
			continue
		}
		m.MovedAway = true
		m.Relation = rules.RelationLabel(g.relation)
		m.Categories = slices.Clone(m.Categories)
		out[g.household].Former = append(out[g.household].Former, m)
	}
	return nil
}

func uniqueIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// EachRuleHousehold calls fn with the active households of place's
// subtree as rules see them, chunk after chunk, in a snapshot: for tools
// and benchmarks that evaluate without storing (the baseline of `bench
// --suite rules`). Memory stays at one chunk.
func (s *Store) EachRuleHousehold(ctx context.Context, place string, chunk int, fn func([]rules.Household) error) error {
	if place == "" {
		place = safetynet.RootPlaceCode
	}
	cond, args := scopeClause(subtree(place), "place_code")
	return s.snapshot(ctx, func(t *tx) error {
		var last int64
		for {
			ids, err := householdIDs(ctx, t, cond, args, last, chunk)
			if err != nil || len(ids) == 0 {
				return err
			}
			last = ids[len(ids)-1]
			hs, err := s.loadRuleHouseholds(ctx, t, ids, s.now())
			if err != nil {
				return err
			}
			batch := make([]rules.Household, len(hs))
			for i := range hs {
				batch[i] = hs[i].Household
			}
			if err := fn(batch); err != nil {
				return err
			}
		}
	})
}

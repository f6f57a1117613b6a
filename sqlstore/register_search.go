package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
)

// SearchHit is a person found by the register search.
type SearchHit struct {
	Person    safetynet.Person
	Household safetynet.Household
	MatchedBy string // "id_number", "phone" or "text"
}

// Search finds persons in the actor's scope from one search box: a full ID
// number (18 or 15 characters) or phone number finds exact matches through
// their blind indexes; anything else is a name or address, every word of
// which must appear (a Chinese word as a phrase of its characters, so
// 2-character names work). Households are found through their members.
func (s *Store) Search(ctx context.Context, a access.Actor, q string, limit int) ([]SearchHit, error) {
	if err := a.Require(access.RegisterView); err != nil {
		return nil, err
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	if len([]rune(q)) > 100 {
		return nil, safetynet.Invalid("q", "搜索内容过长", "the search text is too long")
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	where, args := registerScope(a, "p.place_code")
	var cond, by string
	var condArgs []any
	if id, err := idcard.Parse(q); err == nil || idcard.IsLegacy(err) {
		idx, err := s.blindIndex(id.Number(), idxIDNumber)
		if err != nil {
			return nil, err
		}
		cond, condArgs, by = "p.id_idx = ?", []any{idx}, "id_number"
	} else if phone, err := safetynet.NormalizePhone(q); err == nil && isDigits(q) {
		idx, err := s.blindIndex(phone, idxPhone)
		if err != nil {
			return nil, err
		}
		// Two indexed lookups joined, rather than an OR that scans.
		cond, condArgs, by = `p.id IN (SELECT id FROM persons WHERE phone_idx = ?
			UNION SELECT id FROM persons WHERE household_id IN (SELECT id FROM households WHERE phone_idx = ?))`, []any{idx, idx}, "phone"
	} else {
		by = "text"
	}
	var out []SearchHit
	err := s.read(ctx, func(t *tx) error {
		if by == "text" {
			key, err := searchKey(ctx, t, a.Scope(access.Register))
			if err != nil {
				return err
			}
			match := s.d.textMatch(q, key)
			if match.arg == "" {
				return nil
			}
			cond, condArgs = match.cond, []any{match.arg}
		}
		query := `SELECT ` + personCols + `, ` + householdCols + ` FROM persons p JOIN households h ON h.id = p.household_id
		JOIN places pl ON pl.code = h.place_code WHERE ` + cond + ` AND ` + where + `
		ORDER BY CASE WHEN p.status = 'active' THEN 0 ELSE 1 END, CASE WHEN p.name = ? THEN 0 ELSE 1 END, p.id LIMIT ?`
		rows, err := t.query(ctx, query, append(append(condArgs, args...), q, limit)...)
		if err != nil {
			return fmt.Errorf("sqlstore: search: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var hit SearchHit
			var hh safetynet.Household
			var phone []byte
			var created, updated int64
			hit.Person, err = s.scanPerson(rows, false, &hh.ID, &hh.Number, &hh.PlaceCode, &hh.PlaceName, &hh.Address, &phone,
				&hh.HeadID, &hh.HeadName, &hh.Members, &hh.IncomeYear, &hh.IncomeFen, &hh.Housing, &hh.Water, &hh.Notes, &hh.Status,
				&hh.MergedInto, &hh.Version, &created, &updated)
			if err != nil {
				return fmt.Errorf("sqlstore: search: %w", err)
			}
			hit.Household, hit.MatchedBy = hh, by
			out = append(out, hit)
		}
		return rows.Err()
	})
	return out, err
}

func isDigits(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			n++
		case r == ' ' || r == '-' || r == '+':
		default:
			return false
		}
	}
	return n >= 7
}

// textQuery is a full-text condition on persons p with its argument.
type textQuery struct {
	cond string
	arg  string
}

// textMatch builds the dialect's full-text condition: every word of q as
// a phrase of its tokens, keyed by key if not "" (see scopedWord).
func (d dialect) textMatch(q, key string) textQuery {
	var phrases []string
	for _, w := range strings.Fields(q) {
		sp := spaced(w)
		if sp == "" {
			continue
		}
		if key != "" {
			toks := strings.Fields(sp)
			for i, t := range toks {
				toks[i] = scopedWord(key, t)
			}
			sp = strings.Join(toks, " ")
		}
		phrases = append(phrases, sp) // tokens separated by single spaces
	}
	if len(phrases) == 0 {
		return textQuery{}
	}
	if d.name == "postgres" {
		parts := make([]string, len(phrases))
		for i, p := range phrases {
			toks := strings.Fields(p)
			for j, t := range toks {
				toks[j] = "'" + t + "'"
			}
			parts[i] = strings.Join(toks, " <-> ")
		}
		return textQuery{cond: "p.search_tsv @@ to_tsquery('simple', ?)", arg: strings.Join(parts, " & ")}
	}
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		parts[i] = `"` + p + `"`
	}
	return textQuery{cond: "p.id IN (SELECT rowid FROM person_fts WHERE person_fts MATCH ?)", arg: strings.Join(parts, " AND ")}
}

// Search cost follows the user's scope. A common 2-character name matches
// persons in every county; matching them all and then keeping those in
// the user's scope made a search slower as the whole register grew. So a
// person's search text holds its words twice more for each of its place's
// ancestors at county, town and village level, each word keyed by that
// ancestor's code (scopedWord), and a search looks up the words keyed by
// the user's scope: the index itself finds only persons of that county,
// town or village. The scope clause stays as it was, so a user whose scope
// is a group or grid (keyed by its village) sees exactly their own.
//
// searchFormat is the first word of the current format; persons stored
// in an older one are rewritten by reindexSearch when the schema is
// migrated.
const searchFormat = "sn1"

// scopeKeyLevels are the levels whose codes key search words.
var scopeKeyLevels = "'county', 'town', 'village'"

// searchText is a person's search text in the current format for a
// person at place.
func (t *tx) searchText(ctx context.Context, name, address, place string) (string, error) {
	keys, err := t.scopeKeys(ctx, place)
	if err != nil {
		return "", err
	}
	return buildSearchText(name, address, keys), nil
}

func buildSearchText(name, address string, keys []string) string {
	plain := wordsText(name, address)
	words := strings.Fields(plain)
	var b strings.Builder
	b.Grow(len(plain) + 4 + len(keys)*len(words)*18)
	b.WriteString(searchFormat)
	b.WriteByte(' ')
	b.WriteString(plain)
	for _, k := range keys {
		for _, w := range words {
			b.WriteByte(' ')
			b.WriteString(scopedWord(k, w))
		}
	}
	return b.String()
}

// scopedWord is word keyed by a place code: one ASCII word that both
// full-text indexes keep whole.
func scopedWord(code, word string) string {
	h := fnv.New64a()
	h.Write([]byte(code))
	h.Write([]byte{0})
	h.Write([]byte(word))
	const digits = "0123456789abcdef"
	var b [17]byte
	b[0] = 'z'
	v := h.Sum64()
	for i := 16; i >= 1; i-- {
		b[i] = digits[v&15]
		v >>= 4
	}
	return string(b[:])
}

// scopeKeys lists the codes of place and its ancestors at the key
// levels, once per transaction and place.
func (t *tx) scopeKeys(ctx context.Context, place string) ([]string, error) {
	if k, ok := t.keysOf[place]; ok {
		return k, nil
	}
	rows, err := t.query(ctx, `SELECT p.code FROM place_tree pt JOIN places p ON p.code = pt.ancestor
		WHERE pt.descendant = ? AND p.level IN (`+scopeKeyLevels+`) ORDER BY pt.depth DESC`, place)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: search keys of %s: %w", place, err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		keys = append(keys, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: search keys of %s: %w", place, err)
	}
	if t.keysOf == nil {
		t.keysOf = map[string][]string{}
	}
	t.keysOf[place] = keys
	return keys, nil
}

// searchKey is the code that keys the words a user in scope searches:
// the scope's place or its nearest ancestor at a key level; "" when the
// scope is above every county (a province or the whole country).
func searchKey(ctx context.Context, t *tx, sc access.Scope) (string, error) {
	if sc.Kind != access.ScopeSubtree || sc.Place == safetynet.RootPlaceCode {
		return "", nil
	}
	var code string
	err := t.queryRow(ctx, `SELECT p.code FROM place_tree pt JOIN places p ON p.code = pt.ancestor
		WHERE pt.descendant = ? AND p.level IN (`+scopeKeyLevels+`) ORDER BY pt.depth LIMIT 1`, sc.Place).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqlstore: search key: %w", err)
	}
	return code, nil
}

// reindexBatch is the persons rewritten per transaction by reindexSearch.
const reindexBatch = 2000

// reindexSearch rewrites the search text of persons stored in an older
// format (found through a partial index, so a register already in the
// current format costs one probe). It runs when the schema is migrated.
func (s *Store) reindexSearch(ctx context.Context) error {
	for {
		n := 0
		err := s.write(ctx, func(t *tx) error {
			rows, err := t.query(ctx, `SELECT p.id, p.name, h.address, p.place_code FROM persons p JOIN households h ON h.id = p.household_id
				WHERE p.search_text NOT LIKE 'sn1 %' LIMIT ?`, reindexBatch)
			if err != nil {
				return fmt.Errorf("sqlstore: reindex search: %w", err)
			}
			type person struct {
				id                   int64
				name, address, place string
			}
			var ps []person
			for rows.Next() {
				var p person
				if err := rows.Scan(&p.id, &p.name, &p.address, &p.place); err != nil {
					rows.Close()
					return err
				}
				ps = append(ps, p)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, p := range ps {
				text, err := t.searchText(ctx, p.name, p.address, p.place)
				if err != nil {
					return err
				}
				if _, err := t.exec(ctx, `UPDATE persons SET search_text = ? WHERE id = ?`, text, p.id); err != nil {
					return fmt.Errorf("sqlstore: reindex search: %w", err)
				}
			}
			n = len(ps)
			return nil
		})
		if err != nil || n < reindexBatch {
			return err
		}
	}
}

package sqlstore

import (
	"context"
	"fmt"
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
		match := s.d.textMatch(q)
		if match.arg == "" {
			return nil, nil
		}
		cond, condArgs, by = match.cond, []any{match.arg}, "text"
	}
	query := `SELECT ` + personCols + `, ` + householdCols + ` FROM persons p JOIN households h ON h.id = p.household_id
		JOIN places pl ON pl.code = h.place_code WHERE ` + cond + ` AND ` + where + `
		ORDER BY CASE WHEN p.status = 'active' THEN 0 ELSE 1 END, CASE WHEN p.name = ? THEN 0 ELSE 1 END, p.id LIMIT ?`
	args = append(append(condArgs, args...), q, limit)
	var out []SearchHit
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, query, args...)
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
// a phrase of its tokens.
func (d dialect) textMatch(q string) textQuery {
	var phrases []string
	for _, w := range strings.Fields(q) {
		if sp := spaced(w); sp != "" {
			phrases = append(phrases, sp) // tokens separated by single spaces
		}
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

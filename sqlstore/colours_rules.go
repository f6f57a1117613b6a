package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
)

// ColourRuleSet is a county's red and yellow rules: the version in force
// (Published 0: the defaults) or one published version.
type ColourRuleSet struct {
	County, CountyName string
	Red, Yellow        string
	Published          int // the version number, 0 for the defaults
	// Version is the edit version for stale-write checks: one more than
	// the versions published so far.
	Version     int
	PublishedAt time.Time
	PublishedBy string
}

// ColourCounties lists the counties whose colour rules the actor may read:
// the actor's own county (or the one above the actor's place), or the
// counties under the actor's place.
func (s *Store) ColourCounties(ctx context.Context, a access.Actor) ([]safetynet.Place, error) {
	if err := a.Require(access.RulesView); err != nil {
		return nil, err
	}
	var out []safetynet.Place
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT p.code, p.name FROM places p WHERE p.level = ? AND (
			p.code IN (SELECT ancestor FROM place_tree WHERE descendant = ?) OR p.code IN (SELECT descendant FROM place_tree WHERE ancestor = ?))
			ORDER BY p.code`, string(safetynet.LevelCounty), a.Place, a.Place)
		if err != nil {
			return fmt.Errorf("sqlstore: counties: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			p := safetynet.Place{Level: safetynet.LevelCounty}
			if err := rows.Scan(&p.Code, &p.Name); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

var errCountyNotFound = safetynet.NotFound("县（区）", "county")

// colourCounty checks that county is a county the actor may read (above
// or under the actor's place) and returns its name.
func colourCounty(ctx context.Context, t *tx, a access.Actor, county string) (string, error) {
	var name string
	err := t.queryRow(ctx, `SELECT p.name FROM places p WHERE p.code = ? AND p.level = ? AND (
		EXISTS (SELECT 1 FROM place_tree WHERE ancestor = p.code AND descendant = ?) OR
		EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = p.code))`,
		county, string(safetynet.LevelCounty), a.Place, a.Place).Scan(&name)
	if err != nil {
		return "", errCountyNotFound
	}
	return name, nil
}

// ColourRules returns the colour rules in force in county and every
// version it published, newest first.
func (s *Store) ColourRules(ctx context.Context, a access.Actor, county string) (ColourRuleSet, []ColourRuleSet, error) {
	if err := a.Require(access.RulesView); err != nil {
		return ColourRuleSet{}, nil, err
	}
	var cur ColourRuleSet
	var versions []ColourRuleSet
	err := s.read(ctx, func(t *tx) error {
		name, err := colourCounty(ctx, t, a, county)
		if err != nil {
			return err
		}
		cur = ColourRuleSet{County: county, CountyName: name}
		if cur.Red, cur.Yellow, cur.Published, err = colourSources(ctx, t, county); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT number, red, yellow, published_at, published_by FROM colour_rule_versions
			WHERE place_code = ? ORDER BY number DESC`, county)
		if err != nil {
			return fmt.Errorf("sqlstore: colour rule versions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			v := ColourRuleSet{County: county, CountyName: name}
			var at int64
			if err := rows.Scan(&v.Published, &v.Red, &v.Yellow, &at, &v.PublishedBy); err != nil {
				return err
			}
			v.PublishedAt = fromMS(at)
			if v.Published == cur.Published {
				cur.PublishedAt, cur.PublishedBy = v.PublishedAt, v.PublishedBy
			}
			versions = append(versions, v)
		}
		cur.Version = len(versions) + 1
		return rows.Err()
	})
	return cur, versions, err
}

// checkColourRules compiles both texts, naming the field of the first
// that does not compile.
func checkColourRules(env *rules.Env, red, yellow string) (rules.ColourRules, error) {
	var cr rules.ColourRules
	for _, f := range []struct {
		field, src string
		dst        **rules.Program
	}{{"red", red, &cr.Red}, {"yellow", yellow, &cr.Yellow}} {
		if strings.TrimSpace(f.src) == "" {
			return cr, safetynet.Invalid(f.field, "请填写规则", "the rule is empty")
		}
		p, err := env.Check(f.src)
		if err != nil {
			var ce *rules.CompileError
			if errors.As(err, &ce) && len(ce.Issues) > 0 {
				is := ce.Issues[0]
				return cr, safetynet.Text(safetynet.EInvalid, f.field, fmt.Sprintf("第%d行第%d列：%s", is.Line, is.Column, is.ZH),
					fmt.Sprintf("line %d, column %d: %s", is.Line, is.Column, is.EN))
			}
			return cr, safetynet.Invalid(f.field, "规则无法编译", "the rule does not compile")
		}
		*f.dst = p
	}
	return cr, nil
}

// ColourPreview counts the monitored households of a county in the
// actor's scope by colour, under proposed rules and as stored now.
type ColourPreview struct {
	Counts  map[string]int // under the proposed rules
	Current map[string]int // as stored
	Total   int
	Errors  int // households on which a proposed rule fails (counted red)
}

// PreviewColours evaluates proposed colour rules of county on its
// monitored households in the actor's scope, without saving anything.
func (s *Store) PreviewColours(ctx context.Context, a access.Actor, county, red, yellow string) (ColourPreview, error) {
	pv := ColourPreview{Counts: map[string]int{}, Current: map[string]int{}}
	if err := a.Require(access.RulesEdit); err != nil {
		return pv, err
	}
	env, err := s.RulesEnv(ctx)
	if err != nil {
		return pv, err
	}
	cr, err := checkColourRules(env, red, yellow)
	if err != nil {
		return pv, err
	}
	err = s.snapshot(ctx, func(t *tx) error {
		if _, err := colourCounty(ctx, t, a, county); err != nil {
			return err
		}
		params, err := s.countyParams(ctx, t, county, s.now().Year())
		if err != nil {
			return err
		}
		ids, err := monitoredIn(ctx, t, a, county)
		if err != nil {
			return err
		}
		for len(ids) > 0 {
			n := min(len(ids), 1000)
			hs, err := s.loadRuleHouseholds(ctx, t, ids[:n], s.now())
			if err != nil {
				return err
			}
			ids = ids[n:]
			for i := range hs {
				got := rules.DecideColour(ctx, cr, params, &hs[i].Household)
				if got.Colour == "" {
					continue
				}
				pv.Total++
				pv.Counts[got.Colour]++
				if strings.Contains(got.ZH, "规则计算出错") {
					pv.Errors++
				}
			}
		}
		pv.Current, err = colourCounts(ctx, t, a, county)
		return err
	})
	return pv, err
}

// monitoredIn lists the active monitored households of county in the
// actor's scope.
func monitoredIn(ctx context.Context, t *tx, a access.Actor, county string) ([]int64, error) {
	cond, args := registerScope(a, "h.place_code")
	cats, catArgs := monitoredCats()
	rows, err := t.query(ctx, `SELECT h.id FROM households h WHERE h.status = 'active'
		AND h.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) AND `+cond+`
		AND EXISTS (SELECT 1 FROM assignments x WHERE x.household_id = h.id AND x.subject = 'household' AND x.end_date = ''
			AND x.category IN `+cats+`) ORDER BY h.id`, append(append([]any{county}, args...), catArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: monitored households: %w", err)
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
	return ids, rows.Err()
}

// monitoredCats is the IN list of the monitored categories' codes.
func monitoredCats() (string, []any) {
	var codes []any
	for _, c := range safetynet.Categories {
		if c.Monitored {
			codes = append(codes, c.Code)
		}
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", len(codes)), ", ") + ")", codes
}

// PublishColourRules publishes county's red and yellow rules as a new
// version (version is ColourRuleSet.Version, for stale writes) and queues
// the county's monitored households, which take their new colours within
// seconds. It returns the version number published.
func (s *Store) PublishColourRules(ctx context.Context, a access.Actor, county, red, yellow string, version int) (int, error) {
	if err := a.Require(access.RulesEdit); err != nil {
		return 0, err
	}
	env, err := s.RulesEnv(ctx)
	if err != nil {
		return 0, err
	}
	var number int
	err = s.write(ctx, func(t *tx) error {
		// Scope first: a county outside the area is not found, whatever the text.
		if _, err := colourCounty(ctx, t, a, county); err != nil {
			return err
		}
		if err := t.queryRow(ctx, `SELECT COALESCE(MAX(number), 0) FROM colour_rule_versions WHERE place_code = ?`, county).
			Scan(&number); err != nil {
			return fmt.Errorf("sqlstore: colour rules: %w", err)
		}
		if version != number+1 {
			return s.conflict(ctx, t, "colour_rules", county)
		}
		if _, err := checkColourRules(env, red, yellow); err != nil {
			return err
		}
		number++
		now := ms(s.now())
		if _, err := t.exec(ctx, `INSERT INTO colour_rule_versions (place_code, number, red, yellow, published_at, published_by)
			VALUES (?, ?, ?, ?, ?, ?)`, county, number, red, yellow, now, a.Username); err != nil {
			return fmt.Errorf("sqlstore: publish colour rules: %w", err)
		}
		if _, err := t.exec(ctx, `INSERT INTO colour_rules (place_code, published, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (place_code) DO UPDATE SET published = excluded.published, updated_at = excluded.updated_at,
			updated_by = excluded.updated_by`, county, number, now, a.Username); err != nil {
			return fmt.Errorf("sqlstore: publish colour rules: %w", err)
		}
		cats, catArgs := monitoredCats()
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO screening_queue (household_id, queued_at) SELECT household_id, ? FROM household_colours WHERE county = ?
				ON CONFLICT (household_id) DO NOTHING`, []any{now, county}},
			{`INSERT INTO screening_queue (household_id, queued_at) SELECT DISTINCT h.id, CAST(? AS BIGINT) FROM households h
				JOIN assignments x ON x.household_id = h.id AND x.subject = 'household' AND x.end_date = '' AND x.category IN ` + cats + `
				WHERE h.status = 'active' AND h.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)
				ON CONFLICT (household_id) DO NOTHING`, append(append([]any{now}, catArgs...), county)},
		} {
			if _, err := t.exec(ctx, q.sql, q.args...); err != nil {
				return fmt.Errorf("sqlstore: queue households for colours: %w", err)
			}
		}
		return s.audit(ctx, t, a, auditRec{action: "colours.publish", objType: "colour_rules", objID: county, place: county,
			detail: map[string]any{"version": number}})
	})
	return number, err
}

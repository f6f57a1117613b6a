package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
)

// RegisterPlace is a place where households may live, with the names of
// its ancestors from the root of the actor's scope.
type RegisterPlace struct {
	Code  string
	Name  string
	Level safetynet.Level
	Path  []string // names from the scope root down to the place, inclusive
}

// Label is the place's path without the scope root, e.g. "腰站社区 › 棠梨湾居民小组".
func (p RegisterPlace) Label() string {
	if len(p.Path) > 1 {
		return strings.Join(p.Path[1:], " › ")
	}
	return p.Name
}

// RegisterPlaces lists the villages, groups and grids of the actor's
// register scope, in tree order, for forms and for resolving the place
// column of ledgers.
func (s *Store) RegisterPlaces(ctx context.Context, a access.Actor) ([]RegisterPlace, error) {
	return s.ScopePlaces(ctx, a, safetynet.LevelVillage, safetynet.LevelGroup, safetynet.LevelGrid)
}

// ScopePlaces lists the places of the given levels in the actor's register
// scope (the scope's root included when of one of them), in tree order,
// each with its path of names: the choices of a form's place select, e.g.
// the county or a town owning a fund source or a campaign.
func (s *Store) ScopePlaces(ctx context.Context, a access.Actor, levels ...safetynet.Level) ([]RegisterPlace, error) {
	if err := a.Require(access.RegisterView); err != nil {
		return nil, err
	}
	want := map[safetynet.Level]bool{}
	for _, l := range levels {
		want[l] = true
	}
	sc := a.Scope(access.Register)
	if sc.Kind != access.ScopeSubtree {
		return nil, nil
	}
	type node struct {
		name, parent string
		level        safetynet.Level
	}
	nodes := map[string]node{}
	var targets []string
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT p.code, p.name, p.level, COALESCE(p.parent_code, '') FROM place_tree pt
			JOIN places p ON p.code = pt.descendant WHERE pt.ancestor = ? ORDER BY p.code`, sc.Place)
		if err != nil {
			return fmt.Errorf("sqlstore: register places: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var code, name, level, parent string
			if err := rows.Scan(&code, &name, &level, &parent); err != nil {
				return err
			}
			nodes[code] = node{name: name, parent: parent, level: safetynet.Level(level)}
			if want[safetynet.Level(level)] {
				targets = append(targets, code)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	out := make([]RegisterPlace, 0, len(targets))
	for _, code := range targets {
		n := nodes[code]
		p := RegisterPlace{Code: code, Name: n.name, Level: n.level}
		for c := code; ; {
			x, ok := nodes[c]
			if !ok {
				break
			}
			p.Path = append([]string{x.name}, p.Path...)
			if c == sc.Place {
				break
			}
			c = x.parent
		}
		out = append(out, p)
	}
	// Codes order the tree: a village, then its groups and their grids.
	return out, nil
}

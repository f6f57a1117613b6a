package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
)

const placeColumns = `p.code, p.name, p.level, COALESCE(p.parent_code, ''), p.version, p.created_at, p.updated_at`

type scanner interface{ Scan(...any) error }

func scanPlace(r scanner, extra ...any) (safetynet.Place, error) {
	var p safetynet.Place
	var level string
	var created, updated int64
	dest := append([]any{&p.Code, &p.Name, &level, &p.ParentCode, &p.Version, &created, &updated}, extra...)
	if err := r.Scan(dest...); err != nil {
		return p, err
	}
	p.Level, p.CreatedAt, p.UpdatedAt = safetynet.Level(level), fromMS(created), fromMS(updated)
	return p, nil
}

var errPlaceNotFound = safetynet.NotFound("地点", "place")

// Place returns the place with code if it is in the actor's scope.
func (s *Store) Place(ctx context.Context, a access.Actor, code string) (safetynet.Place, error) {
	var p safetynet.Place
	err := s.read(ctx, func(t *tx) error {
		var err error
		p, err = s.placeInScope(ctx, t, a.Scope(access.Places), code)
		return err
	})
	return p, err
}

// placeInScope loads a place, answering not found outside sc.
func (s *Store) placeInScope(ctx context.Context, t *tx, sc access.Scope, code string) (safetynet.Place, error) {
	where, args := scopeClause(sc, "p.code")
	row := t.queryRow(ctx, `SELECT `+placeColumns+`,
		(SELECT COUNT(*) FROM places c WHERE c.parent_code = p.code)
		FROM places p WHERE p.code = ? AND `+where, append([]any{code}, args...)...)
	var n int
	p, err := scanPlace(row, &n)
	p.Children = n
	if errors.Is(err, sql.ErrNoRows) {
		return p, errPlaceNotFound
	}
	if err != nil {
		return p, fmt.Errorf("sqlstore: place %s: %w", code, err)
	}
	return p, nil
}

// PlaceChildren returns the children of a place in the actor's scope,
// ordered by code, each with its number of children.
func (s *Store) PlaceChildren(ctx context.Context, a access.Actor, code string) ([]safetynet.Place, error) {
	var out []safetynet.Place
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.placeInScope(ctx, t, a.Scope(access.Places), code); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT `+placeColumns+`,
			(SELECT COUNT(*) FROM places c WHERE c.parent_code = p.code)
			FROM places p WHERE p.parent_code = ? ORDER BY p.code`, code)
		if err != nil {
			return fmt.Errorf("sqlstore: children of %s: %w", code, err)
		}
		defer rows.Close()
		for rows.Next() {
			var n int
			p, err := scanPlace(rows, &n)
			if err != nil {
				return fmt.Errorf("sqlstore: children of %s: %w", code, err)
			}
			p.Children = n
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// PlacePath returns the places from the root of the actor's scope down to
// code, inclusive: the breadcrumbs of a place page.
func (s *Store) PlacePath(ctx context.Context, a access.Actor, code string) ([]safetynet.Place, error) {
	sc := a.Scope(access.Places)
	var out []safetynet.Place
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.placeInScope(ctx, t, sc, code); err != nil {
			return err
		}
		where, args := scopeClause(sc, "p.code")
		rows, err := t.query(ctx, `SELECT `+placeColumns+` FROM place_tree pt
			JOIN places p ON p.code = pt.ancestor
			WHERE pt.descendant = ? AND `+where+` ORDER BY pt.depth DESC`, append([]any{code}, args...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: path of %s: %w", code, err)
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPlace(rows)
			if err != nil {
				return fmt.Errorf("sqlstore: path of %s: %w", code, err)
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// SearchPlaces finds places in the actor's scope whose name contains q or
// whose code starts with it, shallowest first.
func (s *Store) SearchPlaces(ctx context.Context, a access.Actor, q string, limit int) ([]safetynet.Place, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	sc := a.Scope(access.Places)
	where, args := scopeClause(sc, "p.code")
	var out []safetynet.Place
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+placeColumns+`,
			(SELECT COUNT(*) FROM places c WHERE c.parent_code = p.code)
			FROM places p JOIN place_tree d ON d.descendant = p.code AND d.ancestor = ?
			WHERE (p.name LIKE ? ESCAPE '\' OR p.code LIKE ? ESCAPE '\') AND `+where+`
			ORDER BY d.depth, p.code LIMIT ?`,
			append([]any{safetynet.RootPlaceCode, "%" + likeEscape(q) + "%", likePrefix(q)}, append(args, limit)...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: search places: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var n int
			p, err := scanPlace(rows, &n)
			if err != nil {
				return fmt.Errorf("sqlstore: search places: %w", err)
			}
			p.Children = n
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// CreatePlace adds a place under an existing parent in the actor's scope.
// An empty code is generated from the parent's: "<parent>-NN".
func (s *Store) CreatePlace(ctx context.Context, a access.Actor, in safetynet.PlaceInput) (safetynet.Place, error) {
	if err := a.Require(access.PlaceManage); err != nil {
		return safetynet.Place{}, err
	}
	name, err := safetynet.CheckPlaceName(in.Name)
	if err != nil {
		return safetynet.Place{}, err
	}
	in.Name = name
	if in.Code != "" {
		if err := safetynet.CheckPlaceCode(in.Code); err != nil {
			return safetynet.Place{}, err
		}
	}
	if !in.Level.Valid() || in.Level == safetynet.LevelCountry {
		return safetynet.Place{}, safetynet.Invalid("level", "级别无效：%q", "unknown level %q", string(in.Level))
	}
	var out safetynet.Place
	err = s.write(ctx, func(t *tx) error {
		parent, err := s.placeInScope(ctx, t, a.Scope(access.Places), in.ParentCode)
		if err != nil {
			if safetynet.CodeOf(err) == safetynet.ENotFound {
				return safetynet.Invalid("parent_code", "上级地点不存在：%s", "parent place %s does not exist", in.ParentCode)
			}
			return err
		}
		if !safetynet.CanContain(parent.Level, in.Level) {
			return levelMismatch("level", parent.Level, in.Level)
		}
		if in.Code == "" {
			if in.Code, err = s.nextChildCode(ctx, t, parent.Code); err != nil {
				return err
			}
		}
		if err := s.insertPlace(ctx, t, in); err != nil {
			return err
		}
		if err := s.audit(ctx, t, a, auditRec{action: "place.create", objType: "place", objID: in.Code, place: in.Code,
			detail: map[string]any{"name": in.Name, "level": in.Level, "parent_code": in.ParentCode}}); err != nil {
			return err
		}
		out, err = s.placeInScope(ctx, t, rootScope, in.Code)
		return err
	})
	return out, err
}

// nextChildCode returns the first free code "<parent>-NN".
func (s *Store) nextChildCode(ctx context.Context, t *tx, parent string) (string, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM places WHERE parent_code = ?`, parent).Scan(&n); err != nil {
		return "", fmt.Errorf("sqlstore: count children: %w", err)
	}
	for i := n + 1; ; i++ {
		code := fmt.Sprintf("%s-%02d", parent, i)
		var one int
		err := t.queryRow(ctx, `SELECT 1 FROM places WHERE code = ?`, code).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return code, nil
		}
		if err != nil {
			return "", fmt.Errorf("sqlstore: next child code: %w", err)
		}
	}
}

// insertPlace inserts a place and its closure rows; the parent must exist.
func (s *Store) insertPlace(ctx context.Context, t *tx, in safetynet.PlaceInput) error {
	now := ms(s.now())
	_, err := t.exec(ctx, `INSERT INTO places (code, name, level, parent_code, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, 1, ?, ?)`, in.Code, in.Name, string(in.Level), in.ParentCode, now, now)
	if classify(err) == errUnique {
		return safetynet.Conflict("code", "代码 %s 已存在", "code %s already exists", in.Code)
	}
	if err != nil {
		return fmt.Errorf("sqlstore: insert place %s: %w", in.Code, err)
	}
	_, err = t.exec(ctx, `INSERT INTO place_tree (ancestor, descendant, depth)
		SELECT ancestor, ?, depth + 1 FROM place_tree WHERE descendant = ?
		UNION ALL SELECT ?, ?, 0`, in.Code, in.ParentCode, in.Code, in.Code)
	if err != nil {
		return fmt.Errorf("sqlstore: place tree for %s: %w", in.Code, err)
	}
	return nil
}

// movePlace re-links the subtree of code under newParent in the closure.
func (s *Store) movePlace(ctx context.Context, t *tx, code, newParent string) error {
	if _, err := t.exec(ctx, `DELETE FROM place_tree
		WHERE descendant IN (SELECT descendant FROM place_tree WHERE ancestor = ?)
		AND ancestor NOT IN (SELECT descendant FROM place_tree WHERE ancestor = ?)`, code, code); err != nil {
		return fmt.Errorf("sqlstore: unlink %s: %w", code, err)
	}
	if _, err := t.exec(ctx, `INSERT INTO place_tree (ancestor, descendant, depth)
		SELECT a.ancestor, d.descendant, a.depth + d.depth + 1
		FROM place_tree a, place_tree d WHERE a.descendant = ? AND d.ancestor = ?`, newParent, code); err != nil {
		return fmt.Errorf("sqlstore: link %s: %w", code, err)
	}
	return nil
}

// isDescendant reports whether d is in the subtree of a (or is a).
func isDescendant(ctx context.Context, t *tx, d, a string) (bool, error) {
	var one int
	err := t.queryRow(ctx, `SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = ?`, a, d).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlstore: ancestry: %w", err)
	}
	return true, nil
}

// UpdatePlace renames and/or moves a place in the actor's scope. The new
// parent must be in scope too, may hold the place's level, and must not
// lie inside the place's own subtree.
func (s *Store) UpdatePlace(ctx context.Context, a access.Actor, code string, u safetynet.PlaceUpdate) (safetynet.Place, error) {
	if err := a.Require(access.PlaceManage); err != nil {
		return safetynet.Place{}, err
	}
	if u.Name != nil {
		name, err := safetynet.CheckPlaceName(*u.Name)
		if err != nil {
			return safetynet.Place{}, err
		}
		u.Name = &name
	}
	sc := a.Scope(access.Places)
	var out safetynet.Place
	err := s.write(ctx, func(t *tx) error {
		p, err := s.placeInScope(ctx, t, sc, code)
		if err != nil {
			return err
		}
		if u.Version != 0 && u.Version != p.Version {
			return s.conflict(ctx, t, "place", code)
		}
		detail := map[string]any{}
		if u.Name != nil && *u.Name != p.Name {
			detail["name"] = map[string]string{"from": p.Name, "to": *u.Name}
			p.Name = *u.Name
		}
		if u.ParentCode != nil && *u.ParentCode != p.ParentCode {
			if err := s.checkMove(ctx, t, a, p, *u.ParentCode); err != nil {
				return err
			}
			if err := s.movePlace(ctx, t, code, *u.ParentCode); err != nil {
				return err
			}
			detail["parent_code"] = map[string]string{"from": p.ParentCode, "to": *u.ParentCode}
			p.ParentCode = *u.ParentCode
		}
		if len(detail) == 0 {
			out = p
			return nil
		}
		if _, err := t.exec(ctx, `UPDATE places SET name = ?, parent_code = ?, version = version + 1, updated_at = ?
			WHERE code = ?`, p.Name, p.ParentCode, ms(s.now()), code); err != nil {
			return fmt.Errorf("sqlstore: update place %s: %w", code, err)
		}
		action := "place.rename"
		if _, moved := detail["parent_code"]; moved {
			action = "place.move"
		}
		if err := s.audit(ctx, t, a, auditRec{action: action, objType: "place", objID: code, place: code, detail: detail}); err != nil {
			return err
		}
		out, err = s.placeInScope(ctx, t, sc, code)
		return err
	})
	return out, err
}

func (s *Store) checkMove(ctx context.Context, t *tx, a access.Actor, p safetynet.Place, newParent string) error {
	if p.Code == a.Place || p.Code == safetynet.RootPlaceCode {
		return safetynet.Invalid("parent_code", "不能移动您负责范围的根地点", "the root of your scope cannot be moved")
	}
	parent, err := s.placeInScope(ctx, t, a.Scope(access.Places), newParent)
	if err != nil {
		if safetynet.CodeOf(err) == safetynet.ENotFound {
			return safetynet.Invalid("parent_code", "上级地点不存在：%s", "parent place %s does not exist", newParent)
		}
		return err
	}
	if !safetynet.CanContain(parent.Level, p.Level) {
		return levelMismatch("parent_code", parent.Level, p.Level)
	}
	inside, err := isDescendant(ctx, t, newParent, p.Code)
	if err != nil {
		return err
	}
	if inside {
		return safetynet.Invalid("parent_code", "不能把地点移到它自己的下级", "a place cannot be moved under itself or its own descendants")
	}
	return nil
}

// levelMismatch reports a child level that parent may not hold.
func levelMismatch(field string, parent, child safetynet.Level) error {
	return safetynet.Text(safetynet.EInvalid, field,
		fmt.Sprintf("%s下不能有%s", parent.Label("zh"), child.Label("zh")),
		fmt.Sprintf("a %s cannot be under a %s", child, parent))
}

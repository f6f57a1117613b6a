package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/auth"
)

const userColumns = `u.id, u.username, u.display_name, u.role, u.place_code, p.name, u.disabled,
	u.must_change_password, u.version, u.created_at, u.updated_at, u.last_login_at`

const userFrom = ` FROM users u JOIN places p ON p.code = u.place_code `

func scanUser(r scanner, extra ...any) (safetynet.User, error) {
	var u safetynet.User
	var role string
	var disabled, must int
	var created, updated, login int64
	dest := append([]any{&u.ID, &u.Username, &u.DisplayName, &role, &u.PlaceCode, &u.PlaceName, &disabled,
		&must, &u.Version, &created, &updated, &login}, extra...)
	if err := r.Scan(dest...); err != nil {
		return u, err
	}
	u.Role, u.Disabled, u.MustChangePassword = safetynet.Role(role), disabled == 1, must == 1
	u.CreatedAt, u.UpdatedAt, u.LastLoginAt = fromMS(created), fromMS(updated), fromMS(login)
	return u, nil
}

var errUserNotFound = safetynet.NotFound("用户", "user")

// userInScope loads a user whose place is in sc.
func (s *Store) userInScope(ctx context.Context, t *tx, sc access.Scope, id int64) (safetynet.User, error) {
	where, args := scopeCheck(sc, "u.place_code")
	u, err := scanUser(t.queryRow(ctx, `SELECT `+userColumns+userFrom+`WHERE u.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errUserNotFound
	}
	if err != nil {
		return u, fmt.Errorf("sqlstore: user %d: %w", id, err)
	}
	return u, nil
}

// User returns a user in the actor's scope.
func (s *Store) User(ctx context.Context, a access.Actor, id int64) (safetynet.User, error) {
	if err := a.Require(access.UserView); err != nil {
		return safetynet.User{}, err
	}
	var u safetynet.User
	err := s.read(ctx, func(t *tx) error {
		var err error
		u, err = s.userInScope(ctx, t, a.Scope(access.Users), id)
		return err
	})
	return u, err
}

// UserByUsername returns a user in the actor's scope by username.
func (s *Store) UserByUsername(ctx context.Context, a access.Actor, username string) (safetynet.User, error) {
	if err := a.Require(access.UserView); err != nil {
		return safetynet.User{}, err
	}
	where, args := scopeCheck(a.Scope(access.Users), "u.place_code")
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+userFrom+`WHERE u.username = ? AND `+where,
		append([]any{strings.ToLower(strings.TrimSpace(username))}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errUserNotFound
	}
	if err != nil {
		return u, fmt.Errorf("sqlstore: user %q: %w", username, err)
	}
	return u, nil
}

// Users lists users in the actor's scope, by place then username.
func (s *Store) Users(ctx context.Context, a access.Actor, f safetynet.UserFilter) ([]safetynet.User, error) {
	if err := a.Require(access.UserView); err != nil {
		return nil, err
	}
	where, args := scopeClause(a.Scope(access.Users), "u.place_code")
	conds := []string{where}
	if q := strings.TrimSpace(f.Query); q != "" {
		conds = append(conds, `(u.username LIKE ? ESCAPE '\' OR u.display_name LIKE ? ESCAPE '\')`)
		pat := "%" + likeEscape(strings.ToLower(q)) + "%"
		args = append(args, pat, "%"+likeEscape(q)+"%")
	}
	if f.Role != "" {
		conds, args = append(conds, "u.role = ?"), append(args, string(f.Role))
	}
	if f.PlaceCode != "" {
		conds, args = append(conds, "u.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"), append(args, f.PlaceCode)
	}
	if !f.IncludeDisabled {
		conds = append(conds, "u.disabled = 0")
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	q := `SELECT ` + userColumns + userFrom + `WHERE ` + strings.Join(conds, " AND ") +
		fmt.Sprintf(` ORDER BY u.place_code, u.username LIMIT %d OFFSET %d`, limit, max(f.Offset, 0))
	var out []safetynet.User
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: users: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return fmt.Errorf("sqlstore: users: %w", err)
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, err
}

// checkUserPlace verifies that a user of role r may be placed at code, a
// place in the actor's scope.
func (s *Store) checkUserPlace(ctx context.Context, t *tx, a access.Actor, r safetynet.Role, code string) error {
	p, err := s.placeInScope(ctx, t, a.Scope(access.Places), code)
	if safetynet.CodeOf(err) == safetynet.ENotFound {
		return safetynet.Invalid("place_code", "地点 %s 不存在或不在您负责的范围内", "place %s does not exist or is outside your area", code)
	}
	if err != nil {
		return err
	}
	return safetynet.CheckRolePlace(r, p.Level)
}

// CreateUser adds a user placed in the actor's scope.
func (s *Store) CreateUser(ctx context.Context, a access.Actor, nu safetynet.NewUser) (safetynet.User, error) {
	if err := a.Require(access.UserManage); err != nil {
		return safetynet.User{}, err
	}
	username, err := safetynet.NormalizeUsername(nu.Username)
	if err != nil {
		return safetynet.User{}, err
	}
	display, err := safetynet.CheckDisplayName(nu.DisplayName)
	if err != nil {
		return safetynet.User{}, err
	}
	if !nu.Role.Valid() {
		return safetynet.User{}, safetynet.Invalid("role", "角色无效：%q", "unknown role %q", string(nu.Role))
	}
	if err := safetynet.CheckPassword(nu.Password); err != nil {
		return safetynet.User{}, err
	}
	// Hash before the transaction: it takes tens of milliseconds and the
	// SQLite writer must not wait for it.
	hash, err := auth.HashPassword(nu.Password, s.pwParam)
	if err != nil {
		return safetynet.User{}, err
	}
	var out safetynet.User
	err = s.write(ctx, func(t *tx) error {
		if err := s.checkUserPlace(ctx, t, a, nu.Role, nu.PlaceCode); err != nil {
			return err
		}
		now := ms(s.now())
		var id int64
		err := t.queryRow(ctx, `INSERT INTO users (username, display_name, role, place_code, password_hash, must_change_password,
			disabled, version, created_at, updated_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, ?, 0) RETURNING id`,
			username, display, string(nu.Role), nu.PlaceCode, hash, boolInt(nu.MustChangePassword), now, now).Scan(&id)
		if classify(err) == errUnique {
			return safetynet.Conflict("username", "用户名 %s 已被使用", "username %s is taken", username)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: insert user: %w", err)
		}
		if err := s.audit(ctx, t, a, auditRec{action: "user.create", objType: "user", objID: fmt.Sprint(id), place: nu.PlaceCode,
			detail: map[string]any{"username": username, "role": nu.Role, "place_code": nu.PlaceCode}}); err != nil {
			return err
		}
		out, err = s.userInScope(ctx, t, a.Scope(access.Users), id)
		return err
	})
	return out, err
}

// UpdateUser changes a user's name, role, place or disabled flag. Actors
// cannot change their own role or place or disable themselves; disabling
// ends the user's sessions at once.
func (s *Store) UpdateUser(ctx context.Context, a access.Actor, id int64, up safetynet.UserUpdate) (safetynet.User, error) {
	if err := a.Require(access.UserManage); err != nil {
		return safetynet.User{}, err
	}
	if up.DisplayName != nil {
		d, err := safetynet.CheckDisplayName(*up.DisplayName)
		if err != nil {
			return safetynet.User{}, err
		}
		up.DisplayName = &d
	}
	if up.Role != nil && !up.Role.Valid() {
		return safetynet.User{}, safetynet.Invalid("role", "角色无效：%q", "unknown role %q", string(*up.Role))
	}
	sc := a.Scope(access.Users)
	var out safetynet.User
	err := s.write(ctx, func(t *tx) error {
		u, err := s.userInScope(ctx, t, sc, id)
		if err != nil {
			return err
		}
		if up.Version != 0 && up.Version != u.Version {
			return s.conflict(ctx, t, "user", fmt.Sprint(id))
		}
		detail := map[string]any{}
		if up.DisplayName != nil && *up.DisplayName != u.DisplayName {
			detail["display_name"] = map[string]string{"from": u.DisplayName, "to": *up.DisplayName}
			u.DisplayName = *up.DisplayName
		}
		self := u.ID == a.UserID
		if up.Role != nil && *up.Role != u.Role {
			if self {
				return safetynet.Invalid("role", "不能更改自己的角色", "you cannot change your own role")
			}
			detail["role"] = map[string]string{"from": string(u.Role), "to": string(*up.Role)}
			u.Role = *up.Role
		}
		if up.PlaceCode != nil && *up.PlaceCode != u.PlaceCode {
			if self {
				return safetynet.Invalid("place_code", "不能更改自己的负责地点", "you cannot change your own place")
			}
			detail["place_code"] = map[string]string{"from": u.PlaceCode, "to": *up.PlaceCode}
			u.PlaceCode = *up.PlaceCode
		}
		if detail["role"] != nil || detail["place_code"] != nil {
			if err := s.checkUserPlace(ctx, t, a, u.Role, u.PlaceCode); err != nil {
				return err
			}
		}
		if up.Disabled != nil && *up.Disabled != u.Disabled {
			if self {
				return safetynet.Invalid("disabled", "不能停用自己的账号", "you cannot disable your own account")
			}
			detail["disabled"] = *up.Disabled
			u.Disabled = *up.Disabled
		}
		if len(detail) == 0 {
			out = u
			return nil
		}
		if _, err := t.exec(ctx, `UPDATE users SET display_name = ?, role = ?, place_code = ?, disabled = ?,
			version = version + 1, updated_at = ? WHERE id = ?`,
			u.DisplayName, string(u.Role), u.PlaceCode, boolInt(u.Disabled), ms(s.now()), id); err != nil {
			return fmt.Errorf("sqlstore: update user %d: %w", id, err)
		}
		if u.Disabled {
			if err := s.deleteUserSessions(ctx, t, id, ""); err != nil {
				return err
			}
		}
		action := "user.update"
		if d, ok := detail["disabled"].(bool); ok && len(detail) == 1 {
			action = map[bool]string{true: "user.disable", false: "user.enable"}[d]
		}
		if err := s.audit(ctx, t, a, auditRec{action: action, objType: "user", objID: fmt.Sprint(id), place: u.PlaceCode, detail: detail}); err != nil {
			return err
		}
		out, err = s.userInScope(ctx, t, rootScope, id)
		return err
	})
	return out, err
}

// ResetPassword sets a user's password, ends their sessions and, if
// mustChange, makes them choose a new one at next login.
func (s *Store) ResetPassword(ctx context.Context, a access.Actor, id int64, password string, mustChange bool) error {
	if err := a.Require(access.UserManage); err != nil {
		return err
	}
	if err := safetynet.CheckPassword(password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password, s.pwParam)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		u, err := s.userInScope(ctx, t, a.Scope(access.Users), id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, version = version + 1, updated_at = ?
			WHERE id = ?`, hash, boolInt(mustChange), ms(s.now()), id); err != nil {
			return fmt.Errorf("sqlstore: reset password of %d: %w", id, err)
		}
		if err := s.deleteUserSessions(ctx, t, id, ""); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "user.password_reset", objType: "user", objID: fmt.Sprint(id), place: u.PlaceCode,
			detail: map[string]any{"must_change": mustChange}})
	})
}

// ChangeOwnPassword changes the actor's password after checking the
// current one, and ends the actor's other sessions (keepToken stays).
func (s *Store) ChangeOwnPassword(ctx context.Context, a access.Actor, current, next, keepToken string) error {
	if err := safetynet.CheckPassword(next); err != nil {
		return err
	}
	var hash string
	if err := s.queryRow(ctx, `SELECT password_hash FROM users WHERE id = ? AND disabled = 0`, a.UserID).Scan(&hash); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return errUserNotFound
		}
		return fmt.Errorf("sqlstore: password of %d: %w", a.UserID, err)
	}
	ok, err := auth.VerifyPassword(hash, current)
	if err != nil {
		return fmt.Errorf("sqlstore: password of %d: %w", a.UserID, err)
	}
	if !ok {
		return safetynet.Invalid("current_password", "当前密码不正确", "the current password is wrong")
	}
	if current == next {
		return safetynet.Invalid("password", "新密码不能与当前密码相同", "the new password must differ from the current one")
	}
	newHash, err := auth.HashPassword(next, s.pwParam)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = 0, version = version + 1, updated_at = ?
			WHERE id = ?`, newHash, ms(s.now()), a.UserID); err != nil {
			return fmt.Errorf("sqlstore: change password of %d: %w", a.UserID, err)
		}
		if err := s.deleteUserSessions(ctx, t, a.UserID, auth.HashToken(keepToken)); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "user.password_change", objType: "user", objID: fmt.Sprint(a.UserID)})
	})
}

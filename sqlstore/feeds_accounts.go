package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/feeds"
)

// UserDepartment returns the department of a user in the actor's scope.
func (s *Store) UserDepartment(ctx context.Context, a access.Actor, userID int64) (string, error) {
	if err := a.Require(access.UserView); err != nil {
		return "", err
	}
	var d string
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.userInScope(ctx, t, a.Scope(access.Users), userID); err != nil {
			return err
		}
		var err error
		d, err = s.userDepartment(ctx, t, userID)
		return err
	})
	return d, err
}

// SetUserDepartment sets the department of a department account ("" to
// clear it).
func (s *Store) SetUserDepartment(ctx context.Context, a access.Actor, userID int64, dept string) error {
	if err := a.Require(access.UserManage); err != nil {
		return err
	}
	if dept != "" && !safetynet.Departments.Valid(dept) {
		return safetynet.Invalid("department", "未知的部门“%s”", "unknown department %q", cutText(dept, 64))
	}
	return s.write(ctx, func(t *tx) error {
		u, err := s.userInScope(ctx, t, a.Scope(access.Users), userID)
		if err != nil {
			return err
		}
		if dept != "" && u.Role != safetynet.RoleDepartment {
			return safetynet.Invalid("department", "只有“部门系统”账号可以指定部门", "only department accounts belong to a department")
		}
		old, err := s.userDepartment(ctx, t, userID)
		if err != nil || old == dept {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE users SET department = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			dept, ms(s.now()), userID); err != nil {
			return fmt.Errorf("sqlstore: department of user %d: %w", userID, err)
		}
		return s.audit(ctx, t, a, auditRec{action: "user.department", objType: "user", objID: fmt.Sprint(userID), place: u.PlaceCode,
			detail: map[string]any{"department": map[string]string{"from": old, "to": dept}}})
	})
}

// FeedMapping returns the saved column mapping of a department's files in
// county (empty if none).
func (s *Store) FeedMapping(ctx context.Context, a access.Actor, dept, county string) (feeds.Mapping, error) {
	var m feeds.Mapping
	if err := a.Require(access.FeedPush); err != nil {
		return m, err
	}
	var text string
	err := s.queryRow(ctx, `SELECT mapping FROM feed_mappings WHERE department = ? AND county_code = ?`, dept, county).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("sqlstore: feed mapping: %w", err)
	}
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		return feeds.Mapping{}, fmt.Errorf("sqlstore: feed mapping: %w", err)
	}
	return m, nil
}

// SaveFeedMapping keeps the column mapping of a department's files in
// county, offered with its next file.
func (s *Store) SaveFeedMapping(ctx context.Context, a access.Actor, dept, county string, m feeds.Mapping) error {
	if err := a.Require(access.FeedPush); err != nil {
		return err
	}
	if err := s.feedMayPush(ctx, a, dept); err != nil {
		return err
	}
	if err := m.Check(); err != nil {
		return err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("sqlstore: feed mapping: %w", err)
	}
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO feed_mappings (department, county_code, mapping, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (department, county_code) DO UPDATE SET mapping = excluded.mapping, updated_by = excluded.updated_by,
			updated_at = excluded.updated_at`, dept, county, string(b), a.Username, ms(s.now()))
		if err != nil {
			return fmt.Errorf("sqlstore: save feed mapping: %w", err)
		}
		return nil
	})
}

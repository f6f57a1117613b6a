package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/auth"
)

// Login throttling: failures are counted in the database so that every
// server process sees the same numbers.
const (
	throttleWindow  = 15 * time.Minute
	maxPerUserAddr  = 5  // failures for one username from one address
	maxPerUser      = 20 // failures for one username from anywhere
	maxPerAddr      = 50 // failures from one address for any username
	loginFailedText = "用户名或密码错误"
)

var errBadLogin = safetynet.Errorf(safetynet.EUnauthorized, "password", loginFailedText, "wrong username or password")

var errThrottled = safetynet.Errorf(safetynet.ETooMany, "", "登录失败次数过多，请15分钟后再试",
	"too many failed logins: try again in 15 minutes")

// Authenticate checks a username and password from address ip. Too many
// recent failures answer ETooMany before the password is even checked;
// a wrong username or password answers EUnauthorized with the same
// message and about the same delay.
func (s *Store) Authenticate(ctx context.Context, username, password, ip string) (safetynet.User, error) {
	name, nameErr := safetynet.NormalizeUsername(username)
	if nameErr != nil {
		name = "" // counted per address only
	}
	since := ms(s.now().Add(-throttleWindow))
	var perUserAddr, perUser, perAddr int
	err := s.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM login_failures WHERE username = ? AND ip = ? AND at > ?),
		(SELECT COUNT(*) FROM login_failures WHERE username = ? AND at > ?),
		(SELECT COUNT(*) FROM login_failures WHERE ip = ? AND at > ?)`,
		name, ip, since, name, since, ip, since).Scan(&perUserAddr, &perUser, &perAddr)
	if err != nil {
		return safetynet.User{}, fmt.Errorf("sqlstore: login throttle: %w", err)
	}
	if perAddr >= maxPerAddr || (name != "" && (perUserAddr >= maxPerUserAddr || perUser >= maxPerUser)) {
		return safetynet.User{}, errThrottled
	}
	var u safetynet.User
	var hash string
	if nameErr == nil {
		u, err = scanUser(s.queryRow(ctx, `SELECT `+userColumns+`, u.password_hash`+userFrom+`WHERE u.username = ?`, name), &hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return safetynet.User{}, fmt.Errorf("sqlstore: login: %w", err)
		}
	}
	ok := false
	if hash == "" {
		auth.WasteTime(password)
	} else if ok, err = auth.VerifyPassword(hash, password); err != nil {
		return safetynet.User{}, fmt.Errorf("sqlstore: login %s: %w", name, err)
	}
	actor := access.Actor{UserID: u.ID, Username: name, Role: u.Role, Place: u.PlaceCode, IP: ip}
	if !ok || u.Disabled {
		reason := "bad_password"
		if hash == "" {
			reason = "unknown_user"
		} else if ok {
			reason = "disabled"
		}
		err := s.write(ctx, func(t *tx) error {
			if _, err := t.exec(ctx, `INSERT INTO login_failures (username, ip, at) VALUES (?, ?, ?)`, name, ip, ms(s.now())); err != nil {
				return fmt.Errorf("sqlstore: record login failure: %w", err)
			}
			return s.audit(ctx, t, actor, auditRec{action: "auth.login_failed", objType: "user", objID: idString(u.ID),
				place: u.PlaceCode, detail: map[string]string{"reason": reason}})
		})
		if err != nil {
			return safetynet.User{}, err
		}
		if ok && u.Disabled {
			return safetynet.User{}, safetynet.Errorf(safetynet.EUnauthorized, "username", "该账号已停用，请联系管理员", "this account is disabled: ask an administrator")
		}
		return safetynet.User{}, errBadLogin
	}
	err = s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM login_failures WHERE username = ? AND ip = ?`, name, ip); err != nil {
			return fmt.Errorf("sqlstore: clear login failures: %w", err)
		}
		if _, err := t.exec(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, ms(s.now()), u.ID); err != nil {
			return fmt.Errorf("sqlstore: last login: %w", err)
		}
		return s.audit(ctx, t, actor, auditRec{action: "auth.login", objType: "user", objID: idString(u.ID), place: u.PlaceCode})
	})
	u.LastLoginAt = s.now()
	return u, err
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return fmt.Sprint(id)
}

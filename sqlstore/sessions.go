package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
	"safetynet/auth"
)

// Session kinds and lifetimes. A session expires after its idle time
// without use and, in any case, after its absolute lifetime.
const (
	SessionWeb = "web" // cookie of the web UI
	SessionAPI = "api" // bearer token of the JSON API
)

var sessionLife = map[string]struct{ idle, absolute time.Duration }{
	SessionWeb: {12 * time.Hour, 7 * 24 * time.Hour},
	SessionAPI: {24 * time.Hour, 30 * 24 * time.Hour},
}

// touchEvery limits how often a session's expiry is pushed forward, so
// that every request does not become a write.
const touchEvery = 5 * time.Minute

// Session is a logged-in browser or API client.
type Session struct {
	Kind      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateSession starts a session for user and returns its token, which
// is shown to the client once and stored only as a hash.
func (s *Store) CreateSession(ctx context.Context, userID int64, kind, ip, userAgent string) (string, Session, error) {
	life, ok := sessionLife[kind]
	if !ok {
		return "", Session{}, fmt.Errorf("sqlstore: unknown session kind %q", kind)
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return "", Session{}, err
	}
	now := s.now()
	sess := Session{Kind: kind, CreatedAt: now, ExpiresAt: now.Add(life.idle)}
	userAgent = clipText(userAgent, 256)
	err = s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO sessions (token_hash, user_id, kind, created_at, expires_at, last_seen_at, ip, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, hash, userID, kind, ms(now), ms(sess.ExpiresAt), ms(now), ip, userAgent)
		if err != nil {
			return fmt.Errorf("sqlstore: create session: %w", err)
		}
		return nil
	})
	return token, sess, err
}

var errNoSession = safetynet.Errorf(safetynet.EUnauthorized, "", "请先登录", "please log in")

// SessionUser returns the user of a live session token and extends the
// session. Unknown, expired and disabled-user sessions are unauthorized.
func (s *Store) SessionUser(ctx context.Context, token string) (safetynet.User, Session, error) {
	if token == "" || len(token) > 128 {
		return safetynet.User{}, Session{}, errNoSession
	}
	hash := auth.HashToken(token)
	now := s.now()
	var sess Session
	var created, expires, seen int64
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+`, s.kind, s.created_at, s.expires_at, s.last_seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN places p ON p.code = u.place_code
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`, hash, ms(now)),
		&sess.Kind, &created, &expires, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return u, sess, errNoSession
	}
	if err != nil {
		return u, sess, fmt.Errorf("sqlstore: session: %w", err)
	}
	sess.CreatedAt, sess.ExpiresAt = fromMS(created), fromMS(expires)
	if now.Sub(fromMS(seen)) >= touchEvery {
		life := sessionLife[sess.Kind]
		next := now.Add(life.idle)
		if limit := sess.CreatedAt.Add(life.absolute); next.After(limit) {
			next = limit
		}
		sess.ExpiresAt = next
		if err := s.write(ctx, func(t *tx) error {
			_, err := t.exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?`, ms(now), ms(next), hash)
			return err
		}); err != nil {
			return u, sess, fmt.Errorf("sqlstore: touch session: %w", err)
		}
	}
	return u, sess, nil
}

// DeleteSession ends the session of token.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, auth.HashToken(token))
		if err != nil {
			return fmt.Errorf("sqlstore: delete session: %w", err)
		}
		return nil
	})
}

// deleteUserSessions ends every session of a user except keepHash.
func (s *Store) deleteUserSessions(ctx context.Context, t *tx, userID int64, keepHash string) error {
	if _, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, keepHash); err != nil {
		return fmt.Errorf("sqlstore: end sessions of %d: %w", userID, err)
	}
	return nil
}

// Sweep deletes expired sessions and login failures older than a day.
// Any server process may run it; it is idempotent.
func (s *Store) Sweep(ctx context.Context) error {
	now := s.now()
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, ms(now)); err != nil {
			return fmt.Errorf("sqlstore: sweep sessions: %w", err)
		}
		if _, err := t.exec(ctx, `DELETE FROM login_failures WHERE at < ?`, ms(now.Add(-24*time.Hour))); err != nil {
			return fmt.Errorf("sqlstore: sweep login failures: %w", err)
		}
		return nil
	})
}

// clipText makes s storable text of at most n characters: cut by runes,
// never inside a UTF-8 sequence (PostgreSQL refuses a broken one), with
// invalid bytes and NUL characters replaced by U+FFFD.
func clipText(s string, n int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\uFFFD")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

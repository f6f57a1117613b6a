package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
)

// auditRec is what a change or a sensitive view records about itself.
type auditRec struct {
	action  string
	objType string
	objID   string
	place   string // place of the record; the actor's place if empty
	detail  any    // marshalled to JSON; must not hold ID or phone numbers
}

// audit appends an entry in t, the transaction of the change it records.
func (s *Store) audit(ctx context.Context, t *tx, a access.Actor, r auditRec) error {
	detail := "{}"
	if r.detail != nil {
		b, err := json.Marshal(r.detail)
		if err != nil {
			return fmt.Errorf("sqlstore: audit detail: %w", err)
		}
		detail = string(b)
	}
	place := r.place
	if place == "" {
		place = a.Place
	}
	if place == "" { // e.g. a failed login for an unknown username
		place = safetynet.RootPlaceCode
	}
	_, err := t.exec(ctx, `INSERT INTO audit_log (at, user_id, username, role, action, object_type, object_id, place_code, ip, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ms(s.now()), a.UserID, a.Username, string(a.Role), r.action, r.objType, r.objID, place, a.IP, detail)
	if err != nil {
		return fmt.Errorf("sqlstore: audit %s: %w", r.action, err)
	}
	return nil
}

// viewActions are the audit actions of views: they change nothing, so a
// stale-version conflict never names them as the last change.
var viewActions = []string{"household.view", "person.view", "case.view", "person.reveal", "household.reveal",
	"import.file", "register.export"}

// RecordView appends an audit entry for a view of sensitive data, such as
// a person's file or a revealed ID number, in a transaction of its own.
// action must be one of viewActions.
func (s *Store) RecordView(ctx context.Context, a access.Actor, action, objType, objID, place string, detail any) error {
	if !slices.Contains(viewActions, action) {
		return fmt.Errorf("sqlstore: record view: %q is not a view action: add it to viewActions", action)
	}
	return s.write(ctx, func(t *tx) error {
		return s.audit(ctx, t, a, auditRec{action: action, objType: objType, objID: objID, place: place, detail: detail})
	})
}

// conflict builds the answer to a stale version: who changed the record
// last and when, taken from the audit log, views left out; the person is
// named by display name.
func (s *Store) conflict(ctx context.Context, t *tx, objType, objID string) error {
	var who string
	var at int64
	args := []any{objType, objID}
	for _, v := range viewActions {
		args = append(args, v)
	}
	err := t.queryRow(ctx, `SELECT COALESCE(NULLIF(u.display_name, ''), l.username), l.at FROM audit_log l
		LEFT JOIN users u ON u.id = l.user_id
		WHERE l.object_type = ? AND l.object_id = ? AND l.action NOT IN (?`+strings.Repeat(", ?", len(viewActions)-1)+`)
		ORDER BY l.id DESC LIMIT 1`, args...).Scan(&who, &at)
	if err != nil || who == "" {
		return safetynet.Conflict("version", "该记录已被他人修改，请刷新后重试", "the record was changed by someone else: reload and try again")
	}
	when := fromMS(at).In(time.Local).Format("2006-01-02 15:04")
	return safetynet.Conflict("version", "该记录已被 %s 于 %s 修改，请刷新后重试", "the record was changed by %s at %s: reload and try again", who, when)
}

const auditColumns = `id, at, user_id, username, role, action, object_type, object_id, place_code, ip, detail`

// AuditLog lists audit entries in the actor's scope, newest first.
func (s *Store) AuditLog(ctx context.Context, a access.Actor, f safetynet.AuditFilter) ([]safetynet.AuditEntry, error) {
	if err := a.Require(access.AuditView); err != nil {
		return nil, err
	}
	where, args := scopeClause(a.Scope(access.Audit), "place_code")
	hidden, hargs := inspectionAuditHidden(a) // an inspection not started shows to its inspectors only
	conds, args := []string{where, hidden}, append(args, hargs...)
	if f.Username != "" {
		conds, args = append(conds, "username = ?"), append(args, strings.ToLower(f.Username))
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			conds, args = append(conds, `action LIKE ? ESCAPE '\'`), append(args, likePrefix(f.Action))
		} else {
			conds, args = append(conds, "action = ?"), append(args, f.Action)
		}
	}
	if f.ObjectType != "" {
		conds, args = append(conds, "object_type = ?"), append(args, f.ObjectType)
	}
	if f.ObjectID != "" {
		conds, args = append(conds, "object_id = ?"), append(args, f.ObjectID)
	}
	if f.PlaceCode != "" {
		conds, args = append(conds, "place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"), append(args, f.PlaceCode)
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "at >= ?"), append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "at < ?"), append(args, ms(f.To))
	}
	if f.BeforeID > 0 {
		conds, args = append(conds, "id < ?"), append(args, f.BeforeID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := "SELECT " + auditColumns + " FROM audit_log WHERE " + strings.Join(conds, " AND ") +
		fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit)
	var out []safetynet.AuditEntry
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: audit log: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e safetynet.AuditEntry
			var at int64
			var role string
			if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Username, &role, &e.Action, &e.ObjectType, &e.ObjectID, &e.PlaceCode, &e.IP, &e.Detail); err != nil {
				return fmt.Errorf("sqlstore: audit log: %w", err)
			}
			e.At, e.Role = fromMS(at), safetynet.Role(role)
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// likePrefix returns a LIKE pattern matching strings that start with p,
// with LIKE's wildcards in p escaped.
func likePrefix(p string) string {
	return likeEscape(p) + "%"
}

func likeEscape(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(p)
}

// displayNameOf returns the display name of the user with username, or
// the username itself when the user has none or no longer exists: conflict
// messages name people as the UI does.
func (s *Store) displayNameOf(ctx context.Context, t *tx, username string) string {
	var name string
	if err := t.queryRow(ctx, `SELECT COALESCE(NULLIF(display_name, ''), username) FROM users WHERE username = ?`, username).Scan(&name); err != nil || name == "" {
		return username
	}
	return name
}

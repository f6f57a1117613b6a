package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/inspections"
)

// inspectionToday is the local date inspections' dates are compared with.
func (s *Store) inspectionToday() string { return s.now().In(visitZone).Format("2006-01-02") }

// inspectionRoles are the roles that may inspect (access.InspectionManage).
func inspectionRoles() []any {
	var out []any
	for _, r := range safetynet.Roles {
		if (access.Actor{Role: r}).Can(access.InspectionManage) {
			out = append(out, string(r))
		}
	}
	return out
}

// InspectorCandidate is a user who may be named an inspector.
type InspectorCandidate struct {
	UserID    int64  `json:"user_id"`
	Name      string `json:"name"`
	PlaceName string `json:"place_name"`
}

// InspectorCandidates lists the users who may be named inspectors by the
// actor: enabled users of a role that inspects whose place is the
// actor's, above it or below it. Whether one covers the chosen area is
// checked when the inspection is created.
func (s *Store) InspectorCandidates(ctx context.Context, a access.Actor) ([]InspectorCandidate, error) {
	if err := a.Require(access.InspectionManage); err != nil {
		return nil, err
	}
	roles := inspectionRoles()
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(roles)), ", ")
	var out []InspectorCandidate
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT u.id, COALESCE(NULLIF(u.display_name, ''), u.username), COALESCE(p.name, '') FROM users u
			LEFT JOIN places p ON p.code = u.place_code
			WHERE u.disabled = 0 AND u.role IN (`+marks+`)
				AND (u.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) OR u.place_code IN (SELECT ancestor FROM place_tree WHERE descendant = ?))
			ORDER BY u.id LIMIT 500`, append(roles, a.Place, a.Place)...)
		if err != nil {
			return fmt.Errorf("sqlstore: inspector candidates: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c InspectorCandidate
			if err := rows.Scan(&c.UserID, &c.Name, &c.PlaceName); err != nil {
				return fmt.Errorf("sqlstore: inspector candidates: %w", err)
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// InspectionArea is a place an inspection may cover, or a campaign whose
// villages it may sample.
type InspectionArea struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// InspectionCampaign is a campaign an inspection may sample.
type InspectionCampaign struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	PlaceName string `json:"place_name"`
}

// InspectionAreas lists the counties and towns the actor may inspect
// (their place's subtree) and the campaigns of those places that have
// implementing villages.
func (s *Store) InspectionAreas(ctx context.Context, a access.Actor) ([]InspectionArea, []InspectionCampaign, error) {
	if err := a.Require(access.InspectionManage); err != nil {
		return nil, nil, err
	}
	var areas []InspectionArea
	var camps []InspectionCampaign
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT p.code, p.name FROM places p JOIN place_tree pt ON pt.descendant = p.code
			WHERE pt.ancestor = ? AND p.level IN ('county', 'town') ORDER BY pt.depth, p.code LIMIT 500`, a.Place)
		if err != nil {
			return fmt.Errorf("sqlstore: inspection areas: %w", err)
		}
		for rows.Next() {
			var ar InspectionArea
			if err := rows.Scan(&ar.Code, &ar.Name); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: inspection areas: %w", err)
			}
			areas = append(areas, ar)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		where, args := scopeClause(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "c.place_code")
		rows, err = t.query(ctx, `SELECT c.id, c.title, COALESCE(p.name, '') FROM campaigns c LEFT JOIN places p ON p.code = c.place_code
			WHERE `+where+` AND c.status <> 'draft' AND EXISTS (SELECT 1 FROM campaign_villages cv WHERE cv.campaign_id = c.id)
			ORDER BY c.starts_on DESC, c.id DESC LIMIT 100`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: inspection campaigns: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c InspectionCampaign
			if err := rows.Scan(&c.ID, &c.Title, &c.PlaceName); err != nil {
				return fmt.Errorf("sqlstore: inspection campaigns: %w", err)
			}
			camps = append(camps, c)
		}
		return rows.Err()
	})
	return areas, camps, err
}

// CreateInspection creates an inspection (status draft) with its
// inspectors: the actor and those named. The area is a county or town in
// the actor's subtree, or the owner of the campaign. Every inspector
// must be an enabled user of a role that inspects whose place covers the
// area. A resend of the same client ID returns the inspection already
// created (created false). Nobody is told: the inspection is secret.
func (s *Store) CreateInspection(ctx context.Context, a access.Actor, in inspections.NewInspection) (Inspection, bool, error) {
	if err := a.Require(access.InspectionManage); err != nil {
		return Inspection{}, false, err
	}
	in, err := inspections.CheckNew(in, s.inspectionToday())
	if err != nil {
		return Inspection{}, false, err
	}
	var id int64
	created := false
	err = s.write(ctx, func(t *tx) error {
		created = false
		var by string
		err := t.queryRow(ctx, `SELECT id, created_by FROM inspections WHERE client_id = ?`, in.ClientID).Scan(&id, &by)
		switch {
		case err == nil && by == a.Username:
			return nil
		case err == nil:
			return safetynet.Conflict("client_id", "记录编号已被使用", "this client_id belongs to another inspection")
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("sqlstore: inspection by client: %w", err)
		}
		if in.CampaignID != 0 {
			where, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "place_code")
			err := t.queryRow(ctx, `SELECT place_code FROM campaigns WHERE id = ? AND status <> 'draft' AND `+where, append([]any{in.CampaignID}, args...)...).Scan(&in.PlaceCode)
			if errors.Is(err, sql.ErrNoRows) {
				return safetynet.Invalid("campaign_id", "专项行动不存在或不在您的范围内", "no such campaign in your area")
			}
			if err != nil {
				return fmt.Errorf("sqlstore: inspection campaign: %w", err)
			}
		}
		var level string
		err = t.queryRow(ctx, `SELECT p.level FROM places p WHERE p.code = ? AND EXISTS (SELECT 1 FROM place_tree pt WHERE pt.ancestor = ? AND pt.descendant = p.code)`,
			in.PlaceCode, a.Place).Scan(&level)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !inspections.AreaLevel(safetynet.Level(level))) {
			return safetynet.Invalid("place_code", "检查范围应为您辖区内的县或乡镇", "place_code must be a county or town in your area")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: inspection area: %w", err)
		}
		ids := append([]int64{a.UserID}, in.InspectorIDs...)
		seen := map[int64]bool{}
		roles := inspectionRoles()
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(roles)), ", ")
		for _, uid := range ids {
			if seen[uid] {
				continue
			}
			seen[uid] = true
			var ok int
			err := t.queryRow(ctx, `SELECT 1 FROM users u WHERE u.id = ? AND u.disabled = 0 AND u.role IN (`+marks+`)
				AND EXISTS (SELECT 1 FROM place_tree pt WHERE pt.ancestor = u.place_code AND pt.descendant = ?)`,
				append(append([]any{uid}, roles...), in.PlaceCode)...).Scan(&ok)
			if errors.Is(err, sql.ErrNoRows) {
				if uid == a.UserID {
					return safetynet.Invalid("place_code", "检查范围应为您辖区内的县或乡镇", "place_code must be a county or town in your area")
				}
				return safetynet.Invalid("inspectors", "所选检查人员不能检查该范围", "an inspector chosen may not inspect this area")
			}
			if err != nil {
				return fmt.Errorf("sqlstore: inspector %d: %w", uid, err)
			}
		}
		now := ms(s.now())
		err = t.queryRow(ctx, `INSERT INTO inspections (client_id, title, campaign_id, place_code, planned_on, villages_n, households_n, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.ClientID, in.Title, in.CampaignID, in.PlaceCode, in.PlannedOn,
			in.Villages, in.Households, a.Username, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("sqlstore: insert inspection: %w", err)
		}
		var rows [][]any
		for uid := range seen {
			rows = append(rows, []any{id, uid})
		}
		if err := t.insertRows(ctx, "inspection_inspectors", []string{"inspection_id", "user_id"}, rows); err != nil {
			return err
		}
		created = true
		return s.audit(ctx, t, a, auditRec{action: "inspection.create", objType: "inspection", objID: inspectionID(id), place: in.PlaceCode,
			detail: map[string]any{"title": in.Title, "villages": in.Villages, "households": in.Households, "inspectors": len(seen),
				"campaign_id": in.CampaignID}})
	})
	if err != nil {
		return Inspection{}, false, err
	}
	var out Inspection
	err = s.read(ctx, func(t *tx) (err error) {
		out, err = s.inspection(ctx, t, a, id)
		return err
	})
	if safetynet.CodeOf(err) == safetynet.ENotFound {
		// A resend by the creator who is no longer an inspector of it.
		return Inspection{}, false, safetynet.Conflict("client_id", "记录编号已被使用", "this client_id belongs to another inspection")
	}
	return out, created, err
}

// inspectorOf reads an inspection for a change by one of its inspectors:
// not found for anyone who does not see it, forbidden for those who see
// it but are not its inspectors.
func (s *Store) inspectorOf(ctx context.Context, t *tx, a access.Actor, id int64) (Inspection, error) {
	if err := a.Require(access.InspectionManage); err != nil {
		return Inspection{}, err
	}
	in, err := s.inspection(ctx, t, a, id)
	if err != nil {
		return in, err
	}
	if !in.IsInspector {
		return in, safetynet.Forbidden()
	}
	return in, nil
}

// StartInspection starts a drawn inspection: the inspectors have arrived
// ("straight to the village"). From now on those who may view
// inspections in the area see it and its sample.
func (s *Store) StartInspection(ctx context.Context, a access.Actor, id int64, version int) error {
	return s.moveInspection(ctx, a, id, version, inspections.StatusDrawn, inspections.StatusStarted, "started_at", "inspection.start",
		safetynet.Conflict("status", "只有已抽样的督查可以开始", "only a drawn inspection can start"))
}

// CloseInspection closes a started inspection once every sampled
// household is checked or recorded as not found.
func (s *Store) CloseInspection(ctx context.Context, a access.Actor, id int64, version int) error {
	return s.moveInspection(ctx, a, id, version, inspections.StatusStarted, inspections.StatusClosed, "closed_at", "inspection.close", nil)
}

func (s *Store) moveInspection(ctx context.Context, a access.Actor, id int64, version int, from, to, stamp, action string, wrongStatus error) error {
	return s.write(ctx, func(t *tx) error {
		in, err := s.inspectorOf(ctx, t, a, id)
		if err != nil {
			return err
		}
		if in.Version != version {
			return s.conflict(ctx, t, "inspection", inspectionID(id))
		}
		if to == inspections.StatusClosed {
			if err := inspections.CanClose(in.Status, in.Counts.Pending); err != nil {
				return err
			}
		} else if in.Status != from {
			return wrongStatus
		}
		res, err := t.exec(ctx, `UPDATE inspections SET status = ?, `+stamp+` = ?, version = version + 1 WHERE id = ? AND status = ? AND version = ?`,
			to, ms(s.now()), id, from, version)
		if err != nil {
			return fmt.Errorf("sqlstore: %s: %w", action, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return s.conflict(ctx, t, "inspection", inspectionID(id))
		}
		return s.audit(ctx, t, a, auditRec{action: action, objType: "inspection", objID: inspectionID(id), place: in.PlaceCode,
			detail: map[string]any{"households": in.Counts.Households, "checked": in.Counts.Checked, "not_found": in.Counts.NotFound}})
	})
}

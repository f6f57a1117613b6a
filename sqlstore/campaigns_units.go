package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
)

// campaignOwns refuses unless the actor may manage campaigns at place:
// CampaignManage, and place in the actor's area (the owning place or
// above). A place outside is not found.
func (s *Store) campaignOwns(ctx context.Context, t *tx, a access.Actor, place string) error {
	if err := a.Require(access.CampaignManage); err != nil {
		return err
	}
	c, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "p.code")
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM places p WHERE p.code = ? AND `+c, append([]any{place}, args...)...).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: campaign place: %w", err)
	}
	if n == 0 {
		return safetynet.NotFound("没有这个地区，或不在您的管辖范围内", "no such place in your area")
	}
	return nil
}

// unitPlace checks that place is a county or town the actor manages
// campaigns of.
func (s *Store) unitPlace(ctx context.Context, t *tx, a access.Actor, place string) error {
	if err := s.campaignOwns(ctx, t, a, place); err != nil {
		return err
	}
	var level string
	if err := t.queryRow(ctx, `SELECT level FROM places WHERE code = ?`, place).Scan(&level); err != nil {
		return fmt.Errorf("sqlstore: unit place: %w", err)
	}
	if l := safetynet.Level(level); l != safetynet.LevelCounty && l != safetynet.LevelTown {
		return safetynet.Invalid("place_code", "站所和专项行动属于县或乡镇", "units and campaigns belong to a county or a town")
	}
	return nil
}

// OrgUnits lists the units of place (a county or town in the actor's
// area), active first, with their members by name.
func (s *Store) OrgUnits(ctx context.Context, a access.Actor, place string) ([]campaigns.Unit, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return nil, err
	}
	var out []campaigns.Unit
	err := s.read(ctx, func(t *tx) error {
		c, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "u.place_code")
		rows, err := t.query(ctx, `SELECT u.id, u.place_code, u.name, u.note, u.active, u.created_by, u.created_at FROM org_units u
			WHERE u.place_code = ? AND `+c+` ORDER BY u.active DESC, u.name`, append([]any{place}, args...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: units: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u campaigns.Unit
			var active int
			if err := rows.Scan(&u.ID, &u.PlaceCode, &u.Name, &u.Note, &active, &u.CreatedBy, &u.CreatedAt); err != nil {
				return err
			}
			u.Active = active == 1
			out = append(out, u)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			if out[i].Members, err = s.unitMembers(ctx, t, out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func (s *Store) unitMembers(ctx context.Context, t *tx, id int64) ([]campaigns.UnitMember, error) {
	rows, err := t.query(ctx, `SELECT u.id, COALESCE(NULLIF(u.display_name, ''), u.username) FROM org_unit_members m
		JOIN users u ON u.id = m.user_id WHERE m.unit_id = ? ORDER BY u.display_name, u.id`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: unit members: %w", err)
	}
	defer rows.Close()
	out := []campaigns.UnitMember{}
	for rows.Next() {
		var m campaigns.UnitMember
		if err := rows.Scan(&m.UserID, &m.Name); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// OrgUnit returns one unit of the actor's area.
func (s *Store) OrgUnit(ctx context.Context, a access.Actor, id int64) (campaigns.Unit, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return campaigns.Unit{}, err
	}
	var u campaigns.Unit
	err := s.read(ctx, func(t *tx) error {
		var err error
		u, err = s.orgUnit(ctx, t, a, id)
		return err
	})
	return u, err
}

func (s *Store) orgUnit(ctx context.Context, t *tx, a access.Actor, id int64) (campaigns.Unit, error) {
	var u campaigns.Unit
	var active int
	c, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "u.place_code")
	err := t.queryRow(ctx, `SELECT u.id, u.place_code, u.name, u.note, u.active, u.created_by, u.created_at FROM org_units u
		WHERE u.id = ? AND `+c, append([]any{id}, args...)...).Scan(&u.ID, &u.PlaceCode, &u.Name, &u.Note, &active, &u.CreatedBy, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return u, safetynet.NotFound("没有这个站所", "no such unit")
	}
	if err != nil {
		return u, fmt.Errorf("sqlstore: unit: %w", err)
	}
	u.Active = active == 1
	u.Members, err = s.unitMembers(ctx, t, id)
	return u, err
}

// UnitCandidates lists the active users of place, by name, who may be
// members of its units.
func (s *Store) UnitCandidates(ctx context.Context, a access.Actor, place string) ([]campaigns.UnitMember, error) {
	var out []campaigns.UnitMember
	err := s.read(ctx, func(t *tx) error {
		if err := s.unitPlace(ctx, t, a, place); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT id, COALESCE(NULLIF(display_name, ''), username) FROM users
			WHERE place_code = ? AND disabled = 0 ORDER BY display_name, id LIMIT 1000`, place)
		if err != nil {
			return fmt.Errorf("sqlstore: unit candidates: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var m campaigns.UnitMember
			if err := rows.Scan(&m.UserID, &m.Name); err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// SaveOrgUnit creates (ID 0) or changes a unit of a county or town the
// actor manages, with its members: users of the unit's place. A second
// unit of the same name at the place is refused.
func (s *Store) SaveOrgUnit(ctx context.Context, a access.Actor, in campaigns.Unit, members []int64) (campaigns.Unit, error) {
	in, err := campaigns.CheckUnit(in)
	if err != nil {
		return in, err
	}
	id := in.ID
	err = s.write(ctx, func(t *tx) error {
		action := "org_unit.create"
		if id != 0 {
			old, err := s.orgUnit(ctx, t, a, id)
			if err != nil {
				return err
			}
			in.PlaceCode = old.PlaceCode
			action = "org_unit.update"
		}
		if err := s.unitPlace(ctx, t, a, in.PlaceCode); err != nil {
			return err
		}
		var dup int64
		err := t.queryRow(ctx, `SELECT id FROM org_units WHERE place_code = ? AND name = ? AND id <> ?`, in.PlaceCode, in.Name, id).Scan(&dup)
		if err == nil {
			return safetynet.Conflict("name", "本地已有名为“%s”的站所", "a unit named %q already exists here", in.Name)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlstore: unit name: %w", err)
		}
		for _, m := range members {
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = ? AND place_code = ? AND disabled = 0`, m, in.PlaceCode).Scan(&n); err != nil {
				return fmt.Errorf("sqlstore: unit member: %w", err)
			}
			if n == 0 {
				return safetynet.Invalid("members", "成员须是本地的在用账号", "members are active users of the unit's place")
			}
		}
		if id == 0 {
			if err := t.queryRow(ctx, `INSERT INTO org_units (place_code, name, note, active, created_by, created_at) VALUES (?, ?, ?, 1, ?, ?) RETURNING id`,
				in.PlaceCode, in.Name, in.Note, a.Username, s.now().Unix()).Scan(&id); err != nil {
				return fmt.Errorf("sqlstore: insert unit: %w", err)
			}
		} else {
			if _, err := t.exec(ctx, `UPDATE org_units SET name = ?, note = ?, active = ? WHERE id = ?`, in.Name, in.Note, boolInt(in.Active), id); err != nil {
				return fmt.Errorf("sqlstore: update unit: %w", err)
			}
			if _, err := t.exec(ctx, `DELETE FROM org_unit_members WHERE unit_id = ?`, id); err != nil {
				return fmt.Errorf("sqlstore: unit members: %w", err)
			}
		}
		seen := map[int64]bool{}
		for _, m := range members {
			if seen[m] {
				continue
			}
			seen[m] = true
			if _, err := t.exec(ctx, `INSERT INTO org_unit_members (unit_id, user_id) VALUES (?, ?)`, id, m); err != nil {
				return fmt.Errorf("sqlstore: unit member: %w", err)
			}
		}
		return s.audit(ctx, t, a, auditRec{action: action, objType: "org_unit", objID: fmt.Sprint(id), place: in.PlaceCode,
			detail: map[string]any{"name": in.Name, "members": len(seen), "active": in.Active || action == "org_unit.create"}})
	})
	if err != nil {
		return campaigns.Unit{}, err
	}
	return s.OrgUnit(ctx, a, id)
}

// CampaignUnitChoices lists the active units a campaign owned by place
// may name on its work items: those of place and of the places above it,
// nearest first.
func (s *Store) CampaignUnitChoices(ctx context.Context, a access.Actor, place string) ([]campaigns.Unit, error) {
	var out []campaigns.Unit
	err := s.read(ctx, func(t *tx) error {
		if err := s.unitPlace(ctx, t, a, place); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT u.id, u.place_code, u.name, u.note FROM org_units u JOIN place_tree pt ON pt.ancestor = u.place_code AND pt.descendant = ?
			WHERE u.active = 1 ORDER BY pt.depth, u.name`, place)
		if err != nil {
			return fmt.Errorf("sqlstore: unit choices: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			u := campaigns.Unit{Active: true}
			if err := rows.Scan(&u.ID, &u.PlaceCode, &u.Name, &u.Note); err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, err
}

// ManagesCampaign reports whether the actor may manage the campaigns of
// place (CampaignManage at the place or above).
func (s *Store) ManagesCampaign(ctx context.Context, a access.Actor, place string) bool {
	err := s.read(ctx, func(t *tx) error { return s.campaignOwns(ctx, t, a, place) })
	return err == nil
}

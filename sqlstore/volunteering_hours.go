package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
	"safetynet/access"
)

// VolunteerHours are the hours and person-times of the slots marked done
// in a period at a place: per volunteer and per team.
type VolunteerHours struct {
	PlaceCode  string
	PlaceName  string
	From, To   time.Time // slots starting in [From, To)
	Volunteers []VolunteerHoursRow
	Teams      []TeamHoursRow
	Times      int
	Minutes    int
}

// VolunteerHoursRow is one volunteer's count.
type VolunteerHoursRow struct {
	VolunteerID int64
	Name        string
	Neighbour   bool
	Teams       []string
	Times       int
	Minutes     int
}

// TeamHoursRow is one team's count: its members' done slots.
type TeamHoursRow struct {
	TeamID  int64
	Name    string
	Members int
	Times   int
	Minutes int
}

// VolunteerHoursOf counts done slots whose start falls in [from, to) in
// the villages under place (the actor's place when empty). Those who
// manage relays see everyone's; a taker only their own.
func (s *Store) VolunteerHoursOf(ctx context.Context, a access.Actor, place string, from, to time.Time) (VolunteerHours, error) {
	h := VolunteerHours{From: from, To: to}
	sc := a.VolunteerScope()
	if sc.Kind == access.ScopeNone {
		return h, safetynet.Forbidden()
	}
	if !to.After(from) || to.Sub(from) > 3*366*24*time.Hour {
		return h, safetynet.Invalid("to", "统计区间无效：结束须晚于开始，且不超过三年", "the period must end after it starts and span at most three years")
	}
	if place == "" {
		place = a.Place
	}
	h.PlaceCode = place
	err := s.read(ctx, func(t *tx) error {
		c, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "p.code")
		err := t.queryRow(ctx, `SELECT p.name FROM places p WHERE p.code = ? AND `+c, append([]any{place}, args...)...).Scan(&h.PlaceName)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("找不到该地区", "no such place")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: hours place: %w", err)
		}
		q := `SELECT m.volunteer_id, COALESCE(NULLIF(u.display_name, ''), v.name), v.user_id IS NULL, COUNT(*), SUM(m.minutes)
			FROM volunteer_takes m JOIN volunteers v ON v.id = m.volunteer_id LEFT JOIN users u ON u.id = v.user_id
			WHERE m.status = 'done' AND m.starts_at >= ? AND m.starts_at < ?`
		qargs := []any{ms(from), ms(to)}
		if place != safetynet.RootPlaceCode {
			q += ` AND m.village_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)`
			qargs = append(qargs, place)
		}
		if sc.Kind == access.ScopeAssigned {
			q += ` AND v.user_id = ?`
			qargs = append(qargs, a.UserID)
		}
		q += ` GROUP BY m.volunteer_id, u.display_name, v.name, v.user_id`
		rows, err := t.query(ctx, q, qargs...)
		if err != nil {
			return fmt.Errorf("sqlstore: hours: %w", err)
		}
		byID := map[int64]int{}
		for rows.Next() {
			var r VolunteerHoursRow
			if err := rows.Scan(&r.VolunteerID, &r.Name, &r.Neighbour, &r.Times, &r.Minutes); err != nil {
				rows.Close()
				return err
			}
			byID[r.VolunteerID] = len(h.Volunteers)
			h.Volunteers = append(h.Volunteers, r)
			h.Times += r.Times
			h.Minutes += r.Minutes
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if sc.Kind == access.ScopeAssigned {
			return nil
		}
		teams, err := s.teamsUnder(ctx, t, a, place)
		if err != nil {
			return err
		}
		for _, tm := range teams {
			row := TeamHoursRow{TeamID: tm.ID, Name: tm.Name, Members: len(tm.Members)}
			for _, m := range tm.Members {
				if i, ok := byID[m.ID]; ok {
					row.Times += h.Volunteers[i].Times
					row.Minutes += h.Volunteers[i].Minutes
					h.Volunteers[i].Teams = append(h.Volunteers[i].Teams, tm.Name)
				}
			}
			h.Teams = append(h.Teams, row)
		}
		return nil
	})
	sort.SliceStable(h.Volunteers, func(i, j int) bool { return h.Volunteers[i].Minutes > h.Volunteers[j].Minutes })
	return h, err
}

// VolunteerTeam is a team of volunteers at a place.
type VolunteerTeam struct {
	ID        int64
	Name      string
	PlaceCode string
	PlaceName string
	Members   []VolunteerRef
}

// VolunteerRef names a volunteer (never their phone).
type VolunteerRef struct {
	ID        int64
	Name      string
	Neighbour bool
}

func (s *Store) teamsUnder(ctx context.Context, t *tx, a access.Actor, place string) ([]VolunteerTeam, error) {
	c, args := scopeClause(access.Scope{Kind: access.ScopeSubtree, Place: place}, "tm.place_code")
	rows, err := t.query(ctx, `SELECT tm.id, tm.name, tm.place_code, COALESCE(p.name, '') FROM volunteer_teams tm LEFT JOIN places p ON p.code = tm.place_code
		WHERE `+c+` ORDER BY tm.name, tm.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: teams: %w", err)
	}
	var out []VolunteerTeam
	for rows.Next() {
		var tm VolunteerTeam
		if err := rows.Scan(&tm.ID, &tm.Name, &tm.PlaceCode, &tm.PlaceName); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, tm)
	}
	rows.Close()
	for i := range out {
		mr, err := t.query(ctx, `SELECT v.id, COALESCE(NULLIF(u.display_name, ''), v.name), v.user_id IS NULL FROM volunteer_team_members tm
			JOIN volunteers v ON v.id = tm.volunteer_id LEFT JOIN users u ON u.id = v.user_id WHERE tm.team_id = ? ORDER BY v.id`, out[i].ID)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: team members: %w", err)
		}
		for mr.Next() {
			var v VolunteerRef
			if err := mr.Scan(&v.ID, &v.Name, &v.Neighbour); err != nil {
				mr.Close()
				return nil, err
			}
			out[i].Members = append(out[i].Members, v)
		}
		mr.Close()
	}
	return out, nil
}

// VolunteerTeams lists the teams at the places the actor manages.
func (s *Store) VolunteerTeams(ctx context.Context, a access.Actor) ([]VolunteerTeam, error) {
	if _, _, err := relayManaged(a); err != nil {
		return nil, err
	}
	var out []VolunteerTeam
	err := s.read(ctx, func(t *tx) error {
		var err error
		out, err = s.teamsUnder(ctx, t, a, a.Place)
		return err
	})
	return out, err
}

// Volunteers lists the volunteers known around the actor's places: users
// with a volunteer row placed there, and neighbours who signed up for the
// relays of its villages.
func (s *Store) Volunteers(ctx context.Context, a access.Actor) ([]VolunteerRef, error) {
	if _, _, err := relayManaged(a); err != nil {
		return nil, err
	}
	c, args := scopeClause(a.VolunteerScope(), "v.place_code")
	var out []VolunteerRef
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT v.id, COALESCE(NULLIF(u.display_name, ''), v.name), v.user_id IS NULL FROM volunteers v
			LEFT JOIN users u ON u.id = v.user_id WHERE `+c+` ORDER BY v.id LIMIT 1000`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: volunteers: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var v VolunteerRef
			if err := rows.Scan(&v.ID, &v.Name, &v.Neighbour); err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// CreateVolunteerTeam makes a team at a place the actor manages.
func (s *Store) CreateVolunteerTeam(ctx context.Context, a access.Actor, name, place string) (int64, error) {
	if _, _, err := relayManaged(a); err != nil {
		return 0, err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 40 {
		return 0, safetynet.Invalid("name", "请填写队名（不超过 40 字）", "a team name of 1 to 40 characters is required")
	}
	if place == "" {
		place = a.Place
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		c, args := scopeCheck(a.VolunteerScope(), "p.code")
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM places p WHERE p.code = ? AND `+c, append([]any{place}, args...)...).Scan(&n); err != nil {
			return fmt.Errorf("sqlstore: team place: %w", err)
		}
		if n == 0 {
			return safetynet.Invalid("place_code", "找不到该地区", "no such place")
		}
		err := t.queryRow(ctx, `INSERT INTO volunteer_teams (name, place_code, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			name, place, a.Username, ms(s.now())).Scan(&id)
		if classify(err) == errUnique {
			return safetynet.Conflict("name", "这里已有同名的队伍", "a team of that name exists here")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: create team: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "volunteer.team.create", objType: "volunteer_team", objID: fmt.Sprint(id), place: place,
			detail: map[string]any{"name": name}})
	})
	return id, err
}

// SetTeamMember adds (in) or removes a volunteer known around the
// actor's places to or from a team.
func (s *Store) SetTeamMember(ctx context.Context, a access.Actor, teamID, volunteerID int64, in bool) error {
	if _, _, err := relayManaged(a); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		c, args := scopeCheck(a.VolunteerScope(), "tm.place_code")
		var place string
		err := t.queryRow(ctx, `SELECT tm.place_code FROM volunteer_teams tm WHERE tm.id = ? AND `+c, append([]any{teamID}, args...)...).Scan(&place)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("找不到该队伍", "no such team")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: team: %w", err)
		}
		vc, vargs := scopeCheck(a.VolunteerScope(), "v.place_code")
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM volunteers v WHERE v.id = ? AND `+vc, append([]any{volunteerID}, vargs...)...).Scan(&n); err != nil {
			return fmt.Errorf("sqlstore: team volunteer: %w", err)
		}
		if n == 0 {
			return safetynet.Invalid("volunteer_id", "找不到该志愿者", "no such volunteer")
		}
		if in {
			_, err = t.exec(ctx, `INSERT INTO volunteer_team_members (team_id, volunteer_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, teamID, volunteerID)
		} else {
			_, err = t.exec(ctx, `DELETE FROM volunteer_team_members WHERE team_id = ? AND volunteer_id = ?`, teamID, volunteerID)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: team member: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "volunteer.team.member", objType: "volunteer_team", objID: fmt.Sprint(teamID), place: place,
			detail: map[string]any{"volunteer_id": volunteerID, "in": in}})
	})
}

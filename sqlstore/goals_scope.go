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

// GoalCampaign is a campaign as the goals page, the examples and the
// report show it.
type GoalCampaign struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Title     string `json:"title"`
	DocNo     string `json:"doc_no"`
	PlaceCode string `json:"place_code"`
	PlaceName string `json:"place_name"`
	StartsOn  string `json:"starts_on"`
	EndsOn    string `json:"ends_on"`
	Status    string `json:"status"`
}

// goalVillage is an implementing village the actor sees.
type goalVillage struct {
	code, name, town, townName string
}

// goalScope is a campaign with the implementing villages the actor sees.
type goalScope struct {
	c        GoalCampaign
	villages []goalVillage
	byCode   map[string]int
	manage   bool // the actor may manage the campaign (its place is in their area)
}

// errNoCampaign is the answer for a campaign that does not exist or that
// the actor may not see: the same, so that nothing leaks.
var errNoCampaign = safetynet.NotFound("专项行动", "campaign")

// goalCampaignScope loads a campaign for an actor who may view it: its
// owning place is in the actor's area, or one of its implementing
// villages is. A draft is seen only by those who may manage it.
func (s *Store) goalCampaignScope(ctx context.Context, t *tx, a access.Actor, id int64) (goalScope, error) {
	var g goalScope
	if !a.Can(access.CampaignView) {
		return g, safetynet.Forbidden()
	}
	if a.Place == "" {
		return g, errNoCampaign
	}
	err := t.queryRow(ctx, `SELECT c.id, c.kind, c.title, c.doc_no, c.place_code, p.name, c.starts_on, c.ends_on, c.status
		FROM campaigns c JOIN places p ON p.code = c.place_code WHERE c.id = ?`, id).Scan(&g.c.ID, &g.c.Kind, &g.c.Title,
		&g.c.DocNo, &g.c.PlaceCode, &g.c.PlaceName, &g.c.StartsOn, &g.c.EndsOn, &g.c.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return g, errNoCampaign
	}
	if err != nil {
		return g, fmt.Errorf("sqlstore: campaign %d: %w", id, err)
	}
	if g.manage, err = s.goalInArea(ctx, t, a, g.c.PlaceCode); err != nil {
		return g, err
	}
	g.manage = g.manage && a.Can(access.CampaignManage)
	if g.c.Status == campaigns.StatusDraft && !g.manage {
		return g, errNoCampaign
	}
	// The villages in the actor's area, and the village a grid worker's
	// (or group's) place lies in.
	where, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "cv.village_code")
	rows, err := t.query(ctx, `SELECT cv.village_code, v.name, cv.town_code, COALESCE(tp.name, '')
		FROM campaign_villages cv JOIN places v ON v.code = cv.village_code LEFT JOIN places tp ON tp.code = cv.town_code
		WHERE cv.campaign_id = ? AND (`+where+` OR EXISTS (SELECT 1 FROM place_tree pa WHERE pa.ancestor = cv.village_code AND pa.descendant = ?))
		ORDER BY cv.town_code, cv.village_code`, append(append([]any{id}, args...), a.Place)...)
	if err != nil {
		return g, fmt.Errorf("sqlstore: campaign villages: %w", err)
	}
	defer rows.Close()
	g.byCode = map[string]int{}
	for rows.Next() {
		var v goalVillage
		if err := rows.Scan(&v.code, &v.name, &v.town, &v.townName); err != nil {
			return g, err
		}
		g.byCode[v.code] = len(g.villages)
		g.villages = append(g.villages, v)
	}
	if err := rows.Err(); err != nil {
		return g, err
	}
	inArea, err := s.goalInArea(ctx, t, a, g.c.PlaceCode)
	if err != nil {
		return g, err
	}
	if !inArea && len(g.villages) == 0 {
		return g, errNoCampaign
	}
	return g, nil
}

// goalInArea reports whether place is in the actor's area.
func (s *Store) goalInArea(ctx context.Context, t *tx, a access.Actor, place string) (bool, error) {
	where, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "p.code")
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM places p WHERE p.code = ? AND `+where, append([]any{place}, args...)...).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("sqlstore: place in area: %w", err)
	}
	return n > 0, nil
}

// level is a place of the drill-down: the campaign's own place, one of
// its towns, or one of its villages, with the villages it holds.
type goalLevel struct {
	code, name, level string
	villages          []goalVillage
}

// goalLevelOf resolves the place asked about (the campaign's place, a
// town of its villages or one of its villages) among what the actor
// sees; "" is the highest place of the campaign in the actor's area.
func (s *Store) goalLevelOf(ctx context.Context, t *tx, a access.Actor, g goalScope, place string) (goalLevel, error) {
	notFound := safetynet.Invalid("place", "地区不属于本次行动或不在您负责的范围内", "the place is not part of the campaign or is outside your area")
	if place == "" {
		inArea, err := s.goalInArea(ctx, t, a, g.c.PlaceCode)
		if err != nil {
			return goalLevel{}, err
		}
		place = a.Place
		if inArea {
			place = g.c.PlaceCode
		} else if _, own := g.byCode[a.Place]; !own {
			for _, v := range g.villages {
				if v.town == a.Place {
					break // a town of the campaign
				}
				if in, err := s.goalInArea(ctx, t, a, v.code); err != nil {
					return goalLevel{}, err
				} else if !in {
					place = v.code // the village a grid worker's place lies in
					break
				}
			}
		}
	}
	_, ownVillage := g.byCode[place]
	if ok, err := s.goalInArea(ctx, t, a, place); err != nil {
		return goalLevel{}, err
	} else if !ok && !ownVillage {
		return goalLevel{}, notFound
	}
	var l goalLevel
	if err := t.queryRow(ctx, `SELECT name, level FROM places WHERE code = ?`, place).Scan(&l.name, &l.level); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return l, notFound
		}
		return l, fmt.Errorf("sqlstore: goal place: %w", err)
	}
	l.code = place
	for _, v := range g.villages {
		if place == g.c.PlaceCode || v.town == place || v.code == place {
			l.villages = append(l.villages, v)
		}
	}
	if place != g.c.PlaceCode && len(l.villages) == 0 {
		return l, notFound
	}
	return l, nil
}

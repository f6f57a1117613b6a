package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/visits"
)

// Concentrated screening (集中排查): the campaign as the screening sees it,
// its area and who may see it. A screening campaign is seen by those whose
// place holds the owning county or town, and, once running, by those of
// its implementing villages (a town above them, a grid below them). Its
// area is the active households under its villages, limited for each
// actor to their own register scope.

var errScreeningNotFound = safetynet.NotFound("集中排查", "concentrated screening")

// screeningZone is where screening dates are local dates.
var screeningZone = visits.Zone("")

// ScreeningCampaign is a concentrated screening.
type ScreeningCampaign struct {
	ID        int64            `json:"id"`
	Title     string           `json:"title"`
	DocNo     string           `json:"doc_no"`
	PlaceCode string           `json:"place_code"`
	PlaceName string           `json:"place_name"`
	Status    string           `json:"status"`
	StartsOn  time.Time        `json:"-"`
	EndsOn    time.Time        `json:"-"`
	Window    campaigns.Window `json:"-"`
	// Top is where the actor's progress starts: the campaign's place, or
	// the actor's own place when it lies below.
	Top string `json:"-"`
}

// Running reports whether households may be screened now.
func (c ScreeningCampaign) Running() bool { return c.Status == campaigns.StatusRunning }

const screeningCampaignCols = `c.id, c.title, c.doc_no, c.place_code, pl.name, c.status, c.starts_on, c.ends_on`

// screeningVisible is the condition that the actor (place ?, given three
// times) may see campaign c.
const screeningVisible = `(EXISTS (SELECT 1 FROM place_tree vt WHERE vt.ancestor = ? AND vt.descendant = c.place_code)
	OR (c.status <> 'draft' AND EXISTS (SELECT 1 FROM campaign_villages vv JOIN place_tree vt
		ON (vt.ancestor = ? AND vt.descendant = vv.village_code) OR (vt.ancestor = vv.village_code AND vt.descendant = ?)
		WHERE vv.campaign_id = c.id)))`

func (s *Store) scanScreeningCampaign(r scanner) (ScreeningCampaign, error) {
	var c ScreeningCampaign
	var starts, ends string
	if err := r.Scan(&c.ID, &c.Title, &c.DocNo, &c.PlaceCode, &c.PlaceName, &c.Status, &starts, &ends); err != nil {
		return c, err
	}
	c.StartsOn, c.EndsOn = parseDate(starts), parseDate(ends)
	return c, nil
}

// screeningCampaign loads a screening campaign the actor may see, with
// its window and the actor's top place.
func (s *Store) screeningCampaign(ctx context.Context, t *tx, a access.Actor, id int64) (ScreeningCampaign, error) {
	if a.Place == "" {
		return ScreeningCampaign{}, errScreeningNotFound
	}
	c, err := s.scanScreeningCampaign(t.queryRow(ctx, `SELECT `+screeningCampaignCols+` FROM campaigns c JOIN places pl ON pl.code = c.place_code
		WHERE c.id = ? AND c.kind = ? AND `+screeningVisible, id, campaigns.KindScreening, a.Place, a.Place, a.Place))
	if isNoRows(err) {
		return c, errScreeningNotFound
	}
	if err != nil {
		return c, fmt.Errorf("sqlstore: screening %d: %w", id, err)
	}
	rows, err := t.query(ctx, `SELECT kind, starts_on, ends_on FROM campaign_stages WHERE campaign_id = ? ORDER BY seq`, id)
	if err != nil {
		return c, fmt.Errorf("sqlstore: screening stages: %w", err)
	}
	defer rows.Close()
	var stages []campaigns.ScreenStage
	for rows.Next() {
		var st campaigns.ScreenStage
		var a, b string
		if err := rows.Scan(&st.Kind, &a, &b); err != nil {
			return c, err
		}
		st.StartsOn, st.EndsOn = parseDate(a), parseDate(b)
		stages = append(stages, st)
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	c.Window = campaigns.WindowOf(c.StartsOn, c.EndsOn, stages)
	c.Top = c.PlaceCode
	var above int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM place_tree WHERE ancestor = ? AND descendant = ?`, a.Place, c.PlaceCode).Scan(&above); err != nil {
		return c, err
	}
	if above == 0 {
		c.Top = a.Place
	}
	return c, nil
}

// ScreeningCampaigns lists the screening campaigns the actor sees, running
// first, newest first.
func (s *Store) ScreeningCampaigns(ctx context.Context, a access.Actor) ([]ScreeningCampaign, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return nil, err
	}
	if a.Place == "" {
		return nil, nil
	}
	var out []ScreeningCampaign
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+screeningCampaignCols+` FROM campaigns c JOIN places pl ON pl.code = c.place_code
			WHERE c.kind = ? AND `+screeningVisible+`
			ORDER BY CASE c.status WHEN 'running' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, c.starts_on DESC, c.id DESC LIMIT 200`,
			campaigns.KindScreening, a.Place, a.Place, a.Place)
		if err != nil {
			return fmt.Errorf("sqlstore: screenings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			c, err := s.scanScreeningCampaign(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// screeningArea is the condition that household h lies under one of the
// campaign's villages (campaign id ?).
const screeningArea = `EXISTS (SELECT 1 FROM campaign_villages av JOIN place_tree ax ON ax.ancestor = av.village_code
	WHERE av.campaign_id = ? AND ax.descendant = h.place_code)`

// screeningPlace checks that place lies within both the campaign's place
// and the actor's, and returns it with its name and level.
func (s *Store) screeningPlace(ctx context.Context, t *tx, a access.Actor, c ScreeningCampaign, place string) (safetynet.Place, error) {
	if place == "" {
		place = c.Top
	}
	var p safetynet.Place
	var level string
	err := t.queryRow(ctx, `SELECT p.code, p.name, p.level, COALESCE(p.parent_code, '') FROM places p
		WHERE p.code = ? AND EXISTS (SELECT 1 FROM place_tree x WHERE x.ancestor = ? AND x.descendant = p.code)
		AND EXISTS (SELECT 1 FROM place_tree y WHERE y.ancestor = ? AND y.descendant = p.code)`,
		place, c.PlaceCode, a.Place).Scan(&p.Code, &p.Name, &level, &p.ParentCode)
	if isNoRows(err) {
		return p, safetynet.NotFound("地区", "place")
	}
	p.Level = safetynet.Level(level)
	return p, err
}

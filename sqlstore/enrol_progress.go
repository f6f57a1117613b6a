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

// EnrolTally is the survey-and-register progress of a place: its
// villages by status and its members per group.
type EnrolTally struct {
	Place         string
	Name          string
	Level         safetynet.Level
	Villages      int
	NotStarted    int
	InProgress    int
	Submitted     int // on time or late
	SubmittedLate int // of Submitted, after the stage's end
	Late          int // not submitted, the end passed
	Counts        campaigns.Counts
	Status        string // a village's own (shown) status; "" for a town or county
}

// EnrolProgress is a campaign's register stage seen from one place: the
// place's tally and one per place below it (towns of a county, villages of
// a town), totals equal to the sum of the rows.
type EnrolProgress struct {
	CampaignID    int64
	CampaignTitle string
	CampaignPlace string
	StageID       int64
	StageTitle    string
	EndsOn        string
	Groups        []string
	Path          []safetynet.Place // from the campaign's place (or the actor's) down to the place
	Total         EnrolTally
	Rows          []EnrolTally
}

// enrolCampaign finds a campaign's register stage for a reader: the
// campaign not a draft, or the actor's place at or above its place.
func (s *Store) enrolCampaign(ctx context.Context, t *tx, a access.Actor, campaignID int64) (p EnrolProgress, err error) {
	p.CampaignID = campaignID
	err = t.queryRow(ctx, `SELECT c.title, c.place_code, st.id, st.title, st.ends_on FROM campaigns c
		JOIN campaign_stages st ON st.campaign_id = c.id AND st.kind = ?
		WHERE c.id = ? AND (c.status <> ? OR EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = c.place_code))
		AND (EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = c.place_code)
			OR EXISTS (SELECT 1 FROM place_tree WHERE ancestor = c.place_code AND descendant = ?))
		ORDER BY st.seq LIMIT 1`, campaigns.StageRegister, campaignID, campaigns.StatusDraft, a.Place, a.Place, a.Place).Scan(
		&p.CampaignTitle, &p.CampaignPlace, &p.StageID, &p.StageTitle, &p.EndsOn)
	if errors.Is(err, sql.ErrNoRows) {
		return p, safetynet.NotFound("专项行动的登记造册阶段", "campaign's survey-and-register stage")
	}
	if err != nil {
		return p, fmt.Errorf("sqlstore: enrol campaign: %w", err)
	}
	rows, err := t.query(ctx, `SELECT groups FROM campaign_items WHERE campaign_id = ? ORDER BY seq`, campaignID)
	if err != nil {
		return p, fmt.Errorf("sqlstore: enrol groups: %w", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			return p, err
		}
		for _, c := range campaigns.Groups(g) {
			if !seen[c] {
				seen[c], p.Groups = true, append(p.Groups, c)
			}
		}
	}
	return p, rows.Err()
}

// CampaignEnrolProgress returns the campaign's register stage at place
// ("" for the campaign's place, or the actor's when below it): a tally per
// place below, aggregated in SQL over the stage's village rows and the
// members' index. The place must be in both the campaign's area and the
// actor's scope.
func (s *Store) CampaignEnrolProgress(ctx context.Context, a access.Actor, campaignID int64, place string) (EnrolProgress, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return EnrolProgress{}, err
	}
	var p EnrolProgress
	err := s.read(ctx, func(t *tx) error {
		var err error
		if p, err = s.enrolCampaign(ctx, t, a, campaignID); err != nil {
			return err
		}
		if place == "" {
			place = p.CampaignPlace
			if ok, err := s.enrolUnder(ctx, t, a.Place, p.CampaignPlace); err != nil {
				return err
			} else if ok {
				place = a.Place
			}
		}
		inCampaign, err := s.enrolUnder(ctx, t, place, p.CampaignPlace)
		if err != nil {
			return err
		}
		inScope, err := s.enrolUnder(ctx, t, place, a.Place)
		if err != nil {
			return err
		}
		if !inCampaign || !inScope {
			return safetynet.NotFound("地点", "place")
		}
		if p.Path, err = s.enrolPath(ctx, t, place, p.CampaignPlace, a.Place); err != nil {
			return err
		}
		self := p.Path[len(p.Path)-1]
		p.Total = EnrolTally{Place: self.Code, Name: self.Name, Level: self.Level, Counts: campaigns.Counts{}}
		// The places below (or the village itself).
		cond := "c.parent_code = ?"
		if self.Level == safetynet.LevelVillage {
			cond = "c.code = ?"
		}
		end, err := campaigns.EndOf(p.EndsOn)
		if err != nil {
			return err
		}
		passed := 0
		if !s.now().Before(end) {
			passed = 1
		}
		rows, err := t.query(ctx, `SELECT c.code, c.name, c.level, COUNT(*),
				SUM(CASE WHEN cvs.status = 'submitted' THEN 1 ELSE 0 END),
				SUM(CASE WHEN cvs.status = 'submitted' AND cvs.submitted_at > ? THEN 1 ELSE 0 END),
				SUM(CASE WHEN cvs.status <> 'submitted' AND ? = 1 THEN 1 ELSE 0 END),
				SUM(CASE WHEN cvs.status = 'in_progress' AND ? = 0 THEN 1 ELSE 0 END),
				SUM(CASE WHEN cvs.status = 'not_started' AND ? = 0 THEN 1 ELSE 0 END)
			FROM places c CROSS JOIN place_tree pt CROSS JOIN campaign_village_stages cvs
			WHERE pt.ancestor = c.code AND cvs.stage_id = ? AND cvs.village_code = pt.descendant AND `+cond+`
			GROUP BY c.code, c.name, c.level ORDER BY c.code`,
			ms(end), passed, passed, passed, p.StageID, self.Code)
		if err != nil {
			return fmt.Errorf("sqlstore: enrol progress: %w", err)
		}
		at := map[string]int{}
		for rows.Next() {
			r := EnrolTally{Counts: campaigns.Counts{}}
			var level string
			if err := rows.Scan(&r.Place, &r.Name, &level, &r.Villages, &r.Submitted, &r.SubmittedLate, &r.Late, &r.InProgress, &r.NotStarted); err != nil {
				rows.Close()
				return err
			}
			r.Level = safetynet.Level(level)
			if r.Level == safetynet.LevelVillage {
				r.Status = villageShown(r)
			}
			at[r.Place] = len(p.Rows)
			p.Rows = append(p.Rows, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Members per place below and group: from each place below to its
		// villages (the closure), then the members' index of each. CROSS
		// JOIN keeps SQLite to that order: left to choose, it walks the
		// campaign's members first and looks each one's places up, a
		// hundred times slower for a county of 1,500 villages.
		rows, err = t.query(ctx, `SELECT c.code, m.group_code, COUNT(*) FROM places c CROSS JOIN place_tree pt CROSS JOIN campaign_members m
			WHERE pt.ancestor = c.code AND m.campaign_id = ? AND m.removed_at = 0 AND m.village_code = pt.descendant
			AND `+cond+` GROUP BY c.code, m.group_code`, campaignID, self.Code)
		if err != nil {
			return fmt.Errorf("sqlstore: enrol counts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var code, group string
			var n int
			if err := rows.Scan(&code, &group, &n); err != nil {
				return err
			}
			if i, ok := at[code]; ok {
				p.Rows[i].Counts[group] += n
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range p.Rows {
			p.Total.add(r)
		}
		if self.Level == safetynet.LevelVillage && len(p.Rows) == 1 {
			p.Total.Status = p.Rows[0].Status
		}
		return nil
	})
	return p, err
}

func (t *EnrolTally) add(r EnrolTally) {
	t.Villages += r.Villages
	t.NotStarted += r.NotStarted
	t.InProgress += r.InProgress
	t.Submitted += r.Submitted
	t.SubmittedLate += r.SubmittedLate
	t.Late += r.Late
	for g, n := range r.Counts {
		t.Counts[g] += n
	}
}

// villageShown is a village row's one status.
func villageShown(r EnrolTally) string {
	switch {
	case r.Submitted > 0:
		return campaigns.VillageSubmitted
	case r.Late > 0:
		return campaigns.VillageLate
	case r.InProgress > 0:
		return campaigns.VillageInProgress
	}
	return campaigns.VillageNotStarted
}

// enrolUnder reports whether place is at or below root.
func (s *Store) enrolUnder(ctx context.Context, t *tx, place, root string) (bool, error) {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM place_tree WHERE ancestor = ? AND descendant = ?`, root, place).Scan(&n); err != nil {
		return false, fmt.Errorf("sqlstore: enrol place: %w", err)
	}
	return n > 0, nil
}

// enrolPath lists the places from the higher of the campaign's place and
// the actor's place down to place.
func (s *Store) enrolPath(ctx context.Context, t *tx, place, campaignPlace, actorPlace string) ([]safetynet.Place, error) {
	rows, err := t.query(ctx, `SELECT p.code, p.name, p.level FROM place_tree pt JOIN places p ON p.code = pt.ancestor
		WHERE pt.descendant = ? AND EXISTS (SELECT 1 FROM place_tree a WHERE a.ancestor = ? AND a.descendant = p.code)
		AND EXISTS (SELECT 1 FROM place_tree b WHERE b.ancestor = ? AND b.descendant = p.code) ORDER BY pt.depth DESC`, place, campaignPlace, actorPlace)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: enrol path: %w", err)
	}
	defer rows.Close()
	var out []safetynet.Place
	for rows.Next() {
		var p safetynet.Place
		var level string
		if err := rows.Scan(&p.Code, &p.Name, &level); err != nil {
			return nil, err
		}
		p.Level = safetynet.Level(level)
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, safetynet.NotFound("地点", "place")
	}
	return out, rows.Err()
}

// EnrolVillageRow is a village in the list behind a progress figure.
type EnrolVillageRow struct {
	Village       string
	Name          string
	TownName      string
	Status        string // shown: not_started, in_progress, submitted, late
	SubmittedLate bool
	Counts        campaigns.Counts
}

// CampaignEnrolVillages lists the villages below place whose register
// stage shows status ("" for all): the list behind a progress figure.
func (s *Store) CampaignEnrolVillages(ctx context.Context, a access.Actor, campaignID int64, place, status string) ([]EnrolVillageRow, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return nil, err
	}
	if status != "" && !campaigns.VillageStatuses.Valid(status) && status != "submitted_late" {
		return nil, safetynet.Invalid("status", "状态无效", "unknown status %q", status)
	}
	var out []EnrolVillageRow
	err := s.read(ctx, func(t *tx) error {
		p, err := s.enrolCampaign(ctx, t, a, campaignID)
		if err != nil {
			return err
		}
		for _, root := range []string{p.CampaignPlace, a.Place} {
			if ok, err := s.enrolUnder(ctx, t, place, root); err != nil {
				return err
			} else if !ok {
				return safetynet.NotFound("地点", "place")
			}
		}
		rows, err := t.query(ctx, `SELECT cvs.village_code, vp.name, COALESCE(tp.name, ''), cvs.status, cvs.submitted_at
			FROM campaign_village_stages cvs JOIN campaign_villages cv ON cv.campaign_id = cvs.campaign_id AND cv.village_code = cvs.village_code
			JOIN places vp ON vp.code = cvs.village_code LEFT JOIN places tp ON tp.code = cv.town_code
			WHERE cvs.stage_id = ? AND cvs.village_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) ORDER BY cvs.village_code LIMIT 5000`,
			p.StageID, place)
		if err != nil {
			return fmt.Errorf("sqlstore: enrol villages: %w", err)
		}
		at := map[string]int{}
		for rows.Next() {
			var r EnrolVillageRow
			var st string
			var sub int64
			if err := rows.Scan(&r.Village, &r.Name, &r.TownName, &st, &sub); err != nil {
				rows.Close()
				return err
			}
			var subAt = fromMS(sub)
			r.Status, r.SubmittedLate = campaigns.ShownStatus(st, p.EndsOn, subAt, s.now())
			if status != "" && r.Status != status && !(status == "submitted_late" && r.SubmittedLate) {
				continue
			}
			r.Counts = campaigns.Counts{}
			at[r.Village] = len(out)
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = t.query(ctx, `SELECT village_code, group_code, COUNT(*) FROM campaign_members WHERE campaign_id = ? AND removed_at = 0
			AND village_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) GROUP BY village_code, group_code`, campaignID, place)
		if err != nil {
			return fmt.Errorf("sqlstore: enrol village counts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var v, g string
			var n int
			if err := rows.Scan(&v, &g, &n); err != nil {
				return err
			}
			if i, ok := at[v]; ok {
				out[i].Counts[g] = n
			}
		}
		return rows.Err()
	})
	return out, err
}

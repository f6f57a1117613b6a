package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/visits"
)

// CampaignExample is a typical case (典型案例) of a campaign: a relay case
// or a household with a title and a short text, shown by names.
type CampaignExample struct {
	ID            int64     `json:"id"`
	CaseID        int64     `json:"case_id,omitempty"`
	HouseholdID   int64     `json:"household_id"`
	HouseholdName string    `json:"household_name"` // the household's head
	VillageCode   string    `json:"village_code"`
	VillageName   string    `json:"village_name"`
	Title         string    `json:"title"`
	Text          string    `json:"text"`
	MarkedBy      string    `json:"marked_by"` // the display name of who marked it
	MarkedAt      time.Time `json:"marked_at"`
	CanRemove     bool      `json:"can_remove"`
}

// NewExample marks a case or a household as a typical case.
type NewExample struct {
	CaseID      int64  `json:"case_id"`
	HouseholdID int64  `json:"household_id"`
	Title       string `json:"title"`
	Text        string `json:"text"`
}

// ExampleCandidate is a case or household that may be marked, by name.
type ExampleCandidate struct {
	CaseID      int64  `json:"case_id,omitempty"`
	HouseholdID int64  `json:"household_id"`
	Name        string `json:"name"`
	VillageName string `json:"village_name"`
	Note        string `json:"note"` // for a case: the date of its first help
}

// mayMarkIn reports whether the actor may mark or remove examples of a
// village: CampaignWork with the village in their area, or CampaignManage
// of the campaign.
func (s *Store) mayMarkIn(ctx context.Context, t *tx, a access.Actor, g goalScope, village string) (bool, error) {
	if g.manage {
		return true, nil
	}
	if !a.Can(access.CampaignWork) {
		return false, nil
	}
	_, ok := g.byCode[village]
	return ok, nil
}

// CampaignExamples lists the examples of a campaign in the actor's area.
func (s *Store) CampaignExamples(ctx context.Context, a access.Actor, campaignID int64) (GoalCampaign, []CampaignExample, error) {
	var out []CampaignExample
	var c GoalCampaign
	err := s.read(ctx, func(t *tx) error {
		g, err := s.goalCampaignScope(ctx, t, a, campaignID)
		if err != nil {
			return err
		}
		c = g.c
		out, err = s.goalExamples(ctx, t, a, g)
		return err
	})
	return c, out, err
}

func (s *Store) goalExamples(ctx context.Context, t *tx, a access.Actor, g goalScope) ([]CampaignExample, error) {
	rows, err := t.query(ctx, `SELECT e.id, e.case_id, COALESCE(NULLIF(e.household_id, 0), k.household_id, 0), COALESCE(hp.name, ''),
		e.village_code, COALESCE(v.name, ''), e.title, e.text, COALESCE(NULLIF(u.display_name, ''), e.marked_by), e.marked_at
		FROM campaign_examples e LEFT JOIN cases k ON k.id = e.case_id
		LEFT JOIN households h ON h.id = COALESCE(NULLIF(e.household_id, 0), k.household_id)
		LEFT JOIN persons hp ON hp.id = h.head_person_id LEFT JOIN places v ON v.code = e.village_code
		LEFT JOIN users u ON u.username = e.marked_by
		WHERE e.campaign_id = ? AND e.removed_at = 0 ORDER BY e.village_code, e.id`, g.c.ID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: campaign examples: %w", err)
	}
	defer rows.Close()
	out := []CampaignExample{}
	for rows.Next() {
		var e CampaignExample
		var at int64
		if err := rows.Scan(&e.ID, &e.CaseID, &e.HouseholdID, &e.HouseholdName, &e.VillageCode, &e.VillageName, &e.Title, &e.Text,
			&e.MarkedBy, &at); err != nil {
			return nil, err
		}
		if _, ok := g.byCode[e.VillageCode]; !ok {
			continue // another village's, outside the actor's area
		}
		e.MarkedAt = time.Unix(at, 0).UTC() // the campaigns' times are unix seconds
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].CanRemove, _ = s.mayMarkIn(ctx, t, a, g, out[i].VillageCode)
	}
	return out, nil
}

// MarkExample marks a case or a household of the campaign's villages as a
// typical case. Marking the same case or household again while its mark
// stands returns the standing example (a resend is not a second one).
func (s *Store) MarkExample(ctx context.Context, a access.Actor, campaignID int64, in NewExample) (CampaignExample, error) {
	in.Title, in.Text = strings.TrimSpace(in.Title), strings.TrimSpace(in.Text)
	if (in.CaseID == 0) == (in.HouseholdID == 0) {
		return CampaignExample{}, safetynet.Invalid("subject", "请选择一个案件或一户家庭", "choose one case or one household")
	}
	if field, ok := campaigns.ValidExample(in.Title, in.Text); !ok {
		if field == "title" {
			return CampaignExample{}, safetynet.Invalid("title", "标题不能为空，且不超过60字", "the title is required, at most 60 characters")
		}
		return CampaignExample{}, safetynet.Invalid("text", "案例说明不能为空，且不超过2000字", "the text is required, at most 2000 characters")
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		g, err := s.goalCampaignScope(ctx, t, a, campaignID)
		if err != nil {
			return err
		}
		var place string
		if in.CaseID > 0 {
			err = t.queryRow(ctx, `SELECT place_code FROM cases WHERE id = ?`, in.CaseID).Scan(&place)
		} else {
			err = t.queryRow(ctx, `SELECT place_code FROM households WHERE id = ? AND status = 'active'`, in.HouseholdID).Scan(&place)
		}
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.Invalid("subject", "案件或家庭不存在", "the case or household does not exist")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: example subject: %w", err)
		}
		var village string
		err = t.queryRow(ctx, `SELECT cv.village_code FROM campaign_villages cv JOIN place_tree pt ON pt.ancestor = cv.village_code
			WHERE cv.campaign_id = ? AND pt.descendant = ?`, campaignID, place).Scan(&village)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.Invalid("subject", "该案件或家庭不在本次行动的实施村", "the case or household is not in a village of the campaign")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: example village: %w", err)
		}
		if _, seen := g.byCode[village]; !seen {
			return safetynet.Invalid("subject", "该案件或家庭不在您负责的范围内", "the case or household is outside your area")
		}
		if ok, err := s.mayMarkIn(ctx, t, a, g, village); err != nil {
			return err
		} else if !ok {
			return safetynet.Forbidden()
		}
		if s.d.name == "postgres" { // two marks of one campaign at once: one after the other, the second finds the first
			if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, 7215061200000+campaignID); err != nil {
				return fmt.Errorf("sqlstore: example lock: %w", err)
			}
		}
		err = t.queryRow(ctx, `SELECT id FROM campaign_examples WHERE campaign_id = ? AND case_id = ? AND household_id = ? AND removed_at = 0`,
			campaignID, in.CaseID, in.HouseholdID).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlstore: example: %w", err)
		}
		err = t.queryRow(ctx, `INSERT INTO campaign_examples (campaign_id, case_id, household_id, village_code, title, text, marked_by, marked_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, campaignID, in.CaseID, in.HouseholdID, village, in.Title, in.Text,
			a.Username, s.now().Unix()).Scan(&id)
		if err != nil {
			return fmt.Errorf("sqlstore: mark example: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "campaign.example", objType: "campaign", objID: strconv.FormatInt(campaignID, 10),
			place: village, detail: map[string]any{"example": id, "case": in.CaseID, "household": in.HouseholdID}})
	})
	if err != nil {
		return CampaignExample{}, err
	}
	_, all, err := s.CampaignExamples(ctx, a, campaignID)
	for _, e := range all {
		if e.ID == id {
			return e, err
		}
	}
	return CampaignExample{ID: id}, err
}

// RemoveExample takes a mark back; the row stays, ended.
func (s *Store) RemoveExample(ctx context.Context, a access.Actor, campaignID, exampleID int64) error {
	return s.write(ctx, func(t *tx) error {
		g, err := s.goalCampaignScope(ctx, t, a, campaignID)
		if err != nil {
			return err
		}
		var village string
		err = t.queryRow(ctx, `SELECT village_code FROM campaign_examples WHERE id = ? AND campaign_id = ? AND removed_at = 0`,
			exampleID, campaignID).Scan(&village)
		if _, seen := g.byCode[village]; errors.Is(err, sql.ErrNoRows) || (err == nil && !seen) {
			return safetynet.NotFound("典型案例", "example")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: example: %w", err)
		}
		if ok, err := s.mayMarkIn(ctx, t, a, g, village); err != nil {
			return err
		} else if !ok {
			return safetynet.Forbidden()
		}
		if _, err := t.exec(ctx, `UPDATE campaign_examples SET removed_at = ? WHERE id = ? AND removed_at = 0`, s.now().Unix(), exampleID); err != nil {
			return fmt.Errorf("sqlstore: remove example: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "campaign.example_remove", objType: "campaign", objID: strconv.FormatInt(campaignID, 10),
			place: village, detail: map[string]any{"example": exampleID}})
	})
}

// ExampleCandidates lists, by name, what the actor may mark: the cases of
// the campaign's villages in their area helped in the period, and the
// households of the registered members (at most 300 of each).
func (s *Store) ExampleCandidates(ctx context.Context, a access.Actor, campaignID int64) ([]ExampleCandidate, error) {
	out := []ExampleCandidate{}
	err := s.read(ctx, func(t *tx) error {
		g, err := s.goalCampaignScope(ctx, t, a, campaignID)
		if err != nil {
			return err
		}
		from, to := periodBounds(g.c)
		rows, err := t.query(ctx, `SELECT k.id, k.household_id, COALESCE(hp.name, ''), cv.village_code, k.first_help_at FROM cases k
			JOIN households h ON h.id = k.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id
			JOIN place_tree pt ON pt.descendant = k.place_code JOIN campaign_villages cv ON cv.village_code = pt.ancestor AND cv.campaign_id = ?
			WHERE k.first_help_at >= ? AND k.first_help_at < ? ORDER BY k.first_help_at DESC LIMIT 1000`, g.c.ID, ms(from), ms(to))
		if err != nil {
			return fmt.Errorf("sqlstore: example cases: %w", err)
		}
		n := 0
		for rows.Next() {
			var c ExampleCandidate
			var v string
			var at int64
			if err := rows.Scan(&c.CaseID, &c.HouseholdID, &c.Name, &v, &at); err != nil {
				rows.Close()
				return err
			}
			if i, ok := g.byCode[v]; ok && n < 300 {
				c.VillageName, c.Note = g.villages[i].name, visits.LocalDate(fromMS(at), visitZone).Format(visits.DateLayout)
				out = append(out, c)
				n++
			}
		}
		rows.Close()
		rows, err = t.query(ctx, `SELECT DISTINCT m.household_id, COALESCE(hp.name, ''), m.village_code FROM campaign_members m
			JOIN households h ON h.id = m.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id
			WHERE m.campaign_id = ? AND m.removed_at = 0 ORDER BY m.village_code, m.household_id LIMIT 3000`, g.c.ID)
		if err != nil {
			return fmt.Errorf("sqlstore: example households: %w", err)
		}
		defer rows.Close()
		n = 0
		for rows.Next() {
			var c ExampleCandidate
			var v string
			if err := rows.Scan(&c.HouseholdID, &c.Name, &v); err != nil {
				return err
			}
			if i, ok := g.byCode[v]; ok && n < 300 {
				c.VillageName = g.villages[i].name
				out = append(out, c)
				n++
			}
		}
		return rows.Err()
	})
	return out, err
}

// ExampleSubject names a case or a household of the campaign's villages in
// the actor's area, for the form a list's "mark as example" link opens.
func (s *Store) ExampleSubject(ctx context.Context, a access.Actor, campaignID, caseID, householdID int64) (ExampleCandidate, error) {
	var c ExampleCandidate
	err := s.read(ctx, func(t *tx) error {
		g, err := s.goalCampaignScope(ctx, t, a, campaignID)
		if err != nil {
			return err
		}
		var v string
		q := `SELECT 0, h.id, COALESCE(hp.name, ''), cv.village_code FROM households h LEFT JOIN persons hp ON hp.id = h.head_person_id
			JOIN place_tree pt ON pt.descendant = h.place_code JOIN campaign_villages cv ON cv.village_code = pt.ancestor AND cv.campaign_id = ?
			WHERE h.id = ? AND h.status = 'active'`
		id := householdID
		if caseID > 0 {
			q = `SELECT k.id, k.household_id, COALESCE(hp.name, ''), cv.village_code FROM cases k JOIN households h ON h.id = k.household_id
				LEFT JOIN persons hp ON hp.id = h.head_person_id
				JOIN place_tree pt ON pt.descendant = k.place_code JOIN campaign_villages cv ON cv.village_code = pt.ancestor AND cv.campaign_id = ?
				WHERE k.id = ?`
			id = caseID
		}
		err = t.queryRow(ctx, q, campaignID, id).Scan(&c.CaseID, &c.HouseholdID, &c.Name, &v)
		i, seen := g.byCode[v]
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !seen) {
			return safetynet.NotFound("案件或家庭", "case or household")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: example subject: %w", err)
		}
		c.VillageName = g.villages[i].name
		return nil
	})
	return c, err
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
)

// EnrolSheet is a village's survey-and-register list (登记造册) of one
// campaign: its register stage, and per target group the members listed
// and the persons the register proposes.
type EnrolSheet struct {
	CampaignID     int64
	CampaignTitle  string
	CampaignStatus string
	CampaignPlace  string
	Village        string
	VillageName    string
	Town           string
	TownName       string
	StageID        int64
	StageTitle     string
	StartsOn       string
	EndsOn         string
	RowID          int64 // the campaign_village_stages row
	Status         string
	Shown          string // campaigns.ShownStatus: late when not submitted after the end
	SubmittedLate  bool
	SubmittedAt    time.Time
	SubmittedBy    string // display name
	Confirmed      campaigns.Counts
	ReopenedAt     time.Time
	ReopenedBy     string
	Version        int
	Groups         []EnrolGroup
}

// EnrolGroup is one target group of the list.
type EnrolGroup struct {
	Code      string
	Items     []string // the work items of the campaign for this group
	Household bool     // a household category: the household holds it, its head is listed by default
	Members   []EnrolPerson
	Proposals []EnrolPerson // persons of the village holding the category, not yet listed
}

// EnrolPerson is a person as the list shows them: name, household
// address and age, never an ID number.
type EnrolPerson struct {
	MemberID    int64 // the campaign_members row, 0 for a proposal or a search hit
	PersonID    int64
	HouseholdID int64
	Name        string
	Address     string
	PlaceName   string
	Age         int // -1 when unknown
	HasCategory bool
	Note        string
	AddedBy     string
	AddedAt     time.Time
}

// Counts returns the members per group now.
func (e EnrolSheet) Counts() campaigns.Counts {
	c := campaigns.Counts{}
	for _, g := range e.Groups {
		c[g.Code] = len(g.Members)
	}
	return c
}

// GroupCodes lists the codes of the sheet's groups.
func (e EnrolSheet) GroupCodes() []string {
	out := make([]string, len(e.Groups))
	for i, g := range e.Groups {
		out[i] = g.Code
	}
	return out
}

// enrolCheck is whether the actor may see the village's list: the
// village one of the campaign's implementing villages and the actor's
// place the village, above it, or within it (a grid worker reads the
// list; changing it takes campaign.work, which no role below a village
// holds). Its arguments are the actor's place, twice.
const enrolCheck = `(EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = cv.village_code)
	OR EXISTS (SELECT 1 FROM place_tree WHERE ancestor = cv.village_code AND descendant = ?))`

// enrolHead reads the sheet's campaign, village and register stage, in
// the actor's scope.
func (s *Store) enrolHead(ctx context.Context, t *tx, a access.Actor, campaignID int64, village string) (EnrolSheet, error) {
	e := EnrolSheet{CampaignID: campaignID, Village: village}
	var submitted, reopened int64
	var confirmed, by, reopenedBy string
	err := t.queryRow(ctx, `SELECT c.title, c.status, c.place_code, vp.name, cv.town_code, COALESCE(tp.name, ''), st.id, st.title, st.starts_on, st.ends_on,
			cvs.id, cvs.status, cvs.submitted_at, cvs.submitted_by, cvs.confirmed, cvs.reopened_at, cvs.reopened_by, cvs.version
		FROM campaigns c JOIN campaign_villages cv ON cv.campaign_id = c.id AND cv.village_code = ?
		JOIN places vp ON vp.code = cv.village_code LEFT JOIN places tp ON tp.code = cv.town_code
		JOIN campaign_stages st ON st.campaign_id = c.id AND st.kind = ?
		JOIN campaign_village_stages cvs ON cvs.stage_id = st.id AND cvs.village_code = cv.village_code
		WHERE c.id = ? AND c.status <> ? AND `+enrolCheck+` ORDER BY st.seq LIMIT 1`,
		village, campaigns.StageRegister, campaignID, campaigns.StatusDraft, a.Place, a.Place).Scan(&e.CampaignTitle, &e.CampaignStatus, &e.CampaignPlace,
		&e.VillageName, &e.Town, &e.TownName, &e.StageID, &e.StageTitle, &e.StartsOn, &e.EndsOn, &e.RowID, &e.Status, &submitted, &by,
		&confirmed, &reopened, &reopenedBy, &e.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return e, safetynet.NotFound("登记造册", "survey-and-register list")
	}
	if err != nil {
		return e, fmt.Errorf("sqlstore: enrol sheet: %w", err)
	}
	if submitted > 0 {
		e.SubmittedAt = fromMS(submitted)
		e.SubmittedBy = s.displayNameOf(ctx, t, by)
	}
	if reopened > 0 {
		e.ReopenedAt, e.ReopenedBy = fromMS(reopened), s.displayNameOf(ctx, t, reopenedBy)
	}
	e.Confirmed = campaigns.ParseCounts(confirmed)
	e.Shown, e.SubmittedLate = campaigns.ShownStatus(e.Status, e.EndsOn, e.SubmittedAt, s.now())
	// The groups, in the order of the work items.
	rows, err := t.query(ctx, `SELECT title, groups FROM campaign_items WHERE campaign_id = ? ORDER BY seq`, campaignID)
	if err != nil {
		return e, fmt.Errorf("sqlstore: enrol groups: %w", err)
	}
	defer rows.Close()
	at := map[string]int{}
	for rows.Next() {
		var title, groups string
		if err := rows.Scan(&title, &groups); err != nil {
			return e, err
		}
		for _, g := range campaigns.Groups(groups) {
			i, ok := at[g]
			if !ok {
				c, _ := safetynet.CategoryByCode(g)
				i, at[g] = len(e.Groups), len(e.Groups)
				e.Groups = append(e.Groups, EnrolGroup{Code: g, Household: c.For == safetynet.SubjectHousehold})
			}
			e.Groups[i].Items = append(e.Groups[i].Items, title)
		}
	}
	return e, rows.Err()
}

// EnrolSheetOf returns a village's list with its members and the persons
// the register proposes for each group.
func (s *Store) EnrolSheetOf(ctx context.Context, a access.Actor, campaignID int64, village string) (EnrolSheet, error) {
	if err := a.Require(access.CampaignView); err != nil {
		return EnrolSheet{}, err
	}
	var e EnrolSheet
	err := s.read(ctx, func(t *tx) error {
		var err error
		if e, err = s.enrolHead(ctx, t, a, campaignID, village); err != nil {
			return err
		}
		return s.enrolFill(ctx, t, &e)
	})
	return e, err
}

const enrolPersonCols = `p.id, p.household_id, p.name, p.birth_date, h.address, pl.name`

func (s *Store) scanEnrolPerson(rows *sql.Rows, extra ...any) (EnrolPerson, error) {
	var p EnrolPerson
	var birth string
	err := rows.Scan(append([]any{&p.PersonID, &p.HouseholdID, &p.Name, &birth, &p.Address, &p.PlaceName}, extra...)...)
	p.Age = campaigns.Age(birth, s.now())
	return p, err
}

// enrolFill reads the members and proposals of every group.
func (s *Store) enrolFill(ctx context.Context, t *tx, e *EnrolSheet) error {
	idx := map[string]int{}
	for i, g := range e.Groups {
		idx[g.Code] = i
	}
	rows, err := t.query(ctx, `SELECT `+enrolPersonCols+`, m.id, m.group_code, m.note, m.added_by, m.added_at
		FROM campaign_members m JOIN persons p ON p.id = m.person_id JOIN households h ON h.id = p.household_id
		JOIN places pl ON pl.code = h.place_code
		WHERE m.campaign_id = ? AND m.village_code = ? AND m.removed_at = 0 ORDER BY m.group_code, p.name, m.id`, e.CampaignID, e.Village)
	if err != nil {
		return fmt.Errorf("sqlstore: enrol members: %w", err)
	}
	for rows.Next() {
		var group, note, by string
		var member, added int64
		p, err := s.scanEnrolPerson(rows, &member, &group, &note, &by, &added)
		if err != nil {
			rows.Close()
			return err
		}
		p.MemberID, p.Note, p.AddedBy, p.AddedAt, p.HasCategory = member, note, by, fromMS(added), true
		if i, ok := idx[group]; ok {
			e.Groups[i].Members = append(e.Groups[i].Members, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range e.Groups {
		g := &e.Groups[i]
		for j := range g.Members {
			g.Members[j].AddedBy = s.displayNameOf(ctx, t, g.Members[j].AddedBy)
		}
		join := `JOIN persons p ON p.id = a.subject_id AND a.subject = 'person'`
		if g.Household {
			join = `JOIN households hh ON hh.id = a.subject_id AND a.subject = 'household' JOIN persons p ON p.id = hh.head_person_id`
		}
		rows, err := t.query(ctx, `SELECT `+enrolPersonCols+` FROM assignments a `+join+`
			JOIN households h ON h.id = p.household_id JOIN places pl ON pl.code = h.place_code
			WHERE a.category = ? AND a.end_date = '' AND p.status = 'active'
			AND a.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)
			AND NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = ? AND m.group_code = ? AND m.person_id = p.id AND m.removed_at = 0)
			ORDER BY p.name, p.id LIMIT 300`, g.Code, e.Village, e.CampaignID, g.Code)
		if err != nil {
			return fmt.Errorf("sqlstore: enrol proposals: %w", err)
		}
		for rows.Next() {
			p, err := s.scanEnrolPerson(rows)
			if err != nil {
				rows.Close()
				return err
			}
			p.HasCategory = true
			g.Proposals = append(g.Proposals, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// EnrolSearch finds active persons of the village by name (or household
// address) to add to a group's list, saying whether each already holds
// the group's category.
func (s *Store) EnrolSearch(ctx context.Context, a access.Actor, campaignID int64, village, group, q string) ([]EnrolPerson, error) {
	if err := a.Require(access.CampaignWork); err != nil {
		return nil, err
	}
	q = strings.TrimSpace(q)
	if len([]rune(q)) > 50 {
		return nil, safetynet.Invalid("q", "搜索内容过长", "the search text is too long")
	}
	var out []EnrolPerson
	err := s.read(ctx, func(t *tx) error {
		e, err := s.enrolHead(ctx, t, a, campaignID, village)
		if err != nil {
			return err
		}
		g, ok := e.group(group)
		if !ok {
			return safetynet.Invalid("group", "该行动没有这个对象类别", "the campaign has no group %q", group)
		}
		if q == "" {
			return nil
		}
		holds := `EXISTS (SELECT 1 FROM assignments a WHERE a.subject = 'person' AND a.subject_id = p.id AND a.category = ? AND a.end_date = '')`
		if g.Household {
			holds = `EXISTS (SELECT 1 FROM assignments a WHERE a.subject = 'household' AND a.subject_id = p.household_id AND a.category = ? AND a.end_date = '')`
		}
		like := "%" + likeEscape(q) + "%"
		rows, err := t.query(ctx, `SELECT `+enrolPersonCols+`, CASE WHEN `+holds+` THEN 1 ELSE 0 END,
				CASE WHEN EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = ? AND m.group_code = ? AND m.person_id = p.id AND m.removed_at = 0) THEN 1 ELSE 0 END
			FROM persons p JOIN households h ON h.id = p.household_id JOIN places pl ON pl.code = h.place_code
			WHERE p.status = 'active' AND p.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)
			AND (p.name LIKE ? ESCAPE '\' OR h.address LIKE ? ESCAPE '\')
			ORDER BY CASE WHEN p.name = ? THEN 0 ELSE 1 END, p.name, p.id LIMIT 30`, group, campaignID, group, village, like, like, q)
		if err != nil {
			return fmt.Errorf("sqlstore: enrol search: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var has, listed int
			p, err := s.scanEnrolPerson(rows, &has, &listed)
			if err != nil {
				return err
			}
			if listed == 1 {
				continue // already on the list
			}
			p.HasCategory = has == 1
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

func (e EnrolSheet) group(code string) (EnrolGroup, bool) {
	for _, g := range e.Groups {
		if g.Code == code {
			return g, true
		}
	}
	return EnrolGroup{}, false
}

// EnrolCheck reports whether the actor may see the village's list (not
// found otherwise): the scope check a form handler does before reading
// its fields.
func (s *Store) EnrolCheck(ctx context.Context, a access.Actor, campaignID int64, village string) error {
	if err := a.Require(access.CampaignView); err != nil {
		return err
	}
	return s.read(ctx, func(t *tx) error {
		_, err := s.enrolHead(ctx, t, a, campaignID, village)
		return err
	})
}

// EnrolStageTarget finds the campaign and village of a village's register
// stage row (the item of a campaign.stage deadline), in the actor's scope:
// where the work list's line leads.
func (s *Store) EnrolStageTarget(ctx context.Context, a access.Actor, rowID int64) (campaignID int64, village string, err error) {
	if err := a.Require(access.CampaignView); err != nil {
		return 0, "", err
	}
	err = s.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT campaign_id, village_code FROM campaign_village_stages WHERE id = ?`, rowID).Scan(&campaignID, &village)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("登记造册", "survey-and-register list")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: enrol stage: %w", err)
		}
		_, err = s.enrolHead(ctx, t, a, campaignID, village)
		return err
	})
	return campaignID, village, err
}

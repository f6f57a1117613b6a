package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/inspections"
)

// VillageScore is a village's score in one inspection (see
// inspections.ComputeScore), computed from its records when read.
type VillageScore struct {
	InspectionID    int64
	InspectionTitle string
	StartedAt       time.Time
	Village         string
	VillageName     string
	inspections.Score
}

// rectScorePair is a sampled village of a started inspection being scored.
type rectScorePair struct {
	VillageScore
	child string // the place below the summary's place holding the village
	in    inspections.ScoreInput
}

type rectPairKey struct {
	insp    int64
	village string
}

// rectScorePairs scores the sampled villages of started (or closed)
// inspections that cond selects (over i, the inspection, and v, the
// sampled village), in a's scope; under, if set, names the place whose
// children the pairs are summed into.
func (s *Store) rectScorePairs(ctx context.Context, t *tx, a access.Actor, under, cond string, args ...any) ([]*rectScorePair, error) {
	where, sargs := scopeClause(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "v.village_code")
	if a.Place == "" || !a.Can(access.InspectionView) {
		where, sargs = "1 = 0", nil
	}
	child := "''"
	var cargs []any
	if under != "" {
		child = `COALESCE((SELECT c.code FROM place_tree pt JOIN places c ON c.code = pt.ancestor
			WHERE pt.descendant = v.village_code AND c.parent_code = ?), v.village_code)`
		cargs = []any{under}
	}
	q := `SELECT i.id, i.title, i.started_at, v.village_code, p.name, ` + child + `
		FROM inspection_villages v JOIN inspections i ON i.id = v.inspection_id JOIN places p ON p.code = v.village_code
		WHERE i.status IN ('started', 'closed') AND ` + where + ` AND ` + cond + ` ORDER BY i.started_at, i.id, v.seq`
	rows, err := t.query(ctx, q, append(append(cargs, sargs...), args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: scores: %w", err)
	}
	var out []*rectScorePair
	at := map[rectPairKey]*rectScorePair{}
	var ids []any
	seen := map[int64]bool{}
	for rows.Next() {
		p := &rectScorePair{}
		var started int64
		if err := rows.Scan(&p.InspectionID, &p.InspectionTitle, &started, &p.Village, &p.VillageName, &p.child); err != nil {
			rows.Close()
			return nil, err
		}
		p.StartedAt = rectTime(started)
		out = append(out, p)
		at[rectPairKey{p.InspectionID, p.Village}] = p
		if !seen[p.InspectionID] {
			seen[p.InspectionID] = true
			ids = append(ids, p.InspectionID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	// Each inspection's checks, households not found and rectifications;
	// rows of villages outside a's scope find no pair and are skipped.
	pair := func(id int64, village string) *rectScorePair { return at[rectPairKey{id, village}] }
	err = rectEachRow(ctx, t, `SELECT inspection_id, village_code, answers FROM inspection_checks WHERE inspection_id IN `+in, ids,
		func(scan func(...any) error) error {
			var k rectPairKey
			var answers string
			if err := scan(&k.insp, &k.village, &answers); err != nil {
				return err
			}
			if p := pair(k.insp, k.village); p != nil {
				p.in.Answers = append(p.in.Answers, answers)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = rectEachRow(ctx, t, `SELECT inspection_id, village_code FROM inspection_households WHERE status = 'not_found' AND inspection_id IN `+in, ids,
		func(scan func(...any) error) error {
			var k rectPairKey
			if err := scan(&k.insp, &k.village); err != nil {
				return err
			}
			if p := pair(k.insp, k.village); p != nil {
				p.in.NotFound++
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = rectEachRow(ctx, t, `SELECT r.inspection_id, r.village_code, r.status, r.due_on, r.reported_at,
		(SELECT COUNT(*) FROM deadlines x WHERE x.kind = '`+inspections.KindRectify+`' AND x.item_id = r.id) - 1
		FROM rectifications r WHERE r.inspection_id IN `+in, ids,
		func(scan func(...any) error) error {
			var k rectPairKey
			var r inspections.ScoreRect
			var reported int64
			if err := scan(&k.insp, &k.village, &r.Status, &r.DueOn, &reported, &r.Reopens); err != nil {
				return err
			}
			r.ReportedAt, r.Reopens = rectTime(reported), max(r.Reopens, 0)
			if p := pair(k.insp, k.village); p != nil {
				p.in.Rects = append(p.in.Rects, r)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	now := s.now()
	for _, p := range out {
		p.Score = inspections.ComputeScore(p.in, now)
	}
	return out, nil
}

// InspectionScores is the score of each sampled village of an inspection.
type InspectionScores struct {
	ID           int64
	Title        string
	CampaignID   int64
	CampaignName string
	Status       string
	StartedAt    time.Time
	Villages     []VillageScore
	Total        inspections.ScoreTotal
	IsInspector  bool // the reader may raise village findings
}

// InspectionScores scores the villages of a started inspection in a's
// scope; an inspection not yet started is not found.
func (s *Store) InspectionScores(ctx context.Context, a access.Actor, id int64) (InspectionScores, error) {
	var out InspectionScores
	err := s.read(ctx, func(t *tx) error {
		insp, err := s.rectInspection(ctx, t, a, id, false)
		if err != nil {
			return err
		}
		out = InspectionScores{ID: id, Title: insp.title, CampaignID: insp.campaign, Status: insp.status, StartedAt: rectTime(insp.started),
			IsInspector: rectRequireInspector(a, insp) == nil}
		out.CampaignName = s.rectCampaignTitle(ctx, t, insp.campaign)
		pairs, err := s.rectScorePairs(ctx, t, a, "", "i.id = ?", id)
		if err != nil {
			return err
		}
		for _, p := range pairs {
			out.Villages = append(out.Villages, p.VillageScore)
			out.Total.Add(p.Score.Score)
		}
		return nil
	})
	return out, err
}

func (s *Store) rectCampaignTitle(ctx context.Context, t *tx, id int64) string {
	var title string
	if id > 0 {
		_ = t.queryRow(ctx, `SELECT title FROM campaigns WHERE id = ?`, id).Scan(&title)
	}
	return title
}

// ScoreCheck is a household check behind a score.
type ScoreCheck struct {
	CheckID       int64
	HouseholdID   int64
	HouseholdName string
	Problems      []string
}

// ScoreDetail is a village's score in one inspection with the records
// behind each figure.
type ScoreDetail struct {
	VillageScore
	CampaignID         int64
	Checks             []ScoreCheck
	NotFoundHouseholds []ScoreCheck // households not found (no check, no problems)
	Rects              []Rectification
}

// VillageScoreDetail returns a village's score in an inspection with its
// checks, households not found and rectifications.
func (s *Store) VillageScoreDetail(ctx context.Context, a access.Actor, id int64, village string) (ScoreDetail, error) {
	var out ScoreDetail
	err := s.read(ctx, func(t *tx) error {
		insp, err := s.rectInspection(ctx, t, a, id, false)
		if err != nil {
			return err
		}
		pairs, err := s.rectScorePairs(ctx, t, a, "", "i.id = ? AND v.village_code = ?", id, village)
		if err != nil {
			return err
		}
		if len(pairs) == 0 {
			return safetynet.NotFound("村的督查评分", "village score")
		}
		out.VillageScore, out.CampaignID = pairs[0].VillageScore, insp.campaign
		rows, err := t.query(ctx, `SELECT COALESCE(c.id, 0), ih.household_id, COALESCE(hp.name, ''), COALESCE(c.answers, ''), ih.status
			FROM inspection_households ih LEFT JOIN inspection_checks c ON c.sample_id = ih.id
			LEFT JOIN households h ON h.id = ih.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id
			WHERE ih.inspection_id = ? AND ih.village_code = ? ORDER BY ih.seq`, id, village)
		if err != nil {
			return fmt.Errorf("sqlstore: score detail: %w", err)
		}
		for rows.Next() {
			var c ScoreCheck
			var answers, status string
			if err := rows.Scan(&c.CheckID, &c.HouseholdID, &c.HouseholdName, &answers, &status); err != nil {
				rows.Close()
				return err
			}
			switch {
			case status == "not_found":
				out.NotFoundHouseholds = append(out.NotFoundHouseholds, c)
			case c.CheckID > 0:
				c.Problems = inspections.ProblemItems(answers)
				out.Checks = append(out.Checks, c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		where, args := rectVisible(a)
		out.Rects, err = s.scanRects(ctx, t, `SELECT `+rectCols+rectFrom+`WHERE `+where+` AND r.inspection_id = ? AND r.village_code = ? ORDER BY r.id`,
			append(args, id, village)...)
		return err
	})
	return out, err
}

// ScoreFilter selects the inspections a summary sums: those of a campaign,
// or those started in a year (local time).
type ScoreFilter struct {
	CampaignID int64
	Year       int
	Place      string // the place whose parts are listed; a's place if empty
}

// ScoreRow is the figure of a place in a summary.
type ScoreRow struct {
	Code  string
	Name  string
	Level safetynet.Level
	inspections.ScoreTotal
	Lost int // points lost in all
}

// ScoreSummary sums village scores of a campaign or a year over a place:
// its total, one row per place below it that has scores, and the village
// scores themselves.
type ScoreSummary struct {
	Filter       ScoreFilter
	CampaignName string
	PlaceName    string
	Level        safetynet.Level
	Parent       string // the place above, within a's scope ("" at the top)
	Total        inspections.ScoreTotal
	Lost         int
	Rows         []ScoreRow
	Scores       []VillageScore
}

// ScoreSummary sums the scores of f over f.Place (or a's place).
func (s *Store) ScoreSummary(ctx context.Context, a access.Actor, f ScoreFilter) (ScoreSummary, error) {
	out := ScoreSummary{Filter: f}
	if err := a.Require(access.InspectionView); err != nil {
		return out, err
	}
	if (f.CampaignID > 0) == (f.Year > 0) {
		return out, safetynet.Invalid("year", "请选择一个专项行动或一个年度", "choose a campaign or a year")
	}
	if f.Year > 0 && (f.Year < 2000 || f.Year > 2100) {
		return out, safetynet.Invalid("year", "年度无效", "year %d is out of range", f.Year)
	}
	if f.Place == "" {
		f.Place = a.Place
		out.Filter.Place = a.Place
	}
	err := s.read(ctx, func(t *tx) error {
		var in bool
		var level string
		var parent *string
		err := t.queryRow(ctx, `SELECT p.name, p.level, p.parent_code, EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = p.code)
			FROM places p WHERE p.code = ?`, a.Place, f.Place).Scan(&out.PlaceName, &level, &parent, &in)
		if isNoRows(err) || (err == nil && !in) {
			return safetynet.NotFound("地区", "place")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: score summary: %w", err)
		}
		out.Level = safetynet.Level(level)
		if parent != nil && f.Place != a.Place {
			out.Parent = *parent
		}
		cond, args := "i.campaign_id = ?", []any{f.CampaignID}
		if f.Year > 0 {
			from := time.Date(f.Year, 1, 1, 0, 0, 0, 0, inspections.RectifyZone)
			cond, args = "i.started_at >= ? AND i.started_at < ?", []any{ms(from), ms(from.AddDate(1, 0, 0))}
		} else {
			out.CampaignName = s.rectCampaignTitle(ctx, t, f.CampaignID)
		}
		cond, args = cond+" AND v.village_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)", append(args, f.Place)
		pairs, err := s.rectScorePairs(ctx, t, a, f.Place, cond, args...)
		if err != nil {
			return err
		}
		rows := map[string]*ScoreRow{}
		for _, p := range pairs {
			out.Total.Add(p.Score.Score)
			out.Lost += p.Lost
			out.Scores = append(out.Scores, p.VillageScore)
			if p.child == f.Place {
				continue
			}
			r := rows[p.child]
			if r == nil {
				r = &ScoreRow{Code: p.child}
				rows[p.child] = r
			}
			r.Add(p.Score.Score)
			r.Lost += p.Lost
		}
		for code, r := range rows {
			var lv string
			if err := t.queryRow(ctx, `SELECT name, level FROM places WHERE code = ?`, code).Scan(&r.Name, &lv); err != nil {
				return fmt.Errorf("sqlstore: score summary: %w", err)
			}
			r.Level = safetynet.Level(lv)
			out.Rows = append(out.Rows, *r)
		}
		sort.Slice(out.Rows, func(i, j int) bool { return out.Rows[i].Code < out.Rows[j].Code })
		return nil
	})
	return out, err
}

// rectEachRow runs q and calls fn with each row's Scan.
func rectEachRow(ctx context.Context, t *tx, q string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: scores: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

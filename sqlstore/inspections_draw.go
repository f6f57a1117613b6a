package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/inspections"
)

// keyCategories are the register categories that make a household a key
// household (重点户) for the draw (see inspections' sample design):
// monitored, dibao, tekun (household or member), elderly living alone.
var keyCategories = []any{safetynet.CatMonitorSudden, safetynet.CatMonitorUnstable, safetynet.CatMonitorMarginal,
	"dibao", "tekun", "dibao_person", "tekun_person", safetynet.CatElderlyAlone}

// inspectionCandidates reads the villages an inspection may draw: a
// campaign's implementing villages, else the area's villages, each with
// at least one active household.
func inspectionVillageCandidates(ctx context.Context, t *tx, in Inspection) ([]string, error) {
	q := `SELECT p.code FROM places p JOIN place_tree pt ON pt.descendant = p.code WHERE pt.ancestor = ? AND p.level = 'village'`
	args := []any{in.PlaceCode}
	if in.CampaignID != 0 {
		q = `SELECT p.code FROM campaign_villages cv JOIN places p ON p.code = cv.village_code WHERE cv.campaign_id = ?`
		args = []any{in.CampaignID}
	}
	q += ` AND EXISTS (SELECT 1 FROM place_tree x JOIN households h ON h.place_code = x.descendant WHERE x.ancestor = p.code AND h.status = 'active')`
	return queryStrings(ctx, t, q, args...)
}

func queryStrings(ctx context.Context, t *tx, q string, args ...any) ([]string, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("sqlstore: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// inspectionHouseholdCandidates reads the active households of villages
// with whether each is a key household: a key category in force or a
// case of the relay not closed.
func inspectionHouseholdCandidates(ctx context.Context, t *tx, villages []string) (map[string][]inspections.Candidate, error) {
	out := map[string][]inspections.Candidate{}
	if len(villages) == 0 {
		return out, nil
	}
	cats := strings.TrimSuffix(strings.Repeat("?, ", len(keyCategories)), ", ")
	for start := 0; start < len(villages); start += 500 {
		chunk := villages[start:min(start+500, len(villages))]
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")
		args := slices.Clone(keyCategories)
		for _, v := range chunk {
			args = append(args, v)
		}
		rows, err := t.query(ctx, `SELECT x.ancestor, h.id,
			CASE WHEN EXISTS (SELECT 1 FROM assignments a WHERE a.household_id = h.id AND a.end_date = '' AND a.category IN (`+cats+`))
				OR EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id AND c.status <> 'closed') THEN 1 ELSE 0 END
			FROM place_tree x JOIN households h ON h.place_code = x.descendant
			WHERE x.ancestor IN (`+marks+`) AND h.status = 'active'`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: inspection candidates: %w", err)
		}
		for rows.Next() {
			var v string
			var c inspections.Candidate
			var key int
			if err := rows.Scan(&v, &c.ID, &key); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlstore: inspection candidates: %w", err)
			}
			c.Key = key == 1
			out[v] = append(out[v], c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlstore: inspection candidates: %w", err)
		}
	}
	return out, nil
}

// drawFrom draws an inspection's sample with seed over the register as it
// is now, returning the sample and the digest of its candidates.
func drawFrom(ctx context.Context, t *tx, in Inspection, seed int64) (inspections.Sample, string, error) {
	villages, err := inspectionVillageCandidates(ctx, t, in)
	if err != nil {
		return inspections.Sample{}, "", err
	}
	drawn := inspections.DrawVillages(seed, villages, in.Villages)
	hh, err := inspectionHouseholdCandidates(ctx, t, drawn)
	if err != nil {
		return inspections.Sample{}, "", err
	}
	sample := inspections.Sample{Villages: drawn, Households: map[string][]int64{}}
	for _, v := range drawn {
		sample.Households[v] = inspections.DrawHouseholds(seed, v, hh[v], in.Households)
	}
	return sample, inspections.Digest(villages, hh), nil
}

// drawDetail is what the audit log keeps of a draw: enough to draw again.
type drawDetail struct {
	Seed       int64  `json:"seed"`
	Digest     string `json:"digest"`
	Villages   int    `json:"villages"`
	Households int    `json:"households"`
	KeyShare   int    `json:"key_share_pct"`
}

// DrawInspection draws the sample of a draft inspection from a new random
// seed: villages, then households in each (inspections' sample design).
// The seed and the digest of the candidates go to the audit log, whose
// entry — like the sample — only the inspectors see until the start. The
// candidates are read in a snapshot before the write, so the draw does
// not hold the writer while it reads the register.
func (s *Store) DrawInspection(ctx context.Context, a access.Actor, id int64, version int) (Inspection, error) {
	var in Inspection
	var sample inspections.Sample
	var digest string
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return in, fmt.Errorf("sqlstore: inspection seed: %w", err)
	}
	seed := inspections.NewSeed(b)
	err := s.snapshot(ctx, func(t *tx) error {
		var err error
		if in, err = s.inspectorOf(ctx, t, a, id); err != nil {
			return err
		}
		if in.Status != inspections.StatusDraft {
			return safetynet.Conflict("status", "样本已经抽取，不能重抽", "the sample is already drawn and cannot be drawn again")
		}
		if in.Version != version {
			return safetynet.Conflict("version", "该记录已被他人修改，请刷新后重试", "the record was changed by someone else: reload and try again")
		}
		sample, digest, err = drawFrom(ctx, t, in, seed)
		return err
	})
	if err != nil {
		return in, err
	}
	total := 0
	var vrows, hrows [][]any
	for i, v := range sample.Villages {
		vrows = append(vrows, []any{id, v, i + 1})
		for j, h := range sample.Households[v] {
			hrows = append(hrows, []any{id, v, h, j + 1, inspections.HouseholdPending})
			total++
		}
	}
	if total == 0 {
		return in, safetynet.Invalid("place_code", "检查范围内没有可抽取的农户", "there are no households to draw in this area")
	}
	err = s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE inspections SET status = ?, sample_seed = ?, drawn_at = ?, version = version + 1
			WHERE id = ? AND status = ? AND version = ?`, inspections.StatusDrawn, seed, ms(s.now()), id, inspections.StatusDraft, version)
		if err != nil {
			return fmt.Errorf("sqlstore: draw inspection: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return s.conflict(ctx, t, "inspection", inspectionID(id))
		}
		if err := t.insertRows(ctx, "inspection_villages", []string{"inspection_id", "village_code", "seq"}, vrows); err != nil {
			return err
		}
		if err := t.insertRows(ctx, "inspection_households", []string{"inspection_id", "village_code", "household_id", "seq", "status"}, hrows); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "inspection.draw", objType: "inspection", objID: inspectionID(id), place: in.PlaceCode,
			detail: drawDetail{Seed: seed, Digest: digest, Villages: len(vrows), Households: total, KeyShare: int(inspections.KeyShare * 100)}})
	})
	if err != nil {
		return in, err
	}
	err = s.read(ctx, func(t *tx) (err error) {
		in, err = s.inspection(ctx, t, a, id)
		return err
	})
	return in, err
}

// Redraw is the result of drawing an inspection's sample again from the
// seed its audit entry recorded.
type Redraw struct {
	Seed          int64  `json:"seed"`
	Digest        string `json:"digest"`         // of the candidates when drawn
	DigestNow     string `json:"digest_now"`     // of the candidates now
	SameRegister  bool   `json:"same_register"`  // the candidates did not change
	SameSample    bool   `json:"same_sample"`    // the draw again gives the sample recorded
	Villages      int    `json:"villages"`       // recorded
	Households    int    `json:"households"`     // recorded
	DifferentRows int    `json:"different_rows"` // households drawn again that are not in the recorded sample
}

// RedrawInspection draws an inspection's sample again from the seed of
// its audit entry over the register as it is now and compares it with
// the sample recorded: the same when the register's candidates did not
// change (SameRegister), which proves the sample was drawn by chance and
// not picked. Whoever sees the inspection and its whole sample may ask.
func (s *Store) RedrawInspection(ctx context.Context, a access.Actor, id int64) (Redraw, error) {
	if !a.Can(access.InspectionView) && !a.Can(access.InspectionManage) {
		return Redraw{}, safetynet.Forbidden()
	}
	var r Redraw
	err := s.snapshot(ctx, func(t *tx) error {
		in, err := s.inspection(ctx, t, a, id)
		if err != nil {
			return err
		}
		if w, _ := sampleScope(a, in, ""); w != "1 = 1" {
			return safetynet.Forbidden() // a village sees its part of the sample only
		}
		var raw string
		err = t.queryRow(ctx, `SELECT detail FROM audit_log WHERE object_type = 'inspection' AND object_id = ? AND action = 'inspection.draw'
			ORDER BY id LIMIT 1`, inspectionID(id)).Scan(&raw)
		if err != nil {
			return safetynet.Conflict("status", "该督查还没有抽样", "the inspection has no sample yet")
		}
		var d drawDetail
		if err := json.Unmarshal([]byte(raw), &d); err != nil {
			return fmt.Errorf("sqlstore: draw detail of inspection %d: %w", id, err)
		}
		sample, digest, err := drawFrom(ctx, t, in, d.Seed)
		if err != nil {
			return err
		}
		r = Redraw{Seed: d.Seed, Digest: d.Digest, DigestNow: digest, SameRegister: d.Digest == digest}
		recorded := map[string][]int64{}
		var order []string
		rows, err := t.query(ctx, `SELECT village_code, household_id FROM inspection_households WHERE inspection_id = ? ORDER BY village_code, seq`, id)
		if err != nil {
			return fmt.Errorf("sqlstore: recorded sample: %w", err)
		}
		for rows.Next() {
			var v string
			var h int64
			if err := rows.Scan(&v, &h); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: recorded sample: %w", err)
			}
			recorded[v] = append(recorded[v], h)
			r.Households++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if order, err = queryStrings(ctx, t, `SELECT village_code FROM inspection_villages WHERE inspection_id = ? ORDER BY seq`, id); err != nil {
			return err
		}
		r.Villages = len(order)
		r.SameSample = slices.Equal(order, sample.Villages)
		for _, v := range sample.Villages {
			if !slices.Equal(recorded[v], sample.Households[v]) {
				r.SameSample = false
			}
			for _, h := range sample.Households[v] {
				if !slices.Contains(recorded[v], h) {
					r.DifferentRows++
				}
			}
		}
		return nil
	})
	return r, err
}

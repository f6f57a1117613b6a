package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
)

// SampleDetail is what the inspector's phone shows for a sampled
// household: where it is, what the system says about it (the register's
// categories, the last visits, the measures in force, the services
// recorded) and its check once made.
type SampleDetail struct {
	Inspection  Inspection       `json:"inspection"`
	Sample      SampleHousehold  `json:"sample"`
	VillageName string           `json:"village_name"`
	Members     int              `json:"members"`
	Categories  []string         `json:"categories"` // category codes in force (safetynet.Categories)
	Visits      []PrefillVisit   `json:"visits"`
	Measures    []PrefillMeasure `json:"measures"`
	Services    []PrefillService `json:"services"`
	Check       *InspectionCheck `json:"check"` // nil until checked
}

// PrefillVisit is a visit the visits module recorded.
type PrefillVisit struct {
	MadeAt  time.Time `json:"made_at"`
	Kind    string    `json:"kind"`   // visits.Kinds
	Result  string    `json:"result"` // fine, not_fine
	Visitor string    `json:"visitor"`
}

// PrefillMeasure is a measure in force (approved, its period not over).
type PrefillMeasure struct {
	Measure     string `json:"measure"`
	NameZH      string `json:"name_zh"`
	NameEN      string `json:"name_en"`
	AmountFen   int64  `json:"amount_fen"`
	PeriodStart string `json:"period_start"`
	PeriodEnd   string `json:"period_end"`
}

// PrefillService is a service the services module recorded.
type PrefillService struct {
	Type      string    `json:"type"` // services.Types
	StartedAt time.Time `json:"started_at"`
	Review    string    `json:"review"` // pending, accepted, rejected
}

// SampleByID returns a sampled household with what the system says about
// it, if the actor sees it (the inspection visible to them and the
// household in the part of the sample they see).
func (s *Store) SampleByID(ctx context.Context, a access.Actor, sampleID int64) (SampleDetail, error) {
	if !a.Can(access.InspectionView) && !a.Can(access.InspectionManage) {
		return SampleDetail{}, safetynet.Forbidden()
	}
	var d SampleDetail
	notFound := safetynet.NotFound("抽查农户", "sampled household")
	err := s.read(ctx, func(t *tx) error {
		var inspID int64
		var village string
		err := t.queryRow(ctx, `SELECT inspection_id, village_code FROM inspection_households WHERE id = ?`, sampleID).Scan(&inspID, &village)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound
		}
		if err != nil {
			return fmt.Errorf("sqlstore: sample %d: %w", sampleID, err)
		}
		if d.Inspection, err = s.inspection(ctx, t, a, inspID); err != nil {
			if safetynet.CodeOf(err) == safetynet.ENotFound {
				return notFound
			}
			return err
		}
		where, args := sampleScope(a, d.Inspection, "s.village_code")
		var checkID int64
		var today = s.inspectionToday()
		err = t.queryRow(ctx, `SELECT s.id, s.household_id, s.village_code, s.seq, s.status,
			COALESCE((SELECT pe.name FROM persons pe WHERE pe.id = hh.head_person_id), ''), hh.address, hh.member_count,
			COALESCE((SELECT p.name FROM places p WHERE p.code = s.village_code), ''), COALESCE((SELECT c.id FROM inspection_checks c WHERE c.sample_id = s.id), 0)
			FROM inspection_households s JOIN households hh ON hh.id = s.household_id WHERE s.id = ? AND `+where,
			append([]any{sampleID}, args...)...).Scan(&d.Sample.ID, &d.Sample.HouseholdID, &d.Sample.VillageCode, &d.Sample.Seq, &d.Sample.Status,
			&d.Sample.HeadName, &d.Sample.Address, &d.Members, &d.VillageName, &checkID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound
		}
		if err != nil {
			return fmt.Errorf("sqlstore: sample %d: %w", sampleID, err)
		}
		d.Sample.CheckID = checkID
		hid := d.Sample.HouseholdID
		if d.Categories, err = queryStrings(ctx, t, `SELECT DISTINCT category FROM assignments WHERE household_id = ? AND end_date = '' ORDER BY category`, hid); err != nil {
			return err
		}
		if d.Categories == nil {
			d.Categories = []string{}
		}
		d.Visits, d.Measures, d.Services = []PrefillVisit{}, []PrefillMeasure{}, []PrefillService{}
		rows, err := t.query(ctx, `SELECT made_at, kind, result, visitor_name FROM visit_records WHERE household_id = ? ORDER BY made_at DESC LIMIT 3`, hid)
		if err != nil {
			return fmt.Errorf("sqlstore: prefill visits: %w", err)
		}
		for rows.Next() {
			var v PrefillVisit
			var at int64
			if err := rows.Scan(&at, &v.Kind, &v.Result, &v.Visitor); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: prefill visits: %w", err)
			}
			v.MadeAt = fromMS(at)
			d.Visits = append(d.Visits, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = t.query(ctx, `SELECT m.measure, COALESCE(mc.zh, m.description), COALESCE(mc.en, m.description), m.amount_fen, m.period_start, m.period_end
			FROM case_measures m JOIN cases c ON c.id = m.case_id LEFT JOIN measure_catalogue mc ON mc.code = m.measure
			WHERE c.household_id = ? AND m.kind = 'application' AND m.status = 'approved' AND (m.period_start = '' OR m.period_start <= ?)
				AND (m.period_end = '' OR m.period_end >= ?) ORDER BY m.id`, hid, today, today)
		if err != nil {
			return fmt.Errorf("sqlstore: prefill measures: %w", err)
		}
		for rows.Next() {
			var m PrefillMeasure
			if err := rows.Scan(&m.Measure, &m.NameZH, &m.NameEN, &m.AmountFen, &m.PeriodStart, &m.PeriodEnd); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: prefill measures: %w", err)
			}
			d.Measures = append(d.Measures, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = t.query(ctx, `SELECT service_type, started_at, review_status FROM service_records WHERE household_id = ? ORDER BY started_at DESC LIMIT 5`, hid)
		if err != nil {
			return fmt.Errorf("sqlstore: prefill services: %w", err)
		}
		for rows.Next() {
			var sv PrefillService
			var at int64
			if err := rows.Scan(&sv.Type, &at, &sv.Review); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: prefill services: %w", err)
			}
			sv.StartedAt = time.Unix(at, 0)
			d.Services = append(d.Services, sv)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if checkID != 0 {
			c, err := scanCheck(ctx, t, t.queryRow(ctx, `SELECT `+checkColumns+` FROM inspection_checks c JOIN inspection_households s ON s.id = c.sample_id WHERE c.id = ?`, checkID))
			if err != nil {
				return fmt.Errorf("sqlstore: check of sample %d: %w", sampleID, err)
			}
			d.Check = &c
		}
		return nil
	})
	return d, err
}

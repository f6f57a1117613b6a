package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/services"
)

// ServiceRecord is a service done, as pages and the API show it.
type ServiceRecord struct {
	ID            int64              `json:"id"`
	ClientID      string             `json:"client_id"`
	ContractID    int64              `json:"contract_id"`
	OrgID         int64              `json:"org_id"`
	OrgName       string             `json:"org_name"`
	DueID         int64              `json:"due_id"`
	WorkerID      int64              `json:"worker_id"`
	WorkerName    string             `json:"worker_name"`
	HouseholdID   int64              `json:"household_id"`
	HouseholdName string             `json:"household_name"`
	PersonID      int64              `json:"person_id"`
	PersonName    string             `json:"person_name"`
	PlaceName     string             `json:"place_name"`
	Type          services.Type      `json:"service_type"`
	StartedAt     time.Time          `json:"started_at"`
	EndedAt       time.Time          `json:"ended_at"`
	Month         string             `json:"month"`
	Location      *services.Location `json:"location"`
	ConfirmKind   string             `json:"confirm_kind"`
	PriceFen      int64              `json:"price_fen"`
	Note          string             `json:"note"`
	ReviewStatus  string             `json:"review_status"`
	Flags         int                `json:"flags"`
	RecordedBy    string             `json:"recorded_by"` // display name
	Evidence      []ServiceEvidence  `json:"evidence"`
}

// ServiceEvidence is a photo or a signature of a record (its bytes are
// served separately).
type ServiceEvidence struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Mime   string `json:"mime"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
}

const recordSelect = `SELECT r.id, r.client_id, r.contract_id, r.org_id, o.name, COALESCE(r.due_id, 0), r.worker_id, w.name, r.household_id,
	COALESCE(hp.name, ''), COALESCE(r.person_id, 0), COALESCE(pp.name, ''), pl.name, r.service_type, r.started_at, r.ended_at, r.month,
	r.lat_e6, r.lon_e6, r.accuracy_m, r.confirm_kind, r.price_fen, r.note, r.review_status, r.flags, COALESCE(NULLIF(u.display_name, ''), r.recorded_by)
	FROM service_records r JOIN service_orgs o ON o.id = r.org_id JOIN service_workers w ON w.id = r.worker_id
	JOIN households h ON h.id = r.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id
	LEFT JOIN persons pp ON pp.id = r.person_id JOIN places pl ON pl.code = r.place_code LEFT JOIN users u ON u.username = r.recorded_by`

func scanRecord(sc interface{ Scan(...any) error }) (ServiceRecord, error) {
	var r ServiceRecord
	var from, to int64
	var lat, lon, acc sql.NullInt64
	err := sc.Scan(&r.ID, &r.ClientID, &r.ContractID, &r.OrgID, &r.OrgName, &r.DueID, &r.WorkerID, &r.WorkerName, &r.HouseholdID,
		&r.HouseholdName, &r.PersonID, &r.PersonName, &r.PlaceName, &r.Type, &from, &to, &r.Month, &lat, &lon, &acc,
		&r.ConfirmKind, &r.PriceFen, &r.Note, &r.ReviewStatus, &r.Flags, &r.RecordedBy)
	r.StartedAt, r.EndedAt = time.Unix(from, 0).UTC(), time.Unix(to, 0).UTC()
	if lat.Valid && lon.Valid {
		r.Location = &services.Location{LatE6: lat.Int64, LonE6: lon.Int64, AccuracyM: int(acc.Int64)}
	}
	r.Evidence = []ServiceEvidence{}
	return r, err
}

// serviceRecord loads a record by ID with no scope check (for one the
// caller just wrote).
func (s *Store) serviceRecord(ctx context.Context, id int64) (ServiceRecord, error) {
	var r ServiceRecord
	err := s.read(ctx, func(t *tx) error {
		var err error
		if r, err = scanRecord(t.queryRow(ctx, recordSelect+` WHERE r.id = ?`, id)); err != nil {
			return fmt.Errorf("sqlstore: service record %d: %w", id, err)
		}
		r.Evidence, err = s.recordEvidence(ctx, t, id)
		return err
	})
	return r, err
}

func (s *Store) recordEvidence(ctx context.Context, t *tx, id int64) ([]ServiceEvidence, error) {
	rows, err := t.query(ctx, `SELECT id, kind, mime, size, sha256 FROM service_evidence WHERE record_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: evidence: %w", err)
	}
	defer rows.Close()
	out := []ServiceEvidence{}
	for rows.Next() {
		var e ServiceEvidence
		if err := rows.Scan(&e.ID, &e.Kind, &e.Mime, &e.Size, &e.SHA256); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ServiceRecordByID returns a record the actor sees (404 otherwise).
func (s *Store) ServiceRecordByID(ctx context.Context, a access.Actor, id int64) (ServiceRecord, error) {
	var r ServiceRecord
	err := s.read(ctx, func(t *tx) error {
		v, err := s.serviceViewerOf(ctx, t, a, access.ServiceView)
		if err != nil {
			return err
		}
		c, args := v.recordClause("r")
		r, err = scanRecord(t.queryRow(ctx, recordSelect+` WHERE r.id = ? AND `+c, append([]any{id}, args...)...))
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("服务记录", "service record")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: service record %d: %w", id, err)
		}
		r.Evidence, err = s.recordEvidence(ctx, t, id)
		return err
	})
	return r, err
}

// ServiceRecordFilter narrows a list of records.
type ServiceRecordFilter struct {
	HouseholdID int64
	OrgID       int64
	Month       string // YYYY-MM
	Limit       int
}

// ServiceRecords lists the records the actor sees, newest first.
func (s *Store) ServiceRecords(ctx context.Context, a access.Actor, f ServiceRecordFilter) ([]ServiceRecord, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	out := []ServiceRecord{}
	err := s.read(ctx, func(t *tx) error {
		v, err := s.serviceViewerOf(ctx, t, a, access.ServiceView)
		if err != nil {
			return err
		}
		c, args := v.recordClause("r")
		if f.HouseholdID > 0 {
			c += " AND r.household_id = ?"
			args = append(args, f.HouseholdID)
		}
		if f.OrgID > 0 {
			c += " AND r.org_id = ?"
			args = append(args, f.OrgID)
		}
		if f.Month != "" {
			c += " AND r.month = ?"
			args = append(args, f.Month)
		}
		rows, err := t.query(ctx, recordSelect+` WHERE `+c+` ORDER BY r.started_at DESC, r.id DESC LIMIT `+strconv.Itoa(f.Limit), args...)
		if err != nil {
			return fmt.Errorf("sqlstore: service records: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRecord(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for i := range out {
			if out[i].Evidence, err = s.recordEvidence(ctx, t, out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// EvidenceFile is the bytes of a photo or signature.
type EvidenceFile struct {
	Mime string
	Data []byte
}

// ServiceEvidenceFile returns a photo or signature of a record the actor
// sees (404 otherwise).
func (s *Store) ServiceEvidenceFile(ctx context.Context, a access.Actor, id int64) (EvidenceFile, error) {
	var f EvidenceFile
	err := s.read(ctx, func(t *tx) error {
		v, err := s.serviceViewerOf(ctx, t, a, access.ServiceView)
		if err != nil {
			return err
		}
		c, args := v.recordClause("r")
		err = t.queryRow(ctx, `SELECT e.mime, e.data FROM service_evidence e JOIN service_records r ON r.id = e.record_id WHERE e.id = ? AND `+c,
			append([]any{id}, args...)...).Scan(&f.Mime, &f.Data)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("服务凭证", "evidence")
		}
		return err
	})
	return f, err
}

// ServiceDue is one service due on a worker's day list (我的服务).
type ServiceDue struct {
	ID            int64         `json:"id"`
	PlanID        int64         `json:"plan_id"`
	ContractID    int64         `json:"contract_id"`
	HouseholdID   int64         `json:"household_id"`
	HouseholdName string        `json:"household_name"`
	PersonName    string        `json:"person_name"`
	PlaceName     string        `json:"place_name"`
	Address       string        `json:"address"`
	Type          services.Type `json:"service_type"`
	PriceFen      int64         `json:"price_fen"`
	WorkerID      int64         `json:"worker_id"`
	WorkerName    string        `json:"worker_name"`
	DueOn         string        `json:"due_on"`
	UntilOn       string        `json:"until_on"`
	Overdue       bool          `json:"overdue"`
	Mine          bool          `json:"mine"`
}

// ServiceDay is an organisation worker's day list: the open services due
// of their organisation (their own and those of workers without a login,
// whom they accompany), overdue first, then by the end of their period.
type ServiceDay struct {
	Date    string          `json:"date"`
	Items   []ServiceDue    `json:"items"`
	Workers []ServiceWorker `json:"workers"` // who the services may be recorded for
	// Households and Types are the choices of a service recorded without
	// a plan: the households named in the organisation's contracts or
	// planned for, and the types its contracts price.
	Households []ServiceHousehold `json:"households"`
	Types      []services.Type    `json:"types"`
}

// ServiceHousehold is a household a service may be recorded for.
type ServiceHousehold struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	PlaceName string `json:"place_name"`
}

// MyServices returns the actor's day list (我的服务).
func (s *Store) MyServices(ctx context.Context, a access.Actor) (ServiceDay, error) {
	day := ServiceDay{Date: localDay(s.now()), Items: []ServiceDue{}, Workers: []ServiceWorker{}, Households: []ServiceHousehold{}, Types: []services.Type{}}
	err := s.read(ctx, func(t *tx) error {
		v, err := s.serviceViewerOf(ctx, t, a, access.ServiceRecord)
		if err != nil {
			return err
		}
		if !v.staff() {
			return nil
		}
		ws, err := s.serviceWorkers(ctx, t, v.orgID)
		if err != nil {
			return err
		}
		for _, w := range ws {
			if w.Status == "active" && (w.ID == v.workerID || !w.HasLogin) {
				day.Workers = append(day.Workers, w)
			}
		}
		rows, err := t.query(ctx, `SELECT d.id, d.plan_id, p.contract_id, d.household_id, COALESCE(hp.name, ''), COALESCE(pp.name, ''), pl.name, h.address,
			p.service_type, COALESCE(sp.price_fen, 0), COALESCE(d.worker_id, 0), COALESCE(w.name, ''), d.due_on, d.until_on
			FROM service_dues d JOIN service_plans p ON p.id = d.plan_id JOIN service_contracts k ON k.id = p.contract_id
			JOIN households h ON h.id = d.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id LEFT JOIN persons pp ON pp.id = p.person_id
			JOIN places pl ON pl.code = d.place_code LEFT JOIN service_prices sp ON sp.contract_id = k.id AND sp.service_type = p.service_type
			LEFT JOIN service_workers w ON w.id = d.worker_id
			WHERE d.status = 'open' AND k.org_id = ? AND d.due_on <= ? AND (d.worker_id IS NULL OR d.worker_id = ? OR w.user_id IS NULL)
			ORDER BY d.until_on, d.id LIMIT 500`, v.orgID, day.Date, v.workerID)
		if err != nil {
			return fmt.Errorf("sqlstore: my services: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var d ServiceDue
			if err := rows.Scan(&d.ID, &d.PlanID, &d.ContractID, &d.HouseholdID, &d.HouseholdName, &d.PersonName, &d.PlaceName, &d.Address,
				&d.Type, &d.PriceFen, &d.WorkerID, &d.WorkerName, &d.DueOn, &d.UntilOn); err != nil {
				return err
			}
			d.Overdue, d.Mine = d.UntilOn < day.Date, d.WorkerID == v.workerID
			day.Items = append(day.Items, d)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		return s.unplannedChoices(ctx, t, v.orgID, &day)
	})
	return day, err
}

// unplannedChoices fills the households and types of a service recorded
// without a plan.
func (s *Store) unplannedChoices(ctx context.Context, t *tx, orgID int64, day *ServiceDay) error {
	rows, err := t.query(ctx, `SELECT h.id, COALESCE(hp.name, ''), pl.name FROM households h LEFT JOIN persons hp ON hp.id = h.head_person_id
		JOIN places pl ON pl.code = h.place_code WHERE h.status = 'active' AND h.id IN (
			SELECT c.household_id FROM service_coverage c JOIN service_contracts k ON k.id = c.contract_id WHERE k.org_id = ? AND k.status = 'active'
			UNION SELECT p.household_id FROM service_plans p JOIN service_contracts k ON k.id = p.contract_id WHERE k.org_id = ? AND p.status = 'active')
		ORDER BY pl.name, hp.name, h.id LIMIT 500`, orgID, orgID)
	if err != nil {
		return fmt.Errorf("sqlstore: unplanned households: %w", err)
	}
	for rows.Next() {
		var h ServiceHousehold
		if err := rows.Scan(&h.ID, &h.Name, &h.PlaceName); err != nil {
			rows.Close()
			return err
		}
		day.Households = append(day.Households, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	trows, err := t.query(ctx, `SELECT DISTINCT sp.service_type FROM service_prices sp JOIN service_contracts k ON k.id = sp.contract_id
		WHERE k.org_id = ? AND k.status = 'active'`, orgID)
	if err != nil {
		return fmt.Errorf("sqlstore: unplanned types: %w", err)
	}
	defer trows.Close()
	priced := map[services.Type]bool{}
	for trows.Next() {
		var ty services.Type
		if err := trows.Scan(&ty); err != nil {
			return err
		}
		priced[ty] = true
	}
	for _, ty := range services.Types {
		if priced[ty] {
			day.Types = append(day.Types, ty)
		}
	}
	return trows.Err()
}

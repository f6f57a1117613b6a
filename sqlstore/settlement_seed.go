package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"safetynet/settlement"
)

// Seeding services for tests, the demo and the settlement benchmark.
// Organisations, contracts and the recording of services are the services
// capability's; these write the same rows directly, in bulk, without the
// checks a recording goes through, so that verification and settlement
// can be exercised (and measured) on their own.

// ServiceOrgSeed is an organisation with one contract, its prices and its
// workers.
type ServiceOrgSeed struct {
	Name       string
	Place      string // the buyer's place (town or county)
	Title      string
	StartsOn   string // YYYY-MM-DD
	EndsOn     string
	BudgetFen  int64
	Prices     map[string]int64 // service type → fen
	Workers    []string         // names
	WorkerUser []int64          // the login of each worker, 0 for none (same length as Workers, or empty)
}

// ServiceOrgIDs are the rows SeedServiceOrg made.
type ServiceOrgIDs struct {
	Org, Contract int64
	Workers       []int64
}

// SeedServiceOrg writes an organisation, its contract with prices and its
// workers.
func (s *Store) SeedServiceOrg(ctx context.Context, in ServiceOrgSeed) (ServiceOrgIDs, error) {
	var out ServiceOrgIDs
	now := ms(s.now())
	err := s.write(ctx, func(t *tx) error {
		out = ServiceOrgIDs{}
		if err := t.queryRow(ctx, `INSERT INTO service_orgs (name, place_code, created_by, created_at, updated_at) VALUES (?, ?, 'seed', ?, ?)
			RETURNING id`, in.Name, in.Place, now, now).Scan(&out.Org); err != nil {
			return fmt.Errorf("sqlstore: seed org: %w", err)
		}
		if err := t.queryRow(ctx, `INSERT INTO service_contracts (org_id, place_code, title, starts_on, ends_on, budget_fen, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 'seed', ?, ?) RETURNING id`, out.Org, in.Place, in.Title, in.StartsOn, in.EndsOn, in.BudgetFen, now, now).Scan(&out.Contract); err != nil {
			return fmt.Errorf("sqlstore: seed contract: %w", err)
		}
		for typ, fen := range in.Prices {
			if _, err := t.exec(ctx, `INSERT INTO service_prices (contract_id, service_type, price_fen) VALUES (?, ?, ?)`, out.Contract, typ, fen); err != nil {
				return fmt.Errorf("sqlstore: seed price: %w", err)
			}
		}
		for i, name := range in.Workers {
			var user any
			if i < len(in.WorkerUser) && in.WorkerUser[i] != 0 {
				user = in.WorkerUser[i]
			}
			var id int64
			if err := t.queryRow(ctx, `INSERT INTO service_workers (org_id, name, kind, certified, user_id, created_by, created_at)
				VALUES (?, ?, 'social_worker', 1, ?, 'seed', ?) RETURNING id`, out.Org, name, user, now).Scan(&id); err != nil {
				return fmt.Errorf("sqlstore: seed worker: %w", err)
			}
			out.Workers = append(out.Workers, id)
		}
		return nil
	})
	return out, err
}

// ServiceRecordSeed is a service done, as the services capability records it.
type ServiceRecordSeed struct {
	ClientID   string
	Contract   int64
	Worker     int64
	Household  int64
	Person     int64 // 0 for the household
	Plan       int64 // 0 for none
	Type       string
	Start, End time.Time
	Lat, Lon   int64 // micro-degrees; both 0 for no location
	Photo      []byte
	Status     string // review status; pending if empty
	RecordedBy string
	PlaceCode  string // the household's place; looked up if empty
	PriceFen   int64  // the contract's price if 0
	Checked    bool   // mark the record checked (else the checks' sweep will check it)
}

// SeedServiceRecords writes records (and their photos) in bulk and
// returns their IDs in order. Records not marked Checked are left for the
// checks' sweep.
func (s *Store) SeedServiceRecords(ctx context.Context, recs []ServiceRecordSeed) ([]int64, error) {
	ids := make([]int64, len(recs))
	now := s.now()
	err := s.write(ctx, func(t *tx) error {
		orgOf, priceOf, placeOf := map[int64]int64{}, map[string]int64{}, map[int64]string{}
		for _, r := range recs {
			if _, ok := orgOf[r.Contract]; !ok {
				var org int64
				if err := t.queryRow(ctx, `SELECT org_id FROM service_contracts WHERE id = ?`, r.Contract).Scan(&org); err != nil {
					return fmt.Errorf("sqlstore: seed records: contract %d: %w", r.Contract, err)
				}
				orgOf[r.Contract] = org
				rows, err := t.query(ctx, `SELECT service_type, price_fen FROM service_prices WHERE contract_id = ?`, r.Contract)
				if err != nil {
					return err
				}
				for rows.Next() {
					var typ string
					var fen int64
					if err := rows.Scan(&typ, &fen); err != nil {
						rows.Close()
						return err
					}
					priceOf[fmt.Sprint(r.Contract, typ)] = fen
				}
				rows.Close()
			}
			if r.PlaceCode == "" {
				if _, ok := placeOf[r.Household]; !ok {
					var p string
					if err := t.queryRow(ctx, `SELECT place_code FROM households WHERE id = ?`, r.Household).Scan(&p); err != nil {
						return fmt.Errorf("sqlstore: seed records: household %d: %w", r.Household, err)
					}
					placeOf[r.Household] = p
				}
			}
		}
		alloc, err := t.allocIDs(ctx, "service_records", len(recs))
		if err != nil {
			return err
		}
		cols := []string{"id", "client_id", "contract_id", "org_id", "plan_id", "worker_id", "household_id", "person_id", "place_code",
			"service_type", "started_at", "ended_at", "month", "lat_e6", "lon_e6", "confirm_kind", "price_fen", "review_status",
			"recorded_by", "created_at", "checked_at"}
		rows := make([][]any, 0, len(recs))
		var ev [][]any
		for i, r := range recs {
			id := alloc[i]
			ids[i] = id
			place := r.PlaceCode
			if place == "" {
				place = placeOf[r.Household]
			}
			price := r.PriceFen
			if price == 0 {
				price = priceOf[fmt.Sprint(r.Contract, r.Type)]
			}
			status := r.Status
			if status == "" {
				status = "pending"
			}
			var lat, lon, person, plan any
			if r.Lat != 0 || r.Lon != 0 {
				lat, lon = r.Lat, r.Lon
			}
			if r.Person != 0 {
				person = r.Person
			}
			if r.Plan != 0 {
				plan = r.Plan
			}
			by := r.RecordedBy
			if by == "" {
				by = "seed"
			}
			var checked int64
			if r.Checked {
				checked = ms(now)
			}
			client := r.ClientID
			if client == "" {
				client = fmt.Sprintf("seed-%d", id)
			}
			rows = append(rows, []any{id, client, r.Contract, orgOf[r.Contract], plan, r.Worker, r.Household, person, place, r.Type,
				r.Start.Unix(), r.End.Unix(), settlement.Month(r.Start), lat, lon, "code", price, status, by, now.Unix(), checked})
			if len(r.Photo) > 0 {
				sum := sha256.Sum256(r.Photo)
				mime := "image/jpeg"
				if bytes.HasPrefix(r.Photo, []byte("\x89PNG")) {
					mime = "image/png"
				}
				ev = append(ev, []any{id, "photo", mime, hex.EncodeToString(sum[:]), len(r.Photo), r.Photo, now.Unix()})
			}
		}
		if err := t.insertRows(ctx, "service_records", cols, rows); err != nil {
			return fmt.Errorf("sqlstore: seed records: %w", err)
		}
		return t.insertRows(ctx, "service_evidence", []string{"record_id", "kind", "mime", "sha256", "size", "data", "created_at"}, ev)
	})
	return ids, err
}

// SeedServicePlan writes a plan of a household under a contract.
func (s *Store) SeedServicePlan(ctx context.Context, contract, household int64, typ, freq, startsOn, endsOn string) (int64, error) {
	var id int64
	now := ms(s.now())
	err := s.write(ctx, func(t *tx) error {
		return t.queryRow(ctx, `INSERT INTO service_plans (contract_id, household_id, place_code, service_type, frequency, starts_on, ends_on,
			created_by, created_at, updated_at) SELECT ?, id, place_code, ?, ?, ?, ?, 'seed', ?, ? FROM households WHERE id = ? RETURNING id`,
			contract, typ, freq, startsOn, endsOn, now, now, household).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("sqlstore: seed plan: %w", err)
	}
	return id, nil
}

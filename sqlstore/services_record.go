package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/services"
)

// RecordService records a service done by a worker of the actor's
// organisation for a household its contract covers, with its evidence,
// at the contract's price. Sending the same client ID again returns the
// record already made (created false). It refuses services in the future,
// an end before the start, a household outside the contract, a worker not
// of the organisation, a type the contract does not price, a date outside
// the contract, a code that is not the household's and a closed
// settlement month; nothing is saved then. The service closes the due
// service it answers (DueID, or else the oldest open one of the
// household and type it falls in).
func (s *Store) RecordService(ctx context.Context, a access.Actor, in services.NewRecord) (ServiceRecord, bool, error) {
	if err := a.Require(access.ServiceRecord); err != nil {
		return ServiceRecord{}, false, err
	}
	now := s.now()
	in, kind, err := services.CheckRecord(in, now)
	if err != nil {
		return ServiceRecord{}, false, err
	}
	var id int64
	resent := func(t *tx) (bool, error) {
		var by string
		err := t.queryRow(ctx, `SELECT id, recorded_by FROM service_records WHERE client_id = ?`, in.ClientID).Scan(&id, &by)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return false, nil
		case err != nil:
			return false, fmt.Errorf("sqlstore: service lookup: %w", err)
		case by != a.Username:
			return false, safetynet.Conflict("client_id", "记录编号已被使用", "this client_id belongs to another record")
		}
		return true, nil
	}
	var c checkedService
	found := false
	err = s.read(ctx, func(t *tx) error {
		var err error
		if found, err = resent(t); found || err != nil {
			return err
		}
		c, err = s.checkService(ctx, t, a, in, kind)
		return err
	})
	if err != nil {
		return ServiceRecord{}, false, err
	}
	created := false
	if !found {
		in = c.in
		err = s.write(ctx, func(t *tx) error {
			created = false
			if found, err := resent(t); found || err != nil {
				return err
			}
			if err := s.checkCampaignTag(ctx, t, in.CampaignID, c.place); err != nil {
				return err
			}
			closed, err := s.settlementMonthClosed(ctx, t, c.orgID, c.month)
			if err != nil {
				return err
			}
			if closed {
				return safetynet.Invalid("started_at", "%s 已结算关账，不能再登记这个月的服务", "the settlement month %s is closed", c.month)
			}
			var dueID, plan, person, lat, lon, acc any
			if c.dueID > 0 {
				dueID = c.dueID
			}
			if c.planID > 0 {
				plan = c.planID
			}
			if in.PersonID > 0 {
				person = in.PersonID
			}
			if l := in.Location; l != nil {
				lat, lon, acc = l.LatE6, l.LonE6, l.AccuracyM
			}
			err = t.queryRow(ctx, `INSERT INTO service_records (client_id, contract_id, org_id, plan_id, due_id, worker_id, household_id, person_id,
				place_code, service_type, started_at, ended_at, month, lat_e6, lon_e6, accuracy_m, confirm_kind, price_fen, note, recorded_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING RETURNING id`,
				in.ClientID, in.ContractID, c.orgID, plan, dueID, in.WorkerID, in.HouseholdID, person, c.place, string(in.Type),
				in.StartedAt.Unix(), in.EndedAt.Unix(), c.month, lat, lon, acc, kind, c.price, in.Note, a.Username, now.Unix()).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				// Sent twice at once: the other transaction committed it first.
				if found, err := resent(t); found || err != nil {
					return err
				}
				return fmt.Errorf("sqlstore: insert service %q: conflict but no record", in.ClientID)
			}
			if err != nil {
				return fmt.Errorf("sqlstore: insert service: %w", err)
			}
			created = true
			if err := s.tagRecord(ctx, t, "service_records", id, in.CampaignID, new(int64)); err != nil {
				return err
			}
			add := func(kind string, b []byte) error {
				_, err := t.exec(ctx, `INSERT INTO service_evidence (record_id, kind, mime, sha256, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
					id, kind, services.ImageType(b), services.Hash(b), len(b), b, now.Unix())
				if err != nil {
					return fmt.Errorf("sqlstore: service evidence: %w", err)
				}
				return nil
			}
			for _, p := range in.Photos {
				if err := add("photo", p); err != nil {
					return err
				}
			}
			if len(in.Signature) > 0 {
				if err := add(services.ConfirmSignature, in.Signature); err != nil {
					return err
				}
			}
			if c.dueID > 0 {
				r, err := t.exec(ctx, `UPDATE service_dues SET status = 'done', record_id = ? WHERE id = ? AND status = 'open'`, id, c.dueID)
				if err != nil {
					return fmt.Errorf("sqlstore: close due service: %w", err)
				}
				if n, _ := r.RowsAffected(); n == 0 && in.DueID > 0 {
					return safetynet.Conflict("due_id", "这项待办服务已登记过", "the due service was already recorded")
				}
			}
			// The automatic checks (two places at once, travel speed, a photo
			// used twice, a recipient gone, more than the plan allows) flag
			// the record as it arrives; the service-checks loop catches any
			// record that arrived without them.
			if err := s.checkServiceRecord(ctx, t, id); err != nil {
				return err
			}
			return s.audit(ctx, t, a, auditRec{action: "service.record", objType: "service_record", objID: fmt.Sprint(id), place: c.place,
				detail: map[string]any{"service_type": in.Type, "household_id": in.HouseholdID, "worker_id": in.WorkerID}})
		})
		if err != nil {
			return ServiceRecord{}, false, err
		}
	}
	rec, err := s.serviceRecord(ctx, id)
	return rec, created, err
}

// checkedService is a service checked against the database before it is
// written: its contract, organisation, price, place and the due service
// it answers.
type checkedService struct {
	in            services.NewRecord
	orgID, price  int64
	planID, dueID int64
	place, month  string
}

// checkService checks a service against the contract, the worker, the
// household's coverage and code and finds the due service it answers, in
// a read transaction: on SQLite the single writer then holds only the
// inserts. What it checks changes rarely (a contract ending, coverage
// removed); the write checks again what may change within the moment
// between: the settlement month and the due service still open.
func (s *Store) checkService(ctx context.Context, t *tx, a access.Actor, in services.NewRecord, kind string) (checkedService, error) {
	c := checkedService{}
	err := func() error {
		v, err := s.serviceViewerOf(ctx, t, a, access.ServiceRecord)
		if err != nil {
			return err
		}
		if !v.staff() && a.Role != safetynet.RoleAdmin {
			return safetynet.Text(safetynet.EForbidden, "", "您不是服务机构的人员，不能登记服务", "only an organisation's workers record services")
		}
		var planID int64
		if in.DueID > 0 {
			var hh, contract int64
			var typ, status string
			err := t.queryRow(ctx, `SELECT d.household_id, d.plan_id, p.contract_id, p.service_type, d.status, COALESCE(p.person_id, 0)
				FROM service_dues d JOIN service_plans p ON p.id = d.plan_id WHERE d.id = ?`, in.DueID).Scan(&hh, &planID, &contract, &typ, &status, new(int64))
			if errors.Is(err, sql.ErrNoRows) || (err == nil && in.HouseholdID != 0 && hh != in.HouseholdID) {
				return safetynet.Invalid("due_id", "没有这项待办服务", "no such due service for this household")
			}
			if err != nil {
				return fmt.Errorf("sqlstore: due service: %w", err)
			}
			if in.ContractID != 0 && in.ContractID != contract {
				return safetynet.Invalid("contract_id", "待办服务不属于这份合同", "the due service is of another contract")
			}
			in.HouseholdID, in.ContractID = hh, contract
			if in.Type == "" {
				in.Type = services.Type(typ)
			}
		}
		if in.WorkerID == 0 {
			in.WorkerID = v.workerID
		}
		if in.WorkerID == 0 {
			return safetynet.Invalid("worker_id", "请选择服务人员", "worker_id is required")
		}
		day := localDay(in.StartedAt)
		var orgID, price int64
		var kStatus, kFrom, kTo string
		if in.ContractID == 0 {
			// The worker's organisation's contract that covers the
			// household and prices the type on the day.
			err := t.queryRow(ctx, `SELECT k.id FROM service_contracts k JOIN service_workers w ON w.org_id = k.org_id
				JOIN service_prices sp ON sp.contract_id = k.id AND sp.service_type = ?
				WHERE w.id = ? AND k.status = 'active' AND k.starts_on <= ? AND k.ends_on >= ? AND EXISTS (SELECT 1 FROM households h WHERE h.id = ? AND `+
				coveredClause("h.id", "h.place_code", "k.id = sp.contract_id")+`) ORDER BY k.id LIMIT 1`,
				string(in.Type), in.WorkerID, day, day, in.HouseholdID).Scan(&in.ContractID)
			if errors.Is(err, sql.ErrNoRows) {
				return safetynet.Invalid("household_id", "这户不在本机构合同的服务范围内，或合同没有这项服务", "no contract of the organisation covers the household for this service on that day")
			}
			if err != nil {
				return fmt.Errorf("sqlstore: contract of service: %w", err)
			}
		}
		err = t.queryRow(ctx, `SELECT k.org_id, k.status, k.starts_on, k.ends_on, COALESCE((SELECT price_fen FROM service_prices sp
			WHERE sp.contract_id = k.id AND sp.service_type = ?), -1) FROM service_contracts k WHERE k.id = ?`, string(in.Type), in.ContractID).Scan(
			&orgID, &kStatus, &kFrom, &kTo, &price)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && v.staff() && orgID != v.orgID) {
			return safetynet.Invalid("contract_id", "没有这份合同", "no such contract")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: contract: %w", err)
		}
		switch {
		case kStatus != "active":
			return safetynet.Invalid("contract_id", "合同已结束", "the contract has ended")
		case day < kFrom || day > kTo:
			return safetynet.Invalid("started_at", "服务日期不在合同期内（%s 至 %s）", "the service's date is outside the contract's period (%s to %s)", kFrom, kTo)
		case price < 0:
			return safetynet.Invalid("service_type", "合同没有这项服务的单价", "the contract does not price this service type")
		}
		if err := s.workerOfOrg(ctx, t, in.WorkerID, orgID); err != nil {
			return err
		}
		place, err := s.coveredHousehold(ctx, t, in.HouseholdID, "k.id = ?", in.ContractID)
		if err != nil {
			return err
		}
		if in.PersonID > 0 {
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM persons WHERE id = ? AND household_id = ?`, in.PersonID, in.HouseholdID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return safetynet.Invalid("person_id", "此人不是该户成员", "the person is not a member of the household")
			}
		}
		if kind == services.ConfirmCode {
			var hash string
			err := t.queryRow(ctx, `SELECT code_hash FROM service_household_codes WHERE household_id = ?`, in.HouseholdID).Scan(&hash)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("sqlstore: household code: %w", err)
			}
			if hash == "" || hash != s.codeHash(in.HouseholdID, in.Code) {
				return safetynet.Invalid("code", "服务确认码不对：请核对这户持有的确认码", "the code is not this household's confirmation code")
			}
		}
		c.dueID = in.DueID
		if in.DueID == 0 {
			var d, p int64
			err := t.queryRow(ctx, `SELECT d.id, d.plan_id FROM service_dues d JOIN service_plans p ON p.id = d.plan_id
				WHERE d.household_id = ? AND d.status = 'open' AND p.contract_id = ? AND p.service_type = ? AND d.due_on <= ?
				ORDER BY d.due_on, d.id LIMIT 1`, in.HouseholdID, in.ContractID, string(in.Type), day).Scan(&d, &p)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("sqlstore: due of service: %w", err)
			}
			if d > 0 {
				c.dueID, planID = d, p
			}
		}
		c.in, c.orgID, c.price, c.planID, c.place = in, orgID, price, planID, place
		c.month = services.Month(in.StartedAt, serviceZone)
		return nil
	}()
	return c, err
}

// IssueHouseholdCode draws a new confirmation code for a household of
// the actor's area and stores only its hash; the code is shown once, to
// be printed for the household. A new code replaces the old one.
func (s *Store) IssueHouseholdCode(ctx context.Context, a access.Actor, householdID int64) (string, error) {
	if !a.Can(access.ServiceManage) && !a.Can(access.ServiceVerify) {
		return "", safetynet.Forbidden()
	}
	code := services.NewCode()
	err := s.write(ctx, func(t *tx) error {
		h, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO service_household_codes (household_id, code_hash, created_by, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (household_id) DO UPDATE SET code_hash = excluded.code_hash, created_by = excluded.created_by, created_at = excluded.created_at`,
			h.ID, s.codeHash(h.ID, code), a.Username, ms(s.now())); err != nil {
			return fmt.Errorf("sqlstore: household code: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "service.code.issue", objType: "household", objID: fmt.Sprint(h.ID), place: h.PlaceCode})
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/services"
)

// ServicePlan is a plan of services for a household or one of its persons.
type ServicePlan struct {
	ID            int64              `json:"id"`
	ContractID    int64              `json:"contract_id"`
	OrgName       string             `json:"org_name"`
	HouseholdID   int64              `json:"household_id"`
	HouseholdName string             `json:"household_name"`
	PersonID      int64              `json:"person_id"`
	PersonName    string             `json:"person_name"`
	PlaceName     string             `json:"place_name"`
	Type          services.Type      `json:"service_type"`
	Frequency     services.Frequency `json:"frequency"`
	WorkerID      int64              `json:"worker_id"`
	WorkerName    string             `json:"worker_name"`
	StartsOn      string             `json:"starts_on"`
	EndsOn        string             `json:"ends_on"`
	Status        string             `json:"status"`
}

// TeamMember is one named role of a 1+5+N team around a person.
type TeamMember struct {
	ID         int64             `json:"id"`
	PersonID   int64             `json:"person_id"`
	PersonName string            `json:"person_name"`
	ContractID int64             `json:"contract_id"`
	Role       services.TeamRole `json:"role"`
	WorkerID   int64             `json:"worker_id"`
	WorkerName string            `json:"worker_name"`
}

// dueKeep is how many days after its period a due service stays open on
// the day list before it is marked missed.
const dueKeep = 30

// contractForPlan loads a contract the actor manages and checks that it
// covers the household, prices the type, spans the dates and that the
// worker (if any) is the organisation's.
func (s *Store) contractForPlan(ctx context.Context, t *tx, a access.Actor, in services.NewPlan) (ServiceContract, string, error) {
	k, err := s.serviceContractRow(ctx, t, a, in.ContractID)
	if err != nil {
		return k, "", err
	}
	if err := s.manages(ctx, t, a, k.PlaceCode); err != nil {
		return k, "", err
	}
	if k.Status != "active" {
		return k, "", safetynet.Invalid("contract_id", "合同已结束", "the contract has ended")
	}
	if in.StartsOn < k.StartsOn || in.EndsOn > k.EndsOn {
		return k, "", safetynet.Invalid("ends_on", "计划时间应在合同期内（%s 至 %s）", "the plan must lie within the contract's period (%s to %s)", k.StartsOn, k.EndsOn)
	}
	priced := false
	for _, p := range k.Prices {
		priced = priced || p.Type == in.Type
	}
	if !priced {
		return k, "", safetynet.Invalid("service_type", "合同没有这项服务的单价", "the contract does not price this service type")
	}
	place, err := s.coveredHousehold(ctx, t, in.HouseholdID, "k.id = ?", k.ID)
	if err != nil {
		return k, "", err
	}
	if in.PersonID > 0 {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM persons WHERE id = ? AND household_id = ?`, in.PersonID, in.HouseholdID).Scan(&n); err != nil {
			return k, "", err
		}
		if n == 0 {
			return k, "", safetynet.Invalid("person_id", "此人不是该户成员", "the person is not a member of the household")
		}
	}
	if in.WorkerID > 0 {
		if err := s.workerOfOrg(ctx, t, in.WorkerID, k.OrgID); err != nil {
			return k, "", err
		}
	}
	return k, place, nil
}

// coveredHousehold returns the place of an active household covered by a
// contract matching cond (on k), or the "outside the contract" error.
func (s *Store) coveredHousehold(ctx context.Context, t *tx, householdID int64, cond string, args ...any) (string, error) {
	var place string
	err := t.queryRow(ctx, `SELECT h.place_code FROM households h WHERE h.id = ? AND h.status = 'active' AND `+
		coveredClause("h.id", "h.place_code", cond), append([]any{householdID}, args...)...).Scan(&place)
	if errors.Is(err, sql.ErrNoRows) {
		return "", safetynet.Invalid("household_id", "这户不在合同的服务范围内", "the household is not covered by the contract")
	}
	if err != nil {
		return "", fmt.Errorf("sqlstore: covered household: %w", err)
	}
	return place, nil
}

// workerOfOrg refuses a worker who is not an active worker of org.
func (s *Store) workerOfOrg(ctx context.Context, t *tx, workerID, orgID int64) error {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM service_workers WHERE id = ? AND org_id = ? AND status = 'active'`, workerID, orgID).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: worker: %w", err)
	}
	if n == 0 {
		return safetynet.Invalid("worker_id", "此人不是该机构的服务人员", "the worker is not of the organisation")
	}
	return nil
}

// CreateServicePlan plans services for a household the contract covers
// and makes the services already due at once.
func (s *Store) CreateServicePlan(ctx context.Context, a access.Actor, in services.NewPlan) (int64, error) {
	if err := a.Require(access.ServiceManage); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if _, err := s.serviceContractRow(ctx, t, a, in.ContractID); err != nil {
			return err // the scope first: an unseen contract is not found, whatever the plan says
		}
		if err := services.CheckPlan(in); err != nil {
			return err
		}
		k, place, err := s.contractForPlan(ctx, t, a, in)
		if err != nil {
			return err
		}
		now := ms(s.now())
		var person, worker any
		if in.PersonID > 0 {
			person = in.PersonID
		}
		if in.WorkerID > 0 {
			worker = in.WorkerID
		}
		if err := t.queryRow(ctx, `INSERT INTO service_plans (contract_id, household_id, person_id, place_code, service_type, frequency, worker_id,
			starts_on, ends_on, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			k.ID, in.HouseholdID, person, place, string(in.Type), string(in.Frequency), worker, in.StartsOn, in.EndsOn, a.Username, now, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: create plan: %w", err)
		}
		if _, err := s.generateDues(ctx, t, "p.id = ?", id); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "service.plan.create", objType: "household", objID: fmt.Sprint(in.HouseholdID), place: place,
			detail: map[string]any{"plan_id": id, "service_type": in.Type, "frequency": in.Frequency}})
	})
	return id, err
}

// ServicePlans lists the plans of a contract (contractID > 0) or of a
// household the actor sees.
func (s *Store) ServicePlans(ctx context.Context, a access.Actor, contractID, householdID int64) ([]ServicePlan, error) {
	out := []ServicePlan{}
	err := s.read(ctx, func(t *tx) error {
		v, err := s.serviceViewerOf(ctx, t, a, access.ServiceView)
		if err != nil {
			return err
		}
		cond, args := v.householdClause("p.household_id", "p.place_code")
		kc, kargs := v.contractClause("k")
		cond += " AND " + kc
		args = append(args, kargs...)
		if contractID > 0 {
			cond += " AND p.contract_id = ?"
			args = append(args, contractID)
		}
		if householdID > 0 {
			cond += " AND p.household_id = ?"
			args = append(args, householdID)
		}
		rows, err := t.query(ctx, `SELECT p.id, p.contract_id, o.name, p.household_id, COALESCE(hp.name, ''), COALESCE(p.person_id, 0), COALESCE(pp.name, ''),
			pl.name, p.service_type, p.frequency, COALESCE(p.worker_id, 0), COALESCE(w.name, ''), p.starts_on, p.ends_on, p.status
			FROM service_plans p JOIN service_contracts k ON k.id = p.contract_id JOIN service_orgs o ON o.id = k.org_id
			JOIN households h ON h.id = p.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id
			LEFT JOIN persons pp ON pp.id = p.person_id JOIN places pl ON pl.code = p.place_code
			LEFT JOIN service_workers w ON w.id = p.worker_id WHERE `+cond+` ORDER BY p.status, p.id DESC LIMIT 1000`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: service plans: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var p ServicePlan
			if err := rows.Scan(&p.ID, &p.ContractID, &p.OrgName, &p.HouseholdID, &p.HouseholdName, &p.PersonID, &p.PersonName, &p.PlaceName,
				&p.Type, &p.Frequency, &p.WorkerID, &p.WorkerName, &p.StartsOn, &p.EndsOn, &p.Status); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// AddTeamMember names a worker of the contract's organisation in a role
// of a person's 1+5+N team; the person's household must be covered.
func (s *Store) AddTeamMember(ctx context.Context, a access.Actor, contractID, personID int64, role services.TeamRole, workerID int64) (int64, error) {
	if err := a.Require(access.ServiceManage); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		k, err := s.serviceContractRow(ctx, t, a, contractID)
		if err != nil {
			return err
		}
		if !role.Valid() {
			return safetynet.Invalid("role", "团队角色无效", "unknown team role")
		}
		if err := s.manages(ctx, t, a, k.PlaceCode); err != nil {
			return err
		}
		var hh int64
		if err := t.queryRow(ctx, `SELECT household_id FROM persons WHERE id = ?`, personID).Scan(&hh); err != nil {
			return safetynet.Invalid("person_id", "人员不存在", "no such person")
		}
		place, err := s.coveredHousehold(ctx, t, hh, "k.id = ?", k.ID)
		if err != nil {
			return err
		}
		if err := s.workerOfOrg(ctx, t, workerID, k.OrgID); err != nil {
			return err
		}
		err = t.queryRow(ctx, `INSERT INTO service_team_members (person_id, contract_id, role, worker_id, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id, role, worker_id) DO NOTHING RETURNING id`, personID, k.ID, string(role), workerID,
			a.Username, ms(s.now())).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.Conflict("worker_id", "此人已在团队中担任这个角色", "the worker already has this role in the team")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: team member: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "service.team.add", objType: "person", objID: fmt.Sprint(personID), place: place,
			detail: map[string]any{"team_role": role, "worker_id": workerID}})
	})
	return id, err
}

// ServiceTeam lists the 1+5+N team members of the persons of a household
// the actor sees (404 for one the actor's view of services does not hold).
func (s *Store) ServiceTeam(ctx context.Context, a access.Actor, householdID int64) ([]TeamMember, error) {
	out := []TeamMember{}
	err := s.read(ctx, func(t *tx) error {
		v, err := s.serviceViewerOf(ctx, t, a, access.ServiceView)
		if err != nil {
			return err
		}
		hc, hargs := v.householdClause("h.id", "h.place_code")
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM households h WHERE h.id = ? AND `+hc, append([]any{householdID}, hargs...)...).Scan(&n); err != nil {
			return fmt.Errorf("sqlstore: service team household: %w", err)
		}
		if n == 0 {
			return safetynet.NotFound("家庭", "household")
		}
		c, args := v.householdClause("p.household_id", "p.place_code")
		rows, err := t.query(ctx, `SELECT m.id, m.person_id, p.name, m.contract_id, m.role, m.worker_id, w.name
			FROM service_team_members m JOIN persons p ON p.id = m.person_id JOIN service_workers w ON w.id = m.worker_id
			WHERE p.household_id = ? AND `+c+` ORDER BY m.person_id, m.id`, append([]any{householdID}, args...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: service team: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var m TeamMember
			if err := rows.Scan(&m.ID, &m.PersonID, &m.PersonName, &m.ContractID, &m.Role, &m.WorkerID, &m.WorkerName); err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// ServiceDueGeneration says what one generation of due services did.
type ServiceDueGeneration struct {
	Date    string `json:"date"`
	Created int    `json:"created"`
	Missed  int    `json:"missed"`
}

// GenerateServiceDues makes the services due by today for every active
// plan (one per plan and period; running it again adds nothing) and marks
// missed the open ones whose period ended more than 30 days ago.
func (s *Store) GenerateServiceDues(ctx context.Context) (ServiceDueGeneration, error) {
	res := ServiceDueGeneration{Date: localDay(s.now())}
	err := s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES ('services.dues', ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, res.Date); err != nil {
			return fmt.Errorf("sqlstore: service dues: %w", err)
		}
		n, err := s.generateDues(ctx, t, "1 = 1")
		if err != nil {
			return err
		}
		res.Created = n
		oldest := s.now().In(serviceZone).AddDate(0, 0, -dueKeep).Format(services.DateLayout)
		r, err := t.exec(ctx, `UPDATE service_dues SET status = 'missed' WHERE status = 'open' AND until_on < ?`, oldest)
		if err != nil {
			return fmt.Errorf("sqlstore: missed service dues: %w", err)
		}
		m, _ := r.RowsAffected()
		res.Missed = int(m)
		return nil
	})
	return res, err
}

// GenerateServiceDuesDaily generates the due services unless that was
// done already on the local date of now (ran is false then); the jobs
// loop asks every minute, so the day's dues appear soon after midnight
// and after a restart.
func (s *Store) GenerateServiceDuesDaily(ctx context.Context) (ServiceDueGeneration, bool, error) {
	today := localDay(s.now())
	var last string
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT value FROM settings WHERE name = 'services.dues'`).Scan(&last)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil || last == today {
		return ServiceDueGeneration{Date: today}, false, err
	}
	g, err := s.GenerateServiceDues(ctx)
	return g, err == nil, err
}

// generateDues inserts the due services of the active plans matching
// cond (on p) for the periods begun by today.
func (s *Store) generateDues(ctx context.Context, t *tx, cond string, args ...any) (int, error) {
	now := s.now().In(serviceZone)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, serviceZone)
	rows, err := t.query(ctx, `SELECT p.id, p.household_id, p.place_code, COALESCE(p.worker_id, 0), p.frequency, p.starts_on, p.ends_on
		FROM service_plans p WHERE p.status = 'active' AND p.starts_on <= ? AND p.ends_on >= ? AND `+cond,
		append([]any{today.Format(services.DateLayout), today.AddDate(0, 0, -dueKeep).Format(services.DateLayout)}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: plans due: %w", err)
	}
	type plan struct {
		id, household, worker int64
		place, freq, from, to string
	}
	var plans []plan
	for rows.Next() {
		var p plan
		if err := rows.Scan(&p.id, &p.household, &p.place, &p.worker, &p.freq, &p.from, &p.to); err != nil {
			rows.Close()
			return 0, err
		}
		plans = append(plans, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	created := 0
	for _, p := range plans {
		from, err1 := time.ParseInLocation(services.DateLayout, p.from, serviceZone)
		to, err2 := time.ParseInLocation(services.DateLayout, p.to, serviceZone)
		if err1 != nil || err2 != nil {
			continue
		}
		var worker any
		if p.worker > 0 {
			worker = p.worker
		}
		for _, per := range services.Periods(services.Frequency(p.freq), from, to, today, dueKeep) {
			r, err := t.exec(ctx, `INSERT INTO service_dues (plan_id, due_on, until_on, household_id, place_code, worker_id, status)
				VALUES (?, ?, ?, ?, ?, ?, 'open') ON CONFLICT (plan_id, due_on) DO NOTHING`, p.id, per.Start.Format(services.DateLayout),
				per.End.Format(services.DateLayout), p.household, p.place, worker)
			if err != nil {
				return 0, fmt.Errorf("sqlstore: service due: %w", err)
			}
			n, _ := r.RowsAffected()
			created += int(n)
		}
	}
	return created, nil
}

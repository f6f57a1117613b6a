package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"safetynet"
	"safetynet/access"
	"safetynet/services"
)

// ServiceOrg is an organisation services are bought from (阳光社工).
type ServiceOrg struct {
	ID        int64             `json:"id"`
	Name      string            `json:"name"`
	PlaceCode string            `json:"place_code"`
	PlaceName string            `json:"place_name"`
	Contact   string            `json:"contact"`
	Note      string            `json:"note"`
	Status    string            `json:"status"`
	Version   int               `json:"version"`
	Contracts []ServiceContract `json:"contracts"`
	Workers   []ServiceWorker   `json:"workers"`
}

// ServiceContract is a contract of government purchase of services.
type ServiceContract struct {
	ID        int64             `json:"id"`
	OrgID     int64             `json:"org_id"`
	OrgName   string            `json:"org_name"`
	PlaceCode string            `json:"place_code"`
	PlaceName string            `json:"place_name"`
	Title     string            `json:"title"`
	DocNo     string            `json:"doc_no"`
	StartsOn  string            `json:"starts_on"`
	EndsOn    string            `json:"ends_on"`
	BudgetFen int64             `json:"budget_fen"`
	Status    string            `json:"status"`
	Prices    []services.Price  `json:"prices"`
	Coverage  []ServiceCoverage `json:"coverage"`
}

// ServiceCoverage is what a contract covers: a named household, or the
// households of a place (of one target group, if named).
type ServiceCoverage struct {
	ID            int64  `json:"id"`
	HouseholdID   int64  `json:"household_id"`
	HouseholdName string `json:"household_name"`
	Category      string `json:"category"`
	PlaceCode     string `json:"place_code"`
	PlaceName     string `json:"place_name"`
}

// ServiceWorker is an organisation's worker: a social worker, a
// psychologist, a paid resident helper …
type ServiceWorker struct {
	ID        int64               `json:"id"`
	OrgID     int64               `json:"org_id"`
	Name      string              `json:"name"`
	Kind      services.WorkerKind `json:"kind"`
	Certified bool                `json:"certified"`
	HasLogin  bool                `json:"has_login"`
	LoginName string              `json:"login_name"` // the login's display name
	PersonID  int64               `json:"person_id"`
	Resident  bool                `json:"resident"` // a person of the register
	Status    string              `json:"status"`
}

// NewServiceOrg registers an organisation, with its first contract if
// Contract is set.
type NewServiceOrg struct {
	Name      string                `json:"name"`
	PlaceCode string                `json:"place_code"`
	Contact   string                `json:"contact"`
	Note      string                `json:"note"`
	Contract  *services.NewContract `json:"contract"`
}

// NewServiceWorker adds a worker to an organisation; Username links a
// login, PersonID a person of the register.
type NewServiceWorker struct {
	Name      string              `json:"name"`
	Kind      services.WorkerKind `json:"kind"`
	Certified bool                `json:"certified"`
	Username  string              `json:"username"`
	PersonID  int64               `json:"person_id"`
}

// CreateServiceOrg registers an organisation at a place of the actor's
// area (the actor's own place when empty), and its first contract.
func (s *Store) CreateServiceOrg(ctx context.Context, a access.Actor, in NewServiceOrg) (int64, error) {
	in.Name, in.Contact, in.Note = strings.TrimSpace(in.Name), strings.TrimSpace(in.Contact), strings.TrimSpace(in.Note)
	if in.PlaceCode == "" {
		in.PlaceCode = a.Place
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 100 {
		return 0, safetynet.Invalid("name", "请填写机构名称（最多100字）", "the organisation's name is required (at most 100 characters)")
	}
	if utf8.RuneCountInString(in.Contact) > 100 || utf8.RuneCountInString(in.Note) > 500 {
		return 0, safetynet.Invalid("note", "联系人最多100字，备注最多500字", "contact at most 100, note at most 500 characters")
	}
	if in.Contract != nil {
		if in.Contract.PlaceCode == "" {
			in.Contract.PlaceCode = in.PlaceCode
		}
		if err := services.CheckContract(*in.Contract); err != nil {
			return 0, err
		}
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if err := s.manages(ctx, t, a, in.PlaceCode); err != nil {
			return err
		}
		now := ms(s.now())
		if err := t.queryRow(ctx, `INSERT INTO service_orgs (name, place_code, contact, note, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Name, in.PlaceCode, in.Contact, in.Note, a.Username, now, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: create service org: %w", err)
		}
		if in.Contract != nil {
			if _, err := s.addContract(ctx, t, a, id, *in.Contract); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, a, auditRec{action: "service.org.create", objType: "service_org", objID: fmt.Sprint(id), place: in.PlaceCode,
			detail: map[string]any{"name": in.Name}})
	})
	return id, err
}

// AddServiceContract adds a contract to an organisation the actor sees.
func (s *Store) AddServiceContract(ctx context.Context, a access.Actor, orgID int64, in services.NewContract) (int64, error) {
	if in.PlaceCode == "" {
		in.PlaceCode = a.Place
	}
	if err := a.Require(access.ServiceManage); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if _, err := s.serviceOrgRow(ctx, t, a, orgID); err != nil {
			return err
		}
		if err := services.CheckContract(in); err != nil {
			return err
		}
		var err error
		id, err = s.addContract(ctx, t, a, orgID, in)
		return err
	})
	return id, err
}

func (s *Store) addContract(ctx context.Context, t *tx, a access.Actor, orgID int64, in services.NewContract) (int64, error) {
	if err := s.manages(ctx, t, a, in.PlaceCode); err != nil {
		return 0, err
	}
	now := ms(s.now())
	var id int64
	if err := t.queryRow(ctx, `INSERT INTO service_contracts (org_id, place_code, title, doc_no, starts_on, ends_on, budget_fen, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, orgID, in.PlaceCode, strings.TrimSpace(in.Title), strings.TrimSpace(in.DocNo),
		in.StartsOn, in.EndsOn, in.BudgetFen, a.Username, now, now).Scan(&id); err != nil {
		return 0, fmt.Errorf("sqlstore: create contract: %w", err)
	}
	for _, p := range in.Prices {
		if _, err := t.exec(ctx, `INSERT INTO service_prices (contract_id, service_type, price_fen) VALUES (?, ?, ?)`, id, string(p.Type), p.PriceFen); err != nil {
			return 0, fmt.Errorf("sqlstore: contract price: %w", err)
		}
	}
	for _, c := range in.Categories {
		if err := s.addCoverage(ctx, t, a, id, in.PlaceCode, 0, c); err != nil {
			return 0, err
		}
	}
	for _, h := range in.Households {
		if err := s.addCoverage(ctx, t, a, id, in.PlaceCode, h, ""); err != nil {
			return 0, err
		}
	}
	return id, s.audit(ctx, t, a, auditRec{action: "service.contract.create", objType: "service_contract", objID: fmt.Sprint(id),
		place: in.PlaceCode, detail: map[string]any{"org_id": orgID, "title": in.Title, "budget_fen": in.BudgetFen}})
}

// addCoverage adds a household (householdID > 0) or a target group of the
// contract's place to a contract.
func (s *Store) addCoverage(ctx context.Context, t *tx, a access.Actor, contractID int64, contractPlace string, householdID int64, category string) error {
	if householdID > 0 {
		var place string
		c, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: contractPlace}, "h.place_code")
		err := t.queryRow(ctx, `SELECT h.place_code FROM households h WHERE h.id = ? AND h.status = 'active' AND `+c,
			append([]any{householdID}, args...)...).Scan(&place)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.Invalid("households", "家庭不存在或不在合同的地区内", "the household does not exist or is outside the contract's place")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: coverage household: %w", err)
		}
		_, err = t.exec(ctx, `INSERT INTO service_coverage (contract_id, household_id, category, place_code) VALUES (?, ?, '', ?)`, contractID, householdID, place)
		return err
	}
	if category != "" {
		if _, ok := safetynet.CategoryByCode(category); !ok {
			return safetynet.Invalid("categories", "对象类别无效", "unknown category")
		}
	}
	_, err := t.exec(ctx, `INSERT INTO service_coverage (contract_id, household_id, category, place_code) VALUES (?, NULL, ?, ?)`, contractID, category, contractPlace)
	return err
}

// AddServiceCoverage adds a named household (householdID > 0) or a
// target group of the contract's place to a contract.
func (s *Store) AddServiceCoverage(ctx context.Context, a access.Actor, contractID, householdID int64, category string) error {
	if err := a.Require(access.ServiceManage); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		k, err := s.serviceContractRow(ctx, t, a, contractID)
		if err != nil {
			return err
		}
		if err := s.manages(ctx, t, a, k.PlaceCode); err != nil {
			return err
		}
		if householdID <= 0 && category == "" {
			return safetynet.Invalid("household_id", "请选择家庭或对象类别", "a household or a category is required")
		}
		if err := s.addCoverage(ctx, t, a, contractID, k.PlaceCode, householdID, category); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "service.coverage.add", objType: "service_contract", objID: fmt.Sprint(contractID),
			place: k.PlaceCode, detail: coverageDetail(householdID, category)})
	})
}

// AddServiceWorker adds a worker to an organisation the actor manages.
func (s *Store) AddServiceWorker(ctx context.Context, a access.Actor, orgID int64, in NewServiceWorker) (int64, error) {
	in.Name = strings.TrimSpace(in.Name)
	if err := a.Require(access.ServiceManage); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, func(t *tx) error {
		o, err := s.serviceOrgRow(ctx, t, a, orgID)
		if err != nil {
			return err
		}
		if !in.Kind.Valid() {
			return safetynet.Invalid("kind", "人员类别无效", "unknown worker kind")
		}
		var userID, personID any
		if u := strings.TrimSpace(in.Username); u != "" {
			var uid int64
			var name string
			c, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "place_code")
			err := t.queryRow(ctx, `SELECT id, display_name FROM users WHERE username = ? AND disabled = 0 AND `+c,
				append([]any{u}, args...)...).Scan(&uid, &name)
			if errors.Is(err, sql.ErrNoRows) {
				return safetynet.Invalid("username", "没有这个账号", "no such login in your area")
			}
			if err != nil {
				return fmt.Errorf("sqlstore: worker login: %w", err)
			}
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM service_workers WHERE user_id = ?`, uid).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return safetynet.Conflict("username", "这个账号已是服务人员", "this login is already a worker")
			}
			userID = uid
			if in.Name == "" {
				in.Name = name
			}
		}
		if in.PersonID > 0 {
			var name string
			c, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, "place_code")
			err := t.queryRow(ctx, `SELECT name FROM persons WHERE id = ? AND `+c, append([]any{in.PersonID}, args...)...).Scan(&name)
			if errors.Is(err, sql.ErrNoRows) {
				return safetynet.Invalid("person_id", "人员不存在或不在您的管辖范围内", "no such person in your area")
			}
			if err != nil {
				return fmt.Errorf("sqlstore: worker person: %w", err)
			}
			personID = in.PersonID
			if in.Name == "" {
				in.Name = name
			}
		}
		if in.Name == "" || utf8.RuneCountInString(in.Name) > 50 {
			return safetynet.Invalid("name", "请填写姓名（最多50字）", "a name is required (at most 50 characters)")
		}
		if err := t.queryRow(ctx, `INSERT INTO service_workers (org_id, name, kind, certified, user_id, person_id, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, orgID, in.Name, string(in.Kind), boolInt(in.Certified), userID, personID,
			a.Username, ms(s.now())).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: add worker: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "service.worker.add", objType: "service_org", objID: fmt.Sprint(orgID), place: o.PlaceCode,
			detail: map[string]any{"worker_id": id, "worker_kind": in.Kind}})
	})
	return id, err
}

// serviceOrgRow finds an organisation the actor sees (404 otherwise).
func (s *Store) serviceOrgRow(ctx context.Context, t *tx, a access.Actor, id int64) (ServiceOrg, error) {
	v, err := s.serviceViewerOf(ctx, t, a, access.ServiceView)
	if err != nil {
		return ServiceOrg{}, err
	}
	c, args := v.orgClause("o")
	var o ServiceOrg
	err = t.queryRow(ctx, `SELECT o.id, o.name, o.place_code, p.name, o.contact, o.note, o.status, o.version
		FROM service_orgs o JOIN places p ON p.code = o.place_code WHERE o.id = ? AND `+c, append([]any{id}, args...)...).Scan(
		&o.ID, &o.Name, &o.PlaceCode, &o.PlaceName, &o.Contact, &o.Note, &o.Status, &o.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return o, safetynet.NotFound("服务机构", "service organisation")
	}
	if err != nil {
		return o, fmt.Errorf("sqlstore: service org %d: %w", id, err)
	}
	return o, nil
}

// serviceContractRow finds a contract the actor sees (404 otherwise).
func (s *Store) serviceContractRow(ctx context.Context, t *tx, a access.Actor, id int64) (ServiceContract, error) {
	v, err := s.serviceViewerOf(ctx, t, a, access.ServiceView)
	if err != nil {
		return ServiceContract{}, err
	}
	c, args := v.contractClause("k")
	ks, err := s.contractsWhere(ctx, t, "k.id = ? AND "+c, append([]any{id}, args...))
	if err != nil {
		return ServiceContract{}, err
	}
	if len(ks) == 0 {
		return ServiceContract{}, safetynet.NotFound("服务合同", "service contract")
	}
	return ks[0], nil
}

// ServiceOrgs lists the organisations the actor sees, with their
// contracts.
func (s *Store) ServiceOrgs(ctx context.Context, a access.Actor) ([]ServiceOrg, error) {
	out := []ServiceOrg{}
	err := s.read(ctx, func(t *tx) error {
		v, err := s.serviceViewerOf(ctx, t, a, access.ServiceView)
		if err != nil {
			return err
		}
		c, args := v.orgClause("o")
		rows, err := t.query(ctx, `SELECT o.id, o.name, o.place_code, p.name, o.contact, o.note, o.status, o.version
			FROM service_orgs o JOIN places p ON p.code = o.place_code WHERE `+c+` ORDER BY o.name, o.id LIMIT 500`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: service orgs: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var o ServiceOrg
			if err := rows.Scan(&o.ID, &o.Name, &o.PlaceCode, &o.PlaceName, &o.Contact, &o.Note, &o.Status, &o.Version); err != nil {
				return err
			}
			out = append(out, o)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		kc, kargs := v.contractClause("k")
		for i := range out {
			if out[i].Contracts, err = s.contractsWhere(ctx, t, "k.org_id = ? AND "+kc, append([]any{out[i].ID}, kargs...)); err != nil {
				return err
			}
			out[i].Workers = []ServiceWorker{}
		}
		return nil
	})
	return out, err
}

// ServiceOrg returns an organisation the actor sees with its contracts
// (prices, coverage) and workers.
func (s *Store) ServiceOrg(ctx context.Context, a access.Actor, id int64) (ServiceOrg, error) {
	var o ServiceOrg
	err := s.read(ctx, func(t *tx) error {
		var err error
		if o, err = s.serviceOrgRow(ctx, t, a, id); err != nil {
			return err
		}
		v, err := s.serviceViewerOf(ctx, t, a, access.ServiceView)
		if err != nil {
			return err
		}
		kc, kargs := v.contractClause("k")
		if o.Contracts, err = s.contractsWhere(ctx, t, "k.org_id = ? AND "+kc, append([]any{id}, kargs...)); err != nil {
			return err
		}
		o.Workers, err = s.serviceWorkers(ctx, t, id)
		return err
	})
	return o, err
}

func (s *Store) serviceWorkers(ctx context.Context, t *tx, orgID int64) ([]ServiceWorker, error) {
	rows, err := t.query(ctx, `SELECT w.id, w.org_id, w.name, w.kind, w.certified, w.user_id IS NOT NULL, COALESCE(u.display_name, ''),
		COALESCE(w.person_id, 0), w.status FROM service_workers w LEFT JOIN users u ON u.id = w.user_id WHERE w.org_id = ? ORDER BY w.status, w.kind, w.name, w.id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: service workers: %w", err)
	}
	defer rows.Close()
	out := []ServiceWorker{}
	for rows.Next() {
		var w ServiceWorker
		var cert int
		var login bool
		if err := rows.Scan(&w.ID, &w.OrgID, &w.Name, &w.Kind, &cert, &login, &w.LoginName, &w.PersonID, &w.Status); err != nil {
			return nil, err
		}
		w.Certified, w.HasLogin, w.Resident = cert == 1, login, w.PersonID != 0
		out = append(out, w)
	}
	return out, rows.Err()
}

// contractsWhere loads the contracts matching cond (on k) with their
// prices and coverage.
func (s *Store) contractsWhere(ctx context.Context, t *tx, cond string, args []any) ([]ServiceContract, error) {
	rows, err := t.query(ctx, `SELECT k.id, k.org_id, o.name, k.place_code, p.name, k.title, k.doc_no, k.starts_on, k.ends_on, k.budget_fen, k.status
		FROM service_contracts k JOIN service_orgs o ON o.id = k.org_id JOIN places p ON p.code = k.place_code WHERE `+cond+` ORDER BY k.starts_on DESC, k.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: service contracts: %w", err)
	}
	out := []ServiceContract{}
	for rows.Next() {
		var k ServiceContract
		if err := rows.Scan(&k.ID, &k.OrgID, &k.OrgName, &k.PlaceCode, &k.PlaceName, &k.Title, &k.DocNo, &k.StartsOn, &k.EndsOn, &k.BudgetFen, &k.Status); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		k := &out[i]
		k.Prices, k.Coverage = []services.Price{}, []ServiceCoverage{}
		prows, err := t.query(ctx, `SELECT service_type, price_fen FROM service_prices WHERE contract_id = ?`, k.ID)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: contract prices: %w", err)
		}
		for prows.Next() {
			var p services.Price
			if err := prows.Scan(&p.Type, &p.PriceFen); err != nil {
				prows.Close()
				return nil, err
			}
			k.Prices = append(k.Prices, p)
		}
		prows.Close()
		sortPrices(k.Prices)
		crows, err := t.query(ctx, `SELECT c.id, COALESCE(c.household_id, 0), COALESCE(hp.name, ''), c.category, c.place_code, p.name
			FROM service_coverage c JOIN places p ON p.code = c.place_code LEFT JOIN households h ON h.id = c.household_id
			LEFT JOIN persons hp ON hp.id = h.head_person_id WHERE c.contract_id = ? ORDER BY c.id LIMIT 1000`, k.ID)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: contract coverage: %w", err)
		}
		for crows.Next() {
			var c ServiceCoverage
			if err := crows.Scan(&c.ID, &c.HouseholdID, &c.HouseholdName, &c.Category, &c.PlaceCode, &c.PlaceName); err != nil {
				crows.Close()
				return nil, err
			}
			k.Coverage = append(k.Coverage, c)
		}
		crows.Close()
	}
	return out, nil
}

// sortPrices puts prices in the order forms show the types.
func sortPrices(ps []services.Price) {
	order := map[services.Type]int{}
	for i, t := range services.Types {
		order[t] = i
	}
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && order[ps[j].Type] < order[ps[j-1].Type]; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// coverageDetail is the audit detail of coverage added: the household or
// the target group.
func coverageDetail(householdID int64, category string) map[string]any {
	if householdID > 0 {
		return map[string]any{"household_id": householdID}
	}
	return map[string]any{"category": category}
}

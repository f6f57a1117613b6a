package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/settlement"
)

// orgWhere limits the alias's organisations to those the actor may see:
// registered within the actor's area, or, for an organisation's staff,
// their own.
func orgWhere(a access.Actor, alias string, one bool) (string, []any) {
	if !a.Can(access.ServiceView) || a.Place == "" {
		return "1 = 0", nil
	}
	sc := access.Scope{Kind: access.ScopeSubtree, Place: a.Place}
	where, args := scopeClause(sc, alias+".place_code")
	if one {
		where, args = scopeCheck(sc, alias+".place_code")
	}
	staff, sargs := staffClause(a, alias+".id")
	return where + staff, append(args, sargs...)
}

// SettlementLine is what one worker is paid for one service type at one
// price under one contract.
type SettlementLine struct {
	ContractID int64
	WorkerID   int64
	WorkerName string
	Type       string
	PriceFen   int64
	Services   int
	AmountFen  int64
}

// SettlementWorker is one worker's month.
type SettlementWorker struct {
	WorkerID  int64
	Name      string
	Accepted  int
	Rejected  int
	Pending   int
	Flagged   int
	AmountFen int64
}

// SettlementItem is a record listed on a settlement: rejected (with its
// reason) or blocking the approval (pending, or flagged).
type SettlementItem struct {
	RecordID   int64
	Started    time.Time
	WorkerName string
	HeadName   string
	PlaceName  string
	Type       string
	PriceFen   int64
	Status     string
	Reason     string
	ReviewedBy string
	Flags      int
	FlagZH     string // the first open flag's explanation
	FlagEN     string
}

// SettlementAdjustment is a correction of a closed month paid in a later one.
type SettlementAdjustment struct {
	ID            int64
	AboutMonth    string
	ContractID    int64
	ContractTitle string
	WorkerName    string
	RecordID      int64
	AmountFen     int64
	Reason        string
	CreatedBy     string
	CreatedAt     time.Time
}

// SettlementBudget is a contract's budget against what it has paid.
type SettlementBudget struct {
	ContractID     int64
	Title          string
	StartsOn       string
	EndsOn         string
	BudgetFen      int64
	SpentBeforeFen int64 // approved months before this one, with adjustments
	ThisMonthFen   int64
	RemainingFen   int64 // after this month
}

// Settlement is an organisation's month: a draft computed from the
// records while the month is open, the approved sheet once closed.
type Settlement struct {
	OrgID          int64
	OrgName        string
	PlaceCode      string
	PlaceName      string
	Month          string
	Approved       bool
	Accepted       int
	Rejected       int
	Pending        int
	Flagged        int // accepted or pending with open flags
	ServicesFen    int64
	AdjustmentsFen int64
	TotalFen       int64
	Lines          []SettlementLine
	Workers        []SettlementWorker
	RejectedList   []SettlementItem
	Blocking       []SettlementItem // the first of them
	Adjustments    []SettlementAdjustment
	Budgets        []SettlementBudget
	Approver       string
	ApprovedAt     time.Time
}

// Blocked is how many records stop the approval.
func (s Settlement) Blocked() int { return s.Pending + s.Flagged }

// SettlementSummary is an organisation's month in the list of settlements.
type SettlementSummary struct {
	OrgID     int64
	OrgName   string
	PlaceName string
	Month     string
	Approved  bool
	Records   int
	Accepted  int
	Rejected  int
	Pending   int
	Flagged   int
	AmountFen int64 // accepted services (approved: the settled total)
}

// orgInScope finds an organisation the actor may see.
func (s *Store) orgInScope(ctx context.Context, t *tx, a access.Actor, id int64) (name, place, placeName string, err error) {
	where, args := orgWhere(a, "o", true)
	err = t.queryRow(ctx, `SELECT o.name, o.place_code, pl.name FROM service_orgs o JOIN places pl ON pl.code = o.place_code
		WHERE o.id = ? AND `+where, append([]any{id}, args...)...).Scan(&name, &place, &placeName)
	if isNoRows(err) {
		return "", "", "", safetynet.NotFound("服务机构", "service organisation")
	}
	return name, place, placeName, err
}

// Settlement returns the settlement of an organisation's month: the
// approved sheet if the month is closed, otherwise the draft as the
// records stand. items bounds the rejected and blocking lists (0: all).
func (s *Store) Settlement(ctx context.Context, a access.Actor, orgID int64, month string, items int) (Settlement, error) {
	var out Settlement
	if err := a.Require(access.ServiceView); err != nil {
		return out, err
	}
	if !a.SeesSettlements() {
		return out, safetynet.Forbidden()
	}
	month, err := settlement.CheckMonth("month", month)
	if err != nil {
		return out, err
	}
	err = s.snapshot(ctx, func(t *tx) error {
		name, place, placeName, err := s.orgInScope(ctx, t, a, orgID)
		if err != nil {
			return err
		}
		out, err = s.computeSettlement(ctx, t, orgID, month, items)
		out.OrgName, out.PlaceCode, out.PlaceName = name, place, placeName
		return err
	})
	return out, err
}

// computeSettlement reads an organisation's month through t.
func (s *Store) computeSettlement(ctx context.Context, t *tx, org int64, month string, items int) (Settlement, error) {
	out := Settlement{OrgID: org, Month: month}
	var stID, approvedAt int64
	err := t.queryRow(ctx, `SELECT id, services_fen, adjustments_fen, total_fen, approver, approved_at FROM settlements WHERE org_id = ? AND month = ?`,
		org, month).Scan(&stID, &out.ServicesFen, &out.AdjustmentsFen, &out.TotalFen, &out.Approver, &approvedAt)
	if err != nil && !isNoRows(err) {
		return out, fmt.Errorf("sqlstore: settlement: %w", err)
	}
	out.Approved, out.ApprovedAt = stID != 0, fromMS(approvedAt)
	names := map[int64]string{}
	rows, err := t.query(ctx, `SELECT id, name FROM service_workers WHERE org_id = ?`, org)
	if err != nil {
		return out, fmt.Errorf("sqlstore: settlement: %w", err)
	}
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return out, err
		}
		names[id] = n
	}
	rows.Close()
	// The lines: kept as approved, or summed from the accepted records
	// without open flags.
	if out.Approved {
		rows, err = t.query(ctx, `SELECT contract_id, worker_id, service_type, price_fen, services, amount_fen FROM settlement_lines WHERE settlement_id = ?`, stID)
	} else {
		rows, err = t.query(ctx, `SELECT contract_id, worker_id, service_type, price_fen, COUNT(*), SUM(price_fen) FROM service_records
			WHERE org_id = ? AND month = ? AND review_status = 'accepted' AND flags = 0 GROUP BY contract_id, worker_id, service_type, price_fen`, org, month)
	}
	if err != nil {
		return out, fmt.Errorf("sqlstore: settlement lines: %w", err)
	}
	for rows.Next() {
		var l SettlementLine
		if err := rows.Scan(&l.ContractID, &l.WorkerID, &l.Type, &l.PriceFen, &l.Services, &l.AmountFen); err != nil {
			rows.Close()
			return out, err
		}
		l.WorkerName = names[l.WorkerID]
		out.Lines = append(out.Lines, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	sort.Slice(out.Lines, func(i, j int) bool {
		a, b := out.Lines[i], out.Lines[j]
		if a.WorkerName != b.WorkerName {
			return a.WorkerName < b.WorkerName
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.PriceFen < b.PriceFen
	})
	// Counts per worker and state.
	workers := map[int64]*SettlementWorker{}
	worker := func(id int64) *SettlementWorker {
		w := workers[id]
		if w == nil {
			w = &SettlementWorker{WorkerID: id, Name: names[id]}
			workers[id] = w
		}
		return w
	}
	rows, err = t.query(ctx, `SELECT worker_id, review_status, CASE WHEN flags > 0 THEN 1 ELSE 0 END, COUNT(*) FROM service_records
		WHERE org_id = ? AND month = ? GROUP BY worker_id, review_status, CASE WHEN flags > 0 THEN 1 ELSE 0 END`, org, month)
	if err != nil {
		return out, fmt.Errorf("sqlstore: settlement counts: %w", err)
	}
	for rows.Next() {
		var id int64
		var status string
		var flagged, n int
		if err := rows.Scan(&id, &status, &flagged, &n); err != nil {
			rows.Close()
			return out, err
		}
		w := worker(id)
		switch {
		case status == "rejected":
			w.Rejected += n
			out.Rejected += n
		case status == "pending":
			w.Pending += n
			out.Pending += n
		case flagged == 1:
			w.Flagged += n
			out.Flagged += n
		default:
			w.Accepted += n
			out.Accepted += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	var services int64
	for _, l := range out.Lines {
		worker(l.WorkerID).AmountFen += l.AmountFen
		services += l.AmountFen
	}
	for _, w := range workers {
		out.Workers = append(out.Workers, *w)
	}
	sort.Slice(out.Workers, func(i, j int) bool { return out.Workers[i].Name < out.Workers[j].Name })
	limit := ""
	if items > 0 {
		limit = fmt.Sprintf(" LIMIT %d", items)
	}
	list := func(cond string) ([]SettlementItem, error) {
		rows, err := t.query(ctx, `SELECT r.id, r.started_at, w.name, COALESCE(hp.name, ''), pl.name, r.service_type, r.price_fen, r.review_status,
			r.review_reason, r.reviewed_by, r.flags,
			COALESCE((SELECT f.explanation_zh FROM service_flags f WHERE f.record_id = r.id AND f.status = 'open' ORDER BY f.id LIMIT 1), ''),
			COALESCE((SELECT f.explanation_en FROM service_flags f WHERE f.record_id = r.id AND f.status = 'open' ORDER BY f.id LIMIT 1), '')
			FROM service_records r JOIN service_workers w ON w.id = r.worker_id JOIN households h ON h.id = r.household_id
			LEFT JOIN persons hp ON hp.id = h.head_person_id JOIN places pl ON pl.code = r.place_code
			WHERE r.org_id = ? AND r.month = ? AND `+cond+` ORDER BY r.started_at, r.id`+limit, org, month)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: settlement list: %w", err)
		}
		defer rows.Close()
		var l []SettlementItem
		for rows.Next() {
			var it SettlementItem
			var at int64
			if err := rows.Scan(&it.RecordID, &at, &it.WorkerName, &it.HeadName, &it.PlaceName, &it.Type, &it.PriceFen, &it.Status, &it.Reason,
				&it.ReviewedBy, &it.Flags, &it.FlagZH, &it.FlagEN); err != nil {
				return nil, err
			}
			it.Started = time.Unix(at, 0).UTC()
			l = append(l, it)
		}
		return l, rows.Err()
	}
	if out.RejectedList, err = list("r.review_status = 'rejected'"); err != nil {
		return out, err
	}
	if out.Blocking, err = list("(r.review_status = 'pending' OR (r.review_status = 'accepted' AND r.flags > 0))"); err != nil {
		return out, err
	}
	// Adjustments paid in this month.
	rows, err = t.query(ctx, `SELECT a.id, a.about_month, a.contract_id, c.title, COALESCE(w.name, ''), COALESCE(a.record_id, 0), a.amount_fen, a.reason,
		a.created_by, a.created_at FROM settlement_adjustments a JOIN service_contracts c ON c.id = a.contract_id
		LEFT JOIN service_workers w ON w.id = a.worker_id WHERE a.org_id = ? AND a.month = ? ORDER BY a.id`, org, month)
	if err != nil {
		return out, fmt.Errorf("sqlstore: settlement adjustments: %w", err)
	}
	var adjustments int64
	adjByContract := map[int64]int64{}
	for rows.Next() {
		var x SettlementAdjustment
		var at int64
		if err := rows.Scan(&x.ID, &x.AboutMonth, &x.ContractID, &x.ContractTitle, &x.WorkerName, &x.RecordID, &x.AmountFen, &x.Reason,
			&x.CreatedBy, &at); err != nil {
			rows.Close()
			return out, err
		}
		x.CreatedAt = fromMS(at)
		adjustments += x.AmountFen
		adjByContract[x.ContractID] += x.AmountFen
		out.Adjustments = append(out.Adjustments, x)
	}
	rows.Close()
	if !out.Approved {
		out.ServicesFen, out.AdjustmentsFen, out.TotalFen = services, adjustments, services+adjustments
	}
	// Budgets: what earlier approved months and their adjustments spent.
	spent := map[int64]int64{}
	for _, q := range []string{
		`SELECT l.contract_id, SUM(l.amount_fen) FROM settlement_lines l JOIN settlements st ON st.id = l.settlement_id
			WHERE st.org_id = ? AND st.month < ? GROUP BY l.contract_id`,
		`SELECT a.contract_id, SUM(a.amount_fen) FROM settlement_adjustments a JOIN settlements st ON st.org_id = a.org_id AND st.month = a.month
			WHERE a.org_id = ? AND a.month < ? GROUP BY a.contract_id`,
	} {
		rows, err := t.query(ctx, q, org, month)
		if err != nil {
			return out, fmt.Errorf("sqlstore: settlement budget: %w", err)
		}
		for rows.Next() {
			var c, fen int64
			if err := rows.Scan(&c, &fen); err != nil {
				rows.Close()
				return out, err
			}
			spent[c] += fen
		}
		rows.Close()
	}
	this := map[int64]int64{}
	for _, l := range out.Lines {
		this[l.ContractID] += l.AmountFen
	}
	for c, fen := range adjByContract {
		this[c] += fen
	}
	first, _ := settlement.ParseMonth(month)
	from, to := first.Format(dateLayout), first.AddDate(0, 1, -1).Format(dateLayout)
	rows, err = t.query(ctx, `SELECT id, title, starts_on, ends_on, budget_fen FROM service_contracts WHERE org_id = ? ORDER BY id`, org)
	if err != nil {
		return out, fmt.Errorf("sqlstore: settlement budget: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b SettlementBudget
		if err := rows.Scan(&b.ContractID, &b.Title, &b.StartsOn, &b.EndsOn, &b.BudgetFen); err != nil {
			return out, err
		}
		if this[b.ContractID] == 0 && (b.StartsOn > to || b.EndsOn < from) {
			continue // neither in force this month nor paid in it
		}
		b.SpentBeforeFen, b.ThisMonthFen = spent[b.ContractID], this[b.ContractID]
		b.RemainingFen = b.BudgetFen - b.SpentBeforeFen - b.ThisMonthFen
		out.Budgets = append(out.Budgets, b)
	}
	return out, rows.Err()
}

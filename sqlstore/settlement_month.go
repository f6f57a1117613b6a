package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"
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

// Settlements lists the organisations of the actor's area with their
// month: records by state, the amount so far, whether it is approved.
func (s *Store) Settlements(ctx context.Context, a access.Actor, month string) ([]SettlementSummary, error) {
	if err := a.Require(access.ServiceView); err != nil {
		return nil, err
	}
	month, err := settlement.CheckMonth("month", month)
	if err != nil {
		return nil, err
	}
	where, args := orgWhere(a, "o", false)
	var out []SettlementSummary
	err = s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT o.id, o.name, pl.name, COALESCE(st.id, 0), COALESCE(st.total_fen, 0),
			COALESCE(c.n, 0), COALESCE(c.accepted, 0), COALESCE(c.rejected, 0), COALESCE(c.pending, 0), COALESCE(c.flagged, 0), COALESCE(c.amount, 0)
			FROM service_orgs o JOIN places pl ON pl.code = o.place_code
			LEFT JOIN settlements st ON st.org_id = o.id AND st.month = ?
			LEFT JOIN (SELECT org_id, COUNT(*) AS n,
				SUM(CASE WHEN review_status = 'accepted' AND flags = 0 THEN 1 ELSE 0 END) AS accepted,
				SUM(CASE WHEN review_status = 'rejected' THEN 1 ELSE 0 END) AS rejected,
				SUM(CASE WHEN review_status = 'pending' THEN 1 ELSE 0 END) AS pending,
				SUM(CASE WHEN review_status = 'accepted' AND flags > 0 THEN 1 ELSE 0 END) AS flagged,
				SUM(CASE WHEN review_status = 'accepted' AND flags = 0 THEN price_fen ELSE 0 END) AS amount
				FROM service_records WHERE month = ? GROUP BY org_id) c ON c.org_id = o.id
			WHERE `+where+` ORDER BY o.name, o.id`, append([]any{month, month}, args...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: settlements: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			x := SettlementSummary{Month: month}
			var st, total int64
			if err := rows.Scan(&x.OrgID, &x.OrgName, &x.PlaceName, &st, &total, &x.Records, &x.Accepted, &x.Rejected, &x.Pending, &x.Flagged,
				&x.AmountFen); err != nil {
				return err
			}
			if st != 0 {
				x.Approved, x.AmountFen = true, total
			}
			out = append(out, x)
		}
		return rows.Err()
	})
	return out, err
}

// ApproveSettlement approves an organisation's month and closes it: the
// approver names the total they saw (expectTotal, fen), so that a sheet
// that changed meanwhile is not approved unseen. Records of the month the
// checks have not seen yet are checked first; pending or flagged records,
// a month not yet over or a budget overrun refuse the approval.
func (s *Store) ApproveSettlement(ctx context.Context, a access.Actor, orgID int64, month string, expectTotal int64) (Settlement, error) {
	var out Settlement
	if err := a.Require(access.SettlementApprove); err != nil {
		return out, err
	}
	month, err := settlement.CheckMonth("month", month)
	if err != nil {
		return out, err
	}
	err = s.write(ctx, func(t *tx) error {
		name, place, placeName, err := s.orgInScope(ctx, t, a, orgID)
		if err != nil {
			return err
		}
		closed, err := s.settlementMonthClosed(ctx, t, orgID, month)
		if err != nil {
			return err
		}
		if closed {
			var who string
			var at int64
			_ = t.queryRow(ctx, `SELECT approver, approved_at FROM settlements WHERE org_id = ? AND month = ?`, orgID, month).Scan(&who, &at)
			return safetynet.Conflict("month", "%s 的结算已由 %s 于 %s 批准", "the settlement of %s was approved by %s at %s",
				month, who, fromMS(at).In(settlement.Zone).Format("2006-01-02 15:04"))
		}
		rows, err := t.query(ctx, `SELECT id FROM service_records WHERE org_id = ? AND month = ? AND checked_at = 0`, orgID, month)
		if err != nil {
			return fmt.Errorf("sqlstore: approve settlement: %w", err)
		}
		var unchecked []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			unchecked = append(unchecked, id)
		}
		rows.Close()
		for _, id := range unchecked {
			if err := s.checkServiceRecord(ctx, t, id); err != nil {
				return err
			}
		}
		out, err = s.computeSettlement(ctx, t, orgID, month, 0)
		if err != nil {
			return err
		}
		out.OrgName, out.PlaceCode, out.PlaceName = name, place, placeName
		var over []string
		for _, b := range out.Budgets {
			if b.RemainingFen < 0 && b.ThisMonthFen > 0 {
				over = append(over, fmt.Sprintf("%s（超出 %s 元）", b.Title, settlement.Yuan(-b.RemainingFen)))
			}
		}
		now := s.now()
		if err := settlement.CheckApprove(month, now, out.Pending, out.Flagged, over); err != nil {
			return err
		}
		if out.TotalFen != expectTotal {
			return safetynet.Conflict("total", "结算金额已变为 %s 元（您看到的是 %s 元），请刷新后再批准",
				"the total is now %s yuan (you saw %s): reload and approve again", settlement.Yuan(out.TotalFen), settlement.Yuan(expectTotal))
		}
		var who string
		_ = t.queryRow(ctx, `SELECT COALESCE(NULLIF(display_name, ''), username) FROM users WHERE id = ?`, a.UserID).Scan(&who)
		if who == "" {
			who = a.Username
		}
		var stID int64
		if err := t.queryRow(ctx, `INSERT INTO settlements (org_id, month, accepted, rejected, services_fen, adjustments_fen, total_fen,
			approved_by, approver, approver_place, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			orgID, month, out.Accepted, out.Rejected, out.ServicesFen, out.AdjustmentsFen, out.TotalFen, a.UserID, who, a.Place, ms(now)).Scan(&stID); err != nil {
			if classify(err) == errUnique {
				return safetynet.Conflict("month", "该月结算已被他人批准", "someone else approved this month meanwhile")
			}
			return fmt.Errorf("sqlstore: approve settlement: %w", err)
		}
		lines := make([][]any, len(out.Lines))
		for i, l := range out.Lines {
			lines[i] = []any{stID, l.ContractID, l.WorkerID, l.Type, l.PriceFen, l.Services, l.AmountFen}
		}
		if err := t.insertRows(ctx, "settlement_lines", []string{"settlement_id", "contract_id", "worker_id", "service_type", "price_fen",
			"services", "amount_fen"}, lines); err != nil {
			return fmt.Errorf("sqlstore: approve settlement: %w", err)
		}
		if _, err := t.exec(ctx, `UPDATE settlement_months SET status = 'closed' WHERE org_id = ? AND month = ?`, orgID, month); err != nil {
			return fmt.Errorf("sqlstore: approve settlement: %w", err)
		}
		out.Approved, out.Approver, out.ApprovedAt = true, who, fromMS(ms(now))
		return s.audit(ctx, t, a, auditRec{action: "settlement.approve", objType: "settlement", objID: fmt.Sprintf("%d/%s", orgID, month), place: place,
			detail: map[string]any{"month": month, "accepted": out.Accepted, "rejected": out.Rejected, "total_fen": out.TotalFen}})
	})
	return out, err
}

// AdjustmentInput is a correction of a closed month, paid in an open one.
type AdjustmentInput struct {
	ClientID   string
	AboutMonth string
	ContractID int64
	WorkerID   int64 // 0 for the organisation
	RecordID   int64 // the record it corrects, if any
	AmountFen  int64 // negative to take back
	Reason     string
}

// AddSettlementAdjustment enters a correction of a closed month in the
// open month, with its reason; a resend with the same client id is the
// same adjustment (reported as a duplicate).
func (s *Store) AddSettlementAdjustment(ctx context.Context, a access.Actor, orgID int64, month string, in AdjustmentInput) (int64, bool, error) {
	if err := a.Require(access.SettlementApprove); err != nil {
		return 0, false, err
	}
	in.ClientID = strings.TrimSpace(in.ClientID)
	if len(in.ClientID) < 8 || len(in.ClientID) > 64 {
		return 0, false, safetynet.Invalid("client_id", "缺少提交编号，请刷新页面后重试", "client_id must have 8 to 64 characters")
	}
	month, err := settlement.CheckMonth("month", month)
	if err != nil {
		return 0, false, err
	}
	about, err := settlement.CheckMonth("about_month", in.AboutMonth)
	if err != nil {
		return 0, false, err
	}
	reason, err := settlement.CheckAdjustment(in.AmountFen, in.Reason, about, month)
	if err != nil {
		return 0, false, err
	}
	var id int64
	var dup bool
	err = s.write(ctx, func(t *tx) error {
		id, dup = 0, false
		_, place, _, err := s.orgInScope(ctx, t, a, orgID)
		if err != nil {
			return err
		}
		var prevOrg int64
		if err := t.queryRow(ctx, `SELECT id, org_id FROM settlement_adjustments WHERE client_id = ?`, in.ClientID).Scan(&id, &prevOrg); err == nil {
			if prevOrg != orgID {
				return safetynet.Conflict("client_id", "提交编号已用于另一条记录", "client_id was used for another record")
			}
			dup = true
			return nil
		} else if !isNoRows(err) {
			return err
		}
		closed, err := s.settlementMonthClosed(ctx, t, orgID, month)
		if err != nil {
			return err
		}
		if closed {
			return safetynet.Conflict("month", "%s 已关账，调整请记在之后未结算的月份", "%s is closed: enter the adjustment in a later open month", month)
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM settlements WHERE org_id = ? AND month = ?`, orgID, about).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return safetynet.Invalid("about_month", "%s 尚未批准结算：请直接核验更正，不必调整", "%s is not approved yet: correct it by reviewing", about)
		}
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM service_contracts WHERE id = ? AND org_id = ?`, in.ContractID, orgID).Scan(&n); err != nil || n == 0 {
			return safetynet.Invalid("contract_id", "请选择该机构的合同", "choose a contract of this organisation")
		}
		var worker, record any
		if in.WorkerID != 0 {
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM service_workers WHERE id = ? AND org_id = ?`, in.WorkerID, orgID).Scan(&n); err != nil || n == 0 {
				return safetynet.Invalid("worker_id", "该人员不属于该机构", "the worker is not of this organisation")
			}
			worker = in.WorkerID
		}
		if in.RecordID != 0 {
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM service_records WHERE id = ? AND org_id = ? AND month = ?`, in.RecordID, orgID, about).Scan(&n); err != nil || n == 0 {
				return safetynet.Invalid("record_id", "该服务记录不属于被更正的月份", "the record is not of the month corrected")
			}
			record = in.RecordID
		}
		var who string
		_ = t.queryRow(ctx, `SELECT COALESCE(NULLIF(display_name, ''), username) FROM users WHERE id = ?`, a.UserID).Scan(&who)
		if who == "" {
			who = a.Username
		}
		if err := t.queryRow(ctx, `INSERT INTO settlement_adjustments (client_id, org_id, month, about_month, contract_id, worker_id, record_id,
			amount_fen, reason, user_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.ClientID, orgID, month, about, in.ContractID, worker, record, in.AmountFen, reason, a.UserID, who, ms(s.now())).Scan(&id); err != nil {
			if classify(err) == errUnique {
				return safetynet.Conflict("client_id", "该调整已提交", "this adjustment was already entered")
			}
			return fmt.Errorf("sqlstore: adjustment: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "settlement.adjust", objType: "settlement", objID: fmt.Sprintf("%d/%s", orgID, month), place: place,
			detail: map[string]any{"month": month, "about_month": about, "amount_fen": in.AmountFen, "reason": reason}})
	})
	return id, dup, err
}

// OrgMonth is an organisation's month holding services.
type OrgMonth struct {
	OrgID    int64
	Month    string
	Services int
	Approved bool
}

// SettlementMonths lists the organisations' months of the actor's area
// that hold services, the earliest first.
func (s *Store) SettlementMonths(ctx context.Context, a access.Actor) ([]OrgMonth, error) {
	if err := a.Require(access.ServiceView); err != nil {
		return nil, err
	}
	where, args := orgWhere(a, "o", false)
	var out []OrgMonth
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT r.org_id, r.month, COUNT(*), MAX(CASE WHEN st.id IS NULL THEN 0 ELSE 1 END)
			FROM service_records r JOIN service_orgs o ON o.id = r.org_id LEFT JOIN settlements st ON st.org_id = r.org_id AND st.month = r.month
			WHERE `+where+` GROUP BY r.org_id, r.month ORDER BY r.month, r.org_id`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: settlement months: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var x OrgMonth
			var approved int
			if err := rows.Scan(&x.OrgID, &x.Month, &x.Services, &approved); err != nil {
				return err
			}
			x.Approved = approved == 1
			out = append(out, x)
		}
		return rows.Err()
	})
	return out, err
}

package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/settlement"
)

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

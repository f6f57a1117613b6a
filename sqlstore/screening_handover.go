package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/monitoring"
)

// HandOverScreening hands a household whose screening suggests monitoring
// to the inclusion flow: the village (MonitoringPropose) proposes it,
// with the monitored type and risk causes it chose (prefilled from the
// screening, campaigns.SuggestHandover), through the monitoring module's
// own ProposeMonitoring (origin 干部排查), and the record keeps the
// process. A household that already has an open monitoring process is
// never proposed twice: the record is linked to that process instead.
// Handing over a record already handed over returns its process, so a
// double tap does nothing more. It returns the process and whether a new
// one was started. An empty type or empty causes take the prefill.
//
// The proposal and the link are two transactions (a write cannot nest in
// another): if the link were lost between them, the next handover finds
// the open process and links it.
func (s *Store) HandOverScreening(ctx context.Context, a access.Actor, recordID int64, h campaigns.Handover) (int64, bool, error) {
	if err := a.Require(access.MonitoringPropose); err != nil {
		return 0, false, err
	}
	var rec ScreeningRecord
	var c ScreeningCampaign
	var open int64
	err := s.read(ctx, func(t *tx) error {
		var err error
		rec, err = scanScreeningRecord(t.queryRow(ctx, `SELECT `+screeningRecordCols+` FROM screening_records sr WHERE sr.id = ?`, recordID))
		if isNoRows(err) {
			return safetynet.NotFound("排查记录", "screening record")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: screening record %d: %w", recordID, err)
		}
		if c, err = s.screeningCampaign(ctx, t, a, rec.CampaignID); err != nil {
			if errors.Is(err, errScreeningNotFound) {
				return safetynet.NotFound("排查记录", "screening record")
			}
			return err
		}
		if _, _, err := s.screeningHousehold(ctx, t, a, rec.CampaignID, rec.HouseholdID); err != nil {
			if errors.Is(err, errHouseholdNotFound) {
				return safetynet.NotFound("排查记录", "screening record") // as if missing: outside the actor's area
			}
			return err
		}
		err = t.queryRow(ctx, `SELECT id FROM monitoring_processes WHERE household_id = ? AND status = 'open'`, rec.HouseholdID).Scan(&open)
		if isNoRows(err) {
			err = nil
		}
		if err != nil || (h.Category != "" && len(h.Causes) > 0) {
			return err
		}
		// Nothing chosen: the prefill (a formerly poor household is proposed as 脱贫不稳定户).
		var poor int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM assignments WHERE subject = 'household' AND subject_id = ? AND end_date = ''
			AND category = 'tuopin'`, rec.HouseholdID).Scan(&poor); err != nil {
			return err
		}
		pre := campaigns.SuggestHandover(rec.Suggestion(), poor > 0)
		if h.Category == "" {
			h.Category = pre.Category
		}
		if len(h.Causes) == 0 {
			h.Causes = pre.Causes
		}
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	if rec.ProcessID != 0 {
		return rec.ProcessID, false, nil
	}
	if !rec.Suggests {
		return 0, false, safetynet.Invalid("record", "该户排查结果未提示纳入监测", "the screening does not suggest monitoring for this household")
	}
	started := false
	if open == 0 {
		p := monitoring.Proposal{Kind: monitoring.Include, Category: h.Category, RiskCauses: h.Causes, Origin: "screening",
			IncomeFen: max(rec.IncomeFen-rec.ExpensesFen, 0), Members: rec.Members, Reason: handoverReason(c, rec)}
		id, err := s.ProposeMonitoring(ctx, a, rec.HouseholdID, p, 0)
		var se *safetynet.Error
		switch {
		case err == nil:
			open, started = id, true
		case errors.As(err, &se) && se.Code == safetynet.EConflict && se.Field == "household":
			// Opened meanwhile, or the household is monitored already:
			// link the open process if there is one, else say why.
			if perr := s.read(ctx, func(t *tx) error {
				return t.queryRow(ctx, `SELECT id FROM monitoring_processes WHERE household_id = ? AND status = 'open'`, rec.HouseholdID).Scan(&open)
			}); perr != nil {
				return 0, false, err
			}
		default:
			return 0, false, err
		}
	}
	err = s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE screening_records SET process_id = ? WHERE id = ? AND process_id = 0`, open, rec.ID)
		if err != nil {
			return fmt.Errorf("sqlstore: hand over screening: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // linked by a tap before this one
		}
		return s.audit(ctx, t, a, auditRec{action: "screening.handover", objType: "screening", objID: fmt.Sprint(rec.ID),
			detail: map[string]any{"campaign_id": rec.CampaignID, "household_id": rec.HouseholdID, "process": open, "started": started}})
	})
	if err != nil {
		return 0, false, err
	}
	var linked int64
	if err := s.read(ctx, func(t *tx) error {
		return t.queryRow(ctx, `SELECT process_id FROM screening_records WHERE id = ?`, rec.ID).Scan(&linked)
	}); err != nil {
		return 0, false, err
	}
	return linked, started, nil
}

// handoverReason is the proposal's text: where the suggestion came from.
func handoverReason(c ScreeningCampaign, r ScreeningRecord) string {
	parts := []string{fmt.Sprintf("%s（%s）排查：近12个月家庭收入 %s 元，刚性支出 %s 元，%d 人，人均纯收入 %s 元", c.Title, dateStr(r.ScreenedOn),
		safetynet.FormatYuan(r.IncomeFen), safetynet.FormatYuan(r.ExpensesFen), r.Members, safetynet.FormatYuan(r.PerCapitaFen))}
	if rs := r.Suggestion().Reasons(r.LineFen, "zh"); len(rs) > 0 {
		parts = append(parts, "提示："+strings.Join(rs, "；"))
	}
	return strings.Join(parts, "；") + "。"
}

package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
)

// ScreeningRecord is one household's screening.
type ScreeningRecord struct {
	ID            int64            `json:"id"`
	ClientID      string           `json:"client_id"`
	CampaignID    int64            `json:"campaign_id"`
	HouseholdID   int64            `json:"household_id"`
	VillageCode   string           `json:"village_code"`
	ScreenedOn    time.Time        `json:"-"`
	Screener1     int64            `json:"screener1_id"`
	Screener2     int64            `json:"screener2_id"`
	Screener1Name string           `json:"screener1"`
	Screener2Name string           `json:"screener2"`
	Members       int              `json:"members"`
	Income        map[string]int64 `json:"income_fen"`
	Expenses      map[string]int64 `json:"expenses_fen"`
	IncomeFen     int64            `json:"income_total_fen"`
	ExpensesFen   int64            `json:"expenses_total_fen"`
	PerCapitaFen  int64            `json:"per_capita_fen"`
	LineFen       int64            `json:"line_fen"`
	Findings      []string         `json:"findings"`
	Note          string           `json:"note"`
	Suggests      bool             `json:"suggests"`
	ProcessID     int64            `json:"process_id"`
	Version       int              `json:"version"`
}

// Suggestion is what the record suggests, as decided when recorded.
func (r ScreeningRecord) Suggestion() campaigns.Suggestion {
	return campaigns.Suggest(r.PerCapitaFen, r.LineFen, r.Findings)
}

const screeningRecordCols = `sr.id, sr.client_id, sr.campaign_id, sr.household_id, sr.village_code, sr.screened_on, sr.screener1, sr.screener2,
	COALESCE((SELECT u.display_name FROM users u WHERE u.id = sr.screener1), ''), COALESCE((SELECT u.display_name FROM users u WHERE u.id = sr.screener2), ''),
	sr.members, sr.income_fen, sr.income_detail, sr.expenses_fen, sr.expense_detail, sr.per_capita_fen, sr.line_fen, sr.findings, sr.note,
	sr.suggests, sr.process_id, sr.version`

func scanScreeningRecord(r scanner) (ScreeningRecord, error) {
	var x ScreeningRecord
	var on, income, expenses, findings string
	var suggests int
	err := r.Scan(&x.ID, &x.ClientID, &x.CampaignID, &x.HouseholdID, &x.VillageCode, &on, &x.Screener1, &x.Screener2, &x.Screener1Name,
		&x.Screener2Name, &x.Members, &x.IncomeFen, &income, &x.ExpensesFen, &expenses, &x.PerCapitaFen, &x.LineFen, &findings, &x.Note,
		&suggests, &x.ProcessID, &x.Version)
	x.ScreenedOn, x.Suggests, x.Findings = parseDate(on), suggests == 1, campaigns.SplitFindings(findings)
	x.Income, x.Expenses = campaigns.ParseAmounts(income), campaigns.ParseAmounts(expenses)
	return x, err
}

// ScreeningPartner is a user who may screen with the actor.
type ScreeningPartner struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ScreeningForm is what the form of one household shows.
type ScreeningForm struct {
	Campaign  ScreeningCampaign
	Household safetynet.Household
	Village   string // the household's implementing village
	Record    *ScreeningRecord
	Partners  []ScreeningPartner
	LineFen   int64
	Today     time.Time
}

// screeningHousehold finds a household of the campaign's area in the
// actor's register scope and returns it with its village.
func (s *Store) screeningHousehold(ctx context.Context, t *tx, a access.Actor, campaignID, householdID int64) (safetynet.Household, string, error) {
	h, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false)
	if err != nil {
		return h, "", err
	}
	var village string
	err = t.queryRow(ctx, `SELECT cv.village_code FROM campaign_villages cv JOIN place_tree pt ON pt.ancestor = cv.village_code
		WHERE cv.campaign_id = ? AND pt.descendant = ?`, campaignID, h.PlaceCode).Scan(&village)
	if isNoRows(err) || (err == nil && h.Status != safetynet.StatusActive) {
		return h, "", errHouseholdNotFound
	}
	return h, village, err
}

// screeningPartners lists who may screen a household of village with the
// actor: active users holding ScreeningDo whose place is the village or
// below it, or above it within the campaign's place (the town's cadres
// who screen with the village), by name.
func (s *Store) screeningPartners(ctx context.Context, t *tx, a access.Actor, c ScreeningCampaign, village string) ([]ScreeningPartner, error) {
	rows, err := t.query(ctx, `SELECT u.id, u.display_name, u.role FROM users u WHERE u.disabled = 0 AND u.id <> ? AND u.display_name <> '' AND (
			u.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)
			OR u.place_code IN (SELECT up.ancestor FROM place_tree up JOIN place_tree own ON own.descendant = up.ancestor AND own.ancestor = ?
				WHERE up.descendant = ?))
		ORDER BY u.display_name, u.id`, a.UserID, village, c.PlaceCode, village)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: screening partners: %w", err)
	}
	defer rows.Close()
	var out []ScreeningPartner
	for rows.Next() {
		var p ScreeningPartner
		var role string
		if err := rows.Scan(&p.ID, &p.Name, &role); err != nil {
			return nil, err
		}
		if (access.Actor{Role: safetynet.Role(role)}).Can(access.ScreeningDo) {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// ScreeningFormView returns what the screening form of a household shows.
func (s *Store) ScreeningFormView(ctx context.Context, a access.Actor, campaignID, householdID int64) (ScreeningForm, error) {
	var v ScreeningForm
	if err := a.Require(access.ScreeningDo); err != nil {
		return v, err
	}
	err := s.read(ctx, func(t *tx) error {
		var err error
		if v.Campaign, err = s.screeningCampaign(ctx, t, a, campaignID); err != nil {
			return err
		}
		if v.Household, v.Village, err = s.screeningHousehold(ctx, t, a, campaignID, householdID); err != nil {
			return err
		}
		if v.Partners, err = s.screeningPartners(ctx, t, a, v.Campaign, v.Village); err != nil {
			return err
		}
		v.Today = s.now().In(screeningZone)
		if v.LineFen, err = s.monitoringLine(ctx, t, v.Household.PlaceCode, v.Today.Year()); err != nil {
			return err
		}
		r, err := scanScreeningRecord(t.queryRow(ctx, `SELECT `+screeningRecordCols+` FROM screening_records sr
			WHERE sr.campaign_id = ? AND sr.household_id = ?`, campaignID, householdID))
		if err == nil {
			v.Record = &r
		} else if !isNoRows(err) {
			return fmt.Errorf("sqlstore: screening record: %w", err)
		}
		return nil
	})
	return v, err
}

// RecordScreening records (in.Version 0) or corrects (in.Version the
// version corrected) the screening of a household of the campaign's area
// in the actor's scope, screened by the actor and in.Partner. Sending the
// same client ID again returns the record as it is (created false), so a
// phone's resend never records twice; a second new record of a household
// already screened, or a correction of a version no longer current, is
// refused with the reason. The suggestion is decided here from the
// per-capita net income and the monitoring line of the household's
// county in the year screened.
func (s *Store) RecordScreening(ctx context.Context, a access.Actor, campaignID int64, in campaigns.Screening) (ScreeningRecord, bool, error) {
	var rec ScreeningRecord
	if err := a.Require(access.ScreeningDo); err != nil {
		return rec, false, err
	}
	created := false
	err := s.write(ctx, func(t *tx) error {
		created = false
		c, err := s.screeningCampaign(ctx, t, a, campaignID)
		if err != nil {
			return err
		}
		// A resend of a record or of a correction answers what is stored.
		prev, err := scanScreeningRecord(t.queryRow(ctx, `SELECT `+screeningRecordCols+` FROM screening_records sr
			WHERE sr.client_id = ? OR (sr.last_client_id = ? AND sr.last_client_id <> '')`, strings.TrimSpace(in.ClientID), strings.TrimSpace(in.ClientID)))
		if err == nil {
			if prev.CampaignID != campaignID || prev.HouseholdID != in.HouseholdID {
				return safetynet.Conflict("client_id", "记录编号已被另一条排查记录使用", "this client_id belongs to another screening record")
			}
			if _, _, err := s.screeningHousehold(ctx, t, a, campaignID, in.HouseholdID); err != nil {
				return err
			}
			rec = prev
			return nil
		}
		if !isNoRows(err) {
			return fmt.Errorf("sqlstore: screening by client id: %w", err)
		}
		if !c.Running() {
			return safetynet.Conflict("campaign", "该排查未在进行中，不能登记", "the screening is not running: nothing can be recorded")
		}
		today := s.now().In(screeningZone)
		if in, err = campaigns.CheckScreening(in, c.Window, today); err != nil {
			return err
		}
		h, village, err := s.screeningHousehold(ctx, t, a, campaignID, in.HouseholdID)
		if err != nil {
			return err
		}
		partners, err := s.screeningPartners(ctx, t, a, c, village)
		if err != nil {
			return err
		}
		ok := false
		for _, p := range partners {
			ok = ok || p.ID == in.Partner
		}
		if !ok || in.Partner == a.UserID {
			return safetynet.Invalid("partner_id", "另一名排查人员须是本地区的其他排查人员", "the second screener must be another screener of the area")
		}
		line, err := s.monitoringLine(ctx, t, h.PlaceCode, in.ScreenedOn.Year())
		if err != nil {
			return err
		}
		per := in.PerCapitaFen()
		sg := campaigns.Suggest(per, line, in.Findings)
		now := ms(s.now())
		income, expenses := campaigns.FormatAmounts(in.Income, campaigns.IncomeSources), campaigns.FormatAmounts(in.Expenses, campaigns.RigidExpenses)
		findings := strings.Join(in.Findings, ",")
		action := "screening.record"
		if in.Version == 0 {
			var id int64
			err = t.queryRow(ctx, `INSERT INTO screening_records (client_id, campaign_id, household_id, village_code, place_code, screened_on,
					screener1, screener2, members, income_fen, income_detail, expenses_fen, expense_detail, per_capita_fen, line_fen, findings, note,
					suggests, recorded_by, recorded_at, updated_by, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				in.ClientID, campaignID, h.ID, village, h.PlaceCode, dateStr(in.ScreenedOn), a.UserID, in.Partner, in.Members, in.IncomeFen(), income,
				in.ExpensesFen(), expenses, per, line, findings, in.Note, boolInt(sg.Suggests), a.Username, now, a.Username, now).Scan(&id)
			if classify(err) == errUnique {
				return safetynet.Conflict("household_id", "该户已有排查记录，请打开后修改", "the household has been screened already: open its record to correct it")
			}
			if err != nil {
				return fmt.Errorf("sqlstore: insert screening: %w", err)
			}
			created = true
		} else {
			res, err := t.exec(ctx, `UPDATE screening_records SET last_client_id = ?, screened_on = ?, screener1 = ?, screener2 = ?, members = ?,
					income_fen = ?, income_detail = ?, expenses_fen = ?, expense_detail = ?, per_capita_fen = ?, line_fen = ?, findings = ?, note = ?,
					suggests = ?, place_code = ?, updated_by = ?, updated_at = ?, version = version + 1
				WHERE campaign_id = ? AND household_id = ? AND version = ?`,
				in.ClientID, dateStr(in.ScreenedOn), a.UserID, in.Partner, in.Members, in.IncomeFen(), income, in.ExpensesFen(), expenses, per, line,
				findings, in.Note, boolInt(sg.Suggests), h.PlaceCode, a.Username, now, campaignID, h.ID, in.Version)
			if err != nil {
				return fmt.Errorf("sqlstore: correct screening: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return safetynet.Conflict("version", "该户的排查记录已被他人修改或不存在，请刷新后再改", "the record was changed by someone else or does not exist: reload it")
			}
			action = "screening.correct"
		}
		rec, err = scanScreeningRecord(t.queryRow(ctx, `SELECT `+screeningRecordCols+` FROM screening_records sr
			WHERE sr.campaign_id = ? AND sr.household_id = ?`, campaignID, h.ID))
		if err != nil {
			return fmt.Errorf("sqlstore: screening record: %w", err)
		}
		// The detail names no income, finding or person: only what the
		// audit log needs to find the record.
		return s.audit(ctx, t, a, auditRec{action: action, objType: "screening", objID: fmt.Sprint(rec.ID), place: h.PlaceCode,
			detail: map[string]any{"campaign_id": campaignID, "household_id": h.ID, "suggests": sg.Suggests, "version": rec.Version}})
	})
	if err != nil {
		return rec, false, err
	}
	return rec, created, nil
}

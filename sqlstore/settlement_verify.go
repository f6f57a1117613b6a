package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/settlement"
)

// serviceWhere limits the alias's service records (or anything with
// place_code and org_id columns) to what the actor may see: the subtree
// of the actor's place for those who may view services, narrowed for an
// organisation's staff to their own organisation's (their contracts cover
// the households they serve, so the place scope needs nothing more here:
// verification shows records, not the register).
func serviceWhere(a access.Actor, alias string) (string, []any) {
	if !a.Can(access.ServiceView) || a.Place == "" {
		return "1 = 0", nil
	}
	where, args := scopeClause(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, alias+".place_code")
	staff, sargs := staffClause(a, alias+".org_id")
	return where + staff, append(args, sargs...)
}

// staffClause narrows column (an organisation's ID) for an organisation's
// staff — a user with an active service_workers row, as the services
// capability decides — to their own organisation.
func staffClause(a access.Actor, column string) (string, []any) {
	if a.UserID == 0 {
		return "", nil
	}
	return ` AND (NOT EXISTS (SELECT 1 FROM service_workers sw WHERE sw.user_id = ? AND sw.status = 'active')
		OR ` + column + ` IN (SELECT sw.org_id FROM service_workers sw WHERE sw.user_id = ? AND sw.status = 'active'))`, []any{a.UserID, a.UserID}
}

// serviceCheck is serviceWhere for one row found by key.
func serviceCheck(a access.Actor, alias string) (string, []any) {
	if !a.Can(access.ServiceView) || a.Place == "" {
		return "1 = 0", nil
	}
	where, args := scopeCheck(access.Scope{Kind: access.ScopeSubtree, Place: a.Place}, alias+".place_code")
	staff, sargs := staffClause(a, alias+".org_id")
	return where + staff, append(args, sargs...)
}

// ServiceRecordView is a recorded service as the verifier sees it: who
// did what for whom, when and where, and where its review stands.
type ServiceRecordView struct {
	ID            int64
	OrgID         int64
	OrgName       string
	ContractID    int64
	ContractTitle string
	WorkerID      int64
	WorkerName    string
	HouseholdID   int64
	HeadName      string
	Address       string
	PersonID      int64
	PersonName    string
	PlaceCode     string
	PlaceName     string
	Type          string
	Started       time.Time
	Ended         time.Time
	Month         string
	HasLocation   bool
	LatE6, LonE6  int64
	ConfirmKind   string
	PriceFen      int64
	Note          string
	Status        string // pending, accepted, rejected
	Reason        string
	ReviewedBy    string
	ReviewedAt    time.Time
	Flags         int    // open automatic flags
	FlagZH        string // the first open flag's kind and explanation
	FlagEN        string
	Version       int
}

// Flag is the first open flag's kind and explanation in lang.
func (r ServiceRecordView) Flag(lang string) string {
	if lang == "en" {
		return r.FlagEN
	}
	return r.FlagZH
}

// Minutes is how long the service took.
func (r ServiceRecordView) Minutes() int { return int(r.Ended.Sub(r.Started) / time.Minute) }

// ServiceFlag is an automatic flag of a record.
type ServiceFlag struct {
	ID          int64
	Kind        string
	OtherRecord int64
	ZH, EN      string
	Open        bool
	ResolvedBy  string
	ResolvedAt  time.Time
	CreatedAt   time.Time
}

// Explanation is the flag's explanation in lang.
func (f ServiceFlag) Explanation(lang string) string {
	if lang == "en" {
		return f.EN
	}
	return f.ZH
}

// VerifyEvidence is a photo or signature of a record (served by the
// services capability at /services/evidence/{id}).
type VerifyEvidence struct {
	ID   int64
	Kind string // photo, signature
	Mime string
	Size int
}

// ServiceReviewEntry is one review of a record.
type ServiceReviewEntry struct {
	Decision string
	Reason   string
	Reviewer string
	SampleID int64
	At       time.Time
}

// ServiceRecordDetail is a record with its flags, evidence and reviews.
type ServiceRecordDetail struct {
	ServiceRecordView
	FlagList []ServiceFlag
	Evidence []VerifyEvidence
	Reviews  []ServiceReviewEntry
	Closed   bool // the month's settlement is approved
}

// VerifyFilter selects records to verify.
type VerifyFilter struct {
	Month  string // YYYY-MM; all months if empty
	Place  string // a place of the actor's scope
	Status string // pending, accepted, rejected, flagged, or "" for all
	Sample int64  // only the records of this sample
	Org    int64
	Limit  int
}

const svcRecordCols = `r.id, r.org_id, o.name, r.contract_id, c.title, r.worker_id, w.name, r.household_id, COALESCE(hp.name, ''), h.address,
	COALESCE(r.person_id, 0), COALESCE(pp.name, ''), r.place_code, pl.name, r.service_type, r.started_at, r.ended_at, r.month,
	r.lat_e6, r.lon_e6, r.confirm_kind, r.price_fen, r.note, r.review_status, r.review_reason, r.reviewed_by, r.reviewed_at, r.flags, r.version,
	COALESCE((SELECT f.kind || '|' || f.explanation_zh || '|' || f.explanation_en FROM service_flags f
		WHERE f.record_id = r.id AND f.status = 'open' ORDER BY f.id LIMIT 1), '')`

const svcRecordFrom = ` FROM service_records r JOIN service_orgs o ON o.id = r.org_id JOIN service_contracts c ON c.id = r.contract_id
	JOIN service_workers w ON w.id = r.worker_id JOIN households h ON h.id = r.household_id LEFT JOIN persons hp ON hp.id = h.head_person_id
	LEFT JOIN persons pp ON pp.id = r.person_id JOIN places pl ON pl.code = r.place_code`

func scanSvcRecord(row interface{ Scan(...any) error }) (ServiceRecordView, error) {
	var r ServiceRecordView
	var start, end, reviewed int64
	var lat, lon sql.NullInt64
	var flag string
	err := row.Scan(&r.ID, &r.OrgID, &r.OrgName, &r.ContractID, &r.ContractTitle, &r.WorkerID, &r.WorkerName, &r.HouseholdID, &r.HeadName,
		&r.Address, &r.PersonID, &r.PersonName, &r.PlaceCode, &r.PlaceName, &r.Type, &start, &end, &r.Month, &lat, &lon, &r.ConfirmKind,
		&r.PriceFen, &r.Note, &r.Status, &r.Reason, &r.ReviewedBy, &reviewed, &r.Flags, &r.Version, &flag)
	if parts := strings.SplitN(flag, "|", 3); len(parts) == 3 {
		r.FlagZH = settlement.FlagName(parts[0], "zh") + "：" + parts[1]
		r.FlagEN = settlement.FlagName(parts[0], "en") + ": " + parts[2]
	}
	r.Started, r.Ended = time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC()
	r.ReviewedAt = fromMS(reviewed)
	if lat.Valid && lon.Valid {
		r.HasLocation, r.LatE6, r.LonE6 = true, lat.Int64, lon.Int64
	}
	return r, err
}

// ServicesToVerify lists the recorded services of the actor's area that f
// selects, the earliest first.
func (s *Store) ServicesToVerify(ctx context.Context, a access.Actor, f VerifyFilter) ([]ServiceRecordView, error) {
	if err := a.Require(access.ServiceView); err != nil {
		return nil, err
	}
	where, args := serviceWhere(a, "r")
	conds := []string{where}
	if f.Month != "" {
		m, err := settlement.CheckMonth("month", f.Month)
		if err != nil {
			return nil, err
		}
		conds, args = append(conds, "r.month = ?"), append(args, m)
	}
	if f.Place != "" {
		conds, args = append(conds, "r.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"), append(args, f.Place)
	}
	switch f.Status {
	case "":
	case "pending", "accepted", "rejected":
		conds, args = append(conds, "r.review_status = ?"), append(args, f.Status)
	case "flagged":
		conds = append(conds, "r.flags > 0")
	default:
		return nil, safetynet.Invalid("status", "状态应为 pending、accepted、rejected 或 flagged", "status must be pending, accepted, rejected or flagged")
	}
	if f.Sample != 0 {
		conds, args = append(conds, "r.id IN (SELECT record_id FROM service_sample_items WHERE sample_id = ?)"), append(args, f.Sample)
	}
	if f.Org != 0 {
		conds, args = append(conds, "r.org_id = ?"), append(args, f.Org)
	}
	limit := f.Limit
	if limit <= 0 || limit > 2000 {
		limit = 500
	}
	var out []ServiceRecordView
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+svcRecordCols+svcRecordFrom+` WHERE `+strings.Join(conds, " AND ")+
			fmt.Sprintf(` ORDER BY r.started_at, r.id LIMIT %d`, limit), args...)
		if err != nil {
			return fmt.Errorf("sqlstore: services to verify: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanSvcRecord(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// ServiceRecord returns one record of the actor's area with its flags,
// evidence and reviews.
func (s *Store) ServiceRecord(ctx context.Context, a access.Actor, id int64) (ServiceRecordDetail, error) {
	var d ServiceRecordDetail
	if err := a.Require(access.ServiceView); err != nil {
		return d, err
	}
	where, args := serviceCheck(a, "r")
	err := s.read(ctx, func(t *tx) error {
		var err error
		d.ServiceRecordView, err = scanSvcRecord(t.queryRow(ctx, `SELECT `+svcRecordCols+svcRecordFrom+` WHERE r.id = ? AND `+where,
			append([]any{id}, args...)...))
		if isNoRows(err) {
			return safetynet.NotFound("服务记录", "service record")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: service record: %w", err)
		}
		rows, err := t.query(ctx, `SELECT id, kind, other_record_id, explanation_zh, explanation_en, status, resolved_by, resolved_at, created_at
			FROM service_flags WHERE record_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var f ServiceFlag
			var status string
			var resolved, created int64
			if err := rows.Scan(&f.ID, &f.Kind, &f.OtherRecord, &f.ZH, &f.EN, &status, &f.ResolvedBy, &resolved, &created); err != nil {
				rows.Close()
				return err
			}
			f.Open, f.ResolvedAt, f.CreatedAt = status == "open", fromMS(resolved), fromMS(created)
			d.FlagList = append(d.FlagList, f)
		}
		rows.Close()
		rows, err = t.query(ctx, `SELECT id, kind, mime, size FROM service_evidence WHERE record_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e VerifyEvidence
			if err := rows.Scan(&e.ID, &e.Kind, &e.Mime, &e.Size); err != nil {
				rows.Close()
				return err
			}
			d.Evidence = append(d.Evidence, e)
		}
		rows.Close()
		rows, err = t.query(ctx, `SELECT decision, reason, reviewer, COALESCE(sample_id, 0), at FROM service_reviews WHERE record_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e ServiceReviewEntry
			var at int64
			if err := rows.Scan(&e.Decision, &e.Reason, &e.Reviewer, &e.SampleID, &at); err != nil {
				rows.Close()
				return err
			}
			e.At = fromMS(at)
			d.Reviews = append(d.Reviews, e)
		}
		rows.Close()
		var status string
		if err := t.queryRow(ctx, `SELECT status FROM settlement_months WHERE org_id = ? AND month = ?`, d.OrgID, d.Month).Scan(&status); err != nil && !isNoRows(err) {
			return err
		}
		d.Closed = status == "closed"
		return nil
	})
	return d, err
}

// ServiceReview is a verifier's decision on a record, made on version.
type ServiceReview struct {
	Decision string // settlement.Accept or settlement.Reject
	Reason   string // required for a rejection
	Version  int
	Sample   int64 // the sample the record was drawn in, if any
}

// ReviewService accepts or rejects a recorded service of the actor's area.
// It resolves the record's open flags; a stale version (someone else
// reviewed it, or a check flagged it meanwhile) is a conflict naming who
// changed it, and a closed month refuses any review.
func (s *Store) ReviewService(ctx context.Context, a access.Actor, id int64, in ServiceReview) error {
	if err := a.Require(access.ServiceVerify); err != nil {
		return err
	}
	reason, err := settlement.CheckReview(in.Decision, in.Reason)
	if err != nil {
		return err
	}
	if err := requireVersionArg(in.Version); err != nil {
		return err
	}
	// A record the checks have not seen yet is checked first, in a write
	// of its own: a flag it raises changes the version, so a reviewer who
	// has not seen the flag gets a conflict instead of resolving it unseen.
	where, args := serviceCheck(a, "r")
	var checked int64
	if err := s.read(ctx, func(t *tx) error {
		return t.queryRow(ctx, `SELECT r.checked_at FROM service_records r WHERE r.id = ? AND `+where, append([]any{id}, args...)...).Scan(&checked)
	}); err == nil && checked == 0 {
		if err := s.write(ctx, func(t *tx) error { return s.checkServiceRecord(ctx, t, id) }); err != nil {
			return err
		}
	}
	return s.write(ctx, func(t *tx) error {
		var org int64
		var month, place string
		var version int
		err := t.queryRow(ctx, `SELECT r.org_id, r.month, r.place_code, r.version FROM service_records r WHERE r.id = ? AND `+where,
			append([]any{id}, args...)...).Scan(&org, &month, &place, &version)
		if isNoRows(err) {
			return safetynet.NotFound("服务记录", "service record")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: review service: %w", err)
		}
		closed, err := s.settlementMonthClosed(ctx, t, org, month)
		if err != nil {
			return err
		}
		if closed {
			return safetynet.Conflict("month", "%s 的结算已批准，该月已关账，不能再核验", "the settlement of %s is approved and the month closed: no more reviews", month)
		}
		if version != in.Version {
			return s.conflict(ctx, t, "service_record", fmt.Sprint(id))
		}
		now := ms(s.now())
		var name string
		_ = t.queryRow(ctx, `SELECT COALESCE(NULLIF(display_name, ''), username) FROM users WHERE id = ?`, a.UserID).Scan(&name)
		if name == "" {
			name = a.Username
		}
		res, err := t.exec(ctx, `UPDATE service_records SET review_status = ?, review_reason = ?, reviewed_by = ?, reviewed_at = ?, flags = 0,
			version = version + 1 WHERE id = ? AND version = ?`, in.Decision, reason, name, now, id, in.Version)
		if err != nil {
			return fmt.Errorf("sqlstore: review service: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return s.conflict(ctx, t, "service_record", fmt.Sprint(id))
		}
		if _, err := t.exec(ctx, `UPDATE service_flags SET status = 'resolved', resolved_by = ?, resolved_at = ? WHERE record_id = ? AND status = 'open'`,
			name, now, id); err != nil {
			return fmt.Errorf("sqlstore: review service: %w", err)
		}
		var sample any
		if in.Sample != 0 {
			sample = in.Sample
		}
		if _, err := t.exec(ctx, `INSERT INTO service_reviews (record_id, decision, reason, sample_id, user_id, reviewer, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, in.Decision, reason, sample, a.UserID, name, now); err != nil {
			return fmt.Errorf("sqlstore: review service: %w", err)
		}
		detail := map[string]any{"service_decision": in.Decision, "month": month}
		if reason != "" {
			detail["reason"] = reason
		}
		return s.audit(ctx, t, a, auditRec{action: "service.review", objType: "service_record", objID: fmt.Sprint(id), place: place, detail: detail})
	})
}

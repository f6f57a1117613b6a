package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/certification"
)

// CertificationInput is the assistance a worker records, with the client
// id the form or phone made for it: a resend is the same record.
type CertificationInput struct {
	ClientID string
	certification.Record
}

// certDueRow is what a change reads of a due.
type certDueRow struct {
	id, person, household int64
	place, measure        string
	basis, due, review    string
	active, months        int
	version               int
}

func (s *Store) certDueForChange(ctx context.Context, t *tx, a access.Actor, id int64) (certDueRow, error) {
	var r certDueRow
	where, args := scopeCheck(a.Scope(access.Register), "cd.place_code")
	err := t.queryRow(ctx, `SELECT cd.id, cd.person_id, cd.household_id, cd.place_code, cd.measure, cd.basis_date, cd.due_date, cd.review,
		cd.active, COALESCE(cs.months, 12), cd.version FROM certification_dues cd LEFT JOIN certification_settings cs ON cs.measure = cd.measure
		WHERE cd.id = ? AND `+where, append([]any{id}, args...)...).
		Scan(&r.id, &r.person, &r.household, &r.place, &r.measure, &r.basis, &r.due, &r.review, &r.active, &r.months, &r.version)
	if isNoRows(err) {
		return r, safetynet.NotFound("认证对象", "certification")
	}
	if err != nil {
		return r, fmt.Errorf("sqlstore: certification: %w", err)
	}
	return r, nil
}

// RecordCertification records how a certification was assisted and starts
// the next cycle from its day: a late one restores a suspension under
// review. It returns the record's id and whether it had already been
// recorded with the same client id (nothing is written twice).
func (s *Store) RecordCertification(ctx context.Context, a access.Actor, dueID int64, in CertificationInput) (int64, bool, error) {
	if err := a.Require(access.CertificationRecord); err != nil {
		return 0, false, err
	}
	in.ClientID = strings.TrimSpace(in.ClientID)
	if len(in.ClientID) < 8 || len(in.ClientID) > 64 {
		return 0, false, safetynet.Invalid("client_id", "缺少提交编号，请刷新页面后重试", "client_id must have 8 to 64 characters")
	}
	in.Evidence, in.Note = strings.TrimSpace(in.Evidence), strings.TrimSpace(in.Note)
	var id int64
	var dup bool
	err := s.write(ctx, func(t *tx) error {
		id, dup = 0, false
		// The scope first: a client id says nothing about records outside it.
		d, err := s.certDueForChange(ctx, t, a, dueID)
		if err != nil {
			return err
		}
		var prevDue int64
		err = t.queryRow(ctx, `SELECT id, due_id FROM certification_records WHERE client_id = ?`, in.ClientID).Scan(&id, &prevDue)
		if err == nil {
			if prevDue != dueID {
				return safetynet.Conflict("client_id", "提交编号已用于另一条记录", "client_id was used for another record")
			}
			dup = true
			return nil
		}
		if !isNoRows(err) {
			return err
		}
		if d.active == 0 {
			return safetynet.Conflict("certification", "该对象的救助措施已不在享受期内", "the measure is no longer in force for this person")
		}
		basis, _ := certification.ParseDay(d.basis)
		due, _ := certification.ParseDay(d.due)
		now := s.now()
		if err := certification.CheckRecord(in.Record, basis, now); err != nil {
			return err
		}
		o := certification.Certify(in.On, due, d.months, d.review)
		var name string
		_ = t.queryRow(ctx, `SELECT display_name FROM users WHERE id = ?`, a.UserID).Scan(&name)
		late := 0
		if o.Late {
			late = 1
		}
		var photo any
		if len(in.Photo) > 0 {
			photo = in.Photo
		}
		if err := t.queryRow(ctx, `INSERT INTO certification_records (client_id, due_id, person_id, household_id, place_code, measure, method,
			on_date, due_date, late, evidence, photo, note, user_id, username, display_name, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING RETURNING id`, in.ClientID, d.id, d.person, d.household, d.place, d.measure,
			in.Method, certification.Day(in.On).Format(dateLayout), d.due, late, in.Evidence, photo, in.Note, a.UserID, a.Username, name, ms(now)).
			Scan(&id); isNoRows(err) {
			// The same client id committed meanwhile (PostgreSQL): that record stands.
			if err := t.queryRow(ctx, `SELECT id FROM certification_records WHERE client_id = ?`, in.ClientID).Scan(&id); err != nil {
				return fmt.Errorf("sqlstore: record certification: %w", err)
			}
			dup = true
			return nil
		} else if err != nil {
			return fmt.Errorf("sqlstore: record certification: %w", err)
		}
		if _, err := t.exec(ctx, `UPDATE certification_dues SET basis_date = ?, due_date = ?, last_done = ?, review = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, o.Basis.Format(dateLayout), o.Due.Format(dateLayout),
			o.Basis.Format(dateLayout), o.Review, ms(now), d.id); err != nil {
			return fmt.Errorf("sqlstore: record certification: %w", err)
		}
		if o.Review != d.review && o.Review == certification.ReviewRestored {
			if _, err := t.exec(ctx, `INSERT INTO certification_reviews (due_id, decision, note, username, at) VALUES (?, ?, ?, ?, ?)`,
				d.id, certification.ReviewRestored, "逾期后补认证，自动恢复", a.Username, ms(now)); err != nil {
				return fmt.Errorf("sqlstore: record certification: %w", err)
			}
		}
		if err := s.closeDeadlines(ctx, t, certification.KindDue, "item_id", d.id, "done"); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "certification.record", objType: "certification", objID: fmt.Sprint(d.id), place: d.place,
			detail: map[string]any{"certification_method": in.Method, "on": certification.Day(in.On).Format(dateLayout), "late": o.Late,
				"certification_review": o.Review}})
	})
	return id, dup, err
}

// ReviewCertification records the county's decision on an overdue
// certification (继续发放, 暂停发放待核) or a restoration (已恢复). It
// stops no payment by itself: it is the review list's decision.
func (s *Store) ReviewCertification(ctx context.Context, a access.Actor, dueID int64, decision, note string, version int) error {
	if err := a.Require(access.CertificationReview); err != nil {
		return err
	}
	if err := requireVersionArg(version); err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 500 {
		return safetynet.Invalid("note", "说明过长", "the note is too long")
	}
	return s.write(ctx, func(t *tx) error {
		d, err := s.certDueForChange(ctx, t, a, dueID)
		if err != nil {
			return err
		}
		if d.version != version {
			return s.conflict(ctx, t, "certification", fmt.Sprint(dueID))
		}
		due, _ := certification.ParseDay(d.due)
		now := s.now()
		if err := certification.CheckReview(decision, certification.StatusOn(due, now), d.review); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE certification_dues SET review = ?, review_note = ?, reviewed_by = ?, reviewed_at = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, decision, note, a.Username, ms(now), ms(now), d.id, version); err != nil {
			return fmt.Errorf("sqlstore: review certification: %w", err)
		}
		if _, err := t.exec(ctx, `INSERT INTO certification_reviews (due_id, decision, note, username, at) VALUES (?, ?, ?, ?, ?)`,
			d.id, decision, note, a.Username, ms(now)); err != nil {
			return fmt.Errorf("sqlstore: review certification: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "certification.review", objType: "certification", objID: fmt.Sprint(d.id), place: d.place,
			detail: map[string]any{"certification_review": decision}})
	})
}

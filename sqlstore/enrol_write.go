package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
)

// EnrolAdd is a person added to a group's list.
type EnrolAdd struct {
	Group    string
	PersonID int64
	Note     string
}

// enrolObject is how the audit log names a village's list (its path below
// /campaigns/).
func enrolObject(campaignID int64, village string) string {
	return fmt.Sprintf("%d/villages/%s/register", campaignID, village)
}

// enrolLock opens a change of a village's list: it bumps the stage row's
// version first, which on PostgreSQL locks the row so that two staff
// changing the same village's list take turns (SQLite has one writer),
// then reads the sheet's head as it is now.
func (s *Store) enrolLock(ctx context.Context, t *tx, a access.Actor, campaignID int64, village string) (EnrolSheet, error) {
	e, err := s.enrolHead(ctx, t, a, campaignID, village)
	if err != nil {
		return e, err
	}
	if e.CampaignStatus != campaigns.StatusRunning {
		return e, safetynet.Conflict("campaign", "该行动已结束，名单不能再修改", "the campaign has ended: its lists can no longer change")
	}
	if _, err := t.exec(ctx, `UPDATE campaign_village_stages SET version = version + 1 WHERE id = ?`, e.RowID); err != nil {
		return e, fmt.Errorf("sqlstore: enrol lock: %w", err)
	}
	return s.enrolHead(ctx, t, a, campaignID, village)
}

// enrolStarted marks the stage in progress on the list's first change.
func (s *Store) enrolStarted(ctx context.Context, t *tx, e EnrolSheet) error {
	if e.Status != campaigns.VillageNotStarted {
		return nil
	}
	if _, err := t.exec(ctx, `UPDATE campaign_village_stages SET status = ?, started_at = ? WHERE id = ? AND status = ?`,
		campaigns.VillageInProgress, ms(s.now()), e.RowID, campaigns.VillageNotStarted); err != nil {
		return fmt.Errorf("sqlstore: enrol start: %w", err)
	}
	return nil
}

// AddEnrolMember puts a person of the village on a group's list. A person
// who lacks the group's category gets it in the register (through the
// register's own assignment, with its history and audit entry); the
// household holds a household category. Adding a person already listed
// changes nothing (added false): a resend is harmless.
func (s *Store) AddEnrolMember(ctx context.Context, a access.Actor, campaignID int64, village string, in EnrolAdd) (added bool, err error) {
	if err := a.Require(access.CampaignWork); err != nil {
		return false, err
	}
	note, err := checkNote(in.Note)
	if err != nil {
		return false, err
	}
	err = s.write(ctx, func(t *tx) error {
		added = false
		e, err := s.enrolLock(ctx, t, a, campaignID, village)
		if err != nil {
			return err
		}
		g, ok := e.group(in.Group)
		if !ok {
			return safetynet.Invalid("group", "该行动没有这个对象类别", "the campaign has no group %q", in.Group)
		}
		var household int64
		var place string
		err = t.queryRow(ctx, `SELECT p.household_id, p.place_code FROM persons p WHERE p.id = ? AND p.status = 'active'
			AND EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = p.place_code)`, in.PersonID, village).Scan(&household, &place)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.Invalid("person", "该人员不是本村在册人员", "the person is not an active resident of the village")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: enrol person: %w", err)
		}
		var listed int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM campaign_members WHERE campaign_id = ? AND group_code = ? AND person_id = ? AND removed_at = 0`,
			campaignID, in.Group, in.PersonID).Scan(&listed); err != nil {
			return fmt.Errorf("sqlstore: enrol member: %w", err)
		}
		if listed > 0 {
			return nil
		}
		if err := campaigns.CheckChange(e.Status); err != nil {
			return err
		}
		subject, subjectID := safetynet.SubjectPerson, in.PersonID
		if g.Household {
			subject, subjectID = safetynet.SubjectHousehold, household
		}
		var holds int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM assignments WHERE subject = ? AND subject_id = ? AND category = ? AND end_date = ''`,
			string(subject), subjectID, in.Group).Scan(&holds); err != nil {
			return fmt.Errorf("sqlstore: enrol category: %w", err)
		}
		created := false
		if holds == 0 {
			if _, err := s.assign(ctx, t, a, subject, subjectID, safetynet.NewAssignment{Category: in.Group, Start: s.now(),
				Reason: "登记造册：" + e.CampaignTitle, Source: "manual"}); err != nil {
				return err
			}
			created = true
		}
		if _, err := t.exec(ctx, `INSERT INTO campaign_members (campaign_id, village_code, group_code, person_id, household_id, note, added_by, added_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, campaignID, village, in.Group, in.PersonID, household, note, a.Username, ms(s.now())); err != nil {
			return fmt.Errorf("sqlstore: enrol add: %w", err)
		}
		if err := s.enrolStarted(ctx, t, e); err != nil {
			return err
		}
		added = true
		return s.audit(ctx, t, a, auditRec{action: "enrol.add", objType: "campaign_enrol", objID: enrolObject(campaignID, village), place: village,
			detail: map[string]any{"group": in.Group, "person": in.PersonID, "category_added": created}})
	})
	return added, err
}

// RemoveEnrolMember takes a member off the list with a reason; the row
// stays, ended. The register's category is left as it is (ending it is
// the register's own decision). Removing a member already removed
// changes nothing.
func (s *Store) RemoveEnrolMember(ctx context.Context, a access.Actor, campaignID int64, village string, memberID int64, reason string) error {
	if err := a.Require(access.CampaignWork); err != nil {
		return err
	}
	reason, err := campaigns.CheckReason(reason)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		e, err := s.enrolLock(ctx, t, a, campaignID, village)
		if err != nil {
			return err
		}
		var group string
		var person, removed int64
		err = t.queryRow(ctx, `SELECT group_code, person_id, removed_at FROM campaign_members WHERE id = ? AND campaign_id = ? AND village_code = ?`,
			memberID, campaignID, village).Scan(&group, &person, &removed)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("名单成员", "list member")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: enrol member: %w", err)
		}
		if removed > 0 {
			return nil
		}
		if err := campaigns.CheckChange(e.Status); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE campaign_members SET removed_at = ?, removed_by = ?, removed_reason = ? WHERE id = ?`,
			ms(s.now()), a.Username, reason, memberID); err != nil {
			return fmt.Errorf("sqlstore: enrol remove: %w", err)
		}
		if err := s.enrolStarted(ctx, t, e); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "enrol.remove", objType: "campaign_enrol", objID: enrolObject(campaignID, village), place: village,
			detail: map[string]any{"group": group, "person": person, "reason": reason}})
	})
}

// SubmitEnrolment submits a village's list with the counts the village
// confirmed, which must be the list's counts now; version is the stage
// row's version the village saw (someone changing the list meanwhile
// makes it stale). Submitting again what is already submitted with the
// same counts changes nothing. The stage's open deadline is closed.
func (s *Store) SubmitEnrolment(ctx context.Context, a access.Actor, campaignID int64, village string, version int, confirmed campaigns.Counts) error {
	if err := a.Require(access.CampaignWork); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		e, err := s.enrolHead(ctx, t, a, campaignID, village)
		if err != nil {
			return err
		}
		if e.CampaignStatus != campaigns.StatusRunning {
			return safetynet.Conflict("campaign", "该行动已结束，名单不能再修改", "the campaign has ended: its lists can no longer change")
		}
		if err := s.enrolFill(ctx, t, &e); err != nil {
			return err
		}
		if e.Status == campaigns.VillageSubmitted && e.Confirmed.Equal(confirmed, e.GroupCodes()) {
			return nil // a resend of the same submission
		}
		if version != e.Version {
			return s.conflict(ctx, t, "campaign_enrol", enrolObject(campaignID, village))
		}
		if err := campaigns.CheckSubmit(e.Status, confirmed, e.Counts(), e.GroupCodes()); err != nil {
			return err
		}
		r, err := t.exec(ctx, `UPDATE campaign_village_stages SET status = ?, submitted_at = ?, submitted_by = ?, confirmed = ?,
			started_at = CASE WHEN started_at = 0 THEN ? ELSE started_at END, version = version + 1 WHERE id = ? AND version = ?`,
			campaigns.VillageSubmitted, ms(s.now()), a.Username, e.Counts().String(), ms(s.now()), e.RowID, version)
		if err != nil {
			return fmt.Errorf("sqlstore: enrol submit: %w", err)
		}
		if n, _ := r.RowsAffected(); n != 1 {
			return s.conflict(ctx, t, "campaign_enrol", enrolObject(campaignID, village))
		}
		if err := s.closeDeadlines(ctx, t, campaigns.DeadlineStage, "item_id", e.RowID, "done"); err != nil {
			return err
		}
		shown, late := campaigns.ShownStatus(campaigns.VillageSubmitted, e.EndsOn, s.now(), s.now())
		return s.audit(ctx, t, a, auditRec{action: "enrol.submit", objType: "campaign_enrol", objID: enrolObject(campaignID, village), place: village,
			detail: map[string]any{"counts": e.Counts().String(), "status": shown, "late": late}})
	})
}

// ReopenEnrolment lets a village change its submitted list again: the
// town (or county) that manages the campaign reopens it with a reason.
// A stage past its end is late again until resubmitted.
func (s *Store) ReopenEnrolment(ctx context.Context, a access.Actor, campaignID int64, village, reason string) error {
	if err := a.Require(access.CampaignManage); err != nil {
		return err
	}
	reason, err := campaigns.CheckReason(reason)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		e, err := s.enrolHead(ctx, t, a, campaignID, village)
		if err != nil {
			return err
		}
		if a.Place == village {
			return safetynet.Forbidden() // the village does not reopen its own list
		}
		if e.Status != campaigns.VillageSubmitted {
			return nil // already open
		}
		if _, err := t.exec(ctx, `UPDATE campaign_village_stages SET status = ?, submitted_at = 0, submitted_by = '', late_at = 0,
			reopened_at = ?, reopened_by = ?, version = version + 1 WHERE id = ?`, campaigns.VillageInProgress, ms(s.now()), a.Username, e.RowID); err != nil {
			return fmt.Errorf("sqlstore: enrol reopen: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "enrol.reopen", objType: "campaign_enrol", objID: enrolObject(campaignID, village), place: village,
			detail: map[string]any{"reason": reason}})
	})
}

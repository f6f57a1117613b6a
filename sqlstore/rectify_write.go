package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/inspections"
	"safetynet/services"
)

// RectifyRaise is a rectification item an inspector raises: from a
// household check's problem answer (CheckID and Item) or as a village
// finding (Village, Item inspections.VillageFinding). An empty DueOn takes
// the item's period.
type RectifyRaise struct {
	CheckID int64
	Village string
	Item    string
	Finding string
	DueOn   string
}

// rectInsp is what a rectification reads of its inspection.
type rectInsp struct {
	id, campaign int64
	title, place string
	status       string
	started      int64
	isInspector  bool
}

// rectInspection reads an inspection for the rectifications and scores of
// actor a: only a started (or closed) inspection has any, so one not yet
// started is not found, whoever asks — its sample stays secret. The
// inspection's area or one of its sampled villages must be in a's scope.
func (s *Store) rectInspection(ctx context.Context, t *tx, a access.Actor, id int64, lock bool) (rectInsp, error) {
	var r rectInsp
	if err := a.Require(access.InspectionView); err != nil {
		return r, err
	}
	notFound := safetynet.NotFound("督查", "inspection")
	if a.Place == "" {
		return r, notFound
	}
	q := `SELECT i.id, i.campaign_id, i.title, i.place_code, i.status, i.started_at,
		EXISTS (SELECT 1 FROM inspection_inspectors x WHERE x.inspection_id = i.id AND x.user_id = ?)
		FROM inspections i WHERE i.id = ?`
	if lock && s.d.name == "postgres" {
		q += ` FOR UPDATE` // two raises of the same item wait for each other
	}
	err := t.queryRow(ctx, q, a.UserID, id).Scan(&r.id, &r.campaign, &r.title, &r.place, &r.status, &r.started, &r.isInspector)
	if isNoRows(err) {
		return r, notFound
	}
	if err != nil {
		return r, fmt.Errorf("sqlstore: inspection %d: %w", id, err)
	}
	if r.status != "started" && r.status != "closed" {
		return r, notFound
	}
	// In scope: the area is within a's, or a's place is within a sampled village.
	var in bool
	if err := t.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = ?)
		OR EXISTS (SELECT 1 FROM inspection_villages v JOIN place_tree pt ON pt.ancestor = v.village_code
			WHERE v.inspection_id = ? AND pt.descendant = ?)`, a.Place, r.place, id, a.Place).Scan(&in); err != nil {
		return r, fmt.Errorf("sqlstore: inspection %d: %w", id, err)
	}
	if !in {
		return r, notFound
	}
	return r, nil
}

// rectRequireInspector refuses anyone but the inspection's inspectors (and an
// administrator) the inspector's acts: raising, accepting, reopening.
func rectRequireInspector(a access.Actor, r rectInsp) error {
	if err := a.Require(access.InspectionManage); err != nil {
		return err
	}
	if !r.isInspector && a.Role != safetynet.RoleAdmin {
		return safetynet.Errorf(safetynet.EForbidden, "", "只有本次督查的督查人员可以提出或验收整改事项",
			"only the inspection's inspectors raise and accept rectifications")
	}
	return nil
}

// RaiseRectification raises an item and opens its deadline for the
// village, which is told. It returns the item and whether it is new: the
// same item of the same check (or the same village finding) raised again
// is the one already raised.
func (s *Store) RaiseRectification(ctx context.Context, a access.Actor, inspectionID int64, in RectifyRaise) (int64, bool, error) {
	var id int64
	var created bool
	err := s.write(ctx, func(t *tx) error {
		id, created = 0, false
		insp, err := s.rectInspection(ctx, t, a, inspectionID, true)
		if err != nil {
			return err
		}
		if err := rectRequireInspector(a, insp); err != nil {
			return err
		}
		now := s.now()
		var household int64
		village := strings.TrimSpace(in.Village)
		if in.CheckID > 0 {
			var answers string
			err := t.queryRow(ctx, `SELECT household_id, village_code, answers FROM inspection_checks WHERE id = ? AND inspection_id = ?`,
				in.CheckID, inspectionID).Scan(&household, &village, &answers)
			if isNoRows(err) {
				return safetynet.NotFound("入户检查记录", "check")
			}
			if err != nil {
				return fmt.Errorf("sqlstore: raise rectification: %w", err)
			}
			found := false
			for _, p := range inspections.ProblemItems(answers) {
				found = found || p == in.Item
			}
			if !found {
				return safetynet.Invalid("item", "该检查项没有发现问题，不能提出整改", "the check found no problem with item %q", in.Item)
			}
		} else {
			in.Item = inspections.VillageFinding
			var n int
			if err := t.queryRow(ctx, `SELECT COUNT(*) FROM inspection_villages WHERE inspection_id = ? AND village_code = ?`,
				inspectionID, village).Scan(&n); err != nil {
				return fmt.Errorf("sqlstore: raise rectification: %w", err)
			}
			if n == 0 {
				return safetynet.Invalid("village", "请选择本次督查抽到的村", "village %q is not in the inspection's sample", village)
			}
		}
		finding, err := inspections.CheckText("finding", "发现的问题", in.Finding, 500)
		if err != nil {
			return err
		}
		// A resend (one tap twice, a phone's retry) is the item already raised.
		q, args := `SELECT id FROM rectifications WHERE inspection_id = ? AND check_id = ? AND item = ?`, []any{inspectionID, in.CheckID, in.Item}
		if in.CheckID == 0 {
			q, args = q+` AND village_code = ? AND finding = ?`, append(args, village, finding)
		}
		if err := t.queryRow(ctx, q+` ORDER BY id LIMIT 1`, args...).Scan(&id); err == nil {
			return nil
		} else if !isNoRows(err) {
			return fmt.Errorf("sqlstore: raise rectification: %w", err)
		}
		due := inspections.DefaultDue(in.Item, now)
		if strings.TrimSpace(in.DueOn) != "" {
			if due, err = inspections.CheckDue(in.DueOn, now); err != nil {
				return err
			}
		}
		if err := t.queryRow(ctx, `INSERT INTO rectifications (inspection_id, check_id, household_id, village_code, item, finding, due_on,
			status, raised_by, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id`, inspectionID, in.CheckID, household,
			village, in.Item, finding, due, a.Username, ms(now)).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: raise rectification: %w", err)
		}
		created = true
		if err := s.openRectifyDeadline(ctx, t, id, village, due); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "rectify.raise", objType: "rectification", objID: fmt.Sprint(id), place: village,
			detail: map[string]any{"inspection": inspectionID, "rectify_item": in.Item, "finding": finding, "due_on": due}})
	})
	return id, created, err
}

// openRectifyDeadline opens the item's deadline for the village and tells
// the village.
func (s *Store) openRectifyDeadline(ctx context.Context, t *tx, id int64, village, due string) error {
	level, owner, err := s.openDeadline(ctx, t, deadline{Opening: inspections.RectifyOpening(due), itemID: id, place: village})
	if err != nil {
		return err
	}
	var name string
	_ = t.queryRow(ctx, `SELECT name FROM places WHERE code = ?`, village).Scan(&name)
	return s.notifyLevel(ctx, t, level, owner, inspections.RectifyNotice(inspections.NoticeRectifyRaised, id, name, due))
}

// rectRow is what a change reads of a rectification.
type rectRow struct {
	id, inspection  int64
	village, status string
	item, raisedBy  string
	dueOn           string
	version         int
	insp            rectInsp
}

// rectForChange reads a rectification of a's scope for a change.
func (s *Store) rectForChange(ctx context.Context, t *tx, a access.Actor, id int64) (rectRow, error) {
	var r rectRow
	if err := a.Require(access.InspectionView); err != nil {
		return r, err
	}
	err := t.queryRow(ctx, `SELECT id, inspection_id, village_code, status, item, raised_by, due_on, version FROM rectifications WHERE id = ?`, id).
		Scan(&r.id, &r.inspection, &r.village, &r.status, &r.item, &r.raisedBy, &r.dueOn, &r.version)
	if isNoRows(err) {
		return r, safetynet.NotFound("整改事项", "rectification")
	}
	if err != nil {
		return r, fmt.Errorf("sqlstore: rectification %d: %w", id, err)
	}
	if r.insp, err = s.rectInspection(ctx, t, a, r.inspection, false); err != nil {
		return r, safetynet.NotFound("整改事项", "rectification")
	}
	var in bool
	if err := t.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM place_tree WHERE ancestor = ? AND descendant = ?)`, a.Place, r.village).Scan(&in); err != nil {
		return r, fmt.Errorf("sqlstore: rectification %d: %w", id, err)
	}
	if !in && !r.insp.isInspector {
		return r, safetynet.NotFound("整改事项", "rectification")
	}
	return r, nil
}

// ReportRectification records what the village did: the deadline closes
// and the inspector who raised the item is told.
func (s *Store) ReportRectification(ctx context.Context, a access.Actor, id int64, report string, photo []byte, version int) error {
	if err := requireVersionArg(version); err != nil {
		return err
	}
	if err := a.Require(access.InspectionRectify); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		r, err := s.rectForChange(ctx, t, a, id)
		if err != nil {
			return err
		}
		if version != r.version {
			return s.conflict(ctx, t, "rectification", fmt.Sprint(id))
		}
		next, err := inspections.RectifyNext(r.status, inspections.ActReport)
		if err != nil {
			return err
		}
		text, err := inspections.CheckText("report", "整改情况", report, 1000)
		if err != nil {
			return err
		}
		var stored any // NULL without a photo: a report sent again after a reopening replaces the last one's
		if len(photo) > 0 {
			if err := services.CheckImage(photo, safetynet.MaxPhoto, "photo"); err != nil {
				return err
			}
			stored = photo
		}
		now := s.now()
		res, err := t.exec(ctx, `UPDATE rectifications SET status = ?, report = ?, report_photo = ?, reported_by = ?, reported_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, next, text, stored, a.Username, ms(now), id, version)
		if err != nil {
			return fmt.Errorf("sqlstore: report rectification: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 { // another report committed meanwhile (PostgreSQL)
			return s.conflict(ctx, t, "rectification", fmt.Sprint(id))
		}
		if err := s.closeDeadlines(ctx, t, inspections.KindRectify, "item_id", id, "done"); err != nil {
			return err
		}
		var uid int64
		var name, village string
		_ = t.queryRow(ctx, `SELECT name FROM places WHERE code = ?`, r.village).Scan(&village)
		if err := t.queryRow(ctx, `SELECT id, username FROM users WHERE username = ? AND disabled = 0`, r.raisedBy).Scan(&uid, &name); err == nil {
			if err := s.notifyUser(ctx, t, uid, name, inspections.RectifyNotice(inspections.NoticeRectifyReported, id, village, r.dueOn)); err != nil {
				return err
			}
		}
		return s.audit(ctx, t, a, auditRec{action: "rectify.report", objType: "rectification", objID: fmt.Sprint(id), place: r.village,
			detail: map[string]any{"report": text, "photo": len(photo) > 0}})
	})
}

// AcceptRectification closes a reported item.
func (s *Store) AcceptRectification(ctx context.Context, a access.Actor, id int64, version int) error {
	return s.reviewRectification(ctx, a, id, inspections.ActAccept, "", "", version)
}

// ReopenRectification sends a reported (or accepted) item back with a
// reason and a new due date: a new deadline opens for the village.
func (s *Store) ReopenRectification(ctx context.Context, a access.Actor, id int64, reason, dueOn string, version int) error {
	return s.reviewRectification(ctx, a, id, inspections.ActReopen, reason, dueOn, version)
}

func (s *Store) reviewRectification(ctx context.Context, a access.Actor, id int64, action, reason, dueOn string, version int) error {
	if err := requireVersionArg(version); err != nil {
		return err
	}
	if err := a.Require(access.InspectionManage); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		r, err := s.rectForChange(ctx, t, a, id)
		if err != nil {
			return err
		}
		if err := rectRequireInspector(a, r.insp); err != nil {
			return err
		}
		if version != r.version {
			return s.conflict(ctx, t, "rectification", fmt.Sprint(id))
		}
		next, err := inspections.RectifyNext(r.status, action)
		if err != nil {
			return err
		}
		now := s.now()
		if action == inspections.ActAccept {
			res, err := t.exec(ctx, `UPDATE rectifications SET status = ?, accepted_by = ?, accepted_at = ?, version = version + 1
				WHERE id = ? AND version = ?`, next, a.Username, ms(now), id, version)
			if err != nil {
				return fmt.Errorf("sqlstore: accept rectification: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return s.conflict(ctx, t, "rectification", fmt.Sprint(id))
			}
			return s.audit(ctx, t, a, auditRec{action: "rectify.accept", objType: "rectification", objID: fmt.Sprint(id), place: r.village})
		}
		reason, err := inspections.CheckText("reason", "退回理由", reason, 500)
		if err != nil {
			return err
		}
		due := inspections.DefaultDue(r.item, now)
		if strings.TrimSpace(dueOn) != "" {
			if due, err = inspections.CheckDue(dueOn, now); err != nil {
				return err
			}
		}
		res, err := t.exec(ctx, `UPDATE rectifications SET status = ?, due_on = ?, accepted_by = '', accepted_at = 0, version = version + 1
			WHERE id = ? AND version = ?`, next, due, id, version)
		if err != nil {
			return fmt.Errorf("sqlstore: reopen rectification: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return s.conflict(ctx, t, "rectification", fmt.Sprint(id))
		}
		level, owner, err := s.openDeadline(ctx, t, deadline{Opening: inspections.RectifyOpening(due), itemID: id, place: r.village})
		if err != nil {
			return err
		}
		var village string
		_ = t.queryRow(ctx, `SELECT name FROM places WHERE code = ?`, r.village).Scan(&village)
		if err := s.notifyLevel(ctx, t, level, owner, inspections.RectifyNotice(inspections.NoticeRectifyReopened, id, village, due)); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "rectify.reopen", objType: "rectification", objID: fmt.Sprint(id), place: r.village,
			detail: map[string]any{"reason": reason, "due_on": due}})
	})
}

// RectificationPhoto returns the photo the village sent with its report,
// to those who see the rectification.
func (s *Store) RectificationPhoto(ctx context.Context, a access.Actor, id int64) ([]byte, error) {
	var b []byte
	err := s.read(ctx, func(t *tx) error {
		if _, err := s.rectForChange(ctx, t, a, id); err != nil {
			return err
		}
		if err := t.queryRow(ctx, `SELECT report_photo FROM rectifications WHERE id = ?`, id).Scan(&b); err != nil {
			return fmt.Errorf("sqlstore: rectification photo: %w", err)
		}
		if len(b) == 0 {
			return safetynet.NotFound("整改照片", "rectification photo")
		}
		return nil
	})
	return b, err
}

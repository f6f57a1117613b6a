package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/inspections"
)

// InspectionCheck is a sampled household's check.
type InspectionCheck struct {
	ID            int64                `json:"id"`
	ClientID      string               `json:"client_id"`
	InspectionID  int64                `json:"inspection_id"`
	SampleID      int64                `json:"sample_id"`
	HouseholdID   int64                `json:"household_id"`
	VillageCode   string               `json:"village_code"`
	Status        string               `json:"status"` // checked or not_found
	Answers       []inspections.Answer `json:"answers"`
	HouseholdSays string               `json:"household_says"`
	Note          string               `json:"note"`
	CheckedBy     string               `json:"checked_by"` // display name
	CheckedAt     time.Time            `json:"checked_at"`
	Photos        []int64              `json:"photos"` // ids of inspection_photos
}

// checkColumns reads a check; the sample's status says found or not.
const checkColumns = `c.id, c.client_id, c.inspection_id, c.sample_id, c.household_id, c.village_code, s.status, c.answers, c.item_notes,
	c.household_says, c.note, COALESCE((SELECT NULLIF(u.display_name, '') FROM users u WHERE u.username = c.checked_by), c.checked_by), c.checked_at`

func scanCheck(ctx context.Context, t *tx, row interface{ Scan(...any) error }) (InspectionCheck, error) {
	var c InspectionCheck
	var answers, notes string
	var at int64
	if err := row.Scan(&c.ID, &c.ClientID, &c.InspectionID, &c.SampleID, &c.HouseholdID, &c.VillageCode, &c.Status, &answers, &notes,
		&c.HouseholdSays, &c.Note, &c.CheckedBy, &at); err != nil {
		return c, err
	}
	c.CheckedAt = fromMS(at)
	m := map[string]string{}
	_ = json.Unmarshal([]byte(notes), &m)
	c.Answers = inspections.DecodeAnswers(answers, m)
	if c.Answers == nil {
		c.Answers = []inspections.Answer{}
	}
	rows, err := t.query(ctx, `SELECT id FROM inspection_photos WHERE check_id = ? ORDER BY id`, c.ID)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	c.Photos = []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return c, err
		}
		c.Photos = append(c.Photos, id)
	}
	return c, rows.Err()
}

// RecordCheck records a sampled household's check by one of the
// inspection's inspectors, once it has started. Sending the same client
// ID again returns the check already recorded (created false); a second
// check of a household already checked is a conflict naming who checked
// it. The household's sample status becomes checked, or not_found.
func (s *Store) RecordCheck(ctx context.Context, a access.Actor, nc inspections.NewCheck) (InspectionCheck, bool, error) {
	if err := a.Require(access.InspectionManage); err != nil {
		return InspectionCheck{}, false, err
	}
	nc, err := inspections.CheckCheck(nc, s.now())
	if err != nil {
		return InspectionCheck{}, false, err
	}
	for i, p := range nc.Photos {
		if ct := http.DetectContentType(p); ct != "image/jpeg" && ct != "image/png" {
			return InspectionCheck{}, false, safetynet.Invalid("photos", "第%d张照片不是 JPEG 或 PNG", "photo %d is not a JPEG or PNG", i+1)
		}
	}
	notes := map[string]string{}
	for _, an := range nc.Answers {
		if an.Note != "" {
			notes[an.Item] = an.Note
		}
	}
	notesJSON, _ := json.Marshal(notes)
	status := inspections.HouseholdChecked
	if !nc.Found {
		status = inspections.HouseholdNotFound
	}
	var out InspectionCheck
	created := false
	err = s.write(ctx, func(t *tx) error {
		created = false
		var id int64
		var by string
		err := t.queryRow(ctx, `SELECT id, checked_by FROM inspection_checks WHERE client_id = ?`, nc.ClientID).Scan(&id, &by)
		switch {
		case err == nil && by == a.Username:
			out, err = scanCheck(ctx, t, t.queryRow(ctx, `SELECT `+checkColumns+` FROM inspection_checks c JOIN inspection_households s ON s.id = c.sample_id WHERE c.id = ?`, id))
			return err
		case err == nil:
			return safetynet.Conflict("client_id", "记录编号已被使用", "this client_id belongs to another check")
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("sqlstore: check by client: %w", err)
		}
		var inspID, hid int64
		var village, sampleStatus string
		err = t.queryRow(ctx, `SELECT inspection_id, household_id, village_code, status FROM inspection_households WHERE id = ?`, nc.SampleID).Scan(&inspID, &hid, &village, &sampleStatus)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("抽查农户", "sampled household")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: sampled household: %w", err)
		}
		in, err := s.inspectorOf(ctx, t, a, inspID)
		if safetynet.CodeOf(err) == safetynet.ENotFound {
			return safetynet.NotFound("抽查农户", "sampled household")
		}
		if err != nil {
			return err
		}
		if in.Status != inspections.StatusStarted {
			return safetynet.Conflict("status", "督查开始后才能检查农户，结束后不能再改", "households are checked once the inspection has started and until it closes")
		}
		if sampleStatus != inspections.HouseholdPending {
			var who string
			var at int64
			_ = t.queryRow(ctx, `SELECT COALESCE((SELECT NULLIF(u.display_name, '') FROM users u WHERE u.username = c.checked_by), c.checked_by), c.checked_at
				FROM inspection_checks c WHERE c.sample_id = ?`, nc.SampleID).Scan(&who, &at)
			return safetynet.Conflict("sample_id", "该户已由 %s 于 %s 检查", "this household was checked by %s at %s", who, fromMS(at).In(visitZone).Format("2006-01-02 15:04"))
		}
		err = t.queryRow(ctx, `INSERT INTO inspection_checks (client_id, inspection_id, sample_id, household_id, village_code, answers, item_notes,
				household_says, note, checked_by, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			nc.ClientID, inspID, nc.SampleID, hid, village, inspections.EncodeAnswers(nc.Answers), string(notesJSON),
			nc.HouseholdSays, nc.Note, a.Username, ms(nc.CheckedAt)).Scan(&id)
		if err != nil {
			return fmt.Errorf("sqlstore: insert check: %w", err)
		}
		now := ms(s.now())
		for _, p := range nc.Photos {
			if _, err := t.exec(ctx, `INSERT INTO inspection_photos (check_id, content_type, data, taken_at) VALUES (?, ?, ?, ?)`,
				id, http.DetectContentType(p), p, now); err != nil {
				return fmt.Errorf("sqlstore: check photo: %w", err)
			}
		}
		if _, err := t.exec(ctx, `UPDATE inspection_households SET status = ? WHERE id = ?`, status, nc.SampleID); err != nil {
			return fmt.Errorf("sqlstore: sample status: %w", err)
		}
		created = true
		if err := s.audit(ctx, t, a, auditRec{action: "inspection.check", objType: "inspection", objID: inspectionID(inspID), place: village,
			detail: map[string]any{"sample_id": nc.SampleID, "household_id": hid, "found": nc.Found,
				"problems": len(inspections.Problems(nc.Answers)), "photos": len(nc.Photos)}}); err != nil {
			return err
		}
		out, err = scanCheck(ctx, t, t.queryRow(ctx, `SELECT `+checkColumns+` FROM inspection_checks c JOIN inspection_households s ON s.id = c.sample_id WHERE c.id = ?`, id))
		return err
	})
	return out, created, err
}

// ChecksOf lists the checks of an inspection the actor sees, in the part
// of the sample they see, in sample order. The rectifications read them
// to raise findings (inspections.Problems of each check's answers).
func (s *Store) ChecksOf(ctx context.Context, a access.Actor, inspectionID int64) ([]InspectionCheck, error) {
	if !a.Can(access.InspectionView) && !a.Can(access.InspectionManage) {
		return nil, safetynet.Forbidden()
	}
	var out []InspectionCheck
	err := s.read(ctx, func(t *tx) error {
		in, err := s.inspection(ctx, t, a, inspectionID)
		if err != nil {
			return err
		}
		where, args := sampleScope(a, in, "c.village_code")
		ids, err := queryStrings(ctx, t, `SELECT CAST(c.id AS TEXT) FROM inspection_checks c JOIN inspection_households s ON s.id = c.sample_id
			WHERE c.inspection_id = ? AND `+where+` ORDER BY s.village_code, s.seq`, append([]any{inspectionID}, args...)...)
		if err != nil {
			return err
		}
		for _, id := range ids {
			c, err := scanCheck(ctx, t, t.queryRow(ctx, `SELECT `+checkColumns+` FROM inspection_checks c JOIN inspection_households s ON s.id = c.sample_id WHERE c.id = ?`, id))
			if err != nil {
				return fmt.Errorf("sqlstore: checks of %d: %w", inspectionID, err)
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// InspectionPhoto returns a check's photo and its type, if the actor sees
// the check.
func (s *Store) InspectionPhoto(ctx context.Context, a access.Actor, photoID int64) ([]byte, string, error) {
	if !a.Can(access.InspectionView) && !a.Can(access.InspectionManage) {
		return nil, "", safetynet.Forbidden()
	}
	var data []byte
	var ct string
	err := s.read(ctx, func(t *tx) error {
		var inspID int64
		var village string
		err := t.queryRow(ctx, `SELECT c.inspection_id, c.village_code, p.content_type, p.data FROM inspection_photos p
			JOIN inspection_checks c ON c.id = p.check_id WHERE p.id = ?`, photoID).Scan(&inspID, &village, &ct, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return safetynet.NotFound("照片", "photo")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: inspection photo: %w", err)
		}
		in, err := s.inspection(ctx, t, a, inspID)
		if safetynet.CodeOf(err) == safetynet.ENotFound {
			return safetynet.NotFound("照片", "photo")
		}
		if err != nil {
			return err
		}
		where, args := sampleScope(a, in, "?")
		if where == "1 = 1" {
			return nil
		}
		var ok int
		if err := t.queryRow(ctx, `SELECT 1 WHERE `+where, append(args, village)...).Scan(&ok); err != nil {
			return safetynet.NotFound("照片", "photo")
		}
		return nil
	})
	return data, ct, err
}

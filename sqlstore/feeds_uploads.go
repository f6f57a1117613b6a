package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/feeds"
)

// FeedUpload is a department file waiting for its column mapping, or
// pushed as batch BatchID.
type FeedUpload struct {
	ID                     int64
	Department             string
	CountyCode, CountyName string
	FileName, SHA256       string
	Data                   []byte
	BatchID                int64
	CreatedBy              string
	CreatedAt              time.Time
}

// MaxFeedFile bounds an uploaded department file.
const MaxFeedFile = 48 << 20

var errFeedUploadNotFound = safetynet.NotFound("上传的文件", "upload")

// CreateFeedUpload keeps a department file uploaded by the actor for its
// column mapping; county is "" for the actor's own county.
func (s *Store) CreateFeedUpload(ctx context.Context, a access.Actor, dept, county, fileName string, data []byte) (int64, error) {
	if err := a.Require(access.FeedPush); err != nil {
		return 0, err
	}
	if !safetynet.Departments.Valid(dept) {
		return 0, safetynet.Invalid("department", "请选择部门", "choose the department")
	}
	if err := s.feedMayPush(ctx, a, dept); err != nil {
		return 0, err
	}
	if len(data) == 0 {
		return 0, safetynet.Invalid("file", "文件是空的", "the file is empty")
	}
	if len(data) > MaxFeedFile {
		return 0, safetynet.Invalid("file", "文件超过48MB", "the file is larger than 48 MB")
	}
	county, err := s.feedCounty(ctx, a, county)
	if err != nil {
		return 0, err
	}
	sum := sha256.Sum256(data)
	var id int64
	err = s.write(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `INSERT INTO feed_uploads (department, county_code, filename, sha256, data, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, dept, county, cutText(fileName, 200), hex.EncodeToString(sum[:]), data,
			a.Username, ms(s.now())).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: feed upload: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "feed.upload", objType: "feed_upload", objID: fmt.Sprint(id), place: county,
			detail: map[string]any{"department": dept, "file": cutText(fileName, 200), "bytes": len(data)}})
	})
	return id, err
}

// FeedUpload returns an upload the actor may push.
func (s *Store) FeedUpload(ctx context.Context, a access.Actor, id int64) (FeedUpload, error) {
	var u FeedUpload
	if err := a.Require(access.FeedPush); err != nil {
		return u, err
	}
	err := s.read(ctx, func(t *tx) error {
		where, args, err := s.feedScope(ctx, t, a, true)
		if err != nil {
			return err
		}
		var at int64
		err = t.queryRow(ctx, `SELECT b.id, b.department, b.county_code, COALESCE(p.name, b.county_code), b.filename, b.sha256, b.data,
			b.batch_id, b.created_by, b.created_at FROM feed_uploads b LEFT JOIN places p ON p.code = b.county_code
			WHERE b.id = ? AND `+where, append([]any{id}, args...)...).Scan(&u.ID, &u.Department, &u.CountyCode, &u.CountyName,
			&u.FileName, &u.SHA256, &u.Data, &u.BatchID, &u.CreatedBy, &at)
		if errors.Is(err, sql.ErrNoRows) {
			return errFeedUploadNotFound
		}
		u.CreatedAt = fromMS(at)
		return err
	})
	return u, err
}

// PushFeedUpload reads an upload in its department's layout, takes the
// column mapping choose returns for it (given the file with the saved
// mapping proposed), saves that mapping for the department's next file
// and pushes the rows as a batch keyed by the file's name and hash — the
// same file twice stores nothing twice. The web page and the command line
// both push files through it.
func (s *Store) PushFeedUpload(ctx context.Context, a access.Actor, up FeedUpload, choose func(*feeds.File) feeds.Mapping) (FeedBatch, []FeedRowResult, error) {
	saved, err := s.FeedMapping(ctx, a, up.Department, up.CountyCode)
	if err != nil {
		return FeedBatch{}, nil, err
	}
	file, err := feeds.ReadFile(up.FileName, up.Data, saved)
	if err != nil {
		return FeedBatch{}, nil, err
	}
	m := choose(file)
	if err := s.SaveFeedMapping(ctx, a, up.Department, up.CountyCode, m); err != nil {
		return FeedBatch{}, nil, err
	}
	b, rej, err := s.PushFeedBatch(ctx, a, FeedPush{Department: up.Department, County: up.CountyCode, Source: "file",
		FileName: up.FileName, BatchKey: file.BatchKey(), Rows: file.Rows(m)})
	if err != nil {
		return b, rej, err
	}
	err = s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `UPDATE feed_uploads SET batch_id = ? WHERE id = ?`, b.ID, up.ID)
		return err
	})
	return b, rej, err
}

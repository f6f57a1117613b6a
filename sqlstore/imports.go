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
)

// ImportRecord is an uploaded ledger and what became of it. The original
// file is kept with the record.
type ImportRecord struct {
	ID        int64
	Kind      string // "ledger"
	FileName  string
	SHA256    string
	Size      int
	PlaceCode string
	UserID    int64
	Username  string
	Status    string // "previewed", "failed", "committed"
	Mapping   string // JSON
	Report    string // JSON of the last dry run or of the commit
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

// Import statuses.
const (
	ImportPreviewed = "previewed"
	ImportFailed    = "failed"
	ImportCommitted = "committed"
)

// MaxImportFile bounds an uploaded ledger.
const MaxImportFile = 48 << 20

var errImportNotFound = safetynet.NotFound("导入记录", "import")

// CreateImport stores an uploaded file for an import by the actor, at the
// actor's place.
func (s *Store) CreateImport(ctx context.Context, a access.Actor, kind, fileName string, data []byte) (ImportRecord, error) {
	if err := a.Require(access.RegisterImport); err != nil {
		return ImportRecord{}, err
	}
	if len(data) == 0 {
		return ImportRecord{}, safetynet.Invalid("file", "文件是空的", "the file is empty")
	}
	if len(data) > MaxImportFile {
		return ImportRecord{}, safetynet.Invalid("file", "文件超过48MB", "the file is larger than 48 MB")
	}
	if r := []rune(fileName); len(r) > 200 {
		fileName = string(r[:200])
	}
	sum := sha256.Sum256(data)
	var id int64
	err := s.write(ctx, func(t *tx) error {
		now := ms(s.now())
		if err := t.queryRow(ctx, `INSERT INTO imports (kind, file_name, file_sha256, file_data, place_code, user_id, username, status,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'previewed', ?, ?) RETURNING id`,
			kind, fileName, hex.EncodeToString(sum[:]), data, a.Place, a.UserID, a.Username, now, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: create import: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "import.upload", objType: "import", objID: fmt.Sprint(id),
			detail: map[string]any{"file": fileName, "bytes": len(data), "sha256": hex.EncodeToString(sum[:])}})
	})
	if err != nil {
		return ImportRecord{}, err
	}
	return s.Import(ctx, a, id)
}

const importCols = `id, kind, file_name, file_sha256, LENGTH(file_data), place_code, user_id, username, status, mapping, report,
	created_at, updated_at, version`

func scanImport(r scanner) (ImportRecord, error) {
	var im ImportRecord
	var created, updated int64
	err := r.Scan(&im.ID, &im.Kind, &im.FileName, &im.SHA256, &im.Size, &im.PlaceCode, &im.UserID, &im.Username, &im.Status,
		&im.Mapping, &im.Report, &created, &updated, &im.Version)
	im.CreatedAt, im.UpdatedAt = fromMS(created), fromMS(updated)
	return im, err
}

// Import returns an import of the actor's scope.
func (s *Store) Import(ctx context.Context, a access.Actor, id int64) (ImportRecord, error) {
	if err := a.Require(access.RegisterImport); err != nil {
		return ImportRecord{}, err
	}
	where, args := registerScope(a, "place_code")
	im, err := scanImport(s.queryRow(ctx, `SELECT `+importCols+` FROM imports WHERE id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return im, errImportNotFound
	}
	if err != nil {
		return im, fmt.Errorf("sqlstore: import %d: %w", id, err)
	}
	return im, nil
}

// Imports lists the newest imports of the actor's scope.
func (s *Store) Imports(ctx context.Context, a access.Actor, limit int) ([]ImportRecord, error) {
	if err := a.Require(access.RegisterImport); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	where, args := registerScope(a, "place_code")
	rows, err := s.query(ctx, `SELECT `+importCols+` FROM imports WHERE `+where+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: imports: %w", err)
	}
	defer rows.Close()
	var out []ImportRecord
	for rows.Next() {
		im, err := scanImport(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: imports: %w", err)
		}
		out = append(out, im)
	}
	return out, rows.Err()
}

// ImportFile returns the original uploaded file. It holds ID numbers in
// clear, so the download is audited.
func (s *Store) ImportFile(ctx context.Context, a access.Actor, id int64) ([]byte, error) {
	im, err := s.Import(ctx, a, id)
	if err != nil {
		return nil, err
	}
	var data []byte
	if err := s.queryRow(ctx, `SELECT file_data FROM imports WHERE id = ?`, id).Scan(&data); err != nil {
		return nil, fmt.Errorf("sqlstore: import file %d: %w", id, err)
	}
	return data, s.RecordView(ctx, a, "import.file", "import", fmt.Sprint(id), im.PlaceCode, nil)
}

// SaveImportPreview records the mapping and the report of a dry run.
func (s *Store) SaveImportPreview(ctx context.Context, a access.Actor, id int64, mapping, report string, failed bool) error {
	im, err := s.Import(ctx, a, id)
	if err != nil {
		return err
	}
	if im.Status == ImportCommitted {
		return safetynet.Conflict("status", "该导入已经提交", "this import was already committed")
	}
	status := ImportPreviewed
	if failed {
		status = ImportFailed
	}
	return s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE imports SET mapping = ?, report = ?, status = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND status <> 'committed'`, mapping, report, status, ms(s.now()), id)
		if err != nil {
			return fmt.Errorf("sqlstore: save import preview: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return safetynet.Conflict("status", "该导入已经提交", "this import was already committed")
		}
		return nil
	})
}

// markImportCommitted records the commit in the import's transaction, so
// that the register and the record can never disagree; a second commit
// of the same import is refused.
func (s *Store) markImportCommitted(ctx context.Context, t *tx, id int64, mapping, report string) error {
	res, err := t.exec(ctx, `UPDATE imports SET status = 'committed', mapping = ?, report = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND status <> 'committed'`, mapping, report, ms(s.now()), id)
	if err != nil {
		return fmt.Errorf("sqlstore: commit import %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return safetynet.Conflict("status", "该导入已经提交过了", "this import was already committed")
	}
	return nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"safetynet"
	"safetynet/access"
	"safetynet/divisions"
)

// errDryRun rolls back a dry run after it has done all its checks.
var errDryRun = errors.New("dry run")

// existingPlace is what the import needs to know of a stored place.
type existingPlace struct {
	name, level, parent string
	inScope             bool
}

// ImportPlaces creates and updates places from parsed rows, all or
// nothing: on any row error nothing is changed and the report lists every
// error with its line. In a dry run the same checks and writes run inside
// a transaction that is rolled back, so the report is exactly what a real
// import would do. Re-importing the same file changes nothing.
func (s *Store) ImportPlaces(ctx context.Context, a access.Actor, rows []divisions.Row, dryRun bool) (safetynet.ImportReport, error) {
	rep := safetynet.ImportReport{DryRun: dryRun, Rows: len(rows)}
	if err := a.Require(access.PlaceManage); err != nil {
		return rep, err
	}
	err := s.write(ctx, func(t *tx) error {
		plan, errs, err := s.planImport(ctx, t, a, rows)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			rep.Errors = errs
			return importFailed(len(errs))
		}
		for _, r := range plan {
			if err := s.applyImportRow(ctx, t, a, r, &rep); err != nil {
				return fmt.Errorf("line %d: %w", r.row.Line, err)
			}
		}
		if err := s.audit(ctx, t, a, auditRec{action: "place.import", objType: "place", place: a.Place,
			detail: map[string]any{"rows": rep.Rows, "created": rep.Created, "updated": rep.Updated, "unchanged": rep.Unchanged, "dry_run": dryRun}}); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return rep, err
}

func importFailed(n int) error {
	return safetynet.Invalid("file", "文件中有%d处错误，未做任何更改", "the file has %d errors; nothing was changed", n)
}

type plannedRow struct {
	row   divisions.Row
	old   *existingPlace // nil for a new place
	depth int
}

// planImport checks every row against the file and the database and
// returns the rows ordered parents first.
func (s *Store) planImport(ctx context.Context, t *tx, a access.Actor, rows []divisions.Row) ([]plannedRow, []safetynet.RowError, error) {
	inFile := make(map[string]*divisions.Row, len(rows))
	codes := make([]string, 0, 2*len(rows))
	for i := range rows {
		inFile[rows[i].Code] = &rows[i]
		codes = append(codes, rows[i].Code, rows[i].ParentCode)
	}
	known, err := s.loadPlaces(ctx, t, a, codes)
	if err != nil {
		return nil, nil, err
	}
	// parentOf and levelOf give the hierarchy as it will be after the import.
	parentOf := func(code string) (string, bool) {
		if r, ok := inFile[code]; ok {
			return r.ParentCode, true
		}
		if p, ok := known[code]; ok {
			return p.parent, true
		}
		return "", false
	}
	levelOf := func(code string) (safetynet.Level, bool) {
		if r, ok := inFile[code]; ok {
			return r.Level, true
		}
		if p, ok := known[code]; ok {
			return safetynet.Level(p.level), true
		}
		return "", false
	}
	var errs []safetynet.RowError
	add := func(line int, field, zh, en string) {
		if len(errs) < safetynet.MaxImportErrors {
			errs = append(errs, safetynet.RowError{Row: line, Field: field, ZH: zh, EN: en})
		}
	}
	plan := make([]plannedRow, 0, len(rows))
	for _, r := range rows {
		old, exists := known[r.Code]
		if exists && !old.inScope {
			add(r.Line, "code", fmt.Sprintf("代码 %s 不在您负责的范围内", r.Code), fmt.Sprintf("code %s is outside your area", r.Code))
			continue
		}
		parentLevel, ok := levelOf(r.ParentCode)
		if p, known := known[r.ParentCode]; !ok || (known && !p.inScope && inFile[r.ParentCode] == nil) {
			add(r.Line, "parent_code", fmt.Sprintf("上级代码 %s 不存在，也不在您负责的范围内", r.ParentCode),
				fmt.Sprintf("parent code %s does not exist in the file or in your area", r.ParentCode))
			continue
		}
		if !safetynet.CanContain(parentLevel, r.Level) {
			add(r.Line, "level", fmt.Sprintf("%s下不能有%s（上级代码 %s）", parentLevel.Label("zh"), r.Level.Label("zh"), r.ParentCode),
				fmt.Sprintf("a %s cannot be under a %s (parent code %s)", r.Level, parentLevel, r.ParentCode))
			continue
		}
		// Walk up to the root: a loop means the file makes a cycle.
		depth, cur, seen := 0, r.Code, map[string]bool{}
		for cur != safetynet.RootPlaceCode {
			if seen[cur] || depth > 16 {
				break
			}
			seen[cur] = true
			next, ok := parentOf(cur)
			if !ok {
				var err error
				if next, ok, err = s.storedParent(ctx, t, cur, known); err != nil {
					return nil, nil, err
				}
			}
			if !ok {
				break
			}
			cur, depth = next, depth+1
		}
		if cur != safetynet.RootPlaceCode {
			add(r.Line, "parent_code", fmt.Sprintf("上级代码 %s 使层级形成了循环", r.ParentCode),
				fmt.Sprintf("parent code %s makes the hierarchy a loop", r.ParentCode))
			continue
		}
		pr := plannedRow{row: r, depth: depth}
		if exists {
			pr.old = &old
		}
		plan = append(plan, pr)
	}
	if err := s.checkLevelChanges(ctx, t, plan, inFile, &errs); err != nil {
		return nil, nil, err
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].depth < plan[j].depth })
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Row < errs[j].Row })
	return plan, errs, nil
}

// loadPlaces loads the stored places among codes, noting which are in the
// actor's scope.
func (s *Store) loadPlaces(ctx context.Context, t *tx, a access.Actor, codes []string) (map[string]existingPlace, error) {
	where, sargs := scopeClause(a.Scope(access.Places), "code")
	out := make(map[string]existingPlace, len(codes))
	const chunk = 400
	for i := 0; i < len(codes); i += chunk {
		part := codes[i:min(i+chunk, len(codes))]
		// The scope's arguments come first: its clause is in the SELECT list.
		args := append(make([]any, 0, len(part)+len(sargs)), sargs...)
		for _, c := range part {
			args = append(args, c)
		}
		rows, err := t.query(ctx, `SELECT code, name, level, COALESCE(parent_code, ''), CASE WHEN `+where+` THEN 1 ELSE 0 END
			FROM places WHERE code IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: load places: %w", err)
		}
		for rows.Next() {
			var code string
			var p existingPlace
			var in int
			if err := rows.Scan(&code, &p.name, &p.level, &p.parent, &in); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlstore: load places: %w", err)
			}
			p.inScope = in == 1
			out[code] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlstore: load places: %w", err)
		}
	}
	return out, nil
}

// storedParent looks up the parent of a stored place not yet loaded.
func (s *Store) storedParent(ctx context.Context, t *tx, code string, cache map[string]existingPlace) (string, bool, error) {
	var p existingPlace
	err := t.queryRow(ctx, `SELECT name, level, COALESCE(parent_code, '') FROM places WHERE code = ?`, code).Scan(&p.name, &p.level, &p.parent)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return "", false, nil
		}
		return "", false, fmt.Errorf("sqlstore: parent of %s: %w", code, err)
	}
	cache[code] = p
	return p.parent, true, nil
}

// checkLevelChanges verifies that stored children not in the file may
// stay under places whose level the file changes.
func (s *Store) checkLevelChanges(ctx context.Context, t *tx, plan []plannedRow, inFile map[string]*divisions.Row, errs *[]safetynet.RowError) error {
	for _, p := range plan {
		if p.old == nil || p.old.level == string(p.row.Level) {
			continue
		}
		rows, err := t.query(ctx, `SELECT code, level FROM places WHERE parent_code = ?`, p.row.Code)
		if err != nil {
			return fmt.Errorf("sqlstore: children of %s: %w", p.row.Code, err)
		}
		for rows.Next() {
			var code, level string
			if err := rows.Scan(&code, &level); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: children of %s: %w", p.row.Code, err)
			}
			if r, ok := inFile[code]; ok && r.ParentCode != p.row.Code {
				continue // the file moves this child elsewhere
			}
			if r, ok := inFile[code]; ok {
				level = string(r.Level)
			}
			if !safetynet.CanContain(p.row.Level, safetynet.Level(level)) && len(*errs) < safetynet.MaxImportErrors {
				*errs = append(*errs, safetynet.RowError{Row: p.row.Line, Field: "level",
					ZH: fmt.Sprintf("不能把级别改为%s：下级 %s 是%s", p.row.Level.Label("zh"), code, safetynet.Level(level).Label("zh")),
					EN: fmt.Sprintf("level cannot become %s: child %s is a %s", p.row.Level, code, level)})
				break
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlstore: children of %s: %w", p.row.Code, err)
		}
	}
	return nil
}

func (s *Store) applyImportRow(ctx context.Context, t *tx, a access.Actor, p plannedRow, rep *safetynet.ImportReport) error {
	r := p.row
	if p.old == nil {
		if err := s.insertPlace(ctx, t, r.PlaceInput); err != nil {
			return err
		}
		rep.Created++
		return s.audit(ctx, t, a, auditRec{action: "place.create", objType: "place", objID: r.Code, place: r.Code,
			detail: map[string]any{"name": r.Name, "level": r.Level, "parent_code": r.ParentCode, "import_line": r.Line}})
	}
	o := p.old
	if o.name == r.Name && o.level == string(r.Level) && o.parent == r.ParentCode {
		rep.Unchanged++
		return nil
	}
	detail := map[string]any{"import_line": r.Line}
	if o.name != r.Name {
		detail["name"] = map[string]string{"from": o.name, "to": r.Name}
	}
	if o.level != string(r.Level) {
		detail["level"] = map[string]string{"from": o.level, "to": string(r.Level)}
	}
	if o.parent != r.ParentCode {
		detail["parent_code"] = map[string]string{"from": o.parent, "to": r.ParentCode}
		if err := s.movePlace(ctx, t, r.Code, r.ParentCode); err != nil {
			return err
		}
	}
	if _, err := t.exec(ctx, `UPDATE places SET name = ?, level = ?, parent_code = ?, version = version + 1, updated_at = ?
		WHERE code = ?`, r.Name, string(r.Level), r.ParentCode, ms(s.now()), r.Code); err != nil {
		return fmt.Errorf("sqlstore: update place %s: %w", r.Code, err)
	}
	rep.Updated++
	return s.audit(ctx, t, a, auditRec{action: "place.update", objType: "place", objID: r.Code, place: r.Code, detail: detail})
}

// placeholders returns "?, ?, …" with n marks.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

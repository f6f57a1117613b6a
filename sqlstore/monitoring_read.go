package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/monitoring"
)

// MonitoringProcess is an inclusion or elimination with where it stands.
type MonitoringProcess struct {
	ID           int64
	Kind         monitoring.Kind
	Status       string
	Step         string
	HouseholdID  int64
	HeadName     string
	PlaceCode    string
	PlaceName    string
	VillageName  string
	TownName     string
	Category     string
	RiskCauses   []string
	IncomeFen    int64
	Members      int
	PerCapitaFen int64
	Origin       string
	ClueID       int64
	Reason       string
	Returned     string
	AssignmentID int64
	ProposedAt   time.Time
	DueAt        time.Time // the whole identification
	EndedAt      time.Time
	Version      int
	CreatedBy    string
	// The open step's deadline, while open.
	StepDue     time.Time
	StepLevel   safetynet.Level
	StepOwner   string
	Escalations int
	Overdue     bool
	Records     []monitoring.Record // oldest first; loaded by MonitoringProcessView and WithRecords lists
}

// Last returns the last record of an action, if any.
func (p MonitoringProcess) Last(action string) (monitoring.Record, bool) {
	for i := len(p.Records) - 1; i >= 0; i-- {
		if p.Records[i].Action == action {
			return p.Records[i], true
		}
	}
	return monitoring.Record{}, false
}

const processSelect = `SELECT m.id, m.kind, m.status, m.step, m.household_id,
	COALESCE((SELECT hp.name FROM households h JOIN persons hp ON hp.id = h.head_person_id WHERE h.id = m.household_id), ''),
	m.place_code, pl.name,
	COALESCE((SELECT vp.name FROM place_tree pt JOIN places vp ON vp.code = pt.ancestor WHERE pt.descendant = m.place_code AND vp.level = 'village' ORDER BY pt.depth LIMIT 1), ''),
	COALESCE((SELECT tp.name FROM place_tree pt JOIN places tp ON tp.code = pt.ancestor WHERE pt.descendant = m.place_code AND tp.level = 'town' ORDER BY pt.depth LIMIT 1), ''),
	m.category, m.risk_causes, m.income_fen, m.members, m.origin, m.clue_id, m.reason, m.returned, m.assignment_id,
	m.proposed_at, m.due_at, m.ended_at, m.version, m.created_by,
	COALESCE(d.due_at, 0), COALESCE(d.level, ''), COALESCE(op.name, ''), COALESCE(d.escalations, 0)
	FROM monitoring_processes m JOIN places pl ON pl.code = m.place_code
	LEFT JOIN deadlines d ON d.item_id = m.id AND d.kind LIKE 'monitoring.%' AND d.status = 'open'
	LEFT JOIN places op ON op.code = d.owner_place `

func (s *Store) scanProcess(r scanner) (MonitoringProcess, error) {
	var p MonitoringProcess
	var kind, causes, level string
	var proposed, due, ended, stepDue int64
	err := r.Scan(&p.ID, &kind, &p.Status, &p.Step, &p.HouseholdID, &p.HeadName, &p.PlaceCode, &p.PlaceName, &p.VillageName, &p.TownName,
		&p.Category, &causes, &p.IncomeFen, &p.Members, &p.Origin, &p.ClueID, &p.Reason, &p.Returned, &p.AssignmentID,
		&proposed, &due, &ended, &p.Version, &p.CreatedBy, &stepDue, &level, &p.StepOwner, &p.Escalations)
	if err != nil {
		return p, err
	}
	p.Kind, p.StepLevel = monitoring.Kind(kind), safetynet.Level(level)
	if causes != "" {
		p.RiskCauses = strings.Split(causes, ",")
	}
	p.ProposedAt, p.DueAt = fromMS(proposed), fromMS(due)
	if ended > 0 {
		p.EndedAt = fromMS(ended)
	}
	if stepDue > 0 {
		p.StepDue = fromMS(stepDue)
		p.Overdue = !p.StepDue.After(s.now())
	}
	if p.Members > 0 {
		p.PerCapitaFen = p.IncomeFen / int64(p.Members)
	}
	return p, nil
}

// MonitoringProcessView returns a process of the actor's area with its
// history.
func (s *Store) MonitoringProcessView(ctx context.Context, a access.Actor, id int64) (MonitoringProcess, error) {
	if err := a.Require(access.MonitoringView); err != nil {
		return MonitoringProcess{}, err
	}
	var p MonitoringProcess
	err := s.read(ctx, func(t *tx) error {
		where, args := scopeCheck(a.Scope(access.Register), "m.place_code")
		var err error
		p, err = s.scanProcess(t.queryRow(ctx, processSelect+`WHERE m.id = ? AND `+where, append([]any{id}, args...)...))
		if err != nil {
			if isNoRows(err) {
				return errProcessNotFound
			}
			return fmt.Errorf("sqlstore: monitoring process: %w", err)
		}
		ps := []MonitoringProcess{p}
		if err := s.loadRecords(ctx, t, ps); err != nil {
			return err
		}
		p = ps[0]
		return nil
	})
	return p, err
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// loadRecords fills the records of processes.
func (s *Store) loadRecords(ctx context.Context, t *tx, ps []MonitoringProcess) error {
	if len(ps) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]any, len(ps))
	marks := make([]string, len(ps))
	for i, p := range ps {
		at[p.ID], ids[i], marks[i] = i, p.ID, "?"
	}
	rows, err := t.query(ctx, `SELECT id, process_id, action, passed, on_date, people_count, people, notice_start, notice_end,
		notice_where, objection, upheld, note, username, at FROM monitoring_records WHERE process_id IN (`+strings.Join(marks, ",")+`)
		ORDER BY id`, ids...)
	if err != nil {
		return fmt.Errorf("sqlstore: monitoring records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r monitoring.Record
		var pid, when int64
		var passed, upheld int
		var on, start, end string
		if err := rows.Scan(&r.ID, &pid, &r.Action, &passed, &on, &r.Count, &r.People, &start, &end, &r.Where, &r.Objection,
			&upheld, &r.Note, &r.Username, &when); err != nil {
			return err
		}
		r.Passed, r.Upheld, r.At = passed == 1, upheld == 1, fromMS(when)
		r.Date, r.Start, r.End = parseDate(on), parseDate(start), parseDate(end)
		i := at[pid]
		ps[i].Records = append(ps[i].Records, r)
	}
	return rows.Err()
}

// MonitoringFilter selects processes.
type MonitoringFilter struct {
	Place       string // within this place's subtree
	Status      string // open (default), confirmed, rejected, withdrawn, all
	Step        string
	Kind        string
	Overdue     bool
	WithRecords bool
	Limit       int
}

// MonitoringProcesses lists the processes of the actor's area: the
// overdue steps first, then by deadline.
func (s *Store) MonitoringProcesses(ctx context.Context, a access.Actor, f MonitoringFilter) ([]MonitoringProcess, error) {
	if err := a.Require(access.MonitoringView); err != nil {
		return nil, err
	}
	where, args := scopeClause(a.Scope(access.Register), "m.place_code")
	conds := []string{where}
	switch f.Status {
	case "all":
	case "", monitoring.StatusOpen:
		conds = append(conds, "m.status = 'open'")
	case monitoring.StatusConfirmed, monitoring.StatusRejected, monitoring.StatusWithdrawn:
		conds, args = append(conds, "m.status = ?"), append(args, f.Status)
	default:
		return nil, safetynet.Invalid("status", "状态无效", "unknown status %q", f.Status)
	}
	if f.Step != "" {
		conds, args = append(conds, "m.step = ?"), append(args, f.Step)
	}
	if f.Kind != "" {
		if !monitoring.Kind(f.Kind).Valid() {
			return nil, safetynet.Invalid("kind", "流程类型无效", "kind must be include or eliminate")
		}
		conds, args = append(conds, "m.kind = ?"), append(args, f.Kind)
	}
	if f.Place != "" {
		conds, args = append(conds, "m.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)"), append(args, f.Place)
	}
	now := ms(s.now())
	if f.Overdue {
		conds, args = append(conds, "d.due_at <= ?"), append(args, now)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	var out []MonitoringProcess
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, processSelect+`WHERE `+strings.Join(conds, " AND ")+
			fmt.Sprintf(` ORDER BY CASE WHEN d.due_at <= ? THEN 0 WHEN d.due_at > 0 THEN 1 ELSE 2 END, d.due_at, m.id DESC LIMIT %d`, limit),
			append(args, now)...)
		if err != nil {
			return fmt.Errorf("sqlstore: monitoring processes: %w", err)
		}
		for rows.Next() {
			p, err := s.scanProcess(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if f.WithRecords {
			return s.loadRecords(ctx, t, out)
		}
		return nil
	})
	return out, err
}

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"safetynet"
	"safetynet/access"
)

// TimeLimits returns the configured time limits, the defaults if none.
func (s *Store) TimeLimits(ctx context.Context) (safetynet.TimeLimits, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'time_limits'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return safetynet.DefaultTimeLimits, nil
	}
	if err != nil {
		return safetynet.TimeLimits{}, fmt.Errorf("sqlstore: time limits: %w", err)
	}
	l := safetynet.DefaultTimeLimits
	if err := json.Unmarshal([]byte(v), &l); err != nil {
		return safetynet.TimeLimits{}, fmt.Errorf("sqlstore: time limits: %w", err)
	}
	return l, nil
}

func (s *Store) timeLimits(ctx context.Context, t *tx) (safetynet.TimeLimits, error) {
	var v string
	err := t.queryRow(ctx, `SELECT value FROM settings WHERE name = 'time_limits'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return safetynet.DefaultTimeLimits, nil
	}
	l := safetynet.DefaultTimeLimits
	if err == nil {
		err = json.Unmarshal([]byte(v), &l)
	}
	return l, err
}

// SetTimeLimits changes the time limits of new steps.
func (s *Store) SetTimeLimits(ctx context.Context, a access.Actor, l safetynet.TimeLimits) error {
	if err := a.Require(access.SettingsEdit); err != nil {
		return err
	}
	if err := l.Check(); err != nil {
		return err
	}
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES ('time_limits', ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, string(b)); err != nil {
			return fmt.Errorf("sqlstore: set time limits: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "settings.time_limits", objType: "settings", objID: "time_limits", detail: l})
	})
}

const measureCols = `code, zh, en, kind, unit, approval_level, county_above_fen, decision_days, active, position`

func scanMeasure(r scanner) (safetynet.Measure, error) {
	var m safetynet.Measure
	var level string
	var active int
	err := r.Scan(&m.Code, &m.ZH, &m.EN, &m.Kind, &m.Unit, &level, &m.CountyAboveFen, &m.DecisionDays, &active, &m.Position)
	m.Level, m.Active = safetynet.Level(level), active == 1
	return m, err
}

// Measures lists the catalogue of assistance measures, active ones unless all.
func (s *Store) Measures(ctx context.Context, all bool) ([]safetynet.Measure, error) {
	q := `SELECT ` + measureCols + ` FROM measure_catalogue`
	if !all {
		q += ` WHERE active = 1`
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: measures: %w", err)
	}
	defer rows.Close()
	var out []safetynet.Measure
	for rows.Next() {
		m, err := scanMeasure(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: measures: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *Store) measure(ctx context.Context, t *tx, code string) (safetynet.Measure, error) {
	m, err := scanMeasure(t.queryRow(ctx, `SELECT `+measureCols+` FROM measure_catalogue WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return m, safetynet.Invalid("measure", "帮扶措施不存在：%s", "unknown measure %q", code)
	}
	return m, err
}

// SaveMeasure adds or changes a catalogue entry. Applications already made
// keep the level they were given.
func (s *Store) SaveMeasure(ctx context.Context, a access.Actor, m safetynet.Measure) error {
	if err := a.Require(access.SettingsEdit); err != nil {
		return err
	}
	m, err := safetynet.CheckMeasure(m)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO measure_catalogue (`+measureCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET zh = excluded.zh, en = excluded.en, kind = excluded.kind, unit = excluded.unit,
			approval_level = excluded.approval_level, county_above_fen = excluded.county_above_fen,
			decision_days = excluded.decision_days, active = excluded.active, position = excluded.position`,
			m.Code, m.ZH, m.EN, m.Kind, m.Unit, string(m.Level), m.CountyAboveFen, m.DecisionDays, boolInt(m.Active), m.Position)
		if err != nil {
			return fmt.Errorf("sqlstore: save measure: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "settings.measure", objType: "measure", objID: m.Code, detail: m})
	})
}

package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/certification"
)

// CertificationSetting is a measure of the catalogue with whether it
// requires survival certification and how often.
type CertificationSetting struct {
	certification.Setting
	ZH, EN string // the measure's names
}

// CertificationSettings lists the active measures of the catalogue with
// their certification setting (Months 0 and not Active when none was set).
func (s *Store) CertificationSettings(ctx context.Context, a access.Actor) ([]CertificationSetting, error) {
	if err := a.Require(access.CertificationView); err != nil {
		return nil, err
	}
	var out []CertificationSetting
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT m.code, m.zh, m.en, COALESCE(cs.months, 0), COALESCE(cs.active, 0), COALESCE(cs.version, 0)
			FROM measure_catalogue m LEFT JOIN certification_settings cs ON cs.measure = m.code
			WHERE m.active = 1 AND m.unit <> 'once' ORDER BY m.position, m.code`)
		if err != nil {
			return fmt.Errorf("sqlstore: certification settings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c CertificationSetting
			var active int
			if err := rows.Scan(&c.Measure, &c.ZH, &c.EN, &c.Months, &active, &c.Version); err != nil {
				return err
			}
			c.Active = active == 1
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// SetCertificationSetting changes whether a measure requires
// certification and how often (county officers). version is the
// setting's version as read (0 for a measure never set). Due dates not
// yet generated follow the new interval; the next refresh applies it.
func (s *Store) SetCertificationSetting(ctx context.Context, a access.Actor, v certification.Setting, version int) error {
	if err := a.Require(access.CertificationSettings); err != nil {
		return err
	}
	if !v.Active && v.Months == 0 {
		v.Months = 12
	}
	if err := certification.CheckSetting(v); err != nil {
		return err
	}
	err := s.write(ctx, func(t *tx) error {
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM measure_catalogue WHERE code = ? AND active = 1 AND unit <> 'once'`, v.Measure).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return safetynet.NotFound("救助措施", "measure")
		}
		var cur int
		err := t.queryRow(ctx, `SELECT version FROM certification_settings WHERE measure = ?`, v.Measure).Scan(&cur)
		if err != nil && !isNoRows(err) {
			return err
		}
		if cur != version {
			return s.conflict(ctx, t, "certification_setting", v.Measure)
		}
		active := 0
		if v.Active {
			active = 1
		}
		if cur == 0 {
			_, err = t.exec(ctx, `INSERT INTO certification_settings (measure, months, active, version, updated_by, updated_at) VALUES (?, ?, ?, 1, ?, ?)`,
				v.Measure, v.Months, active, a.Username, ms(s.now()))
		} else {
			_, err = t.exec(ctx, `UPDATE certification_settings SET months = ?, active = ?, version = version + 1, updated_by = ?, updated_at = ?
				WHERE measure = ? AND version = ?`, v.Months, active, a.Username, ms(s.now()), v.Measure, cur)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: set certification setting: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "certification.settings", objType: "certification_setting", objID: v.Measure,
			detail: map[string]any{"measure": v.Measure, "months": v.Months, "active": v.Active}})
	})
	if err != nil {
		return err
	}
	_, err = s.RefreshCertifications(ctx, true)
	return err
}

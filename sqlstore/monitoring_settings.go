package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"safetynet/access"
	"safetynet/monitoring"
)

// MonitoringSettings returns the clocks and thresholds of monitoring, the
// defaults where none were set.
func (s *Store) MonitoringSettings(ctx context.Context) (monitoring.Settings, error) {
	var out monitoring.Settings
	err := s.read(ctx, func(t *tx) error {
		var err error
		out, err = s.monitoringSettings(ctx, t)
		return err
	})
	return out, err
}

func (s *Store) monitoringSettings(ctx context.Context, t *tx) (monitoring.Settings, error) {
	v := monitoring.DefaultSettings()
	var raw string
	err := t.queryRow(ctx, `SELECT value FROM settings WHERE name = 'monitoring'`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return v, nil
	}
	if err == nil {
		err = json.Unmarshal([]byte(raw), &v)
	}
	if err != nil {
		return v, fmt.Errorf("sqlstore: monitoring settings: %w", err)
	}
	return v, nil
}

// SetMonitoringSettings changes the settings for steps opened from now on.
func (s *Store) SetMonitoringSettings(ctx context.Context, a access.Actor, v monitoring.Settings) error {
	if err := a.Require(access.SettingsEdit); err != nil {
		return err
	}
	if err := monitoring.CheckSettings(v); err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES ('monitoring', ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, string(b)); err != nil {
			return fmt.Errorf("sqlstore: set monitoring settings: %w", err)
		}
		return s.audit(ctx, t, a, auditRec{action: "settings.monitoring", objType: "settings", objID: "monitoring", detail: v})
	})
}

package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet/campaigns"
)

// Seeding a running concentrated screening for tests and the demo.
// Creating and starting campaigns is the campaigns capability's; this
// writes the same rows directly (the campaign, running; every village
// under its place as an implementing village; one stage of kind
// campaigns.StageScreen for the window), without the checks a campaign
// form goes through, so that screening can be exercised on its own.

// ScreeningSeed is a running screening to write.
type ScreeningSeed struct {
	ClientID     string // a second seed with the same ID returns the first
	Title, DocNo string
	Place        string // the owning county or town
	StartsOn     time.Time
	EndsOn       time.Time
	WindowStart  time.Time // the screening stage; zero for none (the window is the period)
	WindowEnd    time.Time
	CreatedBy    string
}

// SeedScreening writes a running screening campaign and returns its ID.
func (s *Store) SeedScreening(ctx context.Context, in ScreeningSeed) (int64, error) {
	var id int64
	err := s.write(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT id FROM campaigns WHERE client_id = ?`, in.ClientID).Scan(&id); err == nil {
			return nil
		} else if !isNoRows(err) {
			return err
		}
		now := ms(s.now())
		if err := t.queryRow(ctx, `INSERT INTO campaigns (client_id, kind, title, doc_no, place_code, starts_on, ends_on, status,
				created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.ClientID, campaigns.KindScreening, in.Title, in.DocNo, in.Place, dateStr(in.StartsOn), dateStr(in.EndsOn),
			campaigns.StatusRunning, in.CreatedBy, now, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: seed screening: %w", err)
		}
		if _, err := t.exec(ctx, `INSERT INTO campaign_villages (campaign_id, village_code, town_code)
			SELECT ?, v.code, COALESCE(v.parent_code, '') FROM places v JOIN place_tree pt ON pt.descendant = v.code
			WHERE pt.ancestor = ? AND v.level = 'village'`, id, in.Place); err != nil {
			return fmt.Errorf("sqlstore: seed screening villages: %w", err)
		}
		if !in.WindowStart.IsZero() {
			if _, err := t.exec(ctx, `INSERT INTO campaign_stages (campaign_id, seq, kind, title, starts_on, ends_on) VALUES (?, 1, ?, ?, ?, ?)`,
				id, campaigns.StageScreen, campaigns.StageKinds.Label(campaigns.StageScreen, "zh"), dateStr(in.WindowStart), dateStr(in.WindowEnd)); err != nil {
				return fmt.Errorf("sqlstore: seed screening stage: %w", err)
			}
		}
		return nil
	})
	return id, err
}

package sqlstore

import (
	"context"
	"fmt"
)

// ctxDeviceSecret binds a device secret's ciphertext to its column.
const ctxDeviceSecret = "pact_device.secret"

// sealPactSecrets encrypts the device secrets still stored in clear (bound
// before migration pacts/0002) with the store's key and empties the clear
// column, in one transaction. Migrate calls it after the SQL migrations;
// with nothing in clear it reads one index-free COUNT and returns.
func (s *Store) sealPactSecrets(ctx context.Context) error {
	var n int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM pact_devices WHERE secret <> ''`).Scan(&n); err != nil {
		return fmt.Errorf("sqlstore: device secrets: %w", err)
	}
	if n == 0 {
		return nil
	}
	if s.keys == nil {
		return fmt.Errorf("sqlstore: %d device secrets are stored in clear and no encryption key is configured to seal them", n)
	}
	return s.write(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT device, secret FROM pact_devices WHERE secret <> ''`)
		if err != nil {
			return fmt.Errorf("sqlstore: device secrets: %w", err)
		}
		type clear struct{ device, secret string }
		var list []clear
		for rows.Next() {
			var c clear
			if err := rows.Scan(&c.device, &c.secret); err != nil {
				rows.Close()
				return err
			}
			list = append(list, c)
		}
		rows.Close()
		for _, c := range list {
			enc, _, err := s.seal(c.secret, ctxDeviceSecret, "")
			if err != nil {
				return err
			}
			if _, err := t.exec(ctx, `UPDATE pact_devices SET secret_enc = ?, secret = '' WHERE device = ?`, enc, c.device); err != nil {
				return fmt.Errorf("sqlstore: seal device secret: %w", err)
			}
		}
		return nil
	})
}

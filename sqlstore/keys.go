package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// CheckKey makes sure the store's encryption key is the database's: the
// first start records the key's ID, later starts with another key are
// refused (they could neither read the stored ID and phone numbers nor
// find them again).
func (s *Store) CheckKey(ctx context.Context) error {
	if s.keys == nil {
		return errNoKeys
	}
	return s.write(ctx, func(t *tx) error {
		var id string
		err := t.queryRow(ctx, `SELECT value FROM settings WHERE name = 'key_id'`).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			_, err = t.exec(ctx, `INSERT INTO settings (name, value) VALUES ('key_id', ?)`, s.keys.KeyID())
			return err
		}
		if err != nil {
			return fmt.Errorf("sqlstore: key check: %w", err)
		}
		if id != s.keys.KeyID() {
			return fmt.Errorf("sqlstore: the encryption key (id %s) is not the one this database was written with (id %s): "+
				"start with the right key file or SAFETYNET_KEY", s.keys.KeyID(), id)
		}
		return nil
	})
}

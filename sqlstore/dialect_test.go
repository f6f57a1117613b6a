package sqlstore

import "testing"

func TestRebind(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE a = ? AND b = ?", "SELECT a FROM t WHERE a = $1 AND b = $2"},
		{"SELECT '?' , \"x?\" FROM t WHERE a = ?", "SELECT '?' , \"x?\" FROM t WHERE a = $1"},
		{"SELECT 'it''s ?' WHERE a IN (?,?,?)", "SELECT 'it''s ?' WHERE a IN ($1,$2,$3)"},
	} {
		if got := postgres.rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := sqlite.rebind(tc.in); got != tc.in {
			t.Errorf("sqlite rebind changed %q to %q", tc.in, got)
		}
	}
}

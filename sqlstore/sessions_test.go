package sqlstore_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// A browser's User-Agent is stored cut to 256 characters, never inside a
// UTF-8 sequence: PostgreSQL refused the login whose agent was cut by
// bytes mid-character, SQLite stored broken text.
func TestSessionLongNonASCIIUserAgent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		mustImport(t, s, smallTree)
		u := mustUser(t, s, access.System(), "ua-user", safetynet.RoleVillageStaff, "530325002009")
		for _, ua := range []string{
			"A" + strings.Repeat("浏览器", 200),       // cut by bytes at 256 falls inside a character
			strings.Repeat("é", 300),               // two bytes each
			"Mozilla/5.0 \xff\xfe broken \x00 nul", // invalid bytes and NUL from a hostile client
		} {
			if _, _, err := s.CreateSession(ctx, u.ID, sqlstore.SessionWeb, "1.2.3.4", ua); err != nil {
				t.Fatalf("session with agent %.20q: %v", ua, err)
			}
		}
		agents, err := s.StringsForTest(ctx, "SELECT user_agent FROM sessions WHERE user_id = ? ORDER BY created_at, token_hash", u.ID)
		if err != nil || len(agents) != 3 {
			t.Fatalf("agents %q, %v", agents, err)
		}
		for _, a := range agents {
			if !utf8.ValidString(a) || strings.ContainsRune(a, 0) || utf8.RuneCountInString(a) > 256 {
				t.Errorf("stored agent %q: not valid text of at most 256 characters", a)
			}
		}
		if !strings.Contains(strings.Join(agents, "|"), "A浏览器浏览器") || !strings.Contains(strings.Join(agents, "|"), strings.Repeat("é", 256)) {
			t.Errorf("agents not kept up to 256 characters: %q", agents)
		}
	})
}

package httpserver_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"

	"safetynet/httpserver"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestTwoServersOnePostgres runs two servers, as two processes would, on
// one PostgreSQL database: they migrate at the same time, a token from one
// works on the other, failed logins are counted across both, and a user
// disabled on one is logged out on the other.
func TestTwoServersOnePostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	var stores [2]*sqlstore.Store
	var wg sync.WaitGroup
	for i := range stores {
		wg.Add(1)
		go func() { defer wg.Done(); stores[i] = storetest.Open(t, dsn, nil) }()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	one := newEnvWith(t, stores[0])
	srv2, err := httpserver.New(httpserver.Config{Store: stores[1], Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts2 := httptest.NewServer(checkAPI(t, srv2))
	defer ts2.Close()
	two := &env{t: t, srv: srv2, ts: ts2, store: stores[1]}

	tok := one.token("fy-admin")
	if r := two.do("GET", "/api/v1/me", tok, ""); r.status != 200 {
		t.Fatalf("token of server 1 on server 2: %d %s", r.status, r.body)
	}
	for i, e := range []*env{one, two, one, two, one} {
		if r := e.do("POST", "/api/v1/auth/token", "", `{"username":"town","password":"guess"}`); r.status != 401 {
			t.Fatalf("failure %d: %d", i, r.status)
		}
	}
	if r := two.do("POST", "/api/v1/auth/token", "", `{"username":"town","password":"x"}`); r.status != 429 {
		t.Fatalf("throttle across servers: %d", r.status)
	}
	victim := one.token("village")
	id := one.userID("village")
	if r := two.do("PATCH", "/api/v1/users/"+fmtInt(id), tok, `{"disabled":true,"version":1}`); r.status != 200 {
		t.Fatalf("disable on server 2: %d %s", r.status, r.body)
	}
	if r := one.do("GET", "/api/v1/me", victim, ""); r.status != 401 {
		t.Fatalf("disabled user's token on server 1: %d", r.status)
	}
}

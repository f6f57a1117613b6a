// Package e2e drives the real server in headless Chromium on a
// phone-sized screen. Tests skip when Chromium is missing unless
// SAFETYNET_REQUIRE_BROWSER=1 (as in CI), where they fail instead.
package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/httpserver"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// chromiumPath finds the browser or skips (or fails, when required).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("SAFETYNET_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("SAFETYNET_REQUIRE_BROWSER") == "1" {
		t.Fatal("Chromium is required (SAFETYNET_REQUIRE_BROWSER=1) but not installed: apt-get install -y chromium")
	}
	t.Skip("browser tests skipped: Chromium not found (apt-get install -y chromium)")
	return ""
}

// Server is the application under test.
type Server struct {
	URL   string
	Store *sqlstore.Store
	// Cut, when set, drops every connection: the network is gone.
	Cut atomic.Bool
}

// StartServer boots the real server with demo data on a fresh SQLite
// store (PostgreSQL with SAFETYNET_E2E_DB=postgres), its time driven by
// clock if not nil.
func StartServer(t *testing.T, clock ...*storetest.Clock) *Server {
	t.Helper()
	var c *storetest.Clock
	if len(clock) > 0 {
		c = clock[0]
	}
	store := storetest.SQLite(t, c)
	if os.Getenv("SAFETYNET_E2E_DB") == "postgres" { // the same pages over PostgreSQL (SAFETYNET_TEST_POSTGRES)
		store = storetest.Postgres(t, c)
	}
	if _, err := demo.Load(context.Background(), store, demo.Options{}); err != nil {
		t.Fatal(err)
	}
	srv, err := httpserver.New(httpserver.Config{Store: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Store: store}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Cut.Load() {
			// No connection: drop it without an answer, like a phone with no signal.
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	s.URL = ts.URL
	return s
}

// Phone opens a headless browser with a 360×740 touch screen and returns
// its context, cancelled when the test ends.
func Phone(t *testing.T) context.Context {
	t.Helper()
	return PhoneWithin(t, 3*time.Minute)
}

// PhoneWithin is Phone for a test that may take up to d.
func PhoneWithin(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(360, 740),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(bctx, d)
	t.Cleanup(func() { cancelTimeout(); cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatalf("start browser: %v", err)
	}
	return ctx
}

// Login fills the login form as a user would.
func Login(url, username string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(url+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("nav-places")),
	)
}

// Text returns the text of the first element sel finds, failing the test
// if there is none.
func Text[S chromedp.Selectable](t *testing.T, ctx context.Context, sel S) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %v: %v", sel, err)
	}
	return s
}

// Do runs steps within 30 seconds, failing the test on error with a
// screenshot of the page (in SAFETYNET_SCREENSHOTS, or the test's
// temporary directory) and its URL.
func Do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		dir := os.Getenv("SAFETYNET_SCREENSHOTS")
		if dir == "" {
			dir = t.TempDir()
		}
		path := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+"-failure.png")
		if shot, serr := chromedp.Run(ctx, chromedp.CaptureScreenshot()); serr == nil {
			_ = os.WriteFile(path, shot, 0o644)
		}
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%v (page %s, screenshot %s)", err, loc, path)
	}
}

// Logout logs the browser out through the footer's button.
func Logout() chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Click(chromedp.CSS(`footer form button`)),
		chromedp.WaitVisible(chromedp.ID("login-submit")),
	)
}

// AcceptConfirms makes the page's confirm() dialogs answer yes.
func AcceptConfirms() chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`window.confirm = function () { return true; }; undefined`)
}

// actor is a demo user as the store sees them, for setting up a test's
// records directly.
func actor(t *testing.T, srv *Server, name string) access.Actor {
	t.Helper()
	u, err := srv.Store.UserByUsername(context.Background(), access.System(), name)
	if err != nil {
		t.Fatal(err)
	}
	return access.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Place: u.PlaceCode}
}

package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/divisions"
	"safetynet/fieldcrypt"
	"safetynet/httpserver"
	"safetynet/jobs"
	"safetynet/notify"
	"safetynet/sqlstore"
)

// cmdEnv is what commands may touch of the process.
type cmdEnv struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

const defaultDB = "data/safetynet.db"

// dbFlags are the flags every command takes to reach the store.
type dbFlags struct {
	db, keyFile string
}

// flags makes a flag set with the --db and --key-file flags.
func (e cmdEnv) flags(name string) (*flag.FlagSet, *dbFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(flagOutput{Writer: e.stderr, help: e.stdout})
	fs.Usage = func() {} // parse prints it: on stdout when asked for, on stderr after an error
	def := e.getenv("SAFETYNET_DB")
	if def == "" {
		def = defaultDB
	}
	f := &dbFlags{}
	fs.StringVar(&f.db, "db", def, "SQLite file or postgres:// URL (env SAFETYNET_DB)")
	fs.StringVar(&f.keyFile, "key-file", e.getenv("SAFETYNET_KEY_FILE"),
		"file of the key that encrypts ID and phone numbers, created if missing (env SAFETYNET_KEY_FILE; default: beside the SQLite file, or data/safetynet.key)")
	return fs, f
}

// keys loads the field-encryption key: SAFETYNET_KEY if set, else the key
// file, which is created with a new random key the first time.
func (e cmdEnv) keys(f *dbFlags) (*fieldcrypt.Keys, error) {
	if v := e.getenv("SAFETYNET_KEY"); v != "" {
		return fieldcrypt.FromString(v)
	}
	path := f.keyFile
	if path == "" {
		path = filepath.Join("data", "safetynet.key")
		if !sqlstore.IsPostgresDSN(f.db) {
			path = filepath.Join(filepath.Dir(strings.TrimPrefix(f.db, "file:")), "safetynet.key")
		}
	}
	k, created, err := fieldcrypt.LoadOrCreate(path)
	if err != nil {
		return nil, err
	}
	if created {
		fmt.Fprintf(e.stderr, "created the encryption key %s: back it up; without it the stored ID and phone numbers cannot be read\n", path)
	} else if err := fieldcrypt.CheckMode(path); err != nil {
		fmt.Fprintf(e.stderr, "warning: %v\n", err)
	}
	return k, nil
}

// flagOutput is where a flag set writes: errors to Writer (standard
// error), the help asked for with --help to help (standard output).
type flagOutput struct {
	io.Writer
	help io.Writer
}

// printFlags writes a command's usage line and its flags.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: safetynet %s [flags]\n\nFlags:\n", fs.Name())
	old := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(old)
}

// errHelp ends a command whose help was asked for (-h, --help) after its
// usage was printed; run answers it with success.
var errHelp = errors.New("help shown")

// parse parses flags that may come before or after positional arguments
// and returns the positional ones. --help prints the command's own flags
// on standard output.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			out := fs.Output()
			if o, ok := out.(flagOutput); ok {
				out = o.help
			}
			printFlags(out, fs)
			return nil, errHelp
		} else if err != nil {
			printFlags(fs.Output(), fs)
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// open opens and migrates the store and checks its encryption key.
// channels are the outbox channels of notifications.
func (e cmdEnv) open(ctx context.Context, f *dbFlags, channels ...string) (*sqlstore.Store, error) {
	keys, err := e.keys(f)
	if err != nil {
		return nil, err
	}
	s, err := sqlstore.Open(ctx, f.db, sqlstore.Options{Keys: keys, Channels: channels})
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.CheckKey(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (e cmdEnv) logger(format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, nil))
	}
	return slog.New(slog.NewTextHandler(e.stderr, nil))
}

func (e cmdEnv) serve(ctx context.Context, args []string) error {
	fs, db := e.flags("serve")
	defAddr := e.getenv("SAFETYNET_ADDR")
	if defAddr == "" {
		defAddr = "127.0.0.1:8080"
	}
	addr := fs.String("addr", defAddr, "listen address (env SAFETYNET_ADDR)")
	withDemo := fs.Bool("demo", false, "load demo data into an empty store")
	demoHouseholds := fs.Int("demo-households", 400, "synthetic households --demo generates")
	secure := fs.Bool("secure-cookies", e.getenv("SAFETYNET_SECURE_COOKIES") == "1", "mark cookies Secure (behind HTTPS)")
	proxy := fs.Bool("trust-proxy", e.getenv("SAFETYNET_TRUST_PROXY") == "1", "take client addresses from X-Forwarded-For")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	memLimit := fs.Int("memory-limit-mb", defaultMemoryLimitMB, "soft limit of the Go heap in MB (0: none; env GOMEMLIMIT wins)")
	webhook := fs.String("notify-webhook", e.getenv("SAFETYNET_NOTIFY_WEBHOOK"), "URL that receives every notification as JSON (env SAFETYNET_NOTIFY_WEBHOOK)")
	secret := fs.String("notify-secret", e.getenv("SAFETYNET_NOTIFY_SECRET"), "key of the webhook's HMAC signature (env SAFETYNET_NOTIFY_SECRET)")
	escalateEvery := fs.Duration("escalate-every", 30*time.Second, "how often overdue steps are swept up the chain")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	e.setMemoryLimit(*memLimit)
	log := e.logger(*logFormat)
	senders := map[string]notify.Sender{"log": notify.LogSender{Log: log}}
	channel := "log"
	if *webhook != "" {
		ws, err := notify.NewWebhookSenderFromURL(*webhook, *secret)
		if err != nil {
			return fmt.Errorf("--notify-webhook: %w", err)
		}
		senders[ws.Channel()] = ws
		channel = ws.Channel()
	}
	store, err := e.open(ctx, db, channel)
	if err != nil {
		return err
	}
	defer store.Close()
	if *withDemo {
		loaded, err := demo.Load(ctx, store, demo.Options{Households: *demoHouseholds, Seed: 1})
		if err != nil {
			return err
		}
		if loaded {
			log.Info("demo data loaded", "users", len(demo.Users), "households", *demoHouseholds, "password", demo.Password)
		}
	}
	srv, err := httpserver.New(httpserver.Config{Store: store, Logger: log, Version: version, SecureCookies: *secure, TrustProxy: *proxy})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	loops := jobs.Start(ctx, jobs.Standard(jobs.Config{Store: store, Senders: senders, Log: log, EscalateEvery: *escalateEvery})...)
	log.Info("safetynet listening", "url", "http://"+ln.Addr().String(), "db", store.Dialect(), "version", version)
	fmt.Fprintf(e.stdout, "safetynet %s listening on http://%s\n", version, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		loops.Stop()
		return err
	case <-ctx.Done():
	}
	// HTTP first, so no request finds the background loops gone.
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = hs.Shutdown(shutCtx)
	loops.Stop()
	log.Info("safetynet stopped")
	return err
}

func (e cmdEnv) migrate(ctx context.Context, args []string) error {
	fs, db := e.flags("migrate")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	s, err := sqlstore.Open(ctx, db.db, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	applied, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "schema at version %d (%d applied now)\n", v, len(applied))
	return nil
}

func (e cmdEnv) placesImport(ctx context.Context, args []string) error {
	fs, db := e.flags("places import")
	dry := fs.Bool("dry-run", false, "check the file and report without saving")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: safetynet places import FILE.csv [--dry-run] [--db …]")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	rows, rowErrs, err := divisions.Parse(f)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if len(rowErrs) > 0 {
		return reportRowErrors(e.stderr, pos[0], rowErrs)
	}
	s, err := e.open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := s.ImportPlaces(ctx, access.System(), rows, *dry)
	if len(rep.Errors) > 0 {
		return reportRowErrors(e.stderr, pos[0], rep.Errors)
	}
	if err != nil {
		return err
	}
	verb := "imported"
	if *dry {
		verb = "checked (dry run, nothing saved)"
	}
	fmt.Fprintf(e.stdout, "%s %s: %d rows, %d created, %d updated, %d unchanged\n", verb, pos[0], rep.Rows, rep.Created, rep.Updated, rep.Unchanged)
	return nil
}

func reportRowErrors(w io.Writer, file string, errs []safetynet.RowError) error {
	for _, e := range errs {
		fmt.Fprintf(w, "%s:%d: %s\n", file, e.Row, e.EN)
	}
	return fmt.Errorf("%s: %d rows rejected; nothing was changed", file, len(errs))
}

func (e cmdEnv) user(ctx context.Context, sub string, args []string) error {
	if sub != "add" && sub != "passwd" && sub != "disable" && sub != "enable" {
		return fmt.Errorf("unknown user command %q: use add, passwd, disable or enable", sub)
	}
	// Each subcommand has its own flags, so that its --help lists only them.
	fs, db := e.flags("user " + sub)
	username := fs.String("username", "", "username")
	var role, place, display string
	var fromStdin, mustChange bool
	if sub == "add" {
		fs.StringVar(&role, "role", "", "role: grid_worker, village_staff, town_officer, county_officer, department, social_worker, volunteer, inspector or admin")
		fs.StringVar(&place, "place", "", "place code of the user's scope")
		fs.StringVar(&display, "display-name", "", "display name")
	}
	if sub == "add" || sub == "passwd" {
		fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input (else a temporary one is made)")
		fs.BoolVar(&mustChange, "must-change", false, "make the user change the password at next login")
	}
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *username == "" {
		return fmt.Errorf("--username is required")
	}
	s, err := e.open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	sys := access.System()
	switch sub {
	case "add":
		pw, generated, err := e.password(fromStdin)
		if err != nil {
			return err
		}
		u, err := s.CreateUser(ctx, sys, safetynet.NewUser{Username: *username, DisplayName: display, Role: safetynet.Role(role),
			PlaceCode: place, Password: pw, MustChangePassword: mustChange || generated})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created user %s (id %d, %s at %s)\n", u.Username, u.ID, u.Role, u.PlaceName)
		if generated {
			fmt.Fprintf(e.stdout, "temporary password (to be changed at first login): %s\n", pw)
		}
		return nil
	case "passwd":
		u, err := s.UserByUsername(ctx, sys, *username)
		if err != nil {
			return err
		}
		pw, generated, err := e.password(fromStdin)
		if err != nil {
			return err
		}
		if err := s.ResetPassword(ctx, sys, u.ID, pw, mustChange || generated); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "password of %s changed; their sessions ended\n", u.Username)
		if generated {
			fmt.Fprintf(e.stdout, "temporary password (to be changed at next login): %s\n", pw)
		}
		return nil
	case "disable", "enable":
		u, err := s.UserByUsername(ctx, sys, *username)
		if err != nil {
			return err
		}
		off := sub == "disable"
		if _, err := s.UpdateUser(ctx, sys, u.ID, safetynet.UserUpdate{Disabled: &off}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s %sd\n", u.Username, sub)
		return nil
	}
	return fmt.Errorf("unknown user command %q: use add, passwd, disable or enable", sub)
}

// password reads a password from stdin, or makes a random one.
func (e cmdEnv) password(fromStdin bool) (pw string, generated bool, err error) {
	if !fromStdin {
		b := make([]byte, 12)
		if _, err := rand.Read(b); err != nil {
			return "", false, err
		}
		return base64.RawURLEncoding.EncodeToString(b), true, nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, err
	}
	pw = strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", false, fmt.Errorf("no password on standard input")
	}
	return pw, false, nil
}

func (e cmdEnv) demo(ctx context.Context, args []string) error {
	fs, db := e.flags("demo")
	households := fs.Int("households", 0, "synthetic households to generate (added to an existing demo too)")
	seed := fs.Uint64("seed", 1, "seed of the generator; the same seed gives the same households")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	s, err := e.open(ctx, db)
	if err != nil {
		return err
	}
	defer s.Close()
	loaded, err := demo.Load(ctx, s, demo.Options{})
	if err != nil {
		return err
	}
	if loaded {
		fmt.Fprintf(e.stdout, "demo places and %d users loaded, password %q\n", len(demo.Users), demo.Password)
	}
	if *households > 0 {
		start := time.Now()
		err := demo.AddHouseholds(ctx, s, *households, *seed, func(done int) {
			if done%10000 == 0 || done == *households {
				fmt.Fprintf(e.stdout, "%d/%d households (%s)\n", done, *households, time.Since(start).Round(time.Second))
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// defaultMemoryLimitMB keeps a county's server well under 300 MB of
// memory: the garbage collector works harder as the heap nears the limit
// (a soft limit: nothing fails when the live data needs more).
const defaultMemoryLimitMB = 192

func (e cmdEnv) setMemoryLimit(mb int) {
	if e.getenv("GOMEMLIMIT") != "" || mb <= 0 {
		return
	}
	debug.SetMemoryLimit(int64(mb) << 20)
}

// Command safetynet runs the safetynet server and its administration
// commands. See "safetynet help".
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "safetynet:", err)
		os.Exit(1)
	}
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `safetynet — grassroots social assistance platform (社会救助安全网)

Usage:
  safetynet serve [--addr 127.0.0.1:8080] [--db FILE_OR_POSTGRES_URL] [--demo]
  safetynet migrate [--db …]
  safetynet places import FILE.csv [--dry-run] [--db …]
  safetynet import LEDGER.xlsx|LEDGER.csv --as USERNAME [--place CODE] [--dry-run] [--db …]
  safetynet user add --username NAME --role ROLE --place CODE [--display-name NAME] [--password-stdin] [--db …]
  safetynet user passwd --username NAME [--password-stdin] [--must-change] [--db …]
  safetynet user disable|enable --username NAME [--db …]
  safetynet demo [--households N] [--seed S] [--db …]
  safetynet bench [--suite register,relay] [--user county] [--searches 400] [--pages 300] [--import-rows 100000]
                  [--clients 200] [--duration 60s] [--open-items 100000] [--village-user village] [--village-items 5000] [--db …]
  safetynet rules screen [--place CODE] [--db …]
  safetynet rules test FILE.json [--db …]
  safetynet feed import FILE.xlsx|FILE.csv --department CODE --as USERNAME [--county CODE] [--mapping MAPPING.json]
                  [--type EVENT_TYPE] [--db …]
  safetynet visits plan [--db …]
  safetynet generate-activity [--months 12] [--seed 1] [--scale 1] [--end DATE] [--force] [--db …]
  safetynet version

The database is a SQLite file (default data/safetynet.db) or a postgres:// URL,
from --db or the environment variable SAFETYNET_DB. serve listens on --addr or
SAFETYNET_ADDR. Roles: grid_worker, village_staff, town_officer, county_officer,
department, social_worker, volunteer, inspector, admin.
`

// run is the whole program; main only supplies the process's environment.
// A command's --help prints its flags on stdout and succeeds.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if err := dispatch(ctx, args, getenv, stdin, stdout, stderr); !errors.Is(err, errHelp) {
		return err
	}
	return nil
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

func dispatch(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	env := cmdEnv{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return env.serve(ctx, rest)
	case "migrate":
		return env.migrate(ctx, rest)
	case "places":
		if len(rest) > 0 && rest[0] == "import" {
			return env.placesImport(ctx, rest[1:])
		}
		if len(rest) > 0 && isHelp(rest[0]) {
			fmt.Fprintln(stdout, "Usage: safetynet places import FILE.csv [--dry-run] [--db …]")
			return nil
		}
		return fmt.Errorf("usage: safetynet places import FILE.csv [--dry-run] [--db …]")
	case "user":
		if len(rest) > 0 && isHelp(rest[0]) {
			fmt.Fprintln(stdout, "Usage: safetynet user add|passwd|disable|enable --username NAME … (safetynet user add --help lists the flags)")
			return nil
		}
		if len(rest) == 0 {
			return fmt.Errorf("usage: safetynet user add|passwd|disable|enable …")
		}
		return env.user(ctx, rest[0], rest[1:])
	case "demo":
		return env.demo(ctx, rest)
	case "bench":
		return env.bench(ctx, rest)
	case "import":
		return env.importLedger(ctx, rest)
	case "rules":
		return env.rulesCmd(ctx, rest)
	case "feed":
		return env.feedCmd(ctx, rest)
	case "visits":
		return env.visitsCmd(ctx, rest)
	case "generate-activity":
		return env.activityCmd(ctx, rest)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "safetynet", version)
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

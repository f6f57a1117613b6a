package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"safetynet/demo"
)

// TestHelp: every command's --help (and -h) prints its own flags on
// standard output and succeeds; user's subcommands list only theirs.
func TestHelp(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		want, not []string
	}{
		{[]string{"--help"}, []string{"Usage:", "safetynet serve"}, nil},
		{[]string{"serve", "--help"}, []string{"-addr", "-db"}, nil},
		{[]string{"migrate", "-h"}, []string{"-db"}, nil},
		{[]string{"places", "import", "--help"}, []string{"-dry-run", "-db"}, nil},
		{[]string{"places", "--help"}, []string{"places import"}, nil},
		{[]string{"import", "--help"}, []string{"-as", "-db"}, nil},
		{[]string{"demo", "--help"}, []string{"-households", "-db"}, nil},
		{[]string{"bench", "--help"}, []string{"-suite", "-db"}, nil},
		{[]string{"rules", "--help"}, []string{"rules screen", "rules test"}, nil},
		{[]string{"rules", "screen", "--help"}, []string{"-place", "-db"}, nil},
		{[]string{"feed", "import", "--help"}, []string{"-department", "-as", "-mapping", "-type", "-db"}, nil},
		{[]string{"user", "--help"}, []string{"add|passwd|disable|enable"}, nil},
		{[]string{"user", "add", "--help"}, []string{"-username", "-role", "-place", "-display-name", "-password-stdin", "-must-change"}, nil},
		{[]string{"user", "passwd", "--help"}, []string{"-username", "-password-stdin", "-must-change"}, []string{"-role", "-place", "-display-name"}},
		{[]string{"user", "disable", "--help"}, []string{"-username"}, []string{"-role", "-place", "-password-stdin", "-must-change"}},
		{[]string{"user", "enable", "-h"}, []string{"-username"}, []string{"-role", "-password-stdin"}},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), tc.args, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
		name := strings.Join(tc.args, " ")
		if err != nil || errb.Len() > 0 {
			t.Errorf("%s: %v, stderr %q", name, err, errb.String())
		}
		for _, w := range tc.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: output lacks %q:\n%s", name, w, out.String())
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out.String(), n+" ") {
				t.Errorf("%s: output lists %q, a flag of another command:\n%s", name, n, out.String())
			}
		}
	}
	// A wrong flag still fails, with the usage on stderr.
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"migrate", "--nope"}, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
	if err == nil || !strings.Contains(errb.String(), "-db") || out.Len() > 0 {
		t.Errorf("bad flag: %v, stdout %q, stderr %q", err, out.String(), errb.String())
	}
}

// TestReadmeListsDemoUsers: the README's demo table names every demo login.
func TestReadmeListsDemoUsers(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "## Demo logins")
	if start < 0 {
		t.Fatal("README has no Demo logins section")
	}
	section := readme[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	for _, u := range demo.Users {
		if !strings.Contains(section, "`"+u.Username+"`") {
			t.Errorf("README's demo logins omit %s (%s)", u.Username, u.DisplayName)
		}
	}
}

package fieldcrypt

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// keyB64 is the base64 form of the master key filled with 0x01.
var keyB64 = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, KeySize))

func TestLoadOrCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "safetynet.key")
	k1, created, err := LoadOrCreate(path)
	if err != nil || !created {
		t.Fatalf("first LoadOrCreate = %v, created %v", err, created)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), keyPrefix) || !strings.HasSuffix(string(data), "\n") ||
		strings.Count(string(data), "\n") != 1 || len(data) != len(keyPrefix)+44+1 {
		t.Errorf("key file = %d bytes, not one %q line", len(data), keyPrefix)
	}
	if runtime.GOOS != "windows" {
		fi, _ := os.Stat(path)
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("key file mode = %04o, want 0600", perm)
		}
		di, _ := os.Stat(filepath.Dir(path))
		if perm := di.Mode().Perm(); perm != 0o700 {
			t.Errorf("key directory mode = %04o, want 0700", perm)
		}
	}
	if err := CheckMode(path); err != nil {
		t.Errorf("CheckMode = %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("key directory holds %d entries, want only the key file", len(entries))
	}

	k2, created, err := LoadOrCreate(path)
	if err != nil || created {
		t.Fatalf("second LoadOrCreate = %v, created %v", err, created)
	}
	if k1.KeyID() != k2.KeyID() {
		t.Errorf("KeyID changed from %s to %s", k1.KeyID(), k2.KeyID())
	}
	ct, _ := k1.Encrypt("13800138000", ctxPhone)
	if pt, err := k2.Decrypt(ct, ctxPhone); err != nil || pt != "13800138000" {
		t.Errorf("reloaded key: Decrypt = %q, %v", pt, err)
	}
	k3, err := FromString(string(data))
	if err != nil || k3.KeyID() != k1.KeyID() {
		t.Errorf("FromString(key file) = %v, %v", k3, err)
	}
}

func TestLoadOrCreateConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "safetynet.key")
	const n = 8
	type result struct {
		id      string
		created bool
		err     error
	}
	results := make(chan result, n)
	start := make(chan struct{})
	for range n {
		go func() {
			<-start
			k, created, err := LoadOrCreate(path)
			if err != nil {
				results <- result{err: err}
				return
			}
			results <- result{k.KeyID(), created, nil}
		}()
	}
	close(start)
	ids := map[string]bool{}
	creators := 0
	for range n {
		r := <-results
		if r.err != nil {
			t.Fatal(r.err)
		}
		ids[r.id] = true
		if r.created {
			creators++
		}
	}
	if len(ids) != 1 || creators != 1 {
		t.Errorf("got %d key IDs and %d creators; want 1 and 1", len(ids), creators)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("key directory holds %d entries, want only the key file", len(entries))
	}
}

func TestLoadOrCreateMalformed(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, content string }{
		{"empty", ""},
		{"no prefix", keyB64 + "\n"},
		{"wrong version", "safetynet-key-v2:" + keyB64 + "\n"},
		{"bad base64", keyPrefix + "not*base64!\n"},
		{"short key", keyPrefix + base64.StdEncoding.EncodeToString(make([]byte, 16)) + "\n"},
		{"long key", keyPrefix + base64.StdEncoding.EncodeToString(make([]byte, 33)) + "\n"},
		{"second line", keyPrefix + keyB64 + "\nextra\n"},
		{"unpadded", keyPrefix + strings.TrimRight(keyB64, "=") + "\n"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
		if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		k, created, err := LoadOrCreate(path)
		if !errors.Is(err, ErrKeyFormat) || k != nil || created {
			t.Errorf("%s: LoadOrCreate = %v, %v, %v; want ErrKeyFormat", tc.name, k, created, err)
		}
		if err != nil && strings.Contains(err.Error(), keyB64[:20]) {
			t.Errorf("%s: error message contains key material: %v", tc.name, err)
		}
		if data, _ := os.ReadFile(path); string(data) != tc.content {
			t.Errorf("%s: LoadOrCreate changed a malformed key file", tc.name)
		}
	}
}

func TestLoadOrCreateAcceptsLineEndings(t *testing.T) {
	dir := t.TempDir()
	want := testKeys(t, 1).KeyID()
	for _, content := range []string{keyPrefix + keyB64, keyPrefix + keyB64 + "\n", keyPrefix + keyB64 + "\r\n"} {
		path := filepath.Join(dir, "k")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		k, created, err := LoadOrCreate(path)
		if err != nil || created || k.KeyID() != want {
			t.Errorf("LoadOrCreate(%q...) = %v, %v, %v", content[:20], k, created, err)
		}
	}
}

func TestCheckMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("permission bits do not apply on Windows")
	}
	path := filepath.Join(t.TempDir(), "k")
	if err := os.WriteFile(path, []byte(keyPrefix+keyB64+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		mode os.FileMode
		ok   bool
	}{{0o600, true}, {0o400, true}, {0o640, false}, {0o644, false}, {0o602, false}} {
		if err := os.Chmod(path, tc.mode); err != nil {
			t.Fatal(err)
		}
		if err := CheckMode(path); (err == nil) != tc.ok {
			t.Errorf("CheckMode(%04o) = %v, want ok %v", tc.mode, err, tc.ok)
		}
		// A loose mode is a warning, not a load error.
		if _, _, err := LoadOrCreate(path); err != nil {
			t.Errorf("LoadOrCreate(mode %04o) = %v", tc.mode, err)
		}
	}
	if err := CheckMode(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("CheckMode accepted a missing file")
	}
}

func TestFromString(t *testing.T) {
	want := testKeys(t, 1).KeyID()
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"prefixed", keyPrefix + keyB64, true},
		{"plain base64", keyB64, true},
		{"surrounding space", "  " + keyPrefix + keyB64 + "\n", true},
		{"empty", "", false},
		{"prefix only", keyPrefix, false},
		{"wrong prefix", "safetynet-key-v2:" + keyB64, false},
		{"bad base64", "%%%%", false},
		{"url base64", base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, KeySize)), false},
		{"short key", base64.StdEncoding.EncodeToString(make([]byte, 31)), false},
		{"hex", strings.Repeat("01", KeySize), false},
	} {
		k, err := FromString(tc.in)
		switch {
		case tc.ok && (err != nil || k.KeyID() != want):
			t.Errorf("%s: FromString = %v, %v; want key %s", tc.name, k, err, want)
		case !tc.ok && !errors.Is(err, ErrKeyFormat):
			t.Errorf("%s: FromString = %v, %v; want ErrKeyFormat", tc.name, k, err)
		}
	}
}

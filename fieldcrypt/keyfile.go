package fieldcrypt

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// keyPrefix starts the text form of a master key.
const keyPrefix = "safetynet-key-v1:"

// ErrKeyFormat reports a key file or key string that is not in the
// expected format. Its messages never contain the key text.
var ErrKeyFormat = errors.New("fieldcrypt: malformed key")

// FromString parses a master key given in configuration, either as
// "safetynet-key-v1:<base64>" or as plain standard base64 of 32 bytes.
// Surrounding white space is ignored.
func FromString(s string) (*Keys, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, keyPrefix)
	master, err := decodeKey(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrKeyFormat, err)
	}
	defer clear(master)
	return New(master)
}

// decodeKey decodes standard base64 of exactly KeySize bytes. Its errors
// do not echo the input.
func decodeKey(b64 string) ([]byte, error) {
	master, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil {
		return nil, errors.New("not valid standard base64")
	}
	if len(master) != KeySize {
		clear(master)
		return nil, fmt.Errorf("decodes to %d bytes, want %d", len(master), KeySize)
	}
	return master, nil
}

// parseKeyFile parses the contents of a key file: one line
// "safetynet-key-v1:<base64>", optionally followed by a line break.
func parseKeyFile(data []byte, path string) (*Keys, error) {
	s := strings.TrimSuffix(string(data), "\n")
	s = strings.TrimSuffix(s, "\r")
	if !strings.HasPrefix(s, keyPrefix) {
		return nil, fmt.Errorf("%w: %s: does not start with %q", ErrKeyFormat, path, keyPrefix)
	}
	master, err := decodeKey(s[len(keyPrefix):])
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %s", ErrKeyFormat, path, err)
	}
	defer clear(master)
	return New(master)
}

// LoadOrCreate loads the master key from the key file at path. If the
// file does not exist it creates it with a new random key, mode 0600,
// creating the parent directory with mode 0700 if needed, and reports
// created == true.
//
// Creation is atomic and race-free: the key is written and synced to a
// temporary file in the same directory, which is then hard-linked to
// path. Linking fails if path already exists, in which case the existing
// key is loaded instead, so processes starting at the same time all end
// up with the same key.
//
// LoadOrCreate does not refuse a key file that group or others can read;
// call [CheckMode] and log its result as a warning.
func LoadOrCreate(path string) (k *Keys, created bool, err error) {
	data, err := os.ReadFile(path)
	if err == nil {
		k, err := parseKeyFile(data, path)
		return k, false, err
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("fieldcrypt: read key file: %w", err)
	}

	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("fieldcrypt: create key directory: %w", err)
	}
	master := make([]byte, KeySize)
	defer clear(master)
	rand.Read(master) // never returns an error since Go 1.24
	line := []byte(keyPrefix + base64.StdEncoding.EncodeToString(master) + "\n")
	defer clear(line)

	tmp, err := writeTemp(dir, filepath.Base(path), line)
	if err != nil {
		return nil, false, err
	}
	defer os.Remove(tmp)

	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			// Another process won the race; use its key.
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, false, fmt.Errorf("fieldcrypt: read key file: %w", err)
			}
			k, err := parseKeyFile(data, path)
			return k, false, err
		}
		return nil, false, fmt.Errorf("fieldcrypt: install key file: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return nil, false, err
	}
	k, err = New(master)
	if err != nil {
		return nil, false, err
	}
	return k, true, nil
}

// writeTemp writes data to a new 0600 temporary file in dir, syncs and
// closes it, and returns its name.
func writeTemp(dir, base string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("fieldcrypt: create temporary key file: %w", err)
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", fmt.Errorf("fieldcrypt: write temporary key file: %w", err)
	}
	// CreateTemp uses 0600 already; Chmod guards against other platforms.
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("fieldcrypt: write temporary key file: %w", err)
	}
	return name, nil
}

// syncDir makes the new directory entry durable. Windows cannot sync a
// directory, so it is skipped there.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("fieldcrypt: sync key directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fieldcrypt: sync key directory: %w", err)
	}
	return nil
}

// CheckMode returns an error if the key file at path can be read or
// written by group or others. LoadOrCreate does not call it; callers log
// a non-nil result as a warning. It always returns nil on Windows, where
// permission bits do not apply.
func CheckMode(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("fieldcrypt: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("fieldcrypt: key file %s has mode %04o, want 0600", path, perm)
	}
	return nil
}

package fieldcrypt

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const (
	ctxID    = "person.id_number"
	ctxPhone = "person.phone"
)

// testKeys returns keys from a master key filled with b.
func testKeys(t testing.TB, b byte) *Keys {
	t.Helper()
	k, err := New(bytes.Repeat([]byte{b}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestNewKeyLength(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("New accepted a %d-byte key", n)
		}
	}
	if _, err := New(make([]byte, KeySize)); err != nil {
		t.Errorf("New(32 bytes) = %v", err)
	}
}

func TestKeyID(t *testing.T) {
	a, b := testKeys(t, 1), testKeys(t, 2)
	if len(a.KeyID()) != 8 || a.KeyID() == b.KeyID() {
		t.Errorf("KeyID = %q, %q; want two different 8-digit IDs", a.KeyID(), b.KeyID())
	}
	if a.KeyID() != testKeys(t, 1).KeyID() {
		t.Error("KeyID differs for the same master key")
	}
	for _, s := range []string{fmt.Sprint(a), fmt.Sprintf("%+v", *a), fmt.Sprintf("%#v", a)} {
		if !strings.Contains(s, a.KeyID()) || strings.Contains(s, "macs") {
			t.Errorf("printed Keys = %q; want only the key ID", s)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	k := testKeys(t, 1)
	for _, tc := range []struct{ name, pt, ctx string }{
		{"id number", "11010519491231002X", ctxID},
		{"phone", "13800138000", ctxPhone},
		{"chinese", "北京市朝阳区腰站社区 张三", "person.address"},
		{"one byte", "x", ctxID},
		{"empty context", "value", ""},
		{"long", strings.Repeat("长", 10000), ctxID},
	} {
		ct, err := k.Encrypt(tc.pt, tc.ctx)
		if err != nil {
			t.Fatalf("%s: Encrypt: %v", tc.name, err)
		}
		if len(ct) != len(tc.pt)+Overhead || ct[0] != Version {
			t.Errorf("%s: len %d, version %#x; want %d, %#x", tc.name, len(ct), ct[0], len(tc.pt)+Overhead, Version)
		}
		if len(tc.pt) >= 8 && bytes.Contains(ct, []byte(tc.pt)) {
			t.Errorf("%s: ciphertext contains the plaintext", tc.name)
		}
		got, err := k.Decrypt(ct, tc.ctx)
		if err != nil || got != tc.pt {
			t.Errorf("%s: Decrypt = %q, %v", tc.name, got, err)
		}
	}
}

func TestEmpty(t *testing.T) {
	k := testKeys(t, 1)
	if ct, err := k.Encrypt("", ctxID); ct != nil || err != nil {
		t.Errorf(`Encrypt("") = %x, %v; want nil, nil`, ct, err)
	}
	for _, ct := range [][]byte{nil, {}} {
		if pt, err := k.Decrypt(ct, ctxID); pt != "" || err != nil {
			t.Errorf("Decrypt(%#v) = %q, %v; want empty", ct, pt, err)
		}
	}
	if ix := k.Index("", ctxID); ix != nil {
		t.Errorf(`Index("") = %x; want nil`, ix)
	}
}

func TestDecryptErrors(t *testing.T) {
	const secret = "11010519491231002X"
	k := testKeys(t, 1)
	ct, err := k.Encrypt(secret, ctxID)
	if err != nil {
		t.Fatal(err)
	}
	modified := func(f func(b []byte) []byte) []byte {
		return f(bytes.Clone(ct))
	}
	for _, tc := range []struct {
		name string
		keys *Keys
		ct   []byte
		ctx  string
		want error
	}{
		{"wrong key", testKeys(t, 2), ct, ctxID, ErrAuth},
		{"wrong context", k, ct, ctxPhone, ErrAuth},
		{"flipped nonce", k, modified(func(b []byte) []byte { b[1] ^= 1; return b }), ctxID, ErrAuth},
		{"flipped body", k, modified(func(b []byte) []byte { b[15] ^= 0x80; return b }), ctxID, ErrAuth},
		{"flipped tag", k, modified(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), ctxID, ErrAuth},
		{"truncated", k, ct[:len(ct)-1], ctxID, ErrAuth},
		{"appended", k, append(bytes.Clone(ct), 0), ctxID, ErrAuth},
		{"wrong version", k, modified(func(b []byte) []byte { b[0] = 2; return b }), ctxID, ErrMalformed},
		{"short", k, ct[:Overhead-1], ctxID, ErrMalformed},
		{"version only", k, []byte{Version}, ctxID, ErrMalformed},
	} {
		pt, err := tc.keys.Decrypt(tc.ct, tc.ctx)
		if !errors.Is(err, tc.want) || pt != "" {
			t.Errorf("%s: Decrypt = %q, %v; want error %v", tc.name, pt, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: error message contains the plaintext: %v", tc.name, err)
		}
	}
}

// TestFormat checks the documented format with plain standard-library
// calls, so that another implementation can follow the package doc.
func TestFormat(t *testing.T) {
	master := bytes.Repeat([]byte{7}, KeySize)
	k, err := New(master)
	if err != nil {
		t.Fatal(err)
	}
	encKey, _ := hkdf.Key(sha256.New, master, nil, "safetynet field encryption v1", 32)
	block, _ := aes.NewCipher(encKey)
	gcm, _ := cipher.NewGCM(block)
	ct, _ := k.Encrypt("张三 13800138000", ctxPhone)
	pt, err := gcm.Open(nil, ct[1:13], ct[13:], []byte(ctxPhone))
	if ct[0] != 0x01 || err != nil || string(pt) != "张三 13800138000" {
		t.Errorf("manual GCM open = %q, %v (version %#x)", pt, err, ct[0])
	}
	idxKey, _ := hkdf.Key(sha256.New, master, nil, "safetynet blind index v1", 32)
	m := hmac.New(sha256.New, idxKey)
	m.Write([]byte(ctxPhone + "\x0013800138000"))
	if want, got := m.Sum(nil)[:16], k.Index("13800138000", ctxPhone); !bytes.Equal(got, want) {
		t.Errorf("Index = %x, want %x", got, want)
	}
	sum := sha256.Sum256(master)
	if want := fmt.Sprintf("%x", sum[:4]); k.KeyID() != want {
		t.Errorf("KeyID = %s, want %s", k.KeyID(), want)
	}
}

func TestNonceUniqueness(t *testing.T) {
	k := testKeys(t, 1)
	seen := map[string]bool{}
	for range 1000 {
		ct, err := k.Encrypt("13800138000", ctxPhone)
		if err != nil {
			t.Fatal(err)
		}
		if seen[string(ct)] {
			t.Fatal("two encryptions of the same value are equal")
		}
		seen[string(ct)] = true
	}
}

func TestIndex(t *testing.T) {
	k1, k2 := testKeys(t, 1), testKeys(t, 2)
	const id = "11010519491231002X"
	base := k1.Index(id, ctxID)
	if len(base) != IndexSize {
		t.Fatalf("len(Index) = %d, want %d", len(base), IndexSize)
	}
	for _, tc := range []struct {
		name  string
		index []byte
		equal bool
	}{
		{"same value", k1.Index(id, ctxID), true},
		{"same value, new Keys", testKeys(t, 1).Index(id, ctxID), true},
		{"other value", k1.Index("110105194912310021", ctxID), false},
		{"other context", k1.Index(id, ctxPhone), false},
		{"other key", k2.Index(id, ctxID), false},
		{"context/value boundary", k1.Index(id[1:], ctxID+id[:1]), false},
	} {
		if got := bytes.Equal(tc.index, base); got != tc.equal {
			t.Errorf("%s: equal = %v, want %v", tc.name, got, tc.equal)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	k := testKeys(t, 1)
	want := k.Index("11010519491231002X", ctxID)
	done := make(chan error)
	for i := range 8 {
		go func() {
			var err error
			for j := range 200 {
				v := fmt.Sprintf("1380013%04d", i*1000+j)
				ct, _ := k.Encrypt(v, ctxPhone)
				if got, e := k.Decrypt(ct, ctxPhone); e != nil || got != v {
					err = fmt.Errorf("Decrypt = %q, %v; want %q", got, e, v)
				}
				if ix := k.Index("11010519491231002X", ctxID); !bytes.Equal(ix, want) {
					err = fmt.Errorf("Index = %x, want %x", ix, want)
				}
				_ = k.Index(v, ctxPhone)
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func BenchmarkEncrypt(b *testing.B) {
	k := testKeys(b, 1)
	for b.Loop() {
		if _, err := k.Encrypt("11010519491231002X", ctxID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecrypt(b *testing.B) {
	k := testKeys(b, 1)
	ct, _ := k.Encrypt("11010519491231002X", ctxID)
	for b.Loop() {
		if _, err := k.Decrypt(ct, ctxID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIndex(b *testing.B) {
	k := testKeys(b, 1)
	for b.Loop() {
		k.Index("11010519491231002X", ctxID)
	}
}

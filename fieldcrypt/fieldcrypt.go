// Package fieldcrypt encrypts sensitive register fields (resident ID
// numbers, phone numbers) at rest and computes keyed blind indexes for
// exact lookup and duplicate detection without storing the plaintext, as
// PIPL expects for sensitive personal information.
//
// # Keys
//
// Everything derives from one 32-byte random master key. HKDF-SHA256
// (no salt) expands it into two independent 32-byte subkeys:
//
//	info "safetynet field encryption v1" -> AES-256-GCM key
//	info "safetynet blind index v1"      -> HMAC-SHA256 key
//
// The key ID is the hex form of the first 4 bytes of SHA-256(master key).
// Store it next to the data so that starting with the wrong key is
// detected before anything is written. The master key itself is not kept
// in memory after [New] returns.
//
// A key file (see [LoadOrCreate]) holds exactly one line:
//
//	safetynet-key-v1:<standard base64 of the 32 key bytes>\n
//
// [FromString] accepts the same text, or plain base64 of 32 bytes, for a
// key given in configuration (e.g. env SAFETYNET_KEY).
//
// # Ciphertext format
//
//	0x01 (version) || 12-byte random nonce || AES-256-GCM ciphertext+tag
//
// That is 29 bytes of overhead. The context string (e.g.
// "person.id_number") is the GCM additional authenticated data, so a
// ciphertext copied to another column fails to decrypt.
//
// # Blind index
//
//	HMAC-SHA256(index key, context || 0x00 || value)[:16]
//
// Equal values under the same key and context give equal indexes;
// different contexts or keys give unrelated ones.
//
// # Rules
//
//   - Never log or print plaintext or keys; error messages of this package
//     contain neither, and a Keys value prints only its key ID.
//   - Use one fixed context per column, e.g. "person.id_number". Contexts
//     must not contain a NUL byte.
//   - Normalise values before [Keys.Index] (trim spaces, upper-case the
//     final X of an ID number, drop a +86 prefix): the index matches
//     exact bytes only.
//   - The empty string is not encrypted: Encrypt("") is nil and
//     Decrypt(nil) is "", so empty optional fields stay empty. An empty
//     ciphertext is therefore not authenticated.
//   - Random 96-bit nonces limit one key to 2^32 encryptions; rotate the
//     key well before that.
//   - Losing the master key makes all encrypted fields unreadable; back
//     up the key file separately from the database.
//
// A *Keys is safe for concurrent use by multiple goroutines.
package fieldcrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"sync"
)

// KeySize is the length of the master key in bytes.
const KeySize = 32

// IndexSize is the length of a blind index in bytes.
const IndexSize = 16

// Version is the first byte of every ciphertext written by this package.
const Version byte = 0x01

const (
	infoEncryption = "safetynet field encryption v1"
	infoIndex      = "safetynet blind index v1"
	nonceSize      = 12
	tagSize        = 16
)

// Overhead is the ciphertext length minus the plaintext length: the
// version byte, the nonce and the GCM tag.
const Overhead = 1 + nonceSize + tagSize

// ErrMalformed reports a ciphertext that is too short or has an unknown
// version byte.
var ErrMalformed = errors.New("fieldcrypt: malformed ciphertext")

// ErrAuth reports a ciphertext that fails authentication: it was
// encrypted with another key or context, or it was tampered with.
var ErrAuth = errors.New("fieldcrypt: decryption failed (wrong key, wrong context, or tampered data)")

// Keys holds the subkeys derived from one master key. Create it with
// [New], [FromString] or [LoadOrCreate]; the zero value is not usable.
type Keys struct {
	aead cipher.AEAD // AES-256-GCM with random nonces
	macs *sync.Pool  // of keyed HMAC-SHA256 hash.Hash, reset after use
	id   string
}

// New derives the keys from a master key of exactly [KeySize] bytes. The
// caller may overwrite master afterwards.
func New(master []byte) (*Keys, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("fieldcrypt: master key is %d bytes, want %d", len(master), KeySize)
	}
	encKey, err := hkdf.Key(sha256.New, master, nil, infoEncryption, 32)
	if err != nil {
		return nil, fmt.Errorf("fieldcrypt: derive encryption key: %w", err)
	}
	idxKey, err := hkdf.Key(sha256.New, master, nil, infoIndex, 32)
	if err != nil {
		return nil, fmt.Errorf("fieldcrypt: derive index key: %w", err)
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, fmt.Errorf("fieldcrypt: %w", err)
	}
	// NewGCMWithRandomNonce draws a fresh 12-byte nonce from crypto/rand
	// for every Seal and prepends it to the output.
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("fieldcrypt: %w", err)
	}
	if aead.Overhead() != nonceSize+tagSize {
		return nil, fmt.Errorf("fieldcrypt: unexpected GCM overhead %d", aead.Overhead())
	}
	macs := &sync.Pool{New: func() any { return hmac.New(sha256.New, idxKey) }}
	sum := sha256.Sum256(master)
	return &Keys{aead: aead, macs: macs, id: hex.EncodeToString(sum[:4])}, nil
}

// KeyID returns the key ID: 8 hex digits from SHA-256 of the master key.
// It identifies the key without revealing it.
func (k *Keys) KeyID() string { return k.id }

// String returns a description naming only the key ID, so that a Keys
// printed by mistake does not leak key material.
func (k Keys) String() string { return "fieldcrypt.Keys{id:" + k.id + "}" }

// GoString is like String, for the %#v verb.
func (k Keys) GoString() string { return k.String() }

// Encrypt encrypts plaintext with AES-256-GCM, binding it to context (the
// additional authenticated data, e.g. "person.id_number"). The result is
// Version || nonce || ciphertext+tag. An empty plaintext gives nil.
func (k *Keys) Encrypt(plaintext, context string) ([]byte, error) {
	if plaintext == "" {
		return nil, nil
	}
	out := make([]byte, 1, Overhead+len(plaintext))
	out[0] = Version
	return k.aead.Seal(out, nil, []byte(plaintext), []byte(context)), nil
}

// Decrypt reverses [Keys.Encrypt] for the same context. An empty ct gives
// "". It returns an error wrapping [ErrMalformed] for a wrong version or
// short input and [ErrAuth] for a wrong key, wrong context or tampering.
func (k *Keys) Decrypt(ct []byte, context string) (string, error) {
	if len(ct) == 0 {
		return "", nil
	}
	if ct[0] != Version {
		return "", fmt.Errorf("%w: version 0x%02x, want 0x%02x", ErrMalformed, ct[0], Version)
	}
	if len(ct) < Overhead {
		return "", fmt.Errorf("%w: %d bytes, want at least %d", ErrMalformed, len(ct), Overhead)
	}
	pt, err := k.aead.Open(nil, nil, ct[1:], []byte(context))
	if err != nil {
		return "", fmt.Errorf("%w (context %q, key %s)", ErrAuth, context, k.id)
	}
	return string(pt), nil
}

// Index returns the blind index of value in context:
// HMAC-SHA256(index key, context || 0x00 || value) truncated to
// [IndexSize] bytes. It is deterministic, for exact lookup and duplicate
// detection. An empty value gives nil.
func (k *Keys) Index(value, context string) []byte {
	if value == "" {
		return nil
	}
	m := k.macs.Get().(hash.Hash)
	m.Write([]byte(context))
	m.Write([]byte{0})
	m.Write([]byte(value))
	sum := m.Sum(make([]byte, 0, sha256.Size))[:IndexSize:IndexSize]
	m.Reset()
	k.macs.Put(m)
	return sum
}

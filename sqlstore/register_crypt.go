package sqlstore

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"safetynet/idcard"
)

// Contexts of encrypted fields and blind indexes. The blind index of a
// phone number is shared by households and persons, so one lookup finds
// both.
const (
	ctxPersonID    = "person.id_number"
	ctxPersonPhone = "person.phone"
	ctxHHPhone     = "household.phone"
	idxIDNumber    = "id_number"
	idxPhone       = "phone"
)

var errNoKeys = errors.New("sqlstore: no encryption key configured")

// seal encrypts v for column context and returns the ciphertext and the
// blind index of v under index; empty v gives nil, nil.
func (s *Store) seal(v, context, index string) (enc, idx []byte, err error) {
	if v == "" {
		return nil, nil, nil
	}
	if s.keys == nil {
		return nil, nil, errNoKeys
	}
	if enc, err = s.keys.Encrypt(v, context); err != nil {
		return nil, nil, fmt.Errorf("sqlstore: encrypt %s: %w", context, err)
	}
	return enc, s.keys.Index(v, index), nil
}

// blindIndex returns the blind index of v, nil for empty v.
func (s *Store) blindIndex(v, index string) ([]byte, error) {
	if v == "" {
		return nil, nil
	}
	if s.keys == nil {
		return nil, errNoKeys
	}
	return s.keys.Index(v, index), nil
}

// unseal decrypts a field; nil gives "".
func (s *Store) unseal(enc []byte, context string) (string, error) {
	if len(enc) == 0 {
		return "", nil
	}
	if s.keys == nil {
		return "", errNoKeys
	}
	v, err := s.keys.Decrypt(enc, context)
	if err != nil {
		return "", fmt.Errorf("sqlstore: decrypt %s: %w", context, err)
	}
	return v, nil
}

// maskID and maskPhone give the display form of a decrypted value.
func maskID(v string) string { return idcard.Mask(v) }

// wordsText is the words full-text search indexes for a person: the name
// and the household address, each Han character a word of its own (so
// that a 2-character name is a 2-word phrase), other letters and digits as
// words, the two parts separated by a word no query can contain. The
// stored search text adds the words keyed by place (tx.searchText).
func wordsText(name, address string) string {
	return spaced(name) + " sn0sep " + spaced(address)
}

func spaced(s string) string {
	var b strings.Builder
	word := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.Is(unicode.Han, r):
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			word = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !word && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			word = true
		default:
			word = false
		}
	}
	return b.String()
}

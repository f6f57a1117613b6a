package auth

import (
	"strings"
	"testing"
)

var fast = Params{Time: 1, Memory: 1024, Threads: 1}

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("正确的密码 correct", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	for _, tc := range []struct {
		password string
		want     bool
	}{
		{"正确的密码 correct", true},
		{"正确的密码 correcT", false},
		{"", false},
	} {
		ok, err := VerifyPassword(h, tc.password)
		if err != nil || ok != tc.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tc.password, ok, err, tc.want)
		}
	}
}

func TestSaltDiffers(t *testing.T) {
	a, _ := HashPassword("same", fast)
	b, _ := HashPassword("same", fast)
	if a == b {
		t.Fatal("two hashes of the same password are equal: salt is not random")
	}
}

func TestMalformedHash(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=18$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x$AAAA$AAAA", "$argon2id$v=19$m=1,t=1,p=1$!!$AAAA"} {
		if _, err := VerifyPassword(h, "x"); err != ErrMalformedHash {
			t.Errorf("VerifyPassword(%q) err = %v, want ErrMalformedHash", h, err)
		}
	}
}

func TestToken(t *testing.T) {
	tok, hash, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) < 40 || HashToken(tok) != hash || hash == tok {
		t.Fatalf("token %q hash %q", tok, hash)
	}
	tok2, _, _ := NewToken()
	if tok == tok2 {
		t.Fatal("tokens repeat")
	}
}

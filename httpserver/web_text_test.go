package httpserver

import (
	"strings"
	"testing"
	"time"
)

// TestDueText: a deadline reads as time left or time late, and under a
// minute as "即将到期" or "刚刚超时", never "剩余0分钟".
func TestDueText(t *testing.T) {
	now := time.Date(2026, 7, 28, 8, 0, 0, 0, time.Local)
	for _, c := range []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"zh", 30 * time.Second, "即将到期（不到1分钟）"},
		{"zh", -30 * time.Second, "刚刚超时（不到1分钟）"},
		{"zh", 0, "即将到期（不到1分钟）"},
		{"zh", -7 * time.Minute, "已超时7分钟"},
		{"zh", 90 * time.Minute, "剩余1小时"},
		{"zh", 3 * 24 * time.Hour, "剩余3天"},
		{"en", 30 * time.Second, "due in less than a minute"},
		{"en", -7 * time.Minute, "late by 7 min"},
	} {
		p := &page{Lang: c.lang}
		if got := p.Due(now.Add(c.d), now); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.lang, c.d, got, c.want)
		}
	}
}

// TestUserDataMarked: names inside generated sentences are marked as
// user data and escaped, the sentence around them too.
func TestUserDataMarked(t *testing.T) {
	got := string(markUserData("紧急救助：" + ud(`<b>送医</b>`) + " · " + ud("社区")))
	want := `紧急救助：<span data-user>&lt;b&gt;送医&lt;/b&gt;</span> · <span data-user>社区</span>`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if strings.Contains(string(markUserData(ud("a\ue001<i>"))), "<i>") {
		t.Errorf("a fence character in user data escapes the marking")
	}
}

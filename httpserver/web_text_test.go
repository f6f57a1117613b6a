package httpserver

import (
	"strings"
	"testing"
	"time"

	"safetynet/campaigns"
	"safetynet/inspections"
	"safetynet/sqlstore"
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

// TestCampaignAndInspectionNotices: the inbox words the reminders of
// campaigns and inspections and their escalations in the page's language,
// never as their kind's code nor as "clue #0".
func TestCampaignAndInspectionNotices(t *testing.T) {
	cases := []sqlstore.Notification{
		{Kind: campaigns.NoticeStageSoon, Detail: map[string]any{"campaign": float64(3), "village": "530325002009", "ends": "2026-12-01"}},
		{Kind: campaigns.NoticeStageLate, Detail: map[string]any{"campaign": float64(3), "village": "530325002009", "ends": "2026-12-01"}},
		{Kind: campaigns.NoticeStageLate, Detail: map[string]any{"campaign": float64(3), "count": float64(4)}},
		{Kind: campaigns.DeadlineGoal, Detail: map[string]any{"village": "腰站社区", "goal": "留守儿童走访率", "value": "40%", "target": "100%"}},
		{Kind: inspections.NoticeRectifyRaised, Detail: map[string]any{"rectification": float64(7), "village": "布隆吉村", "due_on": "2026-12-10"}},
		{Kind: inspections.NoticeRectifyReported, Detail: map[string]any{"rectification": float64(7), "village": "布隆吉村"}},
		{Kind: inspections.NoticeRectifyReopened, Detail: map[string]any{"rectification": float64(7), "village": "布隆吉村", "due_on": "2026-12-20"}},
		{Kind: "escalated", Detail: map[string]any{"step": campaigns.DeadlineStage, "item": float64(9), "level": "town"}},
		{Kind: "escalated", Detail: map[string]any{"step": campaigns.DeadlineGoal, "item": float64(9), "level": "town"}},
		{Kind: "escalated", Detail: map[string]any{"step": inspections.KindRectify, "item": float64(7), "level": "town"}},
	}
	for _, lang := range []string{"zh", "en"} {
		p := &page{Lang: lang}
		for _, n := range cases {
			got := p.notificationText(n)
			if got == n.Kind || strings.Contains(got, "#0") || strings.Contains(got, "step.") || got == "" {
				t.Errorf("%s %s %v: %q", lang, n.Kind, n.Detail["step"], got)
			}
			if hasHan := strings.ContainsFunc(got, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }); hasHan != (lang == "zh") &&
				!strings.Contains(got, udOpen) {
				t.Errorf("%s %s: %q is not in the page's language", lang, n.Kind, got)
			}
		}
	}
}

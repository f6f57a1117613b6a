package httpserver

import "testing"

// TestReasonMarksValues: the values a department sent, quoted in a
// rejection's reason, are user data (left out of the language check) and
// escaped.
func TestReasonMarksValues(t *testing.T) {
	got := string(reasonHTML(`unknown event type "护理补贴" <b>`))
	if got != `unknown event type <span data-user>"护理补贴"</span> &lt;b&gt;` {
		t.Errorf("reason: %s", got)
	}
	got = string(reasonHTML(`未知的事件类型“lottery”`))
	if got != `未知的事件类型<span data-user>“lottery”</span>` {
		t.Errorf("reason: %s", got)
	}
}

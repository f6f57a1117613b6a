package notify

import (
	"context"
	"strings"
	"testing"
)

func TestLogSender(t *testing.T) {
	for _, tc := range []struct {
		recipient string
		class     string
	}{
		{"13800138000", "phone"},
		{"+86 138-0013-8000", "phone"},
		{"zhangsan@example.cn", "email"},
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET", "url"},
		{"张三", "other"},
		{"1234", "other"},
		{"", "none"},
	} {
		t.Run(tc.class+" "+tc.recipient, func(t *testing.T) {
			log, buf := newLog()
			s := LogSender{Log: log}
			m := secretMessage("log")
			m.ID, m.Recipient = 7, tc.recipient
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, want := range []string{`"id":7`, `"channel":"log"`, `"attempt":1`, `"recipient_class":"` + tc.class + `"`} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %s: %s", want, out)
				}
			}
			assertNoContent(t, out, m)
			if strings.Contains(out, "SECRET") || strings.Contains(out, "example.cn") {
				t.Errorf("log leaks content: %s", out)
			}
		})
	}
}

func TestLogSenderChannelAndCancel(t *testing.T) {
	if (LogSender{}).Channel() != "log" || (LogSender{Name: "sms"}).Channel() != "sms" {
		t.Fatal("channel names")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (LogSender{}).Send(ctx, Message{}); err == nil {
		t.Fatal("Send on an ended ctx must fail")
	}
	if err := (LogSender{}).Send(context.Background(), Message{}); err != nil {
		t.Fatalf("nil Log: %v", err)
	}
}

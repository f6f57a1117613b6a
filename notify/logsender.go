package notify

import (
	"context"
	"log/slog"
	"strings"
)

// LogSender is the default sender: it only logs that a message would be
// sent (id, channel, attempt and the class of the recipient: url, email,
// phone, other or none), never the recipient, subject, body or link.
type LogSender struct {
	Log  *slog.Logger // nil discards
	Name string       // channel, default "log"
}

// Channel returns Name, or "log" if it is empty.
func (s LogSender) Channel() string {
	if s.Name == "" {
		return "log"
	}
	return s.Name
}

// Send logs the message's id, channel, attempt and recipient class. It fails
// only if ctx has ended.
func (s LogSender) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	log := s.Log
	if log == nil {
		return nil
	}
	log.LogAttrs(ctx, slog.LevelInfo, "notify: message would be sent",
		slog.Int64("id", m.ID),
		slog.String("channel", s.Channel()),
		slog.Int("attempt", m.Attempts+1),
		slog.String("recipient_class", recipientClass(m.Recipient)),
	)
	return nil
}

// recipientClass tells what kind of address r is without revealing it.
func recipientClass(r string) string {
	r = strings.TrimSpace(r)
	lower := strings.ToLower(r)
	switch {
	case r == "":
		return "none"
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
		return "url"
	case strings.Contains(r, "@"):
		return "email"
	case isPhone(r):
		return "phone"
	}
	return "other"
}

// isPhone accepts an optional leading + and 5 to 20 digits, with spaces or
// dashes between them.
func isPhone(r string) bool {
	digits := 0
	for i, c := range r {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '+' && i == 0, c == ' ', c == '-':
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 20
}

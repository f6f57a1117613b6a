package notify

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// t0 is the fake clock's start.
var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// fakeClock is a settable clock shared by a dispatcher and a MemQueue.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *fakeClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// fakeSender returns results[i] for its i-th call (nil past the end) and
// records the messages it was given. hook, if set, runs inside Send.
type fakeSender struct {
	name    string
	results []error
	hook    func(m Message)

	mu    sync.Mutex
	calls []Message
}

func (f *fakeSender) Channel() string { return f.name }

func (f *fakeSender) Send(ctx context.Context, m Message) error {
	f.mu.Lock()
	n := len(f.calls)
	f.calls = append(f.calls, m)
	f.mu.Unlock()
	if f.hook != nil {
		f.hook(m)
	}
	if n < len(f.results) {
		return f.results[n]
	}
	return nil
}

func (f *fakeSender) Calls() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.calls...)
}

// linearBackoff is a deterministic Backoff: attempt n waits n minutes.
func linearBackoff(n int) time.Duration { return time.Duration(n) * time.Minute }

// syncBuffer is a bytes.Buffer safe for concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newLog returns a JSON logger at debug level writing into a buffer.
func newLog() (*slog.Logger, *syncBuffer) {
	buf := new(syncBuffer)
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// newDispatcher wires a dispatcher, its queue and one "sms" fake sender to a
// fake clock.
func newDispatcher(t *testing.T, owner string, clock *fakeClock, q *MemQueue, s *fakeSender) *Dispatcher {
	t.Helper()
	log, _ := newLog()
	return &Dispatcher{
		Queue:       q,
		Senders:     map[string]Sender{s.Channel(): s},
		Log:         log,
		Now:         clock.Now,
		Owner:       owner,
		Backoff:     linearBackoff,
		MaxAttempts: 3,
	}
}

// secretMessage holds content that must never reach a log.
func secretMessage(channel string) Message {
	return Message{
		Channel:   channel,
		Recipient: "13800138000",
		Subject:   "张三 SECRET-SUBJECT",
		Body:      "患有糖尿病 SECRET-BODY",
		Link:      "/clues/12",
		CreatedAt: t0.Add(-time.Hour),
	}
}

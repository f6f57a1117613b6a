package notify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDispatcherOutcomes(t *testing.T) {
	boom := errors.New("gateway busy")
	for _, tc := range []struct {
		name       string
		channel    string // default "sms"
		attempts   int    // Message.Attempts before the round
		results    []error
		panics     bool
		want       Stats
		wantState  string
		wantNext   time.Time // for a retry
		wantCalls  int
		wantReason string
		wantLog    string
	}{
		{name: "success", want: Stats{Claimed: 1, Sent: 1}, wantState: StateSent, wantCalls: 1, wantLog: `"outcome":"sent"`},
		{name: "temporary failure", results: []error{boom}, want: Stats{Claimed: 1, Retried: 1}, wantState: StatePending,
			wantNext: t0.Add(time.Minute), wantCalls: 1, wantReason: "gateway busy", wantLog: `"error_class":"error"`},
		{name: "second temporary failure backs off longer", attempts: 1, results: []error{boom}, want: Stats{Claimed: 1, Retried: 1},
			wantState: StatePending, wantNext: t0.Add(2 * time.Minute), wantCalls: 1, wantReason: "gateway busy", wantLog: `"attempt":2`},
		{name: "retry-after longer than backoff wins", results: []error{WithRetryAfter(boom, 10*time.Minute)}, want: Stats{Claimed: 1, Retried: 1},
			wantState: StatePending, wantNext: t0.Add(10 * time.Minute), wantCalls: 1, wantReason: "retry after"},
		{name: "retry-after shorter than backoff is ignored", results: []error{WithRetryAfter(boom, 10*time.Second)}, want: Stats{Claimed: 1, Retried: 1},
			wantState: StatePending, wantNext: t0.Add(time.Minute), wantCalls: 1},
		{name: "retry-after is capped", results: []error{WithRetryAfter(boom, 100*time.Hour)}, want: Stats{Claimed: 1, Retried: 1},
			wantState: StatePending, wantNext: t0.Add(MaxRetryAfter), wantCalls: 1},
		{name: "permanent failure gives up", results: []error{Permanent(&HTTPStatusError{Code: 404})}, want: Stats{Claimed: 1, GivenUp: 1},
			wantState: StateGivenUp, wantCalls: 1, wantReason: "permanent failure: HTTP 404 Not Found", wantLog: `"error_class":"http_404"`},
		{name: "last attempt fails", attempts: 2, results: []error{boom}, want: Stats{Claimed: 1, GivenUp: 1},
			wantState: StateGivenUp, wantCalls: 1, wantReason: "gave up after 3 attempts: gateway busy", wantLog: `"outcome":"given_up"`},
		{name: "attempts already exhausted", attempts: 3, want: Stats{Claimed: 1, GivenUp: 1},
			wantState: StateGivenUp, wantCalls: 0, wantReason: "3 attempts already made", wantLog: `"error_class":"max_attempts"`},
		{name: "unknown channel", channel: "fax", want: Stats{Claimed: 1, GivenUp: 1},
			wantState: StateGivenUp, wantCalls: 0, wantReason: `no sender for channel "fax"`, wantLog: `"error_class":"unknown_channel"`},
		{name: "panicking sender is retried", panics: true, want: Stats{Claimed: 1, Retried: 1},
			wantState: StatePending, wantNext: t0.Add(time.Minute), wantCalls: 1, wantReason: "sender panicked", wantLog: `"error_class":"panic"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newClock()
			q := &MemQueue{Now: clock.Now}
			s := &fakeSender{name: "sms", results: tc.results}
			if tc.panics {
				s.hook = func(Message) { panic("SECRET-BODY in a panic") }
			}
			d := newDispatcher(t, "a", clock, q, s)
			log, buf := newLog()
			d.Log = log
			m := secretMessage("sms")
			if tc.channel != "" {
				m.Channel = tc.channel
			}
			m.Attempts = tc.attempts
			id := q.Add(m)

			st, err := d.RunOnce(context.Background())
			if err != nil {
				t.Fatalf("RunOnce: %v", err)
			}
			if st != tc.want {
				t.Errorf("stats = %+v, want %+v", st, tc.want)
			}
			if got := len(s.Calls()); got != tc.wantCalls {
				t.Errorf("sender called %d times, want %d", got, tc.wantCalls)
			}
			e, _ := q.Entry(id)
			if e.State != tc.wantState {
				t.Errorf("state = %q, want %q", e.State, tc.wantState)
			}
			if e.Message.Attempts != tc.attempts+1 {
				t.Errorf("attempts = %d, want %d", e.Message.Attempts, tc.attempts+1)
			}
			if !tc.wantNext.IsZero() && !e.Next.Equal(tc.wantNext) {
				t.Errorf("next = %v, want %v", e.Next, tc.wantNext)
			}
			if !strings.Contains(e.Reason, tc.wantReason) {
				t.Errorf("reason = %q, want it to contain %q", e.Reason, tc.wantReason)
			}
			out := buf.String()
			if !strings.Contains(out, tc.wantLog) {
				t.Errorf("log lacks %s:\n%s", tc.wantLog, out)
			}
			assertNoContent(t, out, m)
			for _, leak := range []string{"gateway busy", "SECRET", "Not Found"} {
				if strings.Contains(out, leak) {
					t.Errorf("log holds error text %q:\n%s", leak, out)
				}
			}
		})
	}
}

// assertNoContent fails if log output holds any content field of m.
func assertNoContent(t *testing.T, out string, m Message) {
	t.Helper()
	for field, v := range map[string]string{"subject": m.Subject, "body": m.Body, "recipient": m.Recipient, "link": m.Link} {
		if v != "" && strings.Contains(out, v) {
			t.Errorf("log holds the message %s %q:\n%s", field, v, out)
		}
	}
	for _, word := range []string{"张三", "糖尿病"} {
		if strings.Contains(out, word) {
			t.Errorf("log holds %q:\n%s", word, out)
		}
	}
}

func TestTemporaryFailureThenSuccess(t *testing.T) {
	clock := newClock()
	q := &MemQueue{Now: clock.Now}
	s := &fakeSender{name: "sms", results: []error{errors.New("503")}}
	d := newDispatcher(t, "a", clock, q, s)
	id := q.Add(secretMessage("sms"))

	steps := []struct {
		name  string
		at    time.Time
		want  Stats
		state string
	}{
		{"first attempt fails", t0, Stats{Claimed: 1, Retried: 1}, StatePending},
		{"not due before the backoff", t0.Add(time.Minute - time.Second), Stats{}, StatePending},
		{"second attempt at the backoff time succeeds", t0.Add(time.Minute), Stats{Claimed: 1, Sent: 1}, StateSent},
		{"nothing left", t0.Add(time.Hour), Stats{}, StateSent},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock.Set(step.at)
			st, err := d.RunOnce(context.Background())
			if err != nil || st != step.want {
				t.Fatalf("RunOnce = %+v, %v; want %+v", st, err, step.want)
			}
			if e, _ := q.Entry(id); e.State != step.state {
				t.Fatalf("state = %q, want %q", e.State, step.state)
			}
		})
	}
	calls := s.Calls()
	if len(calls) != 2 || calls[0].Attempts != 0 || calls[1].Attempts != 1 {
		t.Fatalf("calls = %+v, want attempts 0 then 1", calls)
	}
	if got := q.SentIDs(); len(got) != 1 || got[0] != id {
		t.Fatalf("SentIDs = %v", got)
	}
}

func TestDispatcherConfig(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mutate  func(d *Dispatcher)
		wantErr string
	}{
		{"nil queue", func(d *Dispatcher) { d.Queue = nil }, "Queue is nil"},
		{"lease not longer than send timeout", func(d *Dispatcher) { d.Lease, d.SendTimeout = time.Minute, time.Minute }, "must exceed SendTimeout"},
		{"defaults are valid", func(d *Dispatcher) { *d = Dispatcher{Queue: d.Queue} }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newClock()
			q := &MemQueue{Now: clock.Now}
			d := newDispatcher(t, "a", clock, q, &fakeSender{name: "sms"})
			tc.mutate(d)
			_, err := d.RunOnce(context.Background())
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestDefaultOwner(t *testing.T) {
	var a, b Dispatcher
	if a.ownerName() == "" || a.ownerName() != a.ownerName() || a.ownerName() == b.ownerName() {
		t.Fatalf("owners %q and %q: want stable, distinct and non-empty", a.ownerName(), b.ownerName())
	}
	c := Dispatcher{Owner: "host-42"}
	if c.ownerName() != "host-42" {
		t.Fatalf("owner = %q", c.ownerName())
	}
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		attempt int
		want    time.Duration
	}{
		{0, 30 * time.Second}, {1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute},
		{7, 32 * time.Minute}, {8, time.Hour}, {9, time.Hour}, {1000, time.Hour},
	} {
		t.Run(tc.want.String(), func(t *testing.T) {
			if got := baseBackoff(tc.attempt); got != tc.want {
				t.Fatalf("baseBackoff(%d) = %v, want %v", tc.attempt, got, tc.want)
			}
			if lo, hi := jitter(tc.want, 0), jitter(tc.want, 0.9999); lo != tc.want*8/10 || hi > tc.want*12/10 || hi < tc.want {
				t.Fatalf("jitter range [%v, %v] for %v", lo, hi, tc.want)
			}
			for range 20 {
				if got := DefaultBackoff(tc.attempt); got < tc.want*8/10 || got > tc.want*12/10 {
					t.Fatalf("DefaultBackoff(%d) = %v, outside ±20%% of %v", tc.attempt, got, tc.want)
				}
			}
		})
	}
}

func TestErrorHelpers(t *testing.T) {
	base := errors.New("x")
	for _, tc := range []struct {
		name      string
		err       error
		permanent bool
		hint      time.Duration
		hasHint   bool
	}{
		{"nil", nil, false, 0, false},
		{"plain", base, false, 0, false},
		{"permanent", Permanent(base), true, 0, false},
		{"wrapped permanent", errors.Join(errors.New("ctx"), Permanent(base)), true, 0, false},
		{"retry after", WithRetryAfter(base, time.Minute), false, time.Minute, true},
		{"negative retry after", WithRetryAfter(base, -time.Minute), false, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsPermanent(tc.err); got != tc.permanent {
				t.Errorf("IsPermanent = %v", got)
			}
			if d, ok := RetryAfter(tc.err); d != tc.hint || ok != tc.hasHint {
				t.Errorf("RetryAfter = %v, %v", d, ok)
			}
			if tc.err != nil && !errors.Is(tc.err, base) {
				t.Errorf("%v does not wrap the cause", tc.err)
			}
		})
	}
	if Permanent(nil) != nil || WithRetryAfter(nil, time.Second) != nil {
		t.Fatal("wrapping nil must stay nil")
	}
}

func TestTruncate(t *testing.T) {
	long := strings.Repeat("困", maxReason) // 3 bytes a rune
	got := truncate(long)
	if len(got) > maxReason+len("…") || !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Fatalf("truncate gave %d bytes", len(got))
	}
	if truncate("short") != "short" {
		t.Fatal("short reasons must stay")
	}
}

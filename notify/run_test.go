package notify

import (
	"context"
	"testing"
	"time"
)

// signalQueue reports each Claim on a channel.
type signalQueue struct {
	*MemQueue
	claims chan struct{}
}

func (q signalQueue) Claim(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]Message, error) {
	select {
	case q.claims <- struct{}{}:
	default:
	}
	return q.MemQueue.Claim(ctx, owner, now, limit, lease)
}

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name     string
		messages int
		// stop cancels the context: inside the n-th send (n > 0), before Run
		// (n == 0), or after the first claim (n < 0, Run waiting).
		stopAt   int
		wantSent int
	}{
		{"drains a backlog without waiting, then stops", 5, 5, 5},
		{"stops while waiting for the next round", 0, -1, 0},
		{"returns at once if ctx has ended", 3, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newClock()
			mq := &MemQueue{Now: clock.Now}
			q := signalQueue{MemQueue: mq, claims: make(chan struct{}, 1)}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s := &fakeSender{name: "sms"}
			s.hook = func(Message) {
				if len(s.Calls()) == tc.stopAt {
					cancel()
				}
			}
			d := newDispatcher(t, "a", clock, mq, s)
			d.Queue, d.Batch = q, 2
			for range tc.messages {
				mq.Add(secretMessage("sms"))
			}
			if tc.stopAt == 0 {
				cancel()
			}
			done := make(chan struct{})
			go func() {
				defer close(done)
				d.Run(ctx, time.Hour) // a wait would outlast the test: rounds must chain
			}()
			if tc.stopAt < 0 {
				<-q.claims
				cancel()
			}
			<-done
			if got := len(mq.SentIDs()); got != tc.wantSent {
				t.Fatalf("sent %d, want %d", got, tc.wantSent)
			}
		})
	}
}

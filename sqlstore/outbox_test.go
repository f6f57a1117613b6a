package sqlstore_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"safetynet"
	"safetynet/notify"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

type flakySender struct {
	mu    sync.Mutex
	fails int // fail this many times first
	sent  []int64
}

func (f *flakySender) Channel() string { return "log" }

func (f *flakySender) Send(ctx context.Context, m notify.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return errors.New("gateway down")
	}
	f.sent = append(f.sent, m.ID)
	return nil
}

// TestOutboxDelivery drives the dispatcher over the store's outbox: a
// failed delivery is retried after its backoff, every message is sent,
// and two dispatchers never send a message twice.
func TestOutboxDelivery(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 5, 1, 10, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		for i := 0; i < 5; i++ {
			if _, _, err := s.ReportClue(ctx, f.grid, safetynet.NewClue{ClientID: "o-" + string(rune('a'+i)), HouseholdID: f.household,
				Kinds: []string{"illness"}}); err != nil {
				t.Fatal(err)
			}
		}
		sender := &flakySender{fails: 1}
		mk := func(owner string) *notify.Dispatcher {
			return &notify.Dispatcher{Queue: s, Senders: map[string]notify.Sender{"log": sender}, Owner: owner, Now: clock.Now,
				Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Backoff: func(int) time.Duration { return time.Minute }}
		}
		a, b := mk("a"), mk("b")
		var wg sync.WaitGroup
		for _, d := range []*notify.Dispatcher{a, b} {
			wg.Add(1)
			go func() { defer wg.Done(); _, _ = d.RunOnce(ctx) }()
		}
		wg.Wait()
		if len(sender.sent) != 4 {
			t.Fatalf("first round sent %d of 5 (one failed)", len(sender.sent))
		}
		if st, _ := a.RunOnce(ctx); st.Sent != 0 {
			t.Fatalf("retried before the backoff: %+v", st)
		}
		clock.Advance(2 * time.Minute)
		if st, err := b.RunOnce(ctx); err != nil || st.Sent != 1 {
			t.Fatalf("retry round = %+v %v", st, err)
		}
		seen := map[int64]bool{}
		for _, id := range sender.sent {
			if seen[id] {
				t.Fatalf("message %d sent twice", id)
			}
			seen[id] = true
		}
	})
}

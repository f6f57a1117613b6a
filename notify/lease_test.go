package notify

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestTwoDispatchersDuringALease runs dispatcher b while a is in the middle
// of sending its batch: b must claim only what a has not leased.
func TestTwoDispatchersDuringALease(t *testing.T) {
	clock := newClock()
	q := &MemQueue{Now: clock.Now}
	var b *Dispatcher
	var bStats Stats
	sa := &fakeSender{name: "sms"}
	sb := &fakeSender{name: "sms"}
	sa.hook = func(m Message) {
		if len(sa.Calls()) == 1 { // a holds its batch, mid-send
			var err error
			if bStats, err = b.RunOnce(context.Background()); err != nil {
				t.Errorf("b.RunOnce: %v", err)
			}
		}
	}
	a := newDispatcher(t, "a", clock, q, sa)
	b = newDispatcher(t, "b", clock, q, sb)
	a.Batch, b.Batch = 3, 10
	for range 7 {
		q.Add(secretMessage("sms"))
	}
	aStats, err := a.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if aStats.Sent != 3 || bStats.Sent != 4 {
		t.Fatalf("a sent %d, b sent %d; want 3 and 4", aStats.Sent, bStats.Sent)
	}
	assertEachSentOnce(t, q, 7, sa, sb)
}

// TestConcurrentDispatchers races several dispatchers over one queue; with
// the clock frozen no lease expires, so no message may be sent twice.
func TestConcurrentDispatchers(t *testing.T) {
	clock := newClock()
	q := &MemQueue{Now: clock.Now}
	const n = 200
	for range n {
		q.Add(secretMessage("sms"))
	}
	var senders []*fakeSender
	var wg sync.WaitGroup
	for _, owner := range []string{"a", "b", "c", "d"} {
		s := &fakeSender{name: "sms"}
		senders = append(senders, s)
		d := newDispatcher(t, owner, clock, q, s)
		d.Batch = 7
		wg.Go(func() {
			for {
				st, err := d.RunOnce(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if st.Claimed == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
	assertEachSentOnce(t, q, n, senders...)
}

func assertEachSentOnce(t *testing.T, q *MemQueue, n int, senders ...*fakeSender) {
	t.Helper()
	count := map[int64]int{}
	for _, s := range senders {
		for _, m := range s.Calls() {
			count[m.ID]++
		}
	}
	for id, c := range count {
		if c != 1 {
			t.Errorf("message %d sent %d times", id, c)
		}
	}
	if len(count) != n || len(q.SentIDs()) != n || len(q.Pending()) != 0 {
		t.Fatalf("%d distinct sends, %d recorded, %d pending; want %d, %d, 0", len(count), len(q.SentIDs()), len(q.Pending()), n, n)
	}
}

// TestCrashedOwnerLeaseExpires: a process claims a message and dies; the
// message is delivered by another once, and only once, the lease is over.
func TestCrashedOwnerLeaseExpires(t *testing.T) {
	clock := newClock()
	q := &MemQueue{Now: clock.Now}
	id := q.Add(secretMessage("sms"))
	if got, err := q.Claim(context.Background(), "crashed", t0, 10, DefaultLease); err != nil || len(got) != 1 {
		t.Fatalf("claim = %v, %v", got, err)
	}
	s := &fakeSender{name: "sms"}
	d := newDispatcher(t, "survivor", clock, q, s)

	for _, step := range []struct {
		name string
		at   time.Time
		want Stats
	}{
		{"lease still held", t0.Add(DefaultLease - time.Second), Stats{}},
		{"lease expired", t0.Add(DefaultLease), Stats{Claimed: 1, Sent: 1}},
	} {
		t.Run(step.name, func(t *testing.T) {
			clock.Set(step.at)
			if st, err := d.RunOnce(context.Background()); err != nil || st != step.want {
				t.Fatalf("RunOnce = %+v, %v; want %+v", st, err, step.want)
			}
		})
	}
	if err := q.Sent(context.Background(), id, "crashed", t0.Add(time.Second)); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("late Sent by the crashed owner = %v, want ErrLeaseLost", err)
	}
	if e, _ := q.Entry(id); e.State != StateSent || e.Message.Attempts != 1 || len(s.Calls()) != 1 {
		t.Fatalf("entry %+v after %d sends", e, len(s.Calls()))
	}
}

// TestLeaseBudget: a round does not start a send that could outlive its
// lease; the rest are deferred and delivered in a later round.
func TestLeaseBudget(t *testing.T) {
	clock := newClock()
	q := &MemQueue{Now: clock.Now}
	s := &fakeSender{name: "sms", hook: func(Message) { clock.Advance(10 * time.Second) }}
	d := newDispatcher(t, "a", clock, q, s)
	d.Lease, d.SendTimeout = time.Minute, 15*time.Second
	for range 8 {
		q.Add(secretMessage("sms"))
	}
	// Sends start at 0, 10, …, 40 s; at 50 s, 50+15 > 60 and the round stops.
	st, err := d.RunOnce(context.Background())
	if want := (Stats{Claimed: 8, Sent: 5, Deferred: 3}); err != nil || st != want {
		t.Fatalf("RunOnce = %+v, %v; want %+v", st, err, want)
	}
	if st, _ := d.RunOnce(context.Background()); st.Claimed != 0 {
		t.Fatalf("deferred messages were claimed again inside their lease: %+v", st)
	}
	clock.Set(t0.Add(time.Minute))
	if st, err := d.RunOnce(context.Background()); err != nil || st.Sent != 3 {
		t.Fatalf("after the lease: %+v, %v", st, err)
	}
	assertEachSentOnce(t, q, 8, s)
}

// TestLeaseLostDuringSend: a send outlasting the lease cannot be recorded;
// the message is delivered again (at least once), by whoever claims it.
func TestLeaseLostDuringSend(t *testing.T) {
	clock := newClock()
	q := &MemQueue{Now: clock.Now}
	slow := &fakeSender{name: "sms", hook: func(Message) { clock.Advance(DefaultLease) }}
	a := newDispatcher(t, "a", clock, q, slow)
	log, buf := newLog()
	a.Log = log
	m := secretMessage("sms")
	id := q.Add(m)
	if st, err := a.RunOnce(context.Background()); err != nil || st != (Stats{Claimed: 1, Deferred: 1}) {
		t.Fatalf("a: %+v, %v", st, err)
	}
	assertNoContent(t, buf.String(), m)
	b := newDispatcher(t, "b", clock, q, &fakeSender{name: "sms"})
	if st, err := b.RunOnce(context.Background()); err != nil || st.Sent != 1 {
		t.Fatalf("b: %+v, %v", st, err)
	}
	if e, _ := q.Entry(id); e.State != StateSent || e.Message.Attempts != 1 {
		t.Fatalf("entry %+v", e)
	}
}

// TestInterruptedSend: a send cut short by the caller's ctx is not counted
// as an attempt; the message waits for its lease to expire.
func TestInterruptedSend(t *testing.T) {
	clock := newClock()
	q := &MemQueue{Now: clock.Now}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &fakeSender{name: "sms", results: []error{context.Canceled}, hook: func(Message) { cancel() }}
	d := newDispatcher(t, "a", clock, q, s)
	id := q.Add(secretMessage("sms"))
	q.Add(secretMessage("sms"))
	st, err := d.RunOnce(ctx)
	if want := (Stats{Claimed: 2, Deferred: 2}); err != nil || st != want {
		t.Fatalf("RunOnce = %+v, %v; want %+v", st, err, want)
	}
	if e, _ := q.Entry(id); e.State != StatePending || e.Message.Attempts != 0 || e.Owner != "a" {
		t.Fatalf("entry %+v", e)
	}
}

// TestSentRecordedAfterCancel: when ctx ends right after a successful send,
// the outcome is still written, so the message is not delivered twice.
func TestSentRecordedAfterCancel(t *testing.T) {
	clock := newClock()
	q := &MemQueue{Now: clock.Now}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &fakeSender{name: "sms", hook: func(Message) { cancel() }}
	d := newDispatcher(t, "a", clock, q, s)
	id := q.Add(secretMessage("sms"))
	if st, err := d.RunOnce(ctx); err != nil || st != (Stats{Claimed: 1, Sent: 1}) {
		t.Fatalf("RunOnce = %+v, %v", st, err)
	}
	if e, _ := q.Entry(id); e.State != StateSent {
		t.Fatalf("entry %+v", e)
	}
}

package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"safetynet/jobs"
	"safetynet/notify"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// blocking is a loop that says when it runs, answers pings while it runs,
// and records that it returned.
type blocking struct {
	started, stopped chan struct{}
	ping             chan chan struct{}
}

func newBlocking() *blocking {
	return &blocking{started: make(chan struct{}), stopped: make(chan struct{}), ping: make(chan chan struct{})}
}

func (b *blocking) loop(name string) jobs.Loop {
	return jobs.Loop{Name: name, Run: func(ctx context.Context) {
		close(b.started)
		defer close(b.stopped)
		for {
			select {
			case <-ctx.Done():
				return
			case reply := <-b.ping:
				close(reply)
			}
		}
	}}
}

func TestStartStop(t *testing.T) {
	a, b := newBlocking(), newBlocking()
	g := jobs.Start(context.Background(), a.loop("a"), b.loop("b"))
	<-a.started
	<-b.started
	g.Stop()
	for name, x := range map[string]*blocking{"a": a, "b": b} {
		select {
		case <-x.stopped:
		default:
			t.Errorf("loop %s still running after Stop returned", name)
		}
	}
	g.Stop() // a second Stop is harmless
}

// TestLoopsOutliveTheSignal: the process's signal context ends before the
// HTTP server has drained; the loops must go on until Stop.
func TestLoopsOutliveTheSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	a := newBlocking()
	g := jobs.Start(ctx, a.loop("a"))
	<-a.started
	cancel()
	reply := make(chan struct{})
	a.ping <- reply // answered only by a running loop
	<-reply
	g.Stop()
	<-a.stopped
}

func TestEveryRunsAtOnceLogsErrorsAndStops(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, nil))
	calls := make(chan struct{}, 1)
	l := jobs.Every("sweep", time.Hour, log, func(ctx context.Context) error {
		calls <- struct{}{}
		return errors.New("store unavailable")
	})
	if l.Name != "sweep" {
		t.Errorf("Name = %q", l.Name)
	}
	g := jobs.Start(context.Background(), l)
	<-calls // the first round runs at once, not after an hour
	g.Stop()
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(buf.String(), "sweep") || !strings.Contains(buf.String(), "store unavailable") {
		t.Errorf("log = %q, want the loop's name and its error", buf.String())
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

type fakeEscalator struct{ calls chan sqlstore.EscalateResult }

func (f fakeEscalator) Escalate(ctx context.Context) (sqlstore.EscalateResult, error) {
	r := sqlstore.EscalateResult{Escalated: 2}
	f.calls <- r
	return r, nil
}

func TestEscalationLoop(t *testing.T) {
	f := fakeEscalator{calls: make(chan sqlstore.EscalateResult, 1)}
	l := jobs.Escalation(f, time.Hour, nil)
	if l.Name != "escalation" {
		t.Errorf("Name = %q", l.Name)
	}
	g := jobs.Start(context.Background(), l)
	<-f.calls
	g.Stop()
}

// TestStandardOnStore starts the loops a server runs against a real store
// on both databases and stops them: shutting down does not hang, and the
// store is usable afterwards.
func TestStandardOnStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		loops := jobs.Standard(jobs.Config{Store: s, Senders: map[string]notify.Sender{"log": notify.LogSender{}}})
		var names []string
		for _, l := range loops {
			names = append(names, l.Name)
		}
		if strings.Join(names, ",") != "housekeeping,escalation,outbox,screening,warnings,certifications,visits,pacts,volunteering,service-checks,service-dues,enrolment,goals" {
			t.Fatalf("loops = %v", names)
		}
		g := jobs.Start(context.Background(), loops...)
		g.Stop()
		if _, err := s.Escalate(context.Background()); err != nil {
			t.Fatalf("store after the loops stopped: %v", err)
		}
	})
}

// fakeScreener hands out queued households in batches.
type fakeScreener struct {
	mu     sync.Mutex
	queued int
	calls  int
	done   chan struct{}
}

func (f *fakeScreener) ScreenQueued(ctx context.Context, limit int) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	n := min(limit, f.queued)
	f.queued -= n
	if f.queued == 0 && f.done != nil {
		close(f.done)
		f.done = nil
	}
	return n, nil
}

// TestScreeningDrains checks that one tick of the screening loop drains a
// queue longer than a batch, batch after batch.
func TestScreeningDrains(t *testing.T) {
	f := &fakeScreener{queued: 1234, done: make(chan struct{})}
	g := jobs.Start(context.Background(), jobs.Screening(f, time.Hour, nil))
	<-f.done
	g.Stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls != 3 || f.queued != 0 {
		t.Fatalf("calls = %d, left = %d; want 3 batches draining all", f.calls, f.queued)
	}
}

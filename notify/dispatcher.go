package notify

import (
	"context"
	cryptorand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
	"unicode/utf8"
)

// Defaults of the Dispatcher fields and of Run's interval.
const (
	DefaultBatch       = 50
	DefaultLease       = 2 * time.Minute
	DefaultMaxAttempts = 10
	DefaultSendTimeout = 15 * time.Second
	DefaultInterval    = 30 * time.Second
)

// maxReason bounds the reason stored in the Queue, in bytes.
const maxReason = 1000

// writeTimeout bounds one outcome write; it runs even after ctx ends, so
// that a message delivered just before shutdown is not delivered again.
const writeTimeout = 10 * time.Second

// Dispatcher delivers due messages with retries. Set the fields before the
// first call and do not copy a Dispatcher after it; its methods may be
// called from several goroutines.
type Dispatcher struct {
	Queue       Queue
	Senders     map[string]Sender               // by channel; a message of an unknown channel is given up with a clear reason
	Log         *slog.Logger                    // nil discards
	Now         func() time.Time                // time.Now if nil
	Owner       string                          // this process, for the lease (e.g. hostname-pid); a random one if empty
	Batch       int                             // default 50
	Lease       time.Duration                   // default 2 min; must exceed SendTimeout
	MaxAttempts int                             // default 10; then given up
	Backoff     func(attempt int) time.Duration // default DefaultBackoff
	SendTimeout time.Duration                   // per message, default 15 s

	ownerOnce sync.Once
	owner     string
}

// Stats counts the outcomes of one RunOnce round.
type Stats struct {
	Claimed int // messages leased this round
	Sent    int // recorded as sent
	Retried int // recorded for a later attempt
	GivenUp int // recorded as given up
	// Deferred messages got no outcome this round (not started for lack of
	// lease time, interrupted by ctx, lease lost, or the write failed);
	// they become due again when their lease expires.
	Deferred int
}

// DefaultBackoff waits 30 s × 2^(attempt-1), capped at 1 h, then applies
// ±20 % jitter; attempt is the attempt that just failed, from 1.
func DefaultBackoff(attempt int) time.Duration {
	return jitter(baseBackoff(attempt), rand.Float64())
}

func baseBackoff(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// jitter scales d by a factor in [0.8, 1.2) chosen by r in [0, 1).
func jitter(d time.Duration, r float64) time.Duration {
	return time.Duration(float64(d) * (0.8 + 0.4*r))
}

type settings struct {
	log         *slog.Logger
	now         func() time.Time
	owner       string
	batch       int
	lease       time.Duration
	maxAttempts int
	backoff     func(int) time.Duration
	sendTimeout time.Duration
}

func (d *Dispatcher) settings() (settings, error) {
	s := settings{
		log: d.Log, now: d.Now, owner: d.ownerName(), batch: d.Batch, lease: d.Lease,
		maxAttempts: d.MaxAttempts, backoff: d.Backoff, sendTimeout: d.SendTimeout,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.batch <= 0 {
		s.batch = DefaultBatch
	}
	if s.lease <= 0 {
		s.lease = DefaultLease
	}
	if s.maxAttempts <= 0 {
		s.maxAttempts = DefaultMaxAttempts
	}
	if s.backoff == nil {
		s.backoff = DefaultBackoff
	}
	if s.sendTimeout <= 0 {
		s.sendTimeout = DefaultSendTimeout
	}
	switch {
	case d.Queue == nil:
		return s, errors.New("notify: Dispatcher.Queue is nil")
	case s.lease <= s.sendTimeout:
		return s, fmt.Errorf("notify: Lease %v must exceed SendTimeout %v", s.lease, s.sendTimeout)
	}
	return s, nil
}

func (d *Dispatcher) ownerName() string {
	d.ownerOnce.Do(func() {
		d.owner = d.Owner
		if d.owner == "" {
			d.owner = "notify-" + hex.EncodeToString(randomBytes(8))
		}
	})
	return d.owner
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = cryptorand.Read(b) // never fails on supported platforms
	return b
}

// RunOnce claims one batch of due messages and tries each once. It returns
// an error if the configuration is unusable, the claim fails, or an outcome
// write fails for a reason other than ErrLeaseLost; Stats counts what was
// recorded either way.
func (d *Dispatcher) RunOnce(ctx context.Context) (Stats, error) {
	s, err := d.settings()
	if err != nil {
		return Stats{}, err
	}
	claimedAt := s.now()
	msgs, err := d.Queue.Claim(ctx, s.owner, claimedAt, s.batch, s.lease)
	if err != nil {
		return Stats{}, fmt.Errorf("notify: claim: %w", err)
	}
	st := Stats{Claimed: len(msgs)}
	leaseEnd := claimedAt.Add(s.lease)
	var errs []error
	for i, m := range msgs {
		if ctx.Err() != nil || s.now().Add(s.sendTimeout).After(leaseEnd) {
			for _, rest := range msgs[i:] {
				d.logOutcome(ctx, s, rest, slog.LevelWarn, "deferred", "")
			}
			st.Deferred += len(msgs) - i
			break
		}
		if err := d.deliver(ctx, s, m, &st); err != nil {
			errs = append(errs, err)
		}
	}
	return st, errors.Join(errs...)
}

// deliver tries m once and records the outcome in st.
func (d *Dispatcher) deliver(ctx context.Context, s settings, m Message, st *Stats) error {
	attempt := m.Attempts + 1
	sender := d.Senders[m.Channel]
	switch {
	case sender == nil:
		return d.giveUp(ctx, s, m, st, "unknown_channel", fmt.Sprintf("no sender for channel %q", m.Channel))
	case m.Attempts >= s.maxAttempts:
		return d.giveUp(ctx, s, m, st, "max_attempts", fmt.Sprintf("gave up: %d attempts already made", m.Attempts))
	}

	sendCtx, cancel := context.WithTimeout(ctx, s.sendTimeout)
	err := safeSend(sendCtx, sender, m)
	cancel()
	now := s.now()
	class := errorClass(err)
	switch {
	case err == nil:
		return d.write(ctx, s, m, st, &st.Sent, slog.LevelInfo, "sent", "", func(wctx context.Context) error {
			return d.Queue.Sent(wctx, m.ID, s.owner, now)
		})
	case ctx.Err() != nil:
		// Our own shutdown, not the receiver's fault: the lease expires and
		// another round tries again without counting an attempt.
		d.logOutcome(ctx, s, m, slog.LevelWarn, "interrupted", class)
		st.Deferred++
		return nil
	case IsPermanent(err):
		return d.giveUp(ctx, s, m, st, class, "permanent failure: "+err.Error())
	case attempt >= s.maxAttempts:
		return d.giveUp(ctx, s, m, st, class, fmt.Sprintf("gave up after %d attempts: %v", attempt, err))
	}
	wait := max(s.backoff(attempt), 0)
	if hint, ok := RetryAfter(err); ok {
		wait = max(wait, min(hint, MaxRetryAfter))
	}
	next := now.Add(wait)
	return d.write(ctx, s, m, st, &st.Retried, slog.LevelWarn, "retry", class, func(wctx context.Context) error {
		return d.Queue.Retry(wctx, m.ID, s.owner, next, truncate(err.Error()))
	}, slog.Time("next", next))
}

func (d *Dispatcher) giveUp(ctx context.Context, s settings, m Message, st *Stats, class, reason string) error {
	now := s.now()
	return d.write(ctx, s, m, st, &st.GivenUp, slog.LevelError, "given_up", class, func(wctx context.Context) error {
		return d.Queue.GiveUp(wctx, m.ID, s.owner, now, truncate(reason))
	})
}

// write runs one outcome write, logs it and counts it in *counter, or in
// st.Deferred when the write fails.
func (d *Dispatcher) write(ctx context.Context, s settings, m Message, st *Stats, counter *int,
	level slog.Level, outcome, class string, fn func(context.Context) error, extra ...slog.Attr) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	err := fn(wctx)
	cancel()
	switch {
	case err == nil:
		*counter++
		d.logOutcome(ctx, s, m, level, outcome, class, extra...)
		return nil
	case errors.Is(err, ErrLeaseLost):
		// Another process owns the message now; if we delivered it, it may
		// be delivered twice, which at-least-once allows.
		st.Deferred++
		d.logOutcome(ctx, s, m, slog.LevelWarn, "lease_lost", class, slog.String("wanted", outcome))
		return nil
	default:
		st.Deferred++
		d.logOutcome(ctx, s, m, slog.LevelError, "write_failed", class, slog.String("wanted", outcome))
		return fmt.Errorf("notify: record %s for message %d: %w", outcome, m.ID, err)
	}
}

// logOutcome logs one message's outcome: never its content or error text.
func (d *Dispatcher) logOutcome(ctx context.Context, s settings, m Message, level slog.Level, outcome, class string, extra ...slog.Attr) {
	attrs := []slog.Attr{
		slog.Int64("id", m.ID),
		slog.String("channel", m.Channel),
		slog.Int("attempt", m.Attempts+1),
		slog.String("outcome", outcome),
	}
	if class != "" {
		attrs = append(attrs, slog.String("error_class", class))
	}
	attrs = append(attrs, extra...)
	s.log.LogAttrs(context.WithoutCancel(ctx), level, "notify: delivery", attrs...)
}

// safeSend calls sender.Send, turning a panic into a temporary error.
func safeSend(ctx context.Context, sender Sender, m Message) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v}
		}
	}()
	return sender.Send(ctx, m)
}

// truncate shortens a reason to maxReason bytes on a rune boundary.
func truncate(s string) string {
	if len(s) <= maxReason {
		return s
	}
	cut := maxReason
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

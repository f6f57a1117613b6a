package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Message is one notification to deliver on a channel.
type Message struct {
	ID        int64
	Channel   string // "log", "webhook", "sms", "wecom"…
	Recipient string // channel-specific address: a user name, a phone, a URL key…
	Subject   string
	Body      string
	Link      string // a path in the web UI the message is about, e.g. /clues/12
	CreatedAt time.Time
	Attempts  int // deliveries tried before this one
}

// Sender delivers messages of one channel. Send must honour ctx, and its
// errors should not quote the message content: they are stored as the
// retry or give-up reason (never logged).
type Sender interface {
	// Channel is the channel name this sender serves, e.g. "webhook".
	Channel() string
	// Send delivers m once. A nil error means the channel accepted it; an
	// error wrapped with Permanent gives the message up; any other error
	// is retried later.
	Send(ctx context.Context, m Message) error
}

// Queue is the outbox storage. Implementations must be safe for concurrent
// use by several dispatchers, possibly in several processes.
type Queue interface {
	// Claim leases up to limit due messages (pending, next attempt <= now,
	// lease expired) to owner until now+lease, oldest due first. The
	// returned Attempts is the number of outcome writes recorded so far.
	Claim(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]Message, error)
	// Sent records that message id was delivered, counts the attempt and
	// ends the lease. It returns ErrLeaseLost (and changes nothing) if
	// owner does not hold a lease on id that is still valid at now.
	Sent(ctx context.Context, id int64, owner string, now time.Time) error
	// Retry counts one failed attempt, stores reason, releases the lease and
	// makes id due again at next. It returns ErrLeaseLost (and changes
	// nothing) if owner does not hold a currently valid lease on id.
	Retry(ctx context.Context, id int64, owner string, next time.Time, reason string) error
	// GiveUp stops delivery of id for good, counts the attempt and stores
	// reason. It returns ErrLeaseLost (and changes nothing) if owner does
	// not hold a lease on id that is still valid at now.
	GiveUp(ctx context.Context, id int64, owner string, now time.Time, reason string) error
}

// ErrLeaseLost is returned by a Queue when an outcome is written by a
// process that no longer holds the message's lease (another owner claimed
// it, or the lease expired, or the message is already finished).
var ErrLeaseLost = errors.New("notify: lease lost")

// MaxRetryAfter caps a WithRetryAfter hint, so that a receiver cannot
// postpone a message indefinitely.
const MaxRetryAfter = 24 * time.Hour

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks an error that retrying cannot fix (e.g. HTTP 400/404): the
// message is given up. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err, or an error it wraps, was marked by
// Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string {
	return fmt.Sprintf("%v (retry after %v)", e.err, e.after)
}
func (e *retryAfterError) Unwrap() error { return e.err }

// WithRetryAfter attaches to a temporary error the receiver's wish not to be
// called again before d has passed (an HTTP Retry-After). The dispatcher
// uses it when it is longer than the backoff. WithRetryAfter(nil, d) is nil.
func WithRetryAfter(err error, d time.Duration) error {
	if err == nil {
		return nil
	}
	return &retryAfterError{err: err, after: max(d, 0)}
}

// RetryAfter returns the hint attached by WithRetryAfter, if any.
func RetryAfter(err error) (time.Duration, bool) {
	var r *retryAfterError
	if errors.As(err, &r) {
		return r.after, true
	}
	return 0, false
}

// HTTPStatusError is a non-2xx answer from an HTTP channel.
type HTTPStatusError struct {
	Code int // the HTTP status code
}

// Error returns "HTTP <code> <status text>".
func (e *HTTPStatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// errorClass names the kind of err for the log; it never includes the text.
func errorClass(err error) string {
	var (
		hs *HTTPStatusError
		ne net.Error
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &hs):
		return fmt.Sprintf("http_%d", hs.Code)
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &ne):
		if ne.Timeout() {
			return "timeout"
		}
		return "network"
	case errors.As(err, new(*panicError)):
		return "panic"
	case IsPermanent(err):
		return "permanent"
	}
	return "error"
}

// panicError is a recovered panic of a Sender, treated as temporary.
type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprintf("sender panicked: %v", e.value) }

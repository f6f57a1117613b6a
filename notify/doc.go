// Package notify delivers notifications from an outbox to external channels
// (an SMS gateway, WeChat Work, a webhook, or only the log).
//
// The in-app inbox lives elsewhere; this package drives the outbox: a Queue
// of Message rows that a Dispatcher claims, hands to the Sender of the
// message's channel, and records as sent, to be retried, or given up.
//
// # Delivery rules
//
// At least once. A message is recorded as sent only after its Sender
// returned nil, so a crash, a lost lease or a lost acknowledgement means it
// is sent again. Receivers must deduplicate on the message ID (the webhook
// carries it in the X-Safetynet-Delivery header).
//
// Leases. Several processes may share one queue. A round claims up to Batch
// due messages for Lease under the dispatcher's Owner; nobody else claims
// them until the lease expires, and outcome writes (Sent, Retry, GiveUp) by
// a non-owner or after expiry are refused with ErrLeaseLost. A round does not
// start a send that could outlive its lease (now+SendTimeout past the lease
// end): such messages, and those whose send was interrupted by ctx, are left
// alone and become due again when the lease expires. A crashed owner's
// messages are therefore delivered by another process after one lease.
//
// Failures. A Sender error wrapped with Permanent (an HTTP 400 or 404, a
// malformed address, a channel with no Sender) gives the message up at once.
// Any other error is temporary: the message is retried at now+Backoff(n),
// where n is the attempt that just failed (the default is 30 s × 2^(n-1),
// capped at 1 h, then ±20 % jitter), or later if the error carries a
// WithRetryAfter hint (capped at MaxRetryAfter). After MaxAttempts attempts
// the message is given up. Every outcome write counts one attempt.
//
// Logging. The Dispatcher logs, per message, only its id, channel, attempt
// number, outcome (sent, retry, given_up, deferred, interrupted, lease_lost)
// and an error class (timeout, network, http_503, permanent…), plus the
// next attempt time for a retry. Subjects, bodies, recipients, links and
// error texts are never logged: they may hold names or health details. The
// full error text goes only to the Queue as the retry or give-up reason.
package notify

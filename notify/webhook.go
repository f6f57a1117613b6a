package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Webhook request headers.
const (
	HeaderDelivery  = "X-Safetynet-Delivery"  // the message ID; receivers dedupe on it
	HeaderSignature = "X-Safetynet-Signature" // "sha256=" + hex HMAC-SHA256 of the body
	WebhookAgent    = "safetynet-webhook/1"   // the User-Agent
)

// defaultWebhookClient times out after 10 s and does not follow redirects:
// a signed POST must not be replayed to another address, so a 3xx answer
// is a permanent failure (fix the URL).
var defaultWebhookClient = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// WebhookSender POSTs messages as JSON to a URL. Its errors never contain
// the URL, which may embed an access key.
type WebhookSender struct {
	Name   string       // channel name, default "webhook"
	URL    string       // http or https
	Secret []byte       // HMAC-SHA256 key; header X-Safetynet-Signature: sha256=<hex of HMAC(body)>; no header if empty
	Client *http.Client // default with a 10 s timeout, not following redirects
}

// webhookPayload is the JSON body of a webhook request.
type webhookPayload struct {
	ID        int64  `json:"id"`
	Channel   string `json:"channel"`
	Recipient string `json:"recipient"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	Link      string `json:"link"`
	CreatedAt string `json:"created_at"` // RFC 3339, UTC
	Attempt   int    `json:"attempt"`    // 1 for the first delivery
}

// NewWebhookSenderFromURL returns a WebhookSender for raw, which must be an
// absolute http or https URL with a host. An empty secret sends no
// signature header. Errors do not quote raw.
func NewWebhookSenderFromURL(raw string, secret string) (*WebhookSender, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, errors.New("notify: webhook URL does not parse")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, errors.New("notify: webhook URL must be http or https")
	}
	if u.Host == "" || u.Opaque != "" {
		return nil, errors.New("notify: webhook URL has no host")
	}
	return &WebhookSender{URL: u.String(), Secret: []byte(secret)}, nil
}

// Channel returns Name, or "webhook" if it is empty.
func (w *WebhookSender) Channel() string {
	if w.Name == "" {
		return "webhook"
	}
	return w.Name
}

// Send POSTs m. A 2xx answer is success; 408, 425, 429, 5xx, network errors
// and timeouts are temporary (with the Retry-After seconds of a 429 or 503
// attached by WithRetryAfter); anything else is Permanent.
func (w *WebhookSender) Send(ctx context.Context, m Message) error {
	if w.URL == "" {
		return Permanent(errors.New("webhook: no URL configured"))
	}
	body, err := webhookBody(m)
	if err != nil {
		return Permanent(fmt.Errorf("webhook: encode: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return Permanent(errors.New("webhook: invalid URL"))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", WebhookAgent)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(m.ID, 10))
	if len(w.Secret) > 0 {
		req.Header.Set(HeaderSignature, Signature(w.Secret, body))
	}
	client := w.Client
	if client == nil {
		client = defaultWebhookClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the URL
		}
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	if err := ResponseError(resp); err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	return nil
}

func webhookBody(m Message) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(webhookPayload{
		ID: m.ID, Channel: m.Channel, Recipient: m.Recipient, Subject: m.Subject, Body: m.Body, Link: m.Link,
		CreatedAt: m.CreatedAt.UTC().Format(time.RFC3339), Attempt: m.Attempts + 1,
	})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

// Signature returns the X-Safetynet-Signature value for body: "sha256="
// followed by the hex HMAC-SHA256 of body under secret. Receivers should
// compare it with hmac.Equal.
func Signature(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// ResponseError classifies an HTTP answer for any HTTP-based Sender: nil for
// 2xx; an *HTTPStatusError for 408, 425, 429 and 5xx (temporary, with a
// WithRetryAfter hint from a Retry-After in seconds on 429 or 503); the same
// wrapped in Permanent for any other status. It does not read the body.
func ResponseError(resp *http.Response) error {
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		return nil
	}
	err := &HTTPStatusError{Code: code}
	switch {
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After")); ok {
			return WithRetryAfter(err, d)
		}
		return err
	case code == http.StatusRequestTimeout || code == http.StatusTooEarly || (code >= 500 && code < 600):
		return err
	}
	return Permanent(err)
}

// parseRetryAfter reads a Retry-After given in seconds (HTTP dates are
// ignored), capped at MaxRetryAfter.
func parseRetryAfter(v string) (time.Duration, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	if n > int64(MaxRetryAfter/time.Second) {
		return MaxRetryAfter, true
	}
	return time.Duration(n) * time.Second, true
}

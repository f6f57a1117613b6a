package notify

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWebhookRequest(t *testing.T) {
	secret := []byte("s3cret")
	type got struct {
		header http.Header
		method string
		body   []byte
	}
	reqs := make(chan got, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		reqs <- got{r.Header.Clone(), r.Method, body}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	w, err := NewWebhookSenderFromURL(srv.URL+"/hook?key=abc", string(secret))
	if err != nil {
		t.Fatal(err)
	}
	m := secretMessage("webhook")
	m.ID, m.Attempts, m.CreatedAt = 42, 2, time.Date(2026, 3, 1, 17, 4, 5, 0, time.FixedZone("CST", 8*3600))
	if err := w.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	r := <-reqs

	var p map[string]any
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	if r.method != http.MethodPost {
		t.Errorf("method %s, want POST", r.method)
	}
	for _, tc := range []struct{ key, want string }{
		{"Content-Type", "application/json"},
		{"User-Agent", "safetynet-webhook/1"},
		{"X-Safetynet-Delivery", "42"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			if v := r.header.Get(tc.key); v != tc.want {
				t.Fatalf("%s = %q, want %q", tc.key, v, tc.want)
			}
		})
	}
	t.Run("signature", func(t *testing.T) {
		sig := r.header.Get("X-Safetynet-Signature")
		want := Signature(secret, r.body)
		if !strings.HasPrefix(sig, "sha256=") || !hmac.Equal([]byte(sig), []byte(want)) {
			t.Fatalf("signature %q, want %q", sig, want)
		}
		if hmac.Equal([]byte(sig), []byte(Signature([]byte("other"), r.body))) {
			t.Fatal("signature does not depend on the secret")
		}
	})
	for _, tc := range []struct {
		key  string
		want any
	}{
		{"id", 42.0}, {"channel", "webhook"}, {"recipient", m.Recipient}, {"subject", m.Subject},
		{"body", m.Body}, {"link", "/clues/12"}, {"created_at", "2026-03-01T09:04:05Z"}, {"attempt", 3.0},
	} {
		t.Run("body "+tc.key, func(t *testing.T) {
			if p[tc.key] != tc.want {
				t.Fatalf("%s = %v, want %v", tc.key, p[tc.key], tc.want)
			}
		})
	}
	if len(p) != 8 {
		t.Errorf("body has %d keys: %s", len(p), r.body)
	}
}

func TestWebhookStatus(t *testing.T) {
	for _, tc := range []struct {
		status     int
		retryAfter string
		wantErr    bool
		permanent  bool
		hint       time.Duration // 0: none
	}{
		{status: 200}, {status: 202}, {status: 204},
		{status: 500, wantErr: true}, {status: 502, wantErr: true}, {status: 503, wantErr: true},
		{status: 408, wantErr: true}, {status: 425, wantErr: true}, {status: 429, wantErr: true},
		{status: 429, retryAfter: "120", wantErr: true, hint: 2 * time.Minute},
		{status: 503, retryAfter: " 7 ", wantErr: true, hint: 7 * time.Second},
		{status: 429, retryAfter: "99999999999", wantErr: true, hint: MaxRetryAfter},
		{status: 429, retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT", wantErr: true},
		{status: 429, retryAfter: "-5", wantErr: true},
		{status: 500, retryAfter: "120", wantErr: true},
		{status: 400, wantErr: true, permanent: true}, {status: 401, wantErr: true, permanent: true},
		{status: 404, wantErr: true, permanent: true}, {status: 410, wantErr: true, permanent: true},
		{status: 422, wantErr: true, permanent: true},
		{status: 301, wantErr: true, permanent: true}, // redirects are not followed
	} {
		t.Run(http.StatusText(tc.status)+" "+tc.retryAfter, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				if tc.status == 301 {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, "SECRET-RESPONSE")
			}))
			defer srv.Close()
			w := &WebhookSender{URL: srv.URL + "/path-with-key"}
			err := w.Send(context.Background(), secretMessage("webhook"))
			if (err != nil) != tc.wantErr || IsPermanent(err) != tc.permanent {
				t.Fatalf("err = %v (permanent %v), want error %v permanent %v", err, IsPermanent(err), tc.wantErr, tc.permanent)
			}
			if d, ok := RetryAfter(err); d != tc.hint || ok != (tc.hint != 0) {
				t.Fatalf("RetryAfter = %v, %v; want %v", d, ok, tc.hint)
			}
			if err != nil {
				var hs *HTTPStatusError
				if !errors.As(err, &hs) || hs.Code != tc.status || errorClass(err) == "" {
					t.Fatalf("err %v is not an HTTPStatusError %d", err, tc.status)
				}
				if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "path-with-key") {
					t.Fatalf("error quotes the response or URL: %v", err)
				}
			}
			if hits.Load() != 1 {
				t.Fatalf("%d requests, want 1", hits.Load())
			}
		})
	}
}

func TestWebhookTransportErrors(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer hang.Close()
	defer close(release) // runs before hang.Close
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL + "/k/SECRETKEY"
	closed.Close()

	for _, tc := range []struct {
		name      string
		sender    *WebhookSender
		ctx       func() (context.Context, context.CancelFunc)
		wantClass string
	}{
		{"context deadline", &WebhookSender{URL: hang.URL + "/k/SECRETKEY"},
			func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 20*time.Millisecond)
			}, "timeout"},
		{"client timeout", &WebhookSender{URL: hang.URL + "/k/SECRETKEY", Client: &http.Client{Timeout: 20 * time.Millisecond}},
			func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }, "timeout"},
		{"connection refused", &WebhookSender{URL: closedURL},
			func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }, "network"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := tc.ctx()
			defer cancel()
			err := tc.sender.Send(ctx, secretMessage("webhook"))
			if err == nil || IsPermanent(err) {
				t.Fatalf("err = %v, want a temporary error", err)
			}
			if c := errorClass(err); c != tc.wantClass {
				t.Fatalf("class %q, want %q (%v)", c, tc.wantClass, err)
			}
			if strings.Contains(err.Error(), "SECRETKEY") {
				t.Fatalf("error quotes the URL: %v", err)
			}
		})
	}
}

func TestNewWebhookSenderFromURL(t *testing.T) {
	for _, tc := range []struct {
		raw string
		ok  bool
	}{
		{"https://hooks.example.cn/x?key=1", true},
		{" http://10.0.0.5:8080/notify ", true},
		{"ftp://example.cn/x", false},
		{"javascript:alert(1)", false},
		{"/relative/path", false},
		{"https://", false},
		{"http:opaque", false},
		{"", false},
		{"https://exa mple.cn/%zz", false},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			w, err := NewWebhookSenderFromURL(tc.raw, "k")
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok %v", err, tc.ok)
			}
			if err != nil && tc.raw != "" && strings.Contains(err.Error(), tc.raw) {
				t.Fatalf("error quotes the URL: %v", err)
			}
			if tc.ok && (w.Channel() != "webhook" || string(w.Secret) != "k" || w.URL != strings.TrimSpace(tc.raw)) {
				t.Fatalf("sender %+v", w)
			}
		})
	}
	if (&WebhookSender{Name: "wecom"}).Channel() != "wecom" {
		t.Fatal("Name must set the channel")
	}
}

func TestWebhookNoSecretNoSignature(t *testing.T) {
	sigs := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sigs <- r.Header.Get(HeaderSignature)
	}))
	defer srv.Close()
	if err := (&WebhookSender{URL: srv.URL}).Send(context.Background(), secretMessage("webhook")); err != nil {
		t.Fatal(err)
	}
	if s := <-sigs; s != "" {
		t.Fatalf("signature %q without a secret", s)
	}
	if err := (&WebhookSender{}).Send(context.Background(), Message{}); !IsPermanent(err) {
		t.Fatalf("no URL: %v, want permanent", err)
	}
}

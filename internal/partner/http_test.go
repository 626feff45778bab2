package partner

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func testDoer(srv *httptest.Server) *Doer {
	return &Doer{HTTP: srv.Client(), Limiter: NewLocalLimiter(), Backoff: time.Millisecond}
}

// Reads are resent after a gateway error; the answer that finally comes back is returned.
func TestDoerRetriesIdempotentOnGatewayErrors(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	resp, err := testDoer(srv).Do(context.Background(), Request{Partner: "x", Method: "GET /a", HTTP: "GET", URL: srv.URL, Idempotent: true})
	if err != nil || resp.Status != 200 || n.Load() != 3 {
		t.Fatalf("status %d, err %v, calls %d", resp.Status, err, n.Load())
	}
}

// A create is never sent twice: a gateway error comes back as the answer after one call, and a
// connection dropped after sending is an Ambiguous transient error.
func TestDoerNeverResendsCreates(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.URL.Path == "/drop" {
			panic(http.ErrAbortHandler)
		}
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	d := testDoer(srv)
	resp, err := d.Do(context.Background(), Request{Partner: "x", Method: "POST /a", HTTP: "POST", URL: srv.URL + "/a", Body: []byte("{}")})
	if err != nil || resp.Status != http.StatusBadGateway || n.Load() != 1 {
		t.Fatalf("gateway error: status %d, err %v, calls %d", resp.Status, err, n.Load())
	}
	n.Store(0)
	_, err = d.Do(context.Background(), Request{Partner: "x", Method: "POST /drop", HTTP: "POST", URL: srv.URL + "/drop", Body: []byte("{}")})
	if KindOf(err) != KindTransient || !IsAmbiguous(err) || n.Load() != 1 {
		t.Fatalf("dropped create: err %v (ambiguous %v), calls %d", err, IsAmbiguous(err), n.Load())
	}
}

// Nothing was sent when the connection is refused, so even a create may be tried again, and
// the failure is not ambiguous.
func TestDoerDialFailureIsNotAmbiguous(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	d := &Doer{HTTP: &http.Client{Timeout: time.Second}, Backoff: time.Millisecond, Retries: 2}
	_, err = d.Do(context.Background(), Request{Partner: "x", Method: "POST /a", HTTP: "POST", URL: "http://" + addr + "/a"})
	if KindOf(err) != KindTransient || IsAmbiguous(err) {
		t.Fatalf("err %v, ambiguous %v", err, IsAmbiguous(err))
	}
}

// A blocked key answers at once, without waiting and without retries.
func TestDoerBlockedKeyIsNotRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	defer srv.Close()
	d := testDoer(srv)
	_ = d.Limiter.Block(context.Background(), "omie:k", time.Now().Add(30*time.Minute))
	start := time.Now()
	_, err := d.Do(context.Background(), Request{Partner: "omie", Method: "ListarClientes", HTTP: "POST", URL: srv.URL, Idempotent: true,
		Limits: []KeyedLimit{{Key: "omie:k", Limit: Limit{N: 960, Per: time.Minute}}}})
	if KindOf(err) != KindBlocked || RetryAfterOf(err) < 29*time.Minute || n.Load() != 0 || time.Since(start) > time.Second {
		t.Fatalf("err %v, retry after %v, calls %d, took %v", err, RetryAfterOf(err), n.Load(), time.Since(start))
	}
}

// Redirects are not followed: a redirected POST would silently become a GET.
func TestNoRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusMovedPermanently)
	}))
	defer srv.Close()
	d := &Doer{HTTP: NewHTTPClient(HTTPOptions{Timeout: 2 * time.Second})}
	resp, err := d.Do(context.Background(), Request{Partner: "x", Method: "POST /a", HTTP: "POST", URL: srv.URL + "/a"})
	if err != nil || resp.Status != http.StatusMovedPermanently {
		t.Fatalf("status %d, err %v", resp.Status, err)
	}
}

// A client for URLs that come from tenants refuses our own network.
func TestBlockPrivate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	d := &Doer{HTTP: NewHTTPClient(HTTPOptions{Timeout: 2 * time.Second, BlockPrivate: true}), Retries: -1}
	if _, err := d.Do(context.Background(), Request{Partner: "x", Method: "GET /", HTTP: "GET", URL: srv.URL}); KindOf(err) != KindTransient {
		t.Fatalf("loopback reached: %v", err)
	}
}

// The local limiter keeps any window of Per under N calls: 30 calls at 20/s take at least
// (30-20)/19 s ≈ 0.5 s, where an unpaced loop takes microseconds.
func TestLocalLimiterPaces(t *testing.T) {
	l := NewLocalLimiter()
	start := time.Now()
	for range 30 {
		if err := l.Wait(context.Background(), "k", Limit{N: 20, Per: time.Second}); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took < 500*time.Millisecond {
		t.Fatalf("30 calls at 20/s took %v", took)
	}
}

func TestGateLimitsConcurrency(t *testing.T) {
	g := NewGate()
	var running, peak atomic.Int32
	done := make(chan struct{})
	for range 10 {
		go func() {
			release, err := g.Acquire(context.Background(), "omie:k:IncluirCliente", 1)
			if err != nil {
				t.Error(err)
				return
			}
			if r := running.Add(1); r > peak.Load() {
				peak.Store(r)
			}
			time.Sleep(2 * time.Millisecond)
			running.Add(-1)
			release()
			done <- struct{}{}
		}()
	}
	for range 10 {
		<-done
	}
	if peak.Load() != 1 {
		t.Fatalf("peak concurrency %d, want 1", peak.Load())
	}
}

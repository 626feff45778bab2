package partner

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, header string
		want         time.Duration
	}{
		{"absent", "", 7 * time.Second},
		{"seconds", "30", 30 * time.Second},
		{"seconds with spaces", " 2 ", 2 * time.Second},
		{"zero", "0", 7 * time.Second},
		{"negative", "-5", 7 * time.Second},
		{"HTTP date", "Tue, 10 Mar 2026 15:01:30 GMT", 90 * time.Second},
		{"HTTP date in the past", "Tue, 10 Mar 2026 14:59:00 GMT", 7 * time.Second},
		{"garbage", "soon", 7 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.header != "" {
				h.Set("Retry-After", tc.header)
			}
			if got := RetryAfter(h, now, 7*time.Second); got != tc.want {
				t.Fatalf("RetryAfter(%q) = %v, want %v", tc.header, got, tc.want)
			}
		})
	}
}

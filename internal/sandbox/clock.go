package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Clock is a clock that only moves when told to, for sandboxes whose token expiry, modification
// times and rate windows a test must control: pass its Now as the sandbox's clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// MaxSkew bounds a sandbox clock offset: wide enough for the −15 min … +2 h a real partner
// server has been seen at (issue 16) and more, narrow enough that a typo such as "2000h" is
// refused instead of silently expiring every token.
const MaxSkew = 48 * time.Hour

// Skew is a partner server's own clock: a base clock plus an offset (ahead when positive,
// behind when negative) that can be changed while the sandbox runs. Every time a sandbox reads
// (modification times, filters, token expiry, rate windows) comes from one Skew, so they all
// move together as a real server's clock would.
type Skew struct {
	base   func() time.Time
	offset atomic.Int64 // nanoseconds
}

// NewSkew returns base shifted by offset; a nil base is time.Now.
func NewSkew(base func() time.Time, offset time.Duration) *Skew {
	if base == nil {
		base = time.Now
	}
	s := &Skew{base: base}
	s.offset.Store(int64(offset))
	return s
}

// Now returns the partner's time: the base clock plus the offset.
func (s *Skew) Now() time.Time { return s.base().Add(s.Offset()) }

// Offset returns how far the partner's clock runs ahead of the base clock.
func (s *Skew) Offset() time.Duration { return time.Duration(s.offset.Load()) }

// Set changes the offset; beyond ±MaxSkew it is refused.
func (s *Skew) Set(d time.Duration) error {
	if d > MaxSkew || d < -MaxSkew {
		return fmt.Errorf("clock offset %v is beyond ±%v", d, MaxSkew)
	}
	s.offset.Store(int64(d))
	return nil
}

// ParseSkew reads an offset such as "-15m", "+2h" or "90s"; empty is zero.
func ParseSkew(v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(strings.TrimPrefix(v, "+"))
	if err != nil {
		return 0, fmt.Errorf("clock offset %q: want a duration such as -15m or +2h", v)
	}
	if d > MaxSkew || d < -MaxSkew {
		return 0, fmt.Errorf("clock offset %v is beyond ±%v", d, MaxSkew)
	}
	return d, nil
}

// ServeHTTP is the admin API's clock: GET answers {"offset","now"}; POST {"offset":"-15m"}
// (or the form field offset) sets the offset and answers the same.
func (s *Skew) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost, http.MethodPut:
		v := r.URL.Query().Get("offset")
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			var in struct {
				Offset string `json:"offset"`
			}
			if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
				WriteJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be {"offset": "-15m"}`})
				return
			}
			v = in.Offset
		} else if f := r.FormValue("offset"); f != "" {
			v = f
		}
		d, err := ParseSkew(v)
		if err == nil {
			err = s.Set(d)
		}
		if err != nil {
			WriteJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
	default:
		w.Header().Set("Allow", "GET, POST, PUT")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"offset": s.Offset().String(), "now": s.Now().Format(time.RFC3339)})
}

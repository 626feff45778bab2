package flow

import (
	"encoding/json"
	"strconv"
	"time"
)

// cursor is how far a flow has safely read: the partner modification time up to which every
// record is finished, and the records already finished at or after T minus the overlap, which
// the next listing returns again and which are then passed over without a look.
type cursor struct {
	T    time.Time       `json:"t"`
	Seen map[string]bool `json:"seen,omitempty"` // seenKey of each finished record in the window
}

func readCursor(s string) (cursor, error) {
	var c cursor
	if s == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return cursor{}, err
	}
	return c, nil
}

func (c cursor) String() string {
	if c.T.IsZero() {
		return ""
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// since is where the next listing starts: zero (everything) for a first run.
func (c cursor) since(overlap time.Duration) time.Time {
	if c.T.IsZero() {
		return time.Time{}
	}
	return c.T.Add(-overlap)
}

func seenKey(c Customer) string {
	return c.ID + "@" + strconv.FormatInt(c.ChangedAt.Unix(), 10)
}

// advance computes the cursor after a run that listed recs, of which retry must be read again
// (transient failures). The cursor never passes a record to retry.
func (c cursor) advance(recs []Customer, retry map[string]bool, overlap time.Duration) cursor {
	next := c
	var firstRetry time.Time
	for _, r := range recs {
		if retry[r.ID] {
			if firstRetry.IsZero() || r.ChangedAt.Before(firstRetry) {
				firstRetry = r.ChangedAt
			}
			continue
		}
		if r.ChangedAt.After(next.T) {
			next.T = r.ChangedAt
		}
	}
	if !firstRetry.IsZero() && !firstRetry.After(next.T) {
		next.T = firstRetry.Add(-time.Second)
	}
	next.Seen = map[string]bool{}
	from := next.T.Add(-overlap)
	for _, r := range recs {
		if !retry[r.ID] && !r.ChangedAt.Before(from) {
			next.Seen[seenKey(r)] = true
		}
	}
	return next
}

package auvo

import "time"

// SetClock replaces the client's clock, so tests can reach the token's renewal time.
func SetClock(c *Client, now func() time.Time) { c.now = now }

// Package partner holds what every partner API client shares: the error type the sync engine
// reasons about, the keyed rate limiter, and one hardened HTTP client with careful retries.
package partner

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a partner failure by what the engine should do about it, so the engine never
// has to parse partner-specific codes.
type Kind int

const (
	// KindTransient is a failure that may pass by itself (5xx, network error, timeout, malformed
	// body): keep the record and try again in a later run.
	KindTransient Kind = iota + 1
	// KindThrottled is a rate-limit answer: wait RetryAfter, then try again; not a failure.
	KindThrottled
	// KindBlocked means the partner blocked the credential for a while (Omie MISUSE_API_PROCESS):
	// no call with that credential may be made until RetryAfter has passed.
	KindBlocked
	// KindAuth means the credentials were rejected: the integration needs the user's attention.
	KindAuth
	// KindNotFound is a lookup of one record that does not exist.
	KindNotFound
	// KindInvalid is a request the partner refused on its merits (validation, duplicates): trying
	// again with the same data fails again.
	KindInvalid
	// KindConflict is a create refused because the record already exists (for example a duplicate
	// integration code), which callers resolve by looking the record up.
	KindConflict
)

// String names the kind for logs and metrics.
func (k Kind) String() string {
	switch k {
	case KindTransient:
		return "transient"
	case KindThrottled:
		return "throttled"
	case KindBlocked:
		return "blocked"
	case KindAuth:
		return "auth"
	case KindNotFound:
		return "not_found"
	case KindInvalid:
		return "invalid"
	case KindConflict:
		return "conflict"
	}
	return "unknown"
}

// Error is the one error type every partner client returns for a failed call.
type Error struct {
	Partner string // "auvo", "omie", "bling", "contaazul"
	Method  string // the partner operation, e.g. "ListarClientes" or "GET /customers"
	Kind    Kind
	Status  int    // HTTP status, 0 when no answer arrived
	Code    string // the partner's own code: Omie faultcode, Auvo errorCode, Bling error type
	Message string // the partner's message, as the partner wrote it (shown to users, V3)
	// RetryAfter is how long to wait before calling again, for throttled and blocked answers.
	RetryAfter time.Duration
	// Ambiguous is set when a write may or may not have been applied (the request was sent and no
	// answer came back): the caller must look the record up before creating it again.
	Ambiguous bool
	Err       error // the underlying cause, if any
}

// Error renders the failure for logs; Message alone is what users see.
func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s: %s", e.Partner, e.Method, e.Kind)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d", e.Status)
		if e.Code != "" {
			s += " " + e.Code
		}
		s += ")"
	} else if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap exposes the cause.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of a partner error anywhere in err's chain, or 0 for any other error.
func KindOf(err error) Kind {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return 0
}

// RetryAfterOf returns how long to wait before retrying after err, or 0 when err says nothing.
func RetryAfterOf(err error) time.Duration {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.RetryAfter
	}
	return 0
}

// IsRetryable reports whether err may succeed when the same call is made again later.
func IsRetryable(err error) bool {
	switch KindOf(err) {
	case KindTransient, KindThrottled, KindBlocked:
		return true
	}
	return false
}

// IsAmbiguous reports whether err leaves it unknown whether a write took effect.
func IsAmbiguous(err error) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Ambiguous
}

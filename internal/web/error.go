package web

import (
	"errors"
	"net/http"
)

// Code classifies a failure for the person who caused it.
type Code int

// The error codes, each mapped to one HTTP status in status().
const (
	Internal Code = iota
	Invalid
	NotFound
	Unauthorized
	Forbidden
	Conflict
	Unavailable
	TooMany
)

// Error is the one error type handlers return. Message is safe to show (Portuguese); Err is the
// cause, for the log only.
type Error struct {
	Code    Code
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a user-facing message.
func Errorf(code Code, message string, cause error) *Error {
	return &Error{Code: code, Message: message, Err: cause}
}

func (c Code) status() int {
	switch c {
	case Invalid:
		return http.StatusBadRequest
	case NotFound:
		return http.StatusNotFound
	case Unauthorized:
		return http.StatusUnauthorized
	case Forbidden:
		return http.StatusForbidden
	case Conflict:
		return http.StatusConflict
	case Unavailable:
		return http.StatusServiceUnavailable
	case TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// asError turns any error into an *Error; unknown errors are internal and show a generic text.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Message: "Erro interno. Tente novamente em instantes.", Err: err}
}

package bling

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/partner"
)

// ErrorResponse is Bling's error envelope: {"error":{type,message,description,fields}}.
type ErrorResponse struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the error object of an ErrorResponse. Type is one of the ErrType values.
type ErrorDetail struct {
	Type        string       `json:"type"`
	Message     string       `json:"message"`
	Description string       `json:"description,omitempty"`
	Fields      []ErrorField `json:"fields,omitempty"`
}

// ErrorField is one field error; Collection holds the errors of the items of a list field, and
// Index (1-based) says which item an entry of a Collection is about.
type ErrorField struct {
	Index      int          `json:"index,omitempty"`
	Code       int          `json:"code"`
	Msg        string       `json:"msg"`
	Element    string       `json:"element"`
	Namespace  string       `json:"namespace"`
	Collection []ErrorField `json:"collection,omitempty"`
}

// Bling error types used by this package and the sandbox (api/bling.md §3 lists them all).
const (
	ErrTypeValidation       = "VALIDATION_ERROR"
	ErrTypeMissingField     = "MISSING_REQUIRED_FIELD_ERROR"
	ErrTypeEmptyBody        = "EMPTY_REQUEST_BODY"
	ErrTypeInvalidBody      = "INVALID_REQUEST_BODY"
	ErrTypeUnauthorized     = "UNAUTHORIZED"
	ErrTypeForbidden        = "FORBIDDEN"
	ErrTypeNotFound         = "RESOURCE_NOT_FOUND"
	ErrTypeTooManyRequests  = "TOO_MANY_REQUESTS"
	ErrTypeServer           = "SERVER_ERROR"
	ErrTypeMethodNotAllowed = "METHOD_NOT_ALLOWED"
)

// fieldMessages flattens the field errors, collections included, into one readable line.
func (d ErrorDetail) fieldMessages() string {
	var msgs []string
	var walk func(fs []ErrorField)
	walk = func(fs []ErrorField) {
		for _, f := range fs {
			if f.Msg != "" {
				msgs = append(msgs, f.Msg)
			}
			walk(f.Collection)
		}
	}
	walk(d.Fields)
	return strings.Join(msgs, "; ")
}

// CodeDailyQuota is the Code of the error Ponte makes of Bling's daily quota answer: a 429 whose
// text names the daily limit (api/bling.md §3: 120,000 requests a day per account, and "the
// message says whether the per-second or per-day quota was hit" [I]; the exact text is [U], so
// any mention of "diário"/"dia" counts). It is partner.KindBlocked until the quota resets at
// midnight in Brasília [I], not a throttle to retry every second.
const CodeDailyQuota = "DAILY_QUOTA"

// isDailyQuota reports whether a 429's text is about the daily quota.
func isDailyQuota(d ErrorDetail) bool {
	t := strings.ToLower(d.Message + " " + d.Description)
	return strings.Contains(t, "diári") || strings.Contains(t, "diari") || strings.Contains(t, "por dia") ||
		strings.Contains(t, "daily")
}

// quotaReset is when Bling's daily quota starts again after now: the next midnight in Brasília,
// plus a minute for clocks that disagree.
func quotaReset(now time.Time) time.Time {
	b := now.In(Brasilia())
	return time.Date(b.Year(), b.Month(), b.Day()+1, 0, 1, 0, 0, Brasilia())
}

// throttleWait is how long to wait after a 429 that carries no Retry-After: Bling's window is
// one second [I]; whether it sends Retry-After at all is unknown [U].
const throttleWait = time.Second

// answerError turns a non-2xx Bling answer into a *partner.Error.
func answerError(method string, resp partner.Response) *partner.Error {
	e := &partner.Error{Partner: "bling", Method: method, Status: resp.Status}
	var body ErrorResponse
	decoded := json.Unmarshal(resp.Body, &body) == nil && body.Error.Type != ""
	if decoded {
		e.Code = body.Error.Type
		e.Message = body.Error.Message
		if fm := body.Error.fieldMessages(); fm != "" {
			e.Message = strings.TrimSuffix(e.Message, ".") + ": " + fm
		} else if e.Message == "" {
			e.Message = body.Error.Description
		}
	}
	switch {
	case resp.Status == http.StatusUnauthorized:
		e.Kind = partner.KindAuth
		if e.Message == "" {
			e.Message = "o Bling recusou o acesso"
		}
	case resp.Status == http.StatusForbidden:
		e.Kind = partner.KindAuth
		e.Message = "o aplicativo não tem o escopo necessário no Bling para este recurso; " +
			"inclua o escopo no aplicativo e conecte de novo" + suffix(e.Message)
	case resp.Status == http.StatusNotFound:
		e.Kind = partner.KindNotFound
	case resp.Status == http.StatusTooManyRequests && decoded && isDailyQuota(body.Error):
		now := time.Now()
		e.Kind, e.Code, e.RetryAfter = partner.KindBlocked, CodeDailyQuota, quotaReset(now).Sub(now)
	case resp.Status == http.StatusTooManyRequests:
		e.Kind = partner.KindThrottled
		e.RetryAfter = partner.RetryAfter(resp.Header, time.Now(), throttleWait)
	case resp.Status >= 500:
		e.Kind = partner.KindTransient
	case resp.Status >= 400 && decoded:
		e.Kind = partner.KindInvalid
	default:
		// A 4xx without Bling's envelope (a proxy page) or an unexpected status says nothing
		// about our data; try again later rather than blame the record.
		e.Kind = partner.KindTransient
	}
	if e.Message == "" {
		e.Message = "resposta inesperada do Bling (HTTP " + strconv.Itoa(resp.Status) + ")"
	}
	return e
}

func suffix(msg string) string {
	if msg == "" {
		return ""
	}
	return " (" + msg + ")"
}

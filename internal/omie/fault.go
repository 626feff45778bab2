package omie

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/partner"
)

// Fault codes Omie answers with (api/omie.md §1.2).
const (
	CodeNoRecords        = "SOAP-ENV:Client-5113" // list or page without records
	CodeNotFoundByID     = "SOAP-ENV:Client-105"
	CodeNotFoundByIntCod = "SOAP-ENV:Client-103"
	CodeNoneFound        = "SOAP-ENV:Client-101" // ListarContasCorrentes with no rows
	CodeDuplicate        = "SOAP-ENV:Client-102" // integration code already used
	CodeServiceNotFound  = "SOAP-ENV:Client-5002"
	CodeValidation       = "SOAP-ENV:Client-1020"
	CodeInProgress       = "SOAP-ENV:Client-1100" // same request already processed or running
	CodeRedundant        = "SOAP-ENV:Client-6"
	CodeMethodBusy       = "SOAP-ENV:Client-1880" // a call to the same method is still running
	CodeMisuse           = "MISUSE_API_PROCESS"   // key blocked, HTTP 425
	CodeServer           = "SOAP-ENV:Server"
)

// Default pauses when a throttle answer names none.
const (
	defaultThrottle   = time.Minute      // 429 and REDUNDANT: Omie's windows are a minute long
	defaultMethodBusy = 10 * time.Second // Client-1880 says "em alguns instantes"
	defaultMisuse     = 30 * time.Minute // MISUSE_API_PROCESS lasts about 1800 s
)

// classify maps an Omie answer to a *partner.Error, or nil when it is a success. A faultstring
// makes any answer an error, whatever its HTTP status (Omie sometimes sends faults with 200).
func classify(o op, resp partner.Response, now time.Time) *partner.Error {
	var f fault
	jsonErr := json.Unmarshal(resp.Body, &f)
	ok2xx := resp.Status >= 200 && resp.Status < 300
	if jsonErr == nil && f.FaultString == "" && f.FaultCode == "" && ok2xx {
		return nil
	}
	pe := &partner.Error{Partner: PartnerName, Method: o.call, Status: resp.Status, Code: f.FaultCode,
		Message: strings.TrimSpace(f.FaultString)}
	if jsonErr != nil || (f.FaultString == "" && f.FaultCode == "") {
		// Not an Omie fault body: an HTML error page, a proxy answer or a truncated body.
		pe.Code, pe.Message = "", ""
		if jsonErr != nil {
			pe.Err = jsonErr
		}
	}
	msg := pe.Message
	switch {
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden ||
		strings.Contains(msg, "chave de acesso"):
		pe.Kind = partner.KindAuth
		if msg == "" {
			pe.Message = "APP Key ou APP Secret do Omie recusados"
		}
	case resp.Status == http.StatusTooEarly || f.FaultCode == CodeMisuse || strings.Contains(msg, "consumo indevido"):
		pe.Kind = partner.KindBlocked
		pe.RetryAfter = retryAfter(msg, resp.Header, now, defaultMisuse)
	case resp.Status == http.StatusTooManyRequests:
		pe.Kind = partner.KindThrottled
		pe.RetryAfter = retryAfter(msg, resp.Header, now, defaultThrottle)
	case f.FaultCode == CodeRedundant || strings.Contains(msg, "REDUNDANT"):
		pe.Kind = partner.KindThrottled
		pe.RetryAfter = retryAfter(msg, resp.Header, now, defaultThrottle)
	case f.FaultCode == CodeMethodBusy:
		pe.Kind = partner.KindThrottled
		pe.RetryAfter = retryAfter(msg, resp.Header, now, defaultMethodBusy)
	case f.FaultCode == CodeInProgress:
		// The first attempt may still be applied: a write must be looked up, not resent.
		pe.Kind = partner.KindThrottled
		pe.RetryAfter = retryAfter(msg, resp.Header, now, defaultThrottle)
		pe.Ambiguous = o.write
	case f.FaultCode == CodeNoRecords || strings.Contains(msg, "Não existem registros"):
		pe.Kind = partner.KindNotFound
		pe.Code = CodeNoRecords
	case f.FaultCode == CodeNotFoundByID || f.FaultCode == CodeNotFoundByIntCod || f.FaultCode == CodeNoneFound ||
		f.FaultCode == CodeServiceNotFound || strings.Contains(msg, "não cadastrad"):
		pe.Kind = partner.KindNotFound
	case strings.Contains(msg, "já cadastrado para o CPF/CNPJ"):
		// The account refuses a second customer with the same document (SPEC C-A3): retrying
		// fails the same way, and looking up by integration code does not help.
		pe.Kind = partner.KindInvalid
	case f.FaultCode == CodeDuplicate || strings.Contains(msg, "já cadastrad"):
		pe.Kind = partner.KindConflict
	case f.FaultCode == CodeValidation || strings.Contains(msg, "não faz parte da estrutura"):
		pe.Kind = partner.KindInvalid
	case f.FaultCode == CodeServer || resp.Status >= 500 && pe.Message == "" || jsonErr != nil:
		pe.Kind = partner.KindTransient
		pe.Ambiguous = o.write
		if pe.Message == "" {
			pe.Message = "erro no servidor do Omie"
		}
	case strings.HasPrefix(f.FaultCode, "SOAP-ENV:Client"):
		// Any other client fault is Omie refusing this request on its merits.
		pe.Kind = partner.KindInvalid
	default:
		pe.Kind = partner.KindTransient
		pe.Ambiguous = o.write
	}
	return pe
}

// isNoRecords reports Omie's "no records" fault, which list methods turn into an empty page.
func isNoRecords(err error) bool {
	var pe *partner.Error
	return errors.As(err, &pe) && (pe.Code == CodeNoRecords || pe.Code == CodeNoneFound)
}

var (
	reSeconds = regexp.MustCompile(`(\d+)\s+segundos?`)
	reClock   = regexp.MustCompile(`às (\d{1,2}):(\d{2}):(\d{2})`)
	reNCod    = regexp.MustCompile(`(?:nCod|Id) \[(\d+)\]`)
)

// retryAfter reads how long Omie asks us to wait from its message ("Aguarde 16 segundos", "Tente
// novamente em 1797 segundos", "tentar novamente às 19:04:08" in Brasília time) or from a
// Retry-After header, falling back to def.
func retryAfter(msg string, h http.Header, now time.Time, def time.Duration) time.Duration {
	if m := reSeconds.FindStringSubmatch(msg); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			return time.Duration(n) * time.Second
		}
	}
	if m := reClock.FindStringSubmatch(msg); m != nil {
		hh, _ := strconv.Atoi(m[1])
		mm, _ := strconv.Atoi(m[2])
		ss, _ := strconv.Atoi(m[3])
		local := now.In(brasilia)
		at := time.Date(local.Year(), local.Month(), local.Day(), hh, mm, ss, 0, brasilia)
		if !at.After(local) {
			at = at.Add(24 * time.Hour)
		}
		return at.Sub(local)
	}
	return partner.RetryAfter(h, now, def)
}

// ExistingID returns the Omie id named in a duplicate fault ("já cadastrado … com o nCod [n]" or
// "… com o Id [n]"), so a caller can link to the record that already exists.
func ExistingID(err error) (int64, bool) {
	var pe *partner.Error
	if !errors.As(err, &pe) {
		return 0, false
	}
	m := reNCod.FindStringSubmatch(pe.Message)
	if m == nil {
		return 0, false
	}
	n, perr := strconv.ParseInt(m[1], 10, 64)
	return n, perr == nil
}

package web

import (
	"encoding/csv"
	"net/http"
	"strings"

	"github.com/pontehub/ponte/internal/store"
)

// exportRecords streams the run log's filtered view as CSV (SPEC OP3): UTF-8 with a BOM and ';'
// between fields, so Excel in Portuguese opens it as columns; rows are written as they are read,
// a thousand at a time, so memory does not grow with the log.
func (s *server) exportRecords(w http.ResponseWriter, r *http.Request, in store.Integration) error {
	v := recordsView{In: in, Flows: store.FlowsFor(in.ERP)}
	recordsFilter(r.URL.Query(), &v)
	if len(v.Errors) > 0 {
		msgs := make([]string, 0, len(v.Errors))
		for _, m := range v.Errors {
			msgs = append(msgs, m)
		}
		return Errorf(Invalid, "Filtro inválido: "+strings.Join(msgs, " "), nil)
	}
	f := v.Filter
	f.After = store.OutcomeCursor{}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="registros-`+string(in.ERP)+`.csv"`)
	h.Set("Cache-Control", "no-store")
	if _, err := w.Write([]byte("\uFEFF")); err != nil {
		return nil // the client went away
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	flusher, _ := w.(http.Flusher)
	_ = cw.Write([]string{"Data e hora", "Fluxo", "Resultado", "Motivo", "Mensagem", "Nome", "CPF/CNPJ", "Código no Auvo", "Código no " + in.ERP.Label()})
	n := 0
	err := s.Store.EachOutcome(r.Context(), in.TenantID, in.ID, f, func(o store.Outcome) error {
		reason := ""
		if o.Reason != "" {
			reason = reasonLabel(in.ERP, o.Reason)
		}
		if err := cw.Write([]string{datetime(o.At), o.Flow.Label(), o.Action.Label(), reason, cell(o.Message),
			cell(o.Name), cell(o.Document), cell(o.AuvoID), cell(o.ERPID)}); err != nil {
			return err
		}
		if n++; n%1000 == 0 {
			cw.Flush()
			if flusher != nil {
				flusher.Flush()
			}
		}
		return cw.Error()
	})
	cw.Flush()
	if err != nil {
		// Headers are gone: the file ends short, and the cause is logged once here.
		s.Log.Error("run log export", "integration_id", in.ID, "err", err)
	}
	return nil
}

// cell keeps a spreadsheet from reading a value as a formula (CSV injection): a leading = + - @
// gets an apostrophe, which Excel shows as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

package oauth

import (
	"context"
	"errors"
	"net/http"

	"github.com/pontehub/ponte/internal/partner"
)

// Send sends req through d with the access token of connection key as a bearer token. When the
// partner answers 401 it forces one refresh and sends req once more: a 401 means the request was
// refused before it ran, so even a create is safe to resend. Other answers, 401 after the
// refresh included, are returned for the caller to decode.
//
// A failure to get a token is a *partner.Error: KindAuth when only the user can fix it (it
// still matches ErrNeedsReconnect or ErrNoToken with errors.Is), KindTransient otherwise.
func (m *Manager) Send(ctx context.Context, d *partner.Doer, key string, req partner.Request) (partner.Response, error) {
	token, err := m.AccessToken(ctx, key)
	if err != nil {
		return partner.Response{}, tokenError(req, err)
	}
	for attempt := 0; ; attempt++ {
		r := req
		r.Header = req.Header.Clone()
		if r.Header == nil {
			r.Header = http.Header{}
		}
		r.Header.Set("Authorization", "Bearer "+token)
		resp, err := d.Do(ctx, r)
		if err != nil || resp.Status != http.StatusUnauthorized || attempt > 0 {
			return resp, err
		}
		if token, err = m.Refresh(ctx, key, token); err != nil {
			return partner.Response{}, tokenError(req, err)
		}
	}
}

func tokenError(req partner.Request, err error) error {
	e := &partner.Error{Partner: req.Partner, Method: req.Method, Kind: partner.KindTransient,
		Message: "não foi possível obter o token de acesso", Err: err}
	if errors.Is(err, ErrNeedsReconnect) || errors.Is(err, ErrNoToken) {
		e.Kind = partner.KindAuth
		e.Message = "a conexão expirou ou foi revogada: clique em Reconectar"
	}
	return e
}

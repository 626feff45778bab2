package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/mail"
	"github.com/pontehub/ponte/internal/store"
)

// The answer to "resend" and "forgot" (in their templates) is the same whether the e-mail has an
// account or not, so the forms cannot be used to find out who is a customer.
const mailLimit = "Você já pediu várias vezes. Aguarde uma hora ou fale com o suporte."

func (s *server) resendForm(w http.ResponseWriter, r *http.Request, u *user) error {
	return s.render(w, r, u, http.StatusOK, "resend.html", "Não recebi a senha", accountForm{})
}

// mailRequest reads the e-mail of a resend or reset form and applies the mail limits. It returns
// the form to show when the request must stop there.
func (s *server) mailRequest(ctx context.Context, r *http.Request) (accountForm, bool, error) {
	f := accountForm{Errors: fieldErrors{}}
	var msg string
	if f.Email, msg = cleanEmail(r.PostFormValue("email")); msg != "" {
		f.Errors.add("email", msg)
		return f, false, nil
	}
	keys := map[string]int{"mail:" + store.NormalizeEmail(f.Email): mailsPerAddress, "mail-ip:" + clientIP(r): mailsPerIP}
	over, err := s.overLimit(ctx, mailWindow, keys)
	if err != nil || over {
		if over {
			f.Errors.add("email", mailLimit)
		}
		return f, false, err
	}
	for k := range keys {
		if err := s.Store.AddThrottle(ctx, k); err != nil {
			return f, false, err
		}
	}
	return f, true, nil
}

// resend sends a new generated password to an account that never signed in with its own
// (SPEC P3). An account that chose its password uses the reset link instead, so nobody can
// replace a working password by asking for a resend.
func (s *server) resend(w http.ResponseWriter, r *http.Request, u *user) error {
	ctx := r.Context()
	f, ok, err := s.mailRequest(ctx, r)
	if err != nil {
		return err
	}
	if !ok {
		return s.render(w, r, u, http.StatusUnprocessableEntity, "resend.html", "Não recebi a senha", f)
	}
	acc, err := s.Store.UserByEmail(ctx, f.Email)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	case acc.MustChange:
		if err := s.newPassword(ctx, acc, acc.Email); err != nil {
			return err
		}
	}
	f.Done = true
	return s.render(w, r, u, http.StatusOK, "resend.html", "Não recebi a senha", f)
}

// newPassword generates, stores and e-mails a new provisional password.
func (s *server) newPassword(ctx context.Context, acc store.User, actor string) error {
	name := ""
	if acc.TenantID != 0 {
		t, err := s.Store.TenantByID(ctx, acc.TenantID)
		if err != nil {
			return err
		}
		name = t.Name
	}
	password := generatePassword()
	if err := s.Store.SetPassword(ctx, acc.ID, hashPassword(password), true); err != nil {
		return err
	}
	if err := s.Store.Audit(ctx, store.AuditEntry{TenantID: acc.TenantID, Actor: actor, Action: "password.resent",
		Detail: "Nova senha provisória enviada para " + acc.Email + "."}); err != nil {
		return err
	}
	if err := s.sendPassword(ctx, acc, name, password); err != nil {
		return Errorf(Unavailable, "Não conseguimos enviar o e-mail agora. Tente de novo em alguns minutos.", err)
	}
	return nil
}

func (s *server) forgotForm(w http.ResponseWriter, r *http.Request, u *user) error {
	return s.render(w, r, u, http.StatusOK, "forgot.html", "Esqueci minha senha", accountForm{})
}

// forgot e-mails a one-time link to choose a new password (SPEC P4).
func (s *server) forgot(w http.ResponseWriter, r *http.Request, u *user) error {
	ctx := r.Context()
	f, ok, err := s.mailRequest(ctx, r)
	if err != nil {
		return err
	}
	if !ok {
		return s.render(w, r, u, http.StatusUnprocessableEntity, "forgot.html", "Esqueci minha senha", f)
	}
	acc, err := s.Store.UserByEmail(ctx, f.Email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err == nil {
		tok := randomToken()
		if err := s.Store.CreatePasswordReset(ctx, tok, acc.ID, time.Now().Add(resetLinkLife)); err != nil {
			return err
		}
		link := strings.TrimSuffix(s.BaseURL, "/") + "/password/reset/" + tok
		err := s.Mailer.Send(ctx, mail.Message{To: acc.Email, Subject: "Criar uma senha nova na Ponte",
			Body: "Olá!\n\nRecebemos um pedido para criar uma senha nova para " + acc.Email + ".\n\n" +
				"Abra o link abaixo (vale por 1 hora e funciona uma única vez):\n\n    " + link + "\n\n" +
				"Se você não pediu, ignore este e-mail: sua senha atual continua valendo.\n\n— Equipe Ponte\n"})
		if err != nil {
			return Errorf(Unavailable, "Não conseguimos enviar o e-mail agora. Tente de novo em alguns minutos.", err)
		}
	}
	f.Done = true
	return s.render(w, r, u, http.StatusOK, "forgot.html", "Esqueci minha senha", f)
}

var errLinkExpired = Errorf(NotFound, "Este link expirou ou já foi usado. Peça outro em “Esqueci minha senha”.", nil)

func (s *server) resetForm(w http.ResponseWriter, r *http.Request, u *user) error {
	tok := r.PathValue("token")
	if _, err := s.Store.PasswordResetUser(r.Context(), tok); err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrExpired) {
			return errLinkExpired
		}
		return err
	}
	return s.render(w, r, u, http.StatusOK, "password.html", "Criar senha nova", passwordForm{Token: tok})
}

// reset spends the link and sets the chosen password; the user is signed in.
func (s *server) reset(w http.ResponseWriter, r *http.Request, u *user) error {
	ctx := r.Context()
	tok := r.PathValue("token")
	acc, err := s.Store.PasswordResetUser(ctx, tok)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrExpired) {
			return errLinkExpired
		}
		return err
	}
	f := passwordForm{Token: tok, Errors: fieldErrors{}}
	pw := r.PostFormValue("password")
	if err := checkNewPassword(pw, r.PostFormValue("confirm"), acc.Email); err != nil {
		f.Errors.add("password", err.Error())
		return s.render(w, r, u, http.StatusUnprocessableEntity, "password.html", "Criar senha nova", f)
	}
	if _, err := s.Store.UsePasswordReset(ctx, tok); err != nil {
		if errors.Is(err, store.ErrExpired) {
			return errLinkExpired
		}
		return err
	}
	if err := s.Store.SetPassword(ctx, acc.ID, hashPassword(pw), false); err != nil {
		return err
	}
	acc.MustChange = false
	if err := s.startSession(w, r, acc); err != nil {
		return err
	}
	return s.redirect(w, r, "/", "Senha nova criada. Você já está conectado.")
}

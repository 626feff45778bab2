package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"

	"github.com/pontehub/ponte/internal/mail"
	"github.com/pontehub/ponte/internal/store"
)

// Limits against guessing and mail bombing, counted in the database so every node sees them.
const (
	loginWindow        = 15 * time.Minute
	loginFailsPerEmail = 5  // attempts per account from one address
	loginFailsPerIP    = 60 // attempts from one address, successes included
	mailWindow         = time.Hour
	mailsPerAddress    = 3  // P3 resends and P4 reset links per e-mail per hour
	mailsPerIP         = 20 // sign-ups, resends and reset links per address per hour
	resetLinkLife      = time.Hour
)

// dummyHash makes a login for an unknown e-mail cost as much as a wrong password.
var dummyHash = hashPassword(generatePassword())

type accountForm struct {
	Name, Email string
	Errors      fieldErrors
	Done        bool // the generic "if the account exists, we sent it" answer was given
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// overLimit counts the event under each key and reports whether any is over its limit.
func (s *server) overLimit(ctx context.Context, window time.Duration, limits map[string]int) (bool, error) {
	for key, max := range limits {
		n, err := s.Store.Throttled(ctx, key, time.Now().Add(-window))
		if err != nil {
			return false, err
		}
		if n >= max {
			return true, nil
		}
	}
	return false, nil
}

func (s *server) countEvents(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if err := s.Store.AddThrottle(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

func (s *server) home(w http.ResponseWriter, r *http.Request, u *user) error {
	switch {
	case u == nil:
		return s.render(w, r, nil, http.StatusOK, "home.html", "Integração do Auvo com Omie, Conta Azul e Bling", homeView{Catalogue: catalogue(), Period: period(s.PollInterval)})
	case u.MustChange:
		return s.redirect(w, r, "/password", "")
	case u.Operator:
		return s.redirect(w, r, "/operator", "")
	}
	return s.tenantHome(w, r, u)
}

func (s *server) signupForm(w http.ResponseWriter, r *http.Request, u *user) error {
	return s.render(w, r, u, http.StatusOK, "signup.html", "Criar conta", accountForm{})
}

// signup creates the company's account and e-mails it a generated password (SPEC P1).
func (s *server) signup(w http.ResponseWriter, r *http.Request, u *user) error {
	f := accountForm{Errors: fieldErrors{}}
	var msg string
	if f.Name, msg = cleanText(r.PostFormValue("name"), 120); msg != "" {
		f.Errors.add("name", msg)
	} else if f.Name == "" {
		f.Errors.add("name", "Informe o nome da sua empresa.")
	}
	if f.Email, msg = cleanEmail(r.PostFormValue("email")); msg != "" {
		f.Errors.add("email", msg)
	}
	ctx := r.Context()
	ipKey := "mail-ip:" + clientIP(r)
	if len(f.Errors) == 0 {
		if over, err := s.overLimit(ctx, mailWindow, map[string]int{ipKey: mailsPerIP}); err != nil {
			return err
		} else if over {
			f.Errors.add("email", "Muitos cadastros a partir deste endereço. Aguarde uma hora e tente de novo.")
		}
	}
	if len(f.Errors) == 0 {
		if _, err := s.Store.UserByEmail(ctx, f.Email); err == nil {
			f.Errors.add("email", "Já existe uma conta com este e-mail. Entre, ou use “Esqueci minha senha”.")
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if len(f.Errors) > 0 {
		return s.render(w, r, u, http.StatusUnprocessableEntity, "signup.html", "Criar conta", f)
	}
	password := generatePassword()
	var created store.User
	err := s.Store.Tx(ctx, func(tx *store.Tx) error {
		t, err := tx.CreateTenant(ctx, f.Name)
		if err != nil {
			return err
		}
		created, err = tx.CreateUser(ctx, t.ID, f.Email, hashPassword(password), false)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{TenantID: t.ID, Actor: created.Email, Action: "account.created",
			Detail: "Conta criada pelo cadastro no portal."})
	})
	if errors.Is(err, store.ErrConflict) {
		f.Errors.add("email", "Já existe uma conta com este e-mail. Entre, ou use “Esqueci minha senha”.")
		return s.render(w, r, u, http.StatusUnprocessableEntity, "signup.html", "Criar conta", f)
	}
	if err != nil {
		return err
	}
	if err := s.countEvents(ctx, ipKey, "mail:"+created.Email); err != nil {
		return err
	}
	if err := s.sendPassword(ctx, created, f.Name, password); err != nil {
		s.Log.Error("sign-up e-mail failed", "user_id", created.ID, "err", err)
		return s.redirect(w, r, "/login", "Conta criada, mas não conseguimos enviar o e-mail com a senha agora. Use “Não recebi a senha” em alguns minutos.")
	}
	return s.redirect(w, r, "/login", "Conta criada! Enviamos a senha de acesso para "+created.Email+". Confira também a caixa de spam.")
}

// sendPassword e-mails a generated password. It is the only place the password leaves Ponte.
func (s *server) sendPassword(ctx context.Context, u store.User, name, password string) error {
	greeting := "Olá!"
	if name != "" {
		greeting = "Olá, " + name + "!"
	}
	return s.Mailer.Send(ctx, mail.Message{
		To:      u.Email,
		Subject: "Sua senha de acesso à Ponte",
		Body: fmt.Sprintf("%s\n\nSua senha provisória para entrar na Ponte (integração Auvo ⇄ ERP) é:\n\n    %s\n\n"+
			"Entre em %s/login com o e-mail %s. No primeiro acesso você vai escolher uma senha nova.\n\n"+
			"Se você não pediu este acesso, ignore este e-mail.\n\n— Equipe Ponte\n",
			greeting, password, strings.TrimSuffix(s.BaseURL, "/"), u.Email),
	})
}

type loginForm struct {
	Email, Next, Error string
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request, u *user) error {
	return s.render(w, r, u, http.StatusOK, "login.html", "Entrar", loginForm{Next: r.URL.Query().Get("next")})
}

// safeNext keeps a post-login redirect on this site: only a clean local path is accepted. A
// browser drops TAB, CR and LF inside a URL and reads a backslash as a slash, so "/\t/evil" and
// "/\\evil" would leave the site; anything with a control character, whitespace or backslash,
// a scheme, a host, or a path that cleans to something else is refused.
func safeNext(next string) string {
	if next == "" || next[0] != '/' {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || !cleanURLText(next) || !cleanURLText(u.Path) || u.Scheme != "" || u.Host != "" || u.User != nil ||
		u.Opaque != "" || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	if clean := path.Clean(u.Path); clean != u.Path && clean+"/" != u.Path {
		return "/"
	}
	return next
}

// cleanURLText reports whether s has no control character, whitespace, backslash or
// invisible character, which browsers drop or reinterpret.
func cleanURLText(s string) bool {
	for _, r := range s {
		if r == '\\' || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// login signs a user in (SPEC P4). Every attempt is counted before the password is checked,
// per account and address together and per address alone, so racing requests cannot pass the
// limit; a guesser blocks only their own address, never the owner's (issue 18 items 2, 3).
func (s *server) login(w http.ResponseWriter, r *http.Request, _ *user) error {
	ctx := r.Context()
	email, _ := cleanText(r.PostFormValue("email"), 254)
	f := loginForm{Email: email, Next: r.PostFormValue("next")}
	ip := clientIP(r)
	pairKey, ipKey := loginKeys(email, ip)
	since := time.Now().Add(-loginWindow)
	n, err := s.Store.HitThrottle(ctx, pairKey, since)
	if err != nil {
		return err
	}
	m, err := s.Store.HitThrottle(ctx, ipKey, since)
	if err != nil {
		return err
	}
	if n > loginFailsPerEmail || m > loginFailsPerIP {
		if n == loginFailsPerEmail+1 {
			s.warnGuessing(ctx, email, ip)
		}
		f.Error = "Muitas tentativas de entrar. Aguarde 15 minutos e tente de novo, ou use “Esqueci minha senha”."
		return s.render(w, r, nil, http.StatusTooManyRequests, "login.html", "Entrar", f)
	}
	acc, err := s.Store.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	hash := acc.PasswordHash
	if err != nil {
		hash = dummyHash
	}
	match, ok := s.hashes.check(ctx, hash, r.PostFormValue("password"))
	if !ok {
		f.Error = "O portal está ocupado. Tente de novo em alguns segundos."
		w.Header().Set("Retry-After", "5")
		return s.render(w, r, nil, http.StatusServiceUnavailable, "login.html", "Entrar", f)
	}
	if !match || err != nil {
		f.Error = "E-mail ou senha incorretos."
		return s.render(w, r, nil, http.StatusUnauthorized, "login.html", "Entrar", f)
	}
	if err := s.Store.ClearThrottle(ctx, pairKey); err != nil {
		return err
	}
	if err := s.startSession(w, r, acc); err != nil {
		return err
	}
	switch {
	case acc.MustChange:
		return s.redirect(w, r, "/password", "Bem-vindo! Antes de continuar, escolha uma senha nova.")
	case acc.Operator && f.Next == "":
		return s.redirect(w, r, "/operator", "")
	}
	return s.redirect(w, r, safeNext(f.Next), "")
}

func (s *server) logout(w http.ResponseWriter, r *http.Request, _ *user) error {
	if err := s.endSession(w, r); err != nil {
		return err
	}
	return s.redirect(w, r, "/login", "Você saiu da Ponte.")
}

type passwordForm struct {
	MustChange bool
	Token      string // reset link token, on the reset page
	Errors     fieldErrors
}

func (s *server) passwordForm(w http.ResponseWriter, r *http.Request, u *user) error {
	return s.render(w, r, u, http.StatusOK, "password.html", "Trocar senha", passwordForm{MustChange: u.MustChange})
}

// passwordChange replaces the password; the e-mailed one needs no confirmation of the current
// password, since the user just signed in with it (SPEC P2).
func (s *server) passwordChange(w http.ResponseWriter, r *http.Request, u *user) error {
	f := passwordForm{MustChange: u.MustChange, Errors: fieldErrors{}}
	if !u.MustChange && !checkPassword(u.PasswordHash, r.PostFormValue("current")) {
		f.Errors.add("current", "A senha atual está incorreta.")
	}
	pw := r.PostFormValue("password")
	if err := checkNewPassword(pw, r.PostFormValue("confirm"), u.Email); err != nil {
		f.Errors.add("password", err.Error())
	} else if u.MustChange && checkPassword(u.PasswordHash, pw) {
		f.Errors.add("password", "Escolha uma senha diferente da que recebeu por e-mail.")
	}
	if len(f.Errors) > 0 {
		return s.render(w, r, u, http.StatusUnprocessableEntity, "password.html", "Trocar senha", f)
	}
	if err := s.Store.SetPassword(r.Context(), u.ID, hashPassword(pw), false); err != nil {
		return err
	}
	// Every session ended with the old password; this browser gets a new one.
	if err := s.startSession(w, r, *u); err != nil {
		return err
	}
	to := "/"
	if u.Operator {
		to = "/operator"
	}
	return s.redirect(w, r, to, "Senha alterada.")
}

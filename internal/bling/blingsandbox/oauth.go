package blingsandbox

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/sandbox"
)

// The demo OAuth app that `ponte sandbox` seeds, so Ponte can be configured before anything is
// registered. The redirect link is a guess at the portal's callback; change it through the admin
// API when the portal uses another one.
const (
	DemoClientID     = "ponte-demo-bling"
	DemoClientSecret = "ponte-demo-bling-secret"
	DemoRedirectURI  = "http://localhost:8080/oauth/bling/callback"
)

// App is a registered OAuth application ("aplicativo" in Bling's Área do Integrador). Bling
// apps have exactly one redirect link.
type App struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	RedirectURI  string `json:"redirect_uri"`
}

// grant is one authorisation of an app by an account; every token issued through it dies with
// it when a code or refresh token is replayed.
type grant struct {
	id      int64
	app     string
	account int64
	revoked bool
}

type accessToken struct {
	grant  *grant
	expiry time.Time
}

// ticket is a single-use secret that leads to new tokens: an authorization code or a refresh
// token. Presenting a used one is a replay.
type ticket struct {
	grant   *grant
	expiry  time.Time
	used    bool
	revoked bool
}

// redeem spends t for clientID, or returns why it cannot be spent. A replay revokes the grant:
// whoever holds the stolen or duplicated secret loses access along with the rightful holder.
func redeem(t *ticket, found bool, clientID string, now time.Time) string {
	switch {
	case !found || t.grant.app != clientID:
		return "inválido"
	case t.used:
		t.grant.revoked = true
		return "já utilizado; acesso revogado"
	case t.revoked || t.grant.revoked || now.After(t.expiry):
		return "revogado ou expirado"
	}
	t.used = true
	return ""
}

// scope is what the sandbox reports as granted: Bling lists numeric scope ids [C] (TOK).
const scope = "98308 98309 98310 5990556 106168710"

// NewApp registers an OAuth app with its one redirect link.
func (s *Sandbox) NewApp(redirectURI string) App {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newApp(App{ClientID: randomToken(20), ClientSecret: randomToken(30), RedirectURI: redirectURI})
}

func (s *Sandbox) newApp(a App) App {
	s.st.apps[a.ClientID] = &a
	return a
}

// SetRedirectURI changes an app's redirect link.
func (s *Sandbox) SetRedirectURI(clientID, redirectURI string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.apps[clientID]
	if !ok {
		return errors.New("blingsandbox: unknown client id")
	}
	a.RedirectURI = redirectURI
	return nil
}

// IssueCode authorises the app for the account, as if the account's user had approved it on
// the authorize page, and returns the authorization code.
func (s *Sandbox) IssueCode(clientID string, accountID int64) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueCode(clientID, accountID)
}

func (s *Sandbox) issueCode(clientID string, accountID int64) (string, error) {
	if _, ok := s.st.apps[clientID]; !ok {
		return "", errors.New("blingsandbox: unknown client id")
	}
	if _, err := s.acct(accountID); err != nil {
		return "", err
	}
	g := &grant{id: s.st.nextGrant, app: clientID, account: accountID}
	s.st.nextGrant++
	code := randomToken(20)
	s.st.codes[code] = &ticket{grant: g, expiry: s.opt.Now().Add(s.opt.CodeTTL)}
	return code, nil
}

// RevokeRefreshTokens revokes the refresh tokens of every app installed on the account, as
// Bling does when the user uninstalls an app or its scopes change. Access tokens keep working
// until they expire. It returns how many were revoked.
func (s *Sandbox) RevokeRefreshTokens(accountID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, rt := range s.st.refresh {
		if rt.grant.account == accountID && !rt.revoked && !rt.used {
			rt.revoked = true
			n++
		}
	}
	return n
}

var authorizePage = template.Must(template.New("authorize").Parse(`<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>Bling (simulador) — autorizar aplicativo</title></head>
<body>
<h1>Autorizar aplicativo</h1>
<p>O aplicativo <code>{{.ClientID}}</code> quer acessar os dados da sua conta Bling.</p>
{{if .Accounts}}
<form method="post" action="authorize">
<input type="hidden" name="client_id" value="{{.ClientID}}">
<input type="hidden" name="state" value="{{.State}}">
<label>Conta
<select name="account">{{range .Accounts}}<option value="{{.ID}}">{{.Name}} (#{{.ID}})</option>{{end}}</select>
</label>
<button type="submit" name="decision" value="approve">Autorizar</button>
<button type="submit" name="decision" value="deny">Cancelar</button>
</form>
{{else}}<p>Nenhuma conta no simulador. Crie uma com POST /_sandbox/bling/accounts.</p>{{end}}
</body></html>`))

type accountOption struct {
	ID   int64
	Name string
}

// authorizeForm shows the page where a person picks a sandbox account and approves the app.
func (s *Sandbox) authorizeForm(w http.ResponseWriter, r *http.Request) {
	const method = "GET /oauth/authorize"
	s.counter.Inc(method)
	if s.faults.Apply(w, r, method, throttle) {
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	_, known := s.st.apps[q.Get("client_id")]
	var opts []accountOption
	for _, a := range s.st.accounts {
		opts = append(opts, accountOption{ID: a.id, Name: a.name})
	}
	s.mu.Unlock()
	switch {
	case q.Get("response_type") != "code":
		http.Error(w, "response_type deve ser code", http.StatusBadRequest)
		return
	case !known:
		http.Error(w, "Aplicativo não encontrado (client_id)", http.StatusBadRequest)
		return
	case q.Get("state") == "":
		// Bling's own guide: "ele não pode ser vazio" [C].
		http.Error(w, "O parâmetro state não pode ser vazio", http.StatusBadRequest)
		return
	}
	slices.SortFunc(opts, func(a, b accountOption) int { return int(a.ID - b.ID) })
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = authorizePage.Execute(w, map[string]any{"ClientID": q.Get("client_id"), "State": q.Get("state"), "Accounts": opts})
}

// authorizeDecision handles the form: a code and the state go back to the app's redirect link.
// A refusal sends error=access_denied, as RFC 6749 says; what Bling sends then is unknown [U].
func (s *Sandbox) authorizeDecision(w http.ResponseWriter, r *http.Request) {
	const method = "POST /oauth/authorize"
	s.counter.Inc(method)
	if s.faults.Apply(w, r, method, throttle) {
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "formulário inválido", http.StatusBadRequest)
		return
	}
	clientID, state := r.PostForm.Get("client_id"), r.PostForm.Get("state")
	accountID, _ := strconv.ParseInt(r.PostForm.Get("account"), 10, 64)
	if state == "" {
		http.Error(w, "O parâmetro state não pode ser vazio", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	a, ok := s.st.apps[clientID]
	var redirect, code string
	var err error
	if ok {
		redirect = a.RedirectURI
		if r.PostForm.Get("decision") != "deny" {
			code, err = s.issueCode(clientID, accountID)
		}
	}
	s.mu.Unlock()
	if !ok || err != nil {
		http.Error(w, "Aplicativo ou conta não encontrados", http.StatusBadRequest)
		return
	}
	u, err := url.Parse(redirect)
	if err != nil || redirect == "" {
		http.Error(w, "O aplicativo não tem link de redirecionamento válido", http.StatusBadRequest)
		return
	}
	v := u.Query()
	if code == "" {
		v.Set("error", "access_denied")
	} else {
		v.Set("code", code)
	}
	v.Set("state", state)
	u.RawQuery = v.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// tokenError answers the token endpoint's refusals in RFC 6749 §5.2 form. Bling's own error
// body here was never seen [U]; status 400 (401 for bad client credentials) is what matters to
// clients, which treat it as "authorise again".
func tokenError(w http.ResponseWriter, status int, code, desc string) {
	sandbox.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// token is the token endpoint: client credentials in Basic auth, form body, codes valid once
// within CodeTTL, refresh tokens rotated on every use. Replaying a code or a rotated refresh
// token revokes everything issued through that authorisation, as Bling is reported to do [I].
func (s *Sandbox) token(w http.ResponseWriter, r *http.Request) {
	const method = "POST /oauth/token"
	s.counter.Inc(method)
	if s.faults.Apply(w, r, method, throttle) {
		return
	}
	clientID, secret, basic := r.BasicAuth()
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "corpo do formulário inválido")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.apps[clientID]
	if !basic || !ok || a.ClientSecret != secret {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "credenciais do aplicativo inválidas (use Basic auth)")
		return
	}
	now := s.opt.Now()
	var t *ticket
	var found bool
	var what string
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		t, found = s.st.codes[r.PostForm.Get("code")]
		what = "código de autorização "
	case "refresh_token":
		t, found = s.st.refresh[r.PostForm.Get("refresh_token")]
		what = "refresh token "
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type deve ser authorization_code ou refresh_token")
		return
	}
	if why := redeem(t, found, clientID, now); why != "" {
		tokenError(w, http.StatusBadRequest, "invalid_grant", what+why)
		return
	}
	g := t.grant
	at, rt := randomToken(20), randomToken(20)
	s.st.access[at] = &accessToken{grant: g, expiry: now.Add(s.opt.AccessTTL)}
	s.st.refresh[rt] = &ticket{grant: g, expiry: now.Add(s.opt.RefreshTTL)}
	sandbox.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token":  at,
		"expires_in":    int(s.opt.AccessTTL / time.Second),
		"token_type":    "Bearer",
		"scope":         scope,
		"refresh_token": rt,
	})
}

// bearer returns the account whose valid access token authorises r; callers hold s.mu.
func (s *Sandbox) bearer(r *http.Request) (*account, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil, false
	}
	at, ok := s.st.access[strings.TrimSpace(tok)]
	if !ok || at.grant.revoked || !s.opt.Now().Before(at.expiry) {
		return nil, false
	}
	a, ok := s.st.accounts[at.grant.account]
	return a, ok
}

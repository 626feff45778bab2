package contaazulsandbox

import (
	"crypto/subtle"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/sandbox"
)

// App is a registered OAuth client (an application in the Conta Azul developer portal).
type App struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	RedirectURI  string `json:"redirect_uri"`
}

// authCode is one authorization code: valid for CodeTTL, exchangeable once.
type authCode struct {
	app, account, redirectURI string
	expiry                    time.Time
	// grant is set once the code was exchanged; a second exchange revokes it (RFC 6749 §4.1.2).
	grant string
}

// grant is one authorization of an app on an account: the family of every token issued from
// one code. Revoking it kills all of them.
type grant struct {
	app, account string
	revoked      bool
}

type accessToken struct {
	grant  string
	expiry time.Time
}

type refreshToken struct {
	grant  string
	expiry time.Time
	used   bool // rotated: presenting it again is reuse, which revokes the grant
}

// allowedScopes is the fixed scope string of the current API; there are no per-resource scopes.
var allowedScopes = []string{"openid", "profile", "aws.cognito.signin.user.admin"}

// NewApp registers an OAuth client with one exact redirect URI.
func (s *Sandbox) NewApp(redirectURI string) App {
	a := App{ClientID: "app-" + randomToken(8), ClientSecret: randomToken(16), RedirectURI: redirectURI}
	s.mu.Lock()
	s.apps[a.ClientID] = a
	s.mu.Unlock()
	return a
}

// SetRedirectURI changes the redirect URI registered for clientID.
func (s *Sandbox) SetRedirectURI(clientID, redirectURI string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[clientID]
	if !ok {
		return ErrNotFound
	}
	a.RedirectURI = redirectURI
	s.apps[clientID] = a
	return nil
}

// IssueCode authorises clientID on accountID as if a person had approved it on the authorize
// page, and returns the code that the redirect would carry.
func (s *Sandbox) IssueCode(clientID, accountID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	app, ok := s.apps[clientID]
	if !ok {
		return "", errors.New("contaazulsandbox: unknown client_id")
	}
	if _, ok := s.accounts[accountID]; !ok {
		return "", errors.New("contaazulsandbox: unknown account")
	}
	return s.newCode(app, accountID), nil
}

// newCode stores a fresh code; the caller holds s.mu.
func (s *Sandbox) newCode(app App, accountID string) string {
	code := randomToken(16)
	s.codes[code] = &authCode{app: app.ClientID, account: accountID, redirectURI: app.RedirectURI,
		expiry: s.now().Add(s.opts.CodeTTL)}
	return code
}

// RevokeRefreshTokens revokes every authorization given on accountID, as when the user removes
// the app in Conta Azul. Like Cognito's revocation, it also invalidates the access tokens issued
// from those refresh tokens, so the next API call answers 401 and the refresh gets invalid_grant.
func (s *Sandbox) RevokeRefreshTokens(accountID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.grants {
		if g.account == accountID {
			g.revoked = true
		}
	}
}

// authorizeRequest is the query of /oauth2/authorize, carried through the approval form.
type authorizeRequest struct {
	ResponseType, ClientID, RedirectURI, State, Scope string
}

func readAuthorizeRequest(v url.Values) authorizeRequest {
	return authorizeRequest{ResponseType: v.Get("response_type"), ClientID: v.Get("client_id"),
		RedirectURI: v.Get("redirect_uri"), State: v.Get("state"), Scope: v.Get("scope")}
}

// check validates the request. A bad client or redirect URI is shown to the person (never
// redirected to an unverified URI); other errors go back to the app by redirect.
func (s *Sandbox) check(ar authorizeRequest) (App, string, string) {
	app, ok := s.apps[ar.ClientID]
	if !ok {
		return App{}, "client_id desconhecido", ""
	}
	if ar.RedirectURI != app.RedirectURI {
		return App{}, "redirect_uri diferente da cadastrada no aplicativo", ""
	}
	if ar.ResponseType != "code" {
		return app, "", "unsupported_response_type"
	}
	for _, sc := range strings.Fields(ar.Scope) {
		if !slices.Contains(allowedScopes, sc) {
			return app, "", "invalid_scope"
		}
	}
	return app, "", ""
}

var authorizeTmpl = template.Must(template.New("authorize").Parse(`<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>Conta Azul (sandbox) — autorizar aplicativo</title></head>
<body>
<h1>Conta Azul (sandbox)</h1>
{{if .Problem}}<p role="alert">Não foi possível autorizar: {{.Problem}}.</p>{{else}}
<p>O aplicativo <strong>{{.Req.ClientID}}</strong> quer acessar os dados de uma empresa.</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="response_type" value="{{.Req.ResponseType}}">
<input type="hidden" name="client_id" value="{{.Req.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.Req.RedirectURI}}">
<input type="hidden" name="state" value="{{.Req.State}}">
<input type="hidden" name="scope" value="{{.Req.Scope}}">
<label>Empresa <select name="account">
{{range .Accounts}}<option value="{{.ID}}">{{.RazaoSocial}} ({{.ID}})</option>
{{end}}</select></label>
<button type="submit" name="decision" value="approve">Autorizar</button>
<button type="submit" name="decision" value="deny">Cancelar</button>
</form>{{end}}
</body></html>
`))

// authorizePage shows the account picker; the real server has the person log in with MFA here.
func (s *Sandbox) authorizePage(w http.ResponseWriter, r *http.Request) {
	ar := readAuthorizeRequest(r.URL.Query())
	s.mu.Lock()
	_, problem, redirectErr := s.check(ar)
	accounts := make([]Account, 0, len(s.accounts))
	for _, a := range s.accounts {
		accounts = append(accounts, a.info)
	}
	s.mu.Unlock()
	if redirectErr != "" {
		redirectBack(w, r, ar, url.Values{"error": {redirectErr}})
		return
	}
	sort.Slice(accounts, func(i, j int) bool { return accounts[i].ID < accounts[j].ID })
	status := http.StatusOK
	if problem != "" {
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	// The form posts relative to the page, which is /oauth2/authorize or its alias /login.
	action := "authorize"
	if strings.HasSuffix(r.URL.Path, "/login") {
		action = "oauth2/authorize"
	}
	_ = authorizeTmpl.Execute(w, map[string]any{"Req": ar, "Problem": problem, "Accounts": accounts, "Action": action})
}

// authorizeDecision handles the form: approve redirects with a code, deny with access_denied.
func (s *Sandbox) authorizeDecision(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "formulário inválido", http.StatusBadRequest)
		return
	}
	ar := readAuthorizeRequest(r.PostForm)
	s.mu.Lock()
	app, problem, redirectErr := s.check(ar)
	_, known := s.accounts[r.PostForm.Get("account")]
	var code string
	if problem == "" && redirectErr == "" && known && r.PostForm.Get("decision") == "approve" {
		code = s.newCode(app, r.PostForm.Get("account"))
	}
	s.mu.Unlock()
	switch {
	case problem != "":
		http.Error(w, problem, http.StatusBadRequest)
	case redirectErr != "":
		redirectBack(w, r, ar, url.Values{"error": {redirectErr}})
	case code == "" && r.PostForm.Get("decision") == "approve":
		http.Error(w, "empresa desconhecida", http.StatusBadRequest)
	case code == "":
		redirectBack(w, r, ar, url.Values{"error": {"access_denied"}})
	default:
		redirectBack(w, r, ar, url.Values{"code": {code}})
	}
}

func redirectBack(w http.ResponseWriter, r *http.Request, ar authorizeRequest, q url.Values) {
	if ar.State != "" {
		q.Set("state", ar.State)
	}
	sep := "?"
	if strings.Contains(ar.RedirectURI, "?") {
		sep = "&"
	}
	http.Redirect(w, r, ar.RedirectURI+sep+q.Encode(), http.StatusFound)
}

// tokenError writes an RFC 6749 §5.2 error, which is what the Cognito token endpoint answers.
func tokenError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	sandbox.WriteJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// tokenEndpoint exchanges codes and refresh tokens. Client credentials come in Basic auth or,
// as some doc versions show, in the body; both are accepted.
func (s *Sandbox) tokenEndpoint(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "corpo inválido")
		return
	}
	grantType := r.PostForm.Get("grant_type")
	s.counter.Inc("POST /oauth2/token " + grantType)
	if s.faults.Apply(w, r, "POST /oauth2/token", throttled(time.Second)) {
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	app, known := s.apps[id]
	if !known || subtle.ConstantTimeCompare([]byte(app.ClientSecret), []byte(secret)) != 1 {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "client_id ou client_secret inválidos")
		return
	}
	switch grantType {
	case "authorization_code":
		s.exchangeCode(w, r, app)
	case "refresh_token":
		s.rotateRefresh(w, r, app)
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type não suportado")
	}
}

// exchangeCode redeems a code once; the caller holds s.mu.
func (s *Sandbox) exchangeCode(w http.ResponseWriter, r *http.Request, app App) {
	c, ok := s.codes[r.PostForm.Get("code")]
	switch {
	case !ok || c.app != app.ClientID:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "código inválido")
	case c.grant != "":
		// A replayed code may be stolen: revoke what it produced.
		s.grants[c.grant].revoked = true
		tokenError(w, http.StatusBadRequest, "invalid_grant", "código já utilizado")
	case !s.now().Before(c.expiry):
		tokenError(w, http.StatusBadRequest, "invalid_grant", "código expirado")
	case r.PostForm.Get("redirect_uri") != c.redirectURI:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri diferente da usada na autorização")
	default:
		gid := randomToken(8)
		s.grants[gid] = &grant{app: app.ClientID, account: c.account}
		c.grant = gid
		s.issueTokens(w, gid)
	}
}

// rotateRefresh trades a refresh token for a new pair; the caller holds s.mu.
func (s *Sandbox) rotateRefresh(w http.ResponseWriter, r *http.Request, app App) {
	rt, ok := s.refresh[r.PostForm.Get("refresh_token")]
	if !ok || s.grants[rt.grant].app != app.ClientID {
		tokenError(w, http.StatusBadRequest, "invalid_grant", "refresh token inválido")
		return
	}
	g := s.grants[rt.grant]
	switch {
	case rt.used:
		// Reuse of a rotated token means two holders: revoke the whole family.
		g.revoked = true
		tokenError(w, http.StatusBadRequest, "invalid_grant", "refresh token já utilizado")
	case g.revoked:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "refresh token revogado")
	case !s.now().Before(rt.expiry):
		tokenError(w, http.StatusBadRequest, "invalid_grant", "refresh token expirado")
	default:
		rt.used = true
		s.issueTokens(w, rt.grant)
	}
}

// issueTokens answers a new token pair of grant gid; the caller holds s.mu. Real access tokens
// are Cognito JWTs; the sandbox's are opaque, which a client must treat them as anyway.
func (s *Sandbox) issueTokens(w http.ResponseWriter, gid string) {
	now := s.now()
	at, rt := randomToken(24), randomToken(32)
	s.access[at] = &accessToken{grant: gid, expiry: now.Add(s.opts.AccessTTL)}
	s.refresh[rt] = &refreshToken{grant: gid, expiry: now.Add(s.opts.RefreshTTL)}
	w.Header().Set("Cache-Control", "no-store")
	sandbox.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token":  at,
		"refresh_token": rt,
		"expires_in":    int(s.opts.AccessTTL.Seconds()),
		"token_type":    "Bearer",
	})
}

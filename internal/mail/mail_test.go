package mail_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	ponte "github.com/pontehub/ponte/internal/mail"
)

// smtpServer is a real SMTP server (emersion/go-smtp) in the test process; it keeps what it
// receives and refuses the recipients it is told to.
type smtpServer struct {
	addr   string
	mu     sync.Mutex
	got    []received
	refuse string // a recipient answered with 550
	user   string // when set, AUTH PLAIN with user/pass is required
	pass   string
	srv    *smtp.Server
}

type received struct {
	from string
	to   []string
	data []byte
}

func startSMTP(t *testing.T, user, pass string) *smtpServer {
	t.Helper()
	s := &smtpServer{user: user, pass: pass}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() { s.srv.Close() })
	return s
}

type session struct {
	s    *smtpServer
	cur  received
	auth bool
}

func (se *session) AuthMechanisms() []string {
	if se.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != se.s.user || password != se.s.pass {
			return errors.New("invalid credentials")
		}
		se.auth = true
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.s.user != "" && !se.auth {
		return &smtp.SMTPError{Code: 530, Message: "Authentication required"}
	}
	se.cur.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == se.s.refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable"}
	}
	se.cur.to = append(se.cur.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	se.cur.data = b
	se.s.mu.Lock()
	se.s.got = append(se.s.got, se.cur)
	se.s.mu.Unlock()
	return nil
}

func (se *session) Reset()        { se.cur = received{} }
func (se *session) Logout() error { return nil }

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

// message is what P1 sends: Portuguese, with accents, in subject and body.
var message = ponte.Message{
	To:      "ana@exemplo.com.br",
	Subject: "Sua senha de acesso à Ponte — integração",
	Body:    "Olá, Refrigeração Ação Ltda.\n\nSua senha provisória é: Xy7-çã.\nTroque-a no primeiro acesso.\n",
}

// parse reads a raw message and returns its decoded subject, body and headers.
func parse(t *testing.T, raw []byte) (*mail.Message, string, string) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not an RFC 5322 message: %v\n%s", err, raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	return m, subject, string(body)
}

func checkMessage(t *testing.T, raw []byte) {
	t.Helper()
	m, subject, body := parse(t, raw)
	if subject != message.Subject {
		t.Errorf("subject = %q, want %q", subject, message.Subject)
	}
	if ct := m.Header.Get("Content-Type"); !strings.Contains(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "charset=utf-8") {
		t.Errorf("Content-Type = %q", ct)
	}
	if m.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Errorf("Content-Transfer-Encoding = %q", m.Header.Get("Content-Transfer-Encoding"))
	}
	if m.Header.Get("Date") == "" || m.Header.Get("Message-ID") == "" {
		t.Errorf("missing Date or Message-ID: %v", m.Header)
	}
	if to := m.Header.Get("To"); !strings.Contains(to, message.To) {
		t.Errorf("To = %q", to)
	}
	if from := m.Header.Get("From"); !strings.Contains(from, "nao-responda@ponte.local") {
		t.Errorf("From = %q", from)
	}
	// The body is quoted-printable on the wire; decode it the way a mail client does.
	dec, err := io.ReadAll(quotedPrintable(body))
	if err != nil {
		t.Fatal(err)
	}
	if strings.ReplaceAll(string(dec), "\r\n", "\n") != message.Body {
		t.Errorf("body = %q, want %q", dec, message.Body)
	}
}

const from = "Ponte <nao-responda@ponte.local>"

// P1: the generated password reaches the user through a real SMTP server, with UTF-8 subject and
// body and the usual headers.
func TestSMTPSends(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, "", "")
	m, err := ponte.NewSMTP("smtp://"+srv.addr, from)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), message); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages", len(got))
	}
	if got[0].from != "nao-responda@ponte.local" || len(got[0].to) != 1 || got[0].to[0] != message.To {
		t.Fatalf("envelope = %q → %q", got[0].from, got[0].to)
	}
	checkMessage(t, got[0].data)
}

// The URL's password is never sent over an unencrypted connection: a server that offers only
// PLAIN without TLS gets no password and no message, and the error says why without showing it.
func TestSMTPAuthNeverInClear(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, "ponte", "s3nha:com@símbolos")
	m, err := ponte.NewSMTP("smtp://ponte:s3nha%3Acom%40s%C3%ADmbolos@"+srv.addr, from)
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(context.Background(), message)
	if err == nil {
		t.Fatal("sent with PLAIN authentication over a clear connection")
	}
	if !strings.Contains(err.Error(), "authentication") || strings.Contains(err.Error(), "s3nha") {
		t.Fatalf("error = %v", err)
	}
	if len(srv.messages()) != 0 {
		t.Fatal("message delivered")
	}
}

// A refused recipient, or no server at all, is a clear error naming the server.
func TestSMTPFailures(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, "", "")
	srv.refuse = "ninguem@exemplo.com.br"
	m, _ := ponte.NewSMTP("smtp://"+srv.addr, from)
	err := m.Send(context.Background(), ponte.Message{To: "ninguem@exemplo.com.br", Subject: "Oi", Body: "Oi"})
	if err == nil || !strings.Contains(err.Error(), "550") || !strings.Contains(err.Error(), srv.addr) {
		t.Fatalf("refused recipient: %v", err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	m2, _ := ponte.NewSMTP("smtp://"+closed, from)
	if err := m2.Send(context.Background(), message); err == nil || !strings.Contains(err.Error(), closed) {
		t.Fatalf("no server: %v", err)
	}
	if len(srv.messages()) != 0 {
		t.Fatal("a refused message was recorded")
	}
}

func TestSMTPURL(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"mail.example.com", "http://mail.example.com", "smtp://", "smtp://u:hunter2@host:99999", "::"} {
		_, err := ponte.NewSMTP(raw, from)
		if err == nil {
			t.Errorf("%q accepted", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: error shows the password: %v", raw, err)
		}
	}
	for _, raw := range []string{"smtp://mail.example.com", "smtps://u:p@mail.example.com:465", "smtp://u@[::1]:2525"} {
		if _, err := ponte.NewSMTP(raw, from); err != nil {
			t.Errorf("%q: %v", raw, err)
		}
	}
}

// Without PONTE_SMTP_URL each message is an .eml file in the outbox, readable by any mail
// client; the log names the file but never carries the body (it holds the password).
func TestOutbox(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "outbox")
	var logs bytes.Buffer
	m, err := ponte.New("", from, dir, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := m.Send(context.Background(), message); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 2 {
		t.Fatalf("outbox has %d files, want 2", len(files))
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	checkMessage(t, raw)
	if strings.Contains(logs.String(), "Xy7") || !strings.Contains(logs.String(), filepath.Base(files[0])[:8]) {
		t.Fatalf("log = %s", logs.String())
	}
	if st, _ := os.Stat(files[0]); st.Mode().Perm() != 0o600 {
		t.Fatalf("outbox file mode %v, want 0600", st.Mode().Perm())
	}
}

// Hostile input is refused with an error, never sent broken: a header injection through the
// subject, non-UTF-8 text, a bad address.
func TestRefusesBrokenMessages(t *testing.T) {
	t.Parallel()
	m := ponte.NewOutbox(t.TempDir(), from, nil)
	for name, msg := range map[string]ponte.Message{
		"subject with CRLF": {To: "a@b.com", Subject: "Oi\r\nBcc: x@evil.com", Body: "x"},
		"non-UTF-8 body":    {To: "a@b.com", Subject: "Oi", Body: "\xff\xfe"},
		"bad recipient":     {To: "não é e-mail", Subject: "Oi", Body: "x"},
	} {
		if err := m.Send(context.Background(), msg); err == nil {
			t.Errorf("%s: sent", name)
		}
	}
	files, _ := filepath.Glob(filepath.Join(m.Dir(), "*.eml"))
	if len(files) != 0 {
		t.Fatalf("%d files written", len(files))
	}
}

func quotedPrintable(s string) io.Reader { return qpReader(s) }

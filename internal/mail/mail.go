// Package mail sends the portal's e-mails (generated passwords, reset links): through SMTP when
// PONTE_SMTP_URL is set, otherwise into an outbox directory of .eml files that a developer, the
// demo and the browser tests read.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"
)

// Message is one plain-text e-mail in Portuguese.
type Message struct {
	To      string
	Subject string
	Body    string
}

// Mailer sends messages.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// New returns the SMTP mailer when smtpURL is set, and the outbox in outboxDir otherwise.
func New(smtpURL, from, outboxDir string, log *slog.Logger) (Mailer, error) {
	if smtpURL != "" {
		return NewSMTP(smtpURL, from)
	}
	return NewOutbox(outboxDir, from, log), nil
}

// build turns m into a MIME message: UTF-8, quoted-printable, with date and message id.
func build(from string, m Message) (*gomail.Msg, error) {
	if !utf8.ValidString(m.Subject) || !utf8.ValidString(m.Body) {
		return nil, errors.New("mail: subject or body is not valid UTF-8")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, errors.New("mail: subject has a line break")
	}
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("mail: sender %q: %w", from, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("mail: recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	return msg, nil
}

// Outbox is the mailer without an SMTP server: each message becomes an .eml file.
type Outbox struct {
	dir  string
	from string
	log  *slog.Logger
}

// NewOutbox returns a mailer writing into dir (created when needed).
func NewOutbox(dir, from string, log *slog.Logger) *Outbox {
	return &Outbox{dir: dir, from: from, log: log}
}

// Dir is where the messages are written.
func (o *Outbox) Dir() string { return o.dir }

// Send writes m as <dir>/<time>-<random>.eml. The log names the file and the recipient, never
// the body: it may hold a password.
func (o *Outbox) Send(_ context.Context, m Message) error {
	msg, err := build(o.from, m)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if _, err := msg.WriteTo(&b); err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	r := make([]byte, 4)
	_, _ = rand.Read(r)
	name := filepath.Join(o.dir, time.Now().UTC().Format("20060102T150405.000000000Z")+"-"+hex.EncodeToString(r)+".eml")
	if err := os.WriteFile(name, b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	if o.log != nil {
		o.log.Info("e-mail written to the outbox (no PONTE_SMTP_URL)", "path", name, "to", m.To, "subject", m.Subject)
	}
	return nil
}

package mail

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP sends through a mail server.
type SMTP struct {
	from string
	host string
	addr string // host:port, for error messages
	opts []gomail.Option
}

// NewSMTP returns a mailer for rawURL: smtp://user:password@host:587 (STARTTLS when the server
// offers it) or smtps://user:password@host:465 (TLS from the start). The password never appears
// in an error.
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		return nil, fmt.Errorf("mail: PONTE_SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465, not %q", redact(rawURL))
	}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
	}
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("mail: PONTE_SMTP_URL has a bad port %q", p)
		}
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(30 * time.Second)}
	if u.Scheme == "smtps" {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	if _, err := gomail.NewClient(u.Hostname(), opts...); err != nil {
		return nil, fmt.Errorf("mail: PONTE_SMTP_URL %s: %w", redact(rawURL), err)
	}
	return &SMTP{from: from, host: u.Hostname(), addr: u.Host, opts: opts}, nil
}

// Send delivers m, or says which server refused it and why.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := build(s.from, m)
	if err != nil {
		return err
	}
	// One client per message: a go-mail client holds one connection and is not meant to be
	// shared by concurrent requests.
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: %s: %w", s.addr, err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: sending to %s through %s: %w", m.To, s.addr, err)
	}
	return nil
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(URL ilegível)"
	}
	return u.Redacted()
}

package web

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	ponteMail "github.com/pontehub/ponte/internal/mail"
)

// outboxLimit is how many of the newest messages the outbox page shows.
const outboxLimit = 50

// outboxMessage is one e-mail written to the outbox, decoded for reading.
type outboxMessage struct {
	File    string
	To      string
	Subject string
	Date    time.Time
	Body    string
}

type outboxView struct {
	Enabled  bool // false when e-mail goes out through SMTP: there is no outbox to show
	Dir      string
	Messages []outboxMessage
	Total    int
}

// opOutbox shows the e-mails the portal wrote to the outbox instead of sending them (no
// PONTE_SMTP_URL): in the demo, this is where sign-up passwords and reset links arrive. Operators
// only, since the messages carry passwords.
func (s *server) opOutbox(w http.ResponseWriter, r *http.Request, u *user) error {
	v := outboxView{}
	if ob, ok := s.Mailer.(*ponteMail.Outbox); ok {
		v.Enabled, v.Dir = true, ob.Dir()
		files, err := filepath.Glob(filepath.Join(ob.Dir(), "*.eml"))
		if err != nil {
			return err
		}
		// The names start with the UTC time they were written: newest first is reverse order.
		slices.Sort(files)
		slices.Reverse(files)
		v.Total = len(files)
		for _, f := range files[:min(len(files), outboxLimit)] {
			m, err := readOutboxMessage(f)
			if err != nil {
				s.Log.Warn("unreadable outbox message", "path", f, "err", err)
				continue
			}
			v.Messages = append(v.Messages, m)
		}
	}
	return s.render(w, r, u, http.StatusOK, "outbox.html", "Caixa de saída de e-mails", v)
}

// readOutboxMessage decodes one .eml file as the mail package writes them: UTF-8, encoded
// headers, quoted-printable body.
func readOutboxMessage(path string) (outboxMessage, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return outboxMessage{}, err
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return outboxMessage{}, err
	}
	var body io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return outboxMessage{}, err
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		subject = m.Header.Get("Subject")
	}
	to, err := dec.DecodeHeader(m.Header.Get("To"))
	if err != nil {
		to = m.Header.Get("To")
	}
	date, _ := m.Header.Date()
	return outboxMessage{File: filepath.Base(path), To: to, Subject: subject, Date: date, Body: string(b)}, nil
}

package web

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pontehub/ponte/internal/mail"
	"github.com/pontehub/ponte/internal/store"
)

// hashWait is how long a login waits for a free hashing slot before it is told to come back.
const hashWait = 3 * time.Second

// hashGate bounds the argon2id checks running at once: each takes argonMemory KiB, so 150
// parallel logins grew the process by about 850 MB (issue 18 item 2).
type hashGate struct {
	slots  chan struct{}
	checks atomic.Int64 // real password checks made, for the tests and the logs
}

// newHashGate sizes the gate from memory: a quarter of GOMEMLIMIT when one is set, else
// 256 MiB, divided by one check's memory, and never more than four per CPU.
func newHashGate() *hashGate {
	budget := int64(256 << 20)
	if lim := debug.SetMemoryLimit(-1); lim != math.MaxInt64 {
		budget = lim / 4
	}
	n := int(budget / (argonMemory << 10))
	n = min(max(n, 2), 4*runtime.NumCPU())
	return &hashGate{slots: make(chan struct{}, n)}
}

// check runs checkPassword in a slot; ok is false when none freed up within hashWait.
func (g *hashGate) check(ctx context.Context, phc, password string) (match, ok bool) {
	ctx, cancel := context.WithTimeout(ctx, hashWait)
	defer cancel()
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return false, false
	}
	defer func() { <-g.slots }()
	g.checks.Add(1)
	return checkPassword(phc, password), true
}

// warnGuessing tells the account's owner, once a day, that someone is guessing its password
// from an address (issue 18 item 3). Mail failures are logged, not shown: the answer to the
// guesser must not change.
func (s *server) warnGuessing(ctx context.Context, email, ip string) {
	acc, err := s.Store.UserByEmail(ctx, email)
	if err != nil {
		return
	}
	n, err := s.Store.HitThrottle(ctx, "guess-mail:"+acc.Email, time.Now().Add(-24*time.Hour))
	if err != nil || n > 1 {
		return
	}
	err = s.Mailer.Send(ctx, mail.Message{
		To:      acc.Email,
		Subject: "Tentativas de entrar na sua conta da Ponte",
		Body: fmt.Sprintf("Olá!\n\nAlguém errou a senha da conta %s na Ponte várias vezes seguidas, a partir do endereço %s. "+
			"As tentativas desse endereço estão sendo bloqueadas por um tempo; você continua entrando normalmente.\n\n"+
			"Se não foi você, não é preciso fazer nada. Se foi, use “Esqueci minha senha” em %s/password/forgot.\n\n— Equipe Ponte\n",
			acc.Email, ip, strings.TrimSuffix(s.BaseURL, "/")),
	})
	if err != nil {
		s.Log.Error("guessing warning e-mail failed", "user_id", acc.ID, "err", err)
	}
}

// loginKeys are the throttle keys of one login attempt: the account with the address it comes
// from, and the address alone.
func loginKeys(email, ip string) (pair, addr string) {
	return "login:" + store.NormalizeEmail(email) + "|" + ip, "login-ip:" + ip
}

// Package alert tells a tenant's users by e-mail when an integration needs them: its
// credentials were rejected and it stopped (state com erro), or a cycle kept failing until its
// last retry. Each occurrence is e-mailed once: the alert is claimed in the database first, so
// neither several nodes nor later cycles nor a restart send it twice.
package alert

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/pontehub/ponte/internal/mail"
	"github.com/pontehub/ponte/internal/store"
)

// The kinds of alert.
const (
	KindCredentials = "credentials" // the partner rejected the credentials: state com erro
	KindRetries     = "retries"     // a cycle failed on its last attempt
	KindQuota       = "quota"       // a partner's daily quota paused the integration
)

// Alerter claims and sends alerts.
type Alerter struct {
	st      *store.Store
	mail    mail.Mailer
	baseURL string
	log     *slog.Logger
}

// New returns an Alerter that e-mails through m, with links to the portal at baseURL.
func New(st *store.Store, m mail.Mailer, baseURL string, log *slog.Logger) *Alerter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Alerter{st: st, mail: m, baseURL: strings.TrimSuffix(baseURL, "/"), log: log}
}

// CredentialsRejected alerts the tenant that in went into state com erro because a partner
// refused its credentials with reason. in is the integration as the cycle read it, while still
// active: its UpdatedAt names the active spell that ended, so every later call for the same
// spell (another cycle, a retried job, another node) sends nothing, and a failure after the
// user fixed and reactivated it is a new alert.
func (a *Alerter) CredentialsRejected(ctx context.Context, in store.Integration, reason string) error {
	ten, err := a.st.TenantByID(ctx, in.TenantID)
	if err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	subject := fmt.Sprintf("Integração Auvo ⇄ %s parada: credenciais recusadas", in.ERP.Label())
	body := fmt.Sprintf("Olá!\n\nA integração entre o Auvo e o %s da empresa %s parou e está com erro, porque o parceiro "+
		"recusou as credenciais:\n\n    %s\n\nNada será sincronizado até que elas sejam corrigidas. Para corrigir, abra "+
		"%s/integrations/%d, informe as chaves (ou conecte a conta de novo) e ative a integração outra vez.\n\n"+
		"Este aviso é enviado uma única vez.\n\n— Equipe Ponte\n",
		in.ERP.Label(), ten.Name, reason, a.baseURL, in.ID)
	return a.raise(ctx, store.Alert{TenantID: in.TenantID, IntegrationID: in.ID, Kind: KindCredentials,
		Episode: in.UpdatedAt.UTC().Format(time.RFC3339Nano), Subject: subject, Body: body})
}

// RetriesExhausted alerts the tenant that a cycle of its integration failed on its last
// attempt, with errText, the last error as users read it; at most once per integration and day.
func (a *Alerter) RetriesExhausted(ctx context.Context, c store.Cycle, attempts int, errText string) error {
	ten, err := a.st.TenantByID(ctx, c.TenantID)
	if err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	in, err := a.st.IntegrationByID(ctx, c.TenantID, c.IntegrationID)
	if err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	subject := fmt.Sprintf("Integração Auvo ⇄ %s: a sincronização falhou %d vezes", in.ERP.Label(), attempts)
	body := fmt.Sprintf("Olá!\n\nA sincronização de %s da integração entre o Auvo e o %s da empresa %s falhou %d vezes "+
		"seguidas e não será repetida. O último erro foi:\n\n    %s\n\nA integração continua ativa: o próximo ciclo começa "+
		"no horário de sempre. Se o erro se repetir, veja o registro de execuções em %s/integrations/%d/runs ou fale com o "+
		"suporte.\n\n— Equipe Ponte\n",
		c.Slot.In(brasilia).Format("02/01/2006 15:04"), in.ERP.Label(), ten.Name, attempts, errText, a.baseURL, in.ID)
	// One e-mail per integration and day at most: during a long outage every period's job
	// exhausts its retries, and the tenant needs to hear it once, not every ten minutes.
	return a.raise(ctx, store.Alert{TenantID: c.TenantID, IntegrationID: c.IntegrationID, Kind: KindRetries,
		Episode: "dia " + c.Slot.In(brasilia).Format("2006-01-02"), Subject: subject, Body: body})
}

// PartnerQuota alerts the tenant that a partner's daily quota (Bling's) ran out and the
// integration's flows are paused until, when it resets; once per pause (its end names it).
func (a *Alerter) PartnerQuota(ctx context.Context, in store.Integration, until time.Time, reason string) error {
	ten, err := a.st.TenantByID(ctx, in.TenantID)
	if err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	when := until.In(brasilia).Format("02/01/2006 15:04")
	subject := fmt.Sprintf("Integração Auvo ⇄ %s pausada até %s: limite diário do %s", in.ERP.Label(), when, in.ERP.Label())
	body := fmt.Sprintf("Olá!\n\nO %s recusou as chamadas da integração da empresa %s porque o limite diário de "+
		"requisições da conta acabou:\n\n    %s\n\nA sincronização fica pausada até %s (horário de Brasília), quando o "+
		"limite volta; depois continua sozinha, de onde parou, sem perder nada. O limite é da conta do %s e vale para "+
		"todos os aplicativos instalados nela. A pausa aparece em %s/integrations/%d/flows.\n\n"+
		"Este aviso é enviado uma única vez por pausa.\n\n— Equipe Ponte\n",
		in.ERP.Label(), ten.Name, reason, when, in.ERP.Label(), a.baseURL, in.ID)
	return a.raise(ctx, store.Alert{TenantID: in.TenantID, IntegrationID: in.ID, Kind: KindQuota,
		Episode: "até " + until.In(brasilia).Format("2006-01-02"), Subject: subject, Body: body})
}

// brasilia is the users' clock; a fixed offset, since Brazil has had no daylight saving time
// since 2019.
var brasilia = time.FixedZone("BRT", -3*60*60)

// raise claims the alert and, when it is new, sends what is owed.
func (a *Alerter) raise(ctx context.Context, al store.Alert) error {
	fresh, err := a.st.ClaimAlert(ctx, al)
	if err != nil || !fresh {
		return err
	}
	return a.Deliver(ctx)
}

// Deliver sends every alert not sent yet (one that failed to go out earlier is retried here),
// one e-mail per user of the tenant, and marks each sent once all its e-mails went out.
func (a *Alerter) Deliver(ctx context.Context) error {
	pending, err := a.st.AllUnsentAlerts(ctx, 100)
	if err != nil {
		return err
	}
	var errs []error
	for _, al := range pending {
		users, err := a.st.TenantUsers(ctx, al.TenantID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if al.Kind == KindQuota {
			// Support hears of a paused integration too (issue 22): the tenant can only wait,
			// and many pauses at once say Ponte's own use of the partner needs a look.
			ops, err := a.st.Operators(ctx)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			users = append(users, ops...)
		}
		var sendErr error
		for _, u := range users {
			if err := a.mail.Send(ctx, mail.Message{To: u.Email, Subject: al.Subject, Body: al.Body}); err != nil {
				sendErr = fmt.Errorf("alert %d to %s: %w", al.ID, u.Email, err)
				break
			}
		}
		if sendErr != nil {
			errs = append(errs, sendErr)
			continue
		}
		if err := a.st.MarkAlertSent(ctx, al.TenantID, al.ID); err != nil {
			errs = append(errs, err)
			continue
		}
		a.log.Info("alert sent", "tenant_id", al.TenantID, "integration_id", al.IntegrationID, "kind", al.Kind, "users", len(users))
	}
	return errors.Join(errs...)
}

package flow

import (
	"context"
	"errors"
	"time"

	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// QuotaAlerter is told, once per pause, that a partner's quota paused an integration;
// *alert.Alerter is one. An Alerter without it tells no one.
type QuotaAlerter interface {
	PartnerQuota(ctx context.Context, in store.Integration, until time.Time, reason string) error
}

// quotaOut reports whether err is a partner's daily quota running out (Bling's), which pauses
// the integration until it resets instead of being retried.
func quotaOut(err error) bool {
	var pe *partner.Error
	return errors.As(err, &pe) && pe.Kind == partner.KindBlocked && pe.Code == bling.CodeDailyQuota
}

// quotaReached pauses the integration's flows until the partner's quota resets: cycles until
// then make no call (RunCycle), the flows page shows the pause, and the tenant is told once.
// The cycle itself ends cleanly: nothing is lost, the cursors wait where they were.
func (e *Engine) quotaReached(ctx context.Context, in store.Integration, err error) error {
	var pe *partner.Error
	errors.As(err, &pe)
	until := e.now().Add(pe.RetryAfter)
	reason := userText(err)
	ctx = context.WithoutCancel(ctx)
	if serr := e.st.PausePartner(ctx, in.TenantID, in.ID, pe.Partner, until, reason); serr != nil {
		return errors.Join(err, serr)
	}
	e.log.Warn("partner quota reached, integration paused", "tenant_id", in.TenantID, "integration_id", in.ID,
		"partner", pe.Partner, "until", until)
	if qa, ok := e.alert.(QuotaAlerter); ok {
		if aerr := qa.PartnerQuota(ctx, in, until, reason); aerr != nil {
			e.log.Error("alerting the tenant", "tenant_id", in.TenantID, "integration_id", in.ID, "err", aerr)
		}
	}
	return nil
}

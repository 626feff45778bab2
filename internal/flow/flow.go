// Package flow is Ponte's sync engine: it runs an integration's flows (SPEC §4, §5), record by
// record, as pure decisions over data read from the partners, and keeps links, fingerprints and
// outcomes in the store.
//
// A flow run reads its cursor, lists the records changed since then on its source side (one
// listing per run, with the partner's own "changed since" filter and an overlap window), and
// for each record decides (customer_decide.go: pure functions of the record, its link, the
// candidates on the other side and the direction switches) and executes the decision. Writes
// are idempotent (Omie integration codes, Auvo PUT keyed by externalId, look-up before any
// second create), and the link, its fingerprints and the outcome are saved in one transaction
// after the partner calls, never during one.
//
// Echo suppression: a link keeps each side's synced fields as Ponte last wrote or read them (and
// their hash). A record whose fields hash to that value is Ponte's own write coming back, or an
// edit of fields Ponte does not sync: nothing is written and no outcome is recorded. A changed
// record is merged field by field with its pair: a field changed on one side is copied to the
// other; changed on both, the later change (by the partners' modification times) wins, and the
// outcome says so (C-E11).
//
// Reads (issue 8): a cycle lists the ERP's changed customers once, from the ERP → Auvo cursor,
// and both customer flows use that listing. The Auvo → ERP flow merges a linked record with its
// ERP record as listed when the ERP changed it (read whole when the listing leaves fields out),
// and otherwise with the link's ERP snapshot: the ERP → Auvo flow has taken every earlier ERP
// change into the snapshot, or, when it passed one over (a skip, a failed write), marked the
// snapshot stale (an empty ERP fingerprint), and then the record is read. An ERP update writes
// only the fields the merge changes and returns the new snapshot without reading the record
// again: the previous snapshot with the fields written as the ERP stores what it was sent
// (Omie keeps a field it is not sent; a second phone stays), read back only where the ERP
// rewrites what it is sent (Omie's cidade: a written address is read back). A record deleted in
// the ERP is found by the write, which locks the link as a read would have (C-A10). Records
// whose link the Auvo → ERP flow saved are left out of the cycle's ERP → Auvo run: its listing
// is older than the writes.
//
// The echo of an ERP write comes in the next cycle's listing, with a new modification time and
// the fields as the snapshot has them, so its fingerprint marks it as an echo: nothing is
// written and no outcome recorded. Should a partner normalise a field in a way its adapter does
// not foresee, the echo reads as a change made in the ERP and is copied to Auvo once (one write
// too many, which then settles): a change a user made in the ERP is never taken for an echo,
// because only fields hashing to the snapshot are.
//
// Adding an ERP: implement erpCustomers (customer_erp.go) in customer_{erp}.go, reading the
// ERP's records into Customer and Fields (canonical forms: br.FormatAddress lines, digits-only
// phones joined by " / ") and writing them back, and return it from Engine.erpSide.
package flow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/bling"
	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/contaazul"
	"github.com/pontehub/ponte/internal/jobs"
	"github.com/pontehub/ponte/internal/omie"
	"github.com/pontehub/ponte/internal/partner"
	"github.com/pontehub/ponte/internal/store"
)

// Partners builds the partner clients of an integration; *connector.Connector is the one
// production uses.
type Partners interface {
	Auvo(cr store.Credentials) *auvo.Client
	Omie(cr store.Credentials) *omie.Client
	Bling(tenant store.TenantID, id store.IntegrationID) *bling.Client
	ContaAzul(tenant store.TenantID, id store.IntegrationID) *contaazul.Client
}

// Options are what an Engine needs.
type Options struct {
	Store    *store.Store
	Partners Partners
	Log      *slog.Logger     // nil: discard
	Now      func() time.Time // nil: time.Now
	// Overlap is how far before its cursor a flow lists again, because partners filter with
	// coarse clocks and commit late; default DefaultOverlap.
	Overlap time.Duration
	// Alert tells the tenant when rejected credentials stop an integration; nil tells no one.
	Alert Alerter
}

// Alerter tells a tenant that an integration stopped; *alert.Alerter is the one production uses.
type Alerter interface {
	// CredentialsRejected is called with the integration as the cycle read it (still active)
	// once it has been put in state error, with the reason the user sees.
	CredentialsRejected(ctx context.Context, in store.Integration, reason string) error
}

// DefaultOverlap is the listing overlap of a cursor: a few minutes, well under the 10-minute
// period, so a record stamped late is still seen and the re-read records stay few.
const DefaultOverlap = 3 * time.Minute

// Engine runs integration cycles. It implements jobs.Cycler.
type Engine struct {
	st       *store.Store
	partners Partners
	log      *slog.Logger
	now      func() time.Time
	overlap  time.Duration
	alert    Alerter
	runners  map[store.Flow]runner
}

var (
	_ jobs.Cycler   = (*Engine)(nil)
	_ jobs.Operator = (*Engine)(nil)
)

// runner runs one flow of a cycle and returns the flow's new cursor. The product, stock, task
// and quotation flows slot in here.
type runner func(ctx context.Context, c *cycle, r *run) error

// New returns an Engine.
func New(o Options) *Engine {
	e := &Engine{st: o.Store, partners: o.Partners, log: o.Log, now: o.Now, overlap: o.Overlap, alert: o.Alert}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.now == nil {
		e.now = time.Now
	}
	if e.overlap <= 0 {
		e.overlap = DefaultOverlap
	}
	e.runners = map[store.Flow]runner{
		store.FlowCustomersToERP:  runCustomersToERP,
		store.FlowCustomersToAuvo: runCustomersToAuvo,
		store.FlowProducts:        runProducts,
		store.FlowStock:           runStock,
		store.FlowTasks:           runTasks,
		store.FlowQuotes:          runQuotes,
	}
	return e
}

// cycle is what every flow of one cycle shares.
type cycle struct {
	e       *Engine
	in      store.Integration
	id      store.CycleID
	enabled map[store.Flow]bool
	auvo    auvoSide
	erp     erpCustomers
	// erpCursor is the ERP → Auvo flow's cursor as the cycle started: where the cycle's one ERP
	// listing starts (erpChanged).
	erpCursor string
	// erpListed is that listing, made by whichever customer flow needs it first.
	erpListed *erpListing
	// touched are the ERP ids whose link the Auvo → ERP flow saved in this cycle: the ERP → Auvo
	// flow passes over them, its listing being older than those writes.
	touched map[string]bool
	// pv is set in a preview (SPEC OP7): no partner write is sent and nothing is saved; the
	// preview records what would be written and keeps the links it would save in memory.
	pv *preview
}

// run is one flow run: its counts and outcomes.
type run struct {
	flow   store.Flow
	id     store.RunID
	counts store.Counts
	cursor cursor
	// reprocess marks a run of records asked for again (SPEC OP2): every outcome is recorded,
	// even one that repeats the record's last.
	reprocess bool
}

// erpSide returns the integration's ERP side of the customer flows.
func (e *Engine) erpSide(in store.Integration) (erpCustomers, error) {
	switch in.ERP {
	case store.Omie:
		return omieCustomers{c: e.partners.Omie(in.Credentials)}, nil
	case store.ContaAzul:
		return newContaAzulCustomers(e.partners.ContaAzul(in.TenantID, in.ID), e.sentBefore(in)), nil
	case store.Bling:
		return newBlingCustomers(e.partners.Bling(in.TenantID, in.ID), e.sentBefore(in)), nil
	}
	return nil, fmt.Errorf("flow: integration %d: unknown ERP %q", in.ID, in.ERP)
}

// RunCycle runs the enabled flows of the cycle's integration, in order (customers Auvo → ERP
// first, then ERP → Auvo), recording a run per flow. It implements jobs.Cycler. A partner
// throttle or block stops the cycle with an error carrying RetryAfter, so the job snoozes; the
// records not yet processed stay behind the cursor for the next run. Rejected credentials put
// the integration in state error and stop the cycle. Any other failure (a partner that does
// not answer) is returned as it is: River retries the job with its backoff, and the tenant is
// alerted when the attempts run out.
func (e *Engine) RunCycle(ctx context.Context, cy store.Cycle) error {
	in, err := e.st.AnyIntegrationByID(ctx, cy.IntegrationID)
	if err != nil {
		return fmt.Errorf("flow: cycle %d: %w", cy.ID, err)
	}
	if in.State != store.StateActive {
		return nil
	}
	switch _, err := e.st.PartnerPauseOf(ctx, in.TenantID, in.ID, e.now()); {
	case err == nil:
		return nil // a partner's quota ran out: no call until it resets (issue 22 item 5)
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	flows, err := e.st.Flows(ctx, in.TenantID, in.ID)
	if err != nil {
		return err
	}
	erp, err := e.erpSide(in)
	if err != nil {
		return err
	}
	c := e.newCycle(in, cy.ID, flows, erp, nil)
	var errs []error
	for _, f := range flows {
		rn, ok := e.runners[f.Flow]
		if !ok || !f.Enabled {
			continue
		}
		if ctx.Err() != nil {
			// The node is stopping or lost the integration's lease: start no further flow.
			errs = append(errs, ctx.Err())
			break
		}
		err := e.runFlow(ctx, c, f, rn)
		if err == nil {
			continue
		}
		switch partner.KindOf(err) {
		case partner.KindAuth:
			return e.authFailed(ctx, in, err)
		case partner.KindThrottled, partner.KindBlocked:
			if quotaOut(err) {
				return e.quotaReached(ctx, in, err)
			}
			return err
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// newCycle is the shared state of one cycle over flows; pv is set for a preview (SPEC OP7),
// whose writes are recorded instead of made.
func (e *Engine) newCycle(in store.Integration, id store.CycleID, flows []store.FlowState, erp erpCustomers, pv *preview) *cycle {
	c := &cycle{e: e, in: in, id: id, enabled: map[store.Flow]bool{}, erp: erp, touched: map[string]bool{}, pv: pv,
		auvo: auvoSide{c: e.partners.Auvo(in.Credentials), erp: br.ERP(in.ERP), fs: erp.fieldSet(), dry: pv}}
	if pv != nil {
		c.erp = dryERP{erpCustomers: erp, pv: pv}
	}
	for _, f := range flows {
		c.enabled[f.Flow] = f.Enabled
		if f.Flow == store.FlowCustomersToAuvo {
			c.erpCursor = f.Cursor
		}
	}
	return c
}

func (e *Engine) runFlow(ctx context.Context, c *cycle, f store.FlowState, rn runner) error {
	cur, err := readCursor(f.Cursor)
	if err != nil {
		e.log.Warn("unreadable cursor, listing everything", "integration_id", c.in.ID, "flow", f.Flow, "err", err)
	}
	id, err := e.st.StartRun(ctx, c.in.TenantID, c.in.ID, c.id, f.Flow)
	if err != nil {
		return err
	}
	r := &run{flow: f.Flow, id: id, cursor: cur}
	rerr := rn(ctx, c, r)
	status, text := "done", ""
	switch kind := partner.KindOf(rerr); {
	case rerr == nil:
		if err := e.st.SaveFlowCursor(ctx, c.in.TenantID, c.in.ID, f.Flow, r.cursor.String(), e.now()); err != nil {
			// The run is closed all the same (never left "em andamento"); its records are read
			// again next cycle from the cursor that was saved before.
			rerr, status, text = err, "failed", "não foi possível guardar o progresso do fluxo: "+err.Error()
		}
	case ctx.Err() != nil:
		// Our own stop, not the partner's failure.
		status, text = "interrupted", "interrompida: o Ponte parou durante o fluxo; os registros pendentes voltam no próximo ciclo"
	case kind == partner.KindThrottled || kind == partner.KindBlocked:
		status, text = "throttled", userText(rerr)
	default:
		status, text = "failed", userText(rerr)
	}
	if err := e.st.FinishRun(context.WithoutCancel(ctx), c.in.TenantID, id, status, r.counts, text); err != nil {
		return errors.Join(rerr, err)
	}
	return rerr
}

// authFailed puts the integration in state error with the partner's words (SPEC A3) and stops
// the cycle. A retry of the job finds the integration no longer active and does nothing.
func (e *Engine) authFailed(ctx context.Context, in store.Integration, err error) error {
	reason := "Credenciais recusadas pelo parceiro: " + userText(err)
	if serr := e.st.SetIntegrationState(ctx, in.TenantID, in.ID, store.StateError, reason); serr != nil {
		return errors.Join(err, serr)
	}
	e.log.Warn("integration credentials rejected", "tenant_id", in.TenantID, "integration_id", in.ID, "err", err)
	if e.alert != nil {
		if aerr := e.alert.CredentialsRejected(context.WithoutCancel(ctx), in, reason); aerr != nil {
			e.log.Error("alerting the tenant", "tenant_id", in.TenantID, "integration_id", in.ID, "err", aerr)
		}
	}
	return err
}

// userText is an error as the run log shows it: the partner's own message when there is one.
func userText(err error) string {
	var pe *partner.Error
	if errors.As(err, &pe) && pe.Message != "" {
		return pe.Partner + ": " + pe.Message
	}
	return err.Error()
}

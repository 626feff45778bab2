package flow

import (
	"errors"

	"github.com/pontehub/ponte/internal/br"
	"github.com/pontehub/ponte/internal/store"
)

// Decision is what the engine will do with one record: data, so the rules are tested without
// I/O and the run log shows the same reason the code acted on.
type Decision struct {
	Action store.Action
	Reason Code
	Detail string // extra words for the message: the address problem, the roles, …
	Target string // for a link: the id on the other side
	// NewLock is set when this decision locks the link (a later record of a locked link only
	// repeats the lock's reason).
	NewLock bool
}

// proceed is the Decision of a record that passed the entry rules: place it (no link) or
// reconcile it with its linked record.
var proceed = Decision{}

// documentOf checks a document (C-A2, C-E2).
func documentOf(s string) (br.Document, Decision, bool) {
	doc, err := br.ParseDocument(s)
	switch {
	case err == nil:
		return doc, proceed, true
	case errors.Is(err, br.ErrDocMissing):
		return doc, Decision{Action: store.ActionSkipped, Reason: ReasonNoDocument}, false
	default:
		return doc, Decision{Action: store.ActionSkipped, Reason: ReasonInvalidDocument, Detail: err.Error()}, false
	}
}

func lockedBy(l *store.Link) Decision {
	return Decision{Action: store.ActionLocked, Reason: Code(l.LockReason), Target: l.ERPID}
}

// admitAuvo applies the entry rules of Auvo → ERP to an Auvo customer and its link (nil when
// unlinked): locks (C-A7), active (C-A1, C-A9), document (C-A2) and address (C-A5). ok means the
// record goes on to be placed or reconciled.
func admitAuvo(c Customer, l *store.Link) (Decision, bool) {
	if l != nil && l.State == store.LinkLocked {
		return lockedBy(l), false
	}
	if l != nil && c.ExternalID != l.ERPID {
		// Linked once, and the external code was erased (or replaced) in Auvo: the trava.
		return Decision{Action: store.ActionLocked, Reason: ReasonLockedErased, Target: l.ERPID, NewLock: true}, false
	}
	if !c.Active {
		return Decision{Action: store.ActionSkipped, Reason: ReasonInactive}, false
	}
	if _, d, ok := documentOf(c.Document); !ok {
		return d, false
	}
	if c.AddressErr != "" {
		return Decision{Action: store.ActionSkipped, Reason: ReasonAddressPattern, Detail: c.AddressErr}, false
	}
	return proceed, true
}

// admitERP applies the entry rules of ERP → Auvo: locks (C-E8), active (C-E1, C-E10), the ERP's
// role rule (C-E5, C-E6, C-E7) and document (C-E2).
func admitERP(c Customer, l *store.Link, notClient Code) (Decision, bool) {
	if l != nil && l.State == store.LinkLocked {
		return lockedBy(l), false
	}
	if !c.Active {
		return Decision{Action: store.ActionSkipped, Reason: ReasonInactive}, false
	}
	if !c.Client {
		return Decision{Action: store.ActionSkipped, Reason: notClient, Detail: c.Roles}, false
	}
	if _, d, ok := documentOf(c.Document); !ok {
		return d, false
	}
	return proceed, true
}

// Candidate is a record on the other side with the same document as the record being placed.
type Candidate struct {
	Customer
	// LinkedTo is the id, on the placed record's side, of the record this candidate is linked to
	// ("" when it is not linked).
	LinkedTo string
	// Deleted is set when the candidate's linked Auvo record no longer exists, or its link is
	// locked because it was deleted.
	Deleted bool
}

// placeAuvo decides what to do with an unlinked Auvo customer given the ERP customers with its
// document (C-A3, C-A4, C-A7).
func placeAuvo(c Customer, cands []Candidate) Decision {
	for _, k := range cands {
		if c.ExternalID != "" && k.ID == c.ExternalID && k.LinkedTo == "" {
			return Decision{Action: store.ActionLinked, Reason: ReasonLinkedExternal, Target: k.ID}
		}
	}
	for _, k := range cands {
		if k.LinkedTo == "" {
			return Decision{Action: store.ActionLinked, Reason: ReasonLinkedDocument, Target: k.ID}
		}
	}
	for _, k := range cands {
		if k.Deleted {
			// The ERP customer was integrated with an Auvo customer that was deleted since; this
			// one is the same customer created again in Auvo: the trava (C-A7).
			return Decision{Action: store.ActionLocked, Reason: ReasonLockedDeleted, Target: k.ID}
		}
	}
	if len(cands) > 0 {
		return Decision{Action: store.ActionCreated, Reason: ReasonCreatedDuplicate}
	}
	return Decision{Action: store.ActionCreated, Reason: ReasonCreated}
}

// placeERP decides what to do with an unlinked ERP customer given the Auvo customers with its
// document (C-E3, C-E4). An Auvo candidate is linked when it carries an external code or a link.
func placeERP(c Customer, cands []Candidate) Decision {
	for _, k := range cands {
		if k.ExternalID == c.ID && (k.LinkedTo == "" || k.LinkedTo == c.ID) {
			return Decision{Action: store.ActionLinked, Reason: ReasonLinkedExternal, Target: k.ID}
		}
	}
	for _, k := range cands {
		if k.ExternalID == "" && k.LinkedTo == "" {
			return Decision{Action: store.ActionLinked, Reason: ReasonLinkedDocument, Target: k.ID}
		}
	}
	if len(cands) > 0 {
		return Decision{Action: store.ActionCreated, Reason: ReasonCreatedDuplicate}
	}
	return Decision{Action: store.ActionCreated, Reason: ReasonCreated}
}

// Pair is a linked pair as read from both partners: nil when the record no longer exists.
type Pair struct {
	Link      store.Link
	Auvo, ERP *Customer
}

// reconcile decides the update of a linked pair (C-A8, C-A9, C-E9, C-E10, C-E11) and, for an
// update, the merge. Deletions lock the link and are never propagated (C-A7, C-A10, C-E8).
func reconcile(p Pair, toERP, toAuvo bool) (Decision, Merge) {
	switch {
	case p.Auvo == nil:
		return Decision{Action: store.ActionLocked, Reason: ReasonLockedDeleted, Target: p.Link.ERPID, NewLock: true}, Merge{}
	case p.Auvo.ExternalID != p.Link.ERPID:
		return Decision{Action: store.ActionLocked, Reason: ReasonLockedErased, Target: p.Link.ERPID, NewLock: true}, Merge{}
	case p.ERP == nil:
		return Decision{Action: store.ActionLocked, Reason: ReasonLockedERPDeleted, Target: p.Link.ERPID, NewLock: true}, Merge{}
	case !p.Auvo.Active || !p.ERP.Active:
		return Decision{Action: store.ActionSkipped, Reason: ReasonInactive}, Merge{}
	}
	base, ok := readSynced(p.Link)
	if !ok {
		base = synced{Auvo: p.Auvo.Fields, ERP: p.ERP.Fields}
	}
	auvo := p.Auvo.Fields
	if p.Auvo.AddressErr != "" {
		// An address the ERP cannot take is never copied there (C-A5); the ERP's may come back.
		auvo.Address = base.Auvo.Address
	}
	m := merge(base, auvo, p.ERP.Fields, p.Auvo.ChangedAt, p.ERP.ChangedAt, toERP, toAuvo)
	if p.Auvo.AddressErr != "" && !m.WritesAuvo() {
		m.Auvo.Address = p.Auvo.Fields.Address
	}
	switch {
	case len(m.Changes) == 0:
		return Decision{Action: store.ActionUnchanged}, m
	case m.Conflict():
		return Decision{Action: store.ActionUpdated, Reason: ReasonConflict}, m
	}
	return Decision{Action: store.ActionUpdated, Reason: ReasonUpdated}, m
}

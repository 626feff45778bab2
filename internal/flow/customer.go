package flow

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/pontehub/ponte/internal/auvo"
	"github.com/pontehub/ponte/internal/store"
)

// Customer is the neutral customer model both sides are read into, so that the rules are
// written once for every ERP.
type Customer struct {
	ID         string // the side's own id
	ExternalID string // Auvo only: the external code (the ERP id once linked)
	Document   string // CPF/CNPJ as the side wrote it
	Active     bool
	// Client is false for an ERP record whose role rule (Omie tags, Conta Azul profiles, Bling
	// contact types: C-E5, C-E6, C-E7) says it is not a customer. Always true for Auvo.
	Client bool
	Roles  string // the roles as written, for the run log
	Fields Fields
	// AddressErr is the reason an Auvo address line could not be split for the ERP (C-A5).
	AddressErr string
	ChangedAt  time.Time // the side's own modification time

	auvoRaw *auvo.Customer // Auvo only: the record as read, written back whole on update
	// partial marks a record read from a list that leaves synced fields out (Conta Azul, Bling):
	// the engine reads it whole before deciding, and only when it is not already finished.
	partial bool
	// fromLink marks an ERP record taken from its link's snapshot instead of read (erpSnapshot):
	// the ERP may have deleted it since, which only the write finds out.
	fromLink bool
}

// Fields are the synced fields of a customer (C-A8, C-E9) in a canonical form both sides
// compare equal when they hold the same data: the address is one line as br.FormatAddress
// writes it, phones are digits joined by " / ", e-mails joined by ", ". Fields an ERP does not
// sync are left empty.
type Fields struct {
	Name       string `json:"name,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Email      string `json:"email,omitempty"`
	Address    string `json:"address,omitempty"`
	Complement string `json:"complement,omitempty"`
	Note       string `json:"note,omitempty"`
}

// FieldSet says which fields an ERP syncs (C-A8, C-E9).
type FieldSet struct {
	Complement, Note bool
}

// field names one synced field for merging and for the run log's diff.
type field struct {
	name  string
	label string
	get   func(*Fields) *string
}

var fieldList = []field{
	{"name", "nome", func(f *Fields) *string { return &f.Name }},
	{"phone", "telefone", func(f *Fields) *string { return &f.Phone }},
	{"email", "e-mail", func(f *Fields) *string { return &f.Email }},
	{"address", "endereço", func(f *Fields) *string { return &f.Address }},
	{"complement", "complemento", func(f *Fields) *string { return &f.Complement }},
	{"note", "observação", func(f *Fields) *string { return &f.Note }},
}

// changedList returns the fields f holds other values in than cur: what an ERP update writes.
// An address emptied in f is not one of them: no ERP adapter clears an address (an empty line
// writes none), so the ERP keeps its own.
func changedList(cur, f Fields) []field {
	var out []field
	for _, fd := range fieldList {
		if v := *fd.get(&f); v != *fd.get(&cur) && (v != "" || fd.name != "address") {
			out = append(out, fd)
		}
	}
	return out
}

// written is cur after an update that wrote fields fs: those as the partner now holds them
// (now), every other as Ponte knew it. Taking the others from a read would put a change someone
// made meanwhile in the ERP into the snapshot, where it would never be seen as a change.
func written(cur Customer, now Fields, fs []field) Customer {
	for _, fd := range fs {
		*fd.get(&cur.Fields) = *fd.get(&now)
	}
	cur.fromLink, cur.partial = false, false
	return cur
}

// Mask empties the fields s does not sync.
func (s FieldSet) Mask(f Fields) Fields {
	if !s.Complement {
		f.Complement = ""
	}
	if !s.Note {
		f.Note = ""
	}
	return f
}

// fingerprint is the hash of the synced fields: equal fingerprints mean nothing to sync.
func fingerprint(f Fields) string {
	b, _ := json.Marshal(f)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}

// synced is what a link remembers of the last sync: each side's fields as Ponte last wrote or
// read them. A field differs from its side's snapshot exactly when someone changed it there.
type synced struct {
	Auvo Fields `json:"auvo"`
	ERP  Fields `json:"erp"`
}

func readSynced(l store.Link) (synced, bool) {
	var s synced
	if l.Synced == "" || json.Unmarshal([]byte(l.Synced), &s) != nil {
		return synced{}, false
	}
	return s, true
}

func (s synced) String() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Change is one field written by a merge, as the run log's diff shows it.
type Change struct {
	Field    string `json:"campo"`
	To       string `json:"para"` // "auvo" or "erp": the side written
	Old      string `json:"antes"`
	New      string `json:"depois"`
	Conflict bool   `json:"conflito,omitempty"` // both sides changed it; the newer change won
}

// Merge is the result of reconciling a linked pair.
type Merge struct {
	Auvo, ERP Fields // what each side must hold afterwards
	Changes   []Change
}

// WritesAuvo reports whether the merge changes Auvo.
func (m Merge) WritesAuvo() bool { return m.count("auvo") > 0 }

// WritesERP reports whether the merge changes the ERP.
func (m Merge) WritesERP() bool { return m.count("erp") > 0 }

// Conflict reports whether a field changed on both sides.
func (m Merge) Conflict() bool {
	for _, c := range m.Changes {
		if c.Conflict {
			return true
		}
	}
	return false
}

func (m Merge) count(side string) int {
	n := 0
	for _, c := range m.Changes {
		if c.To == side {
			n++
		}
	}
	return n
}

// merge reconciles a linked pair field by field (C-E11). A field changed on one side only is
// copied to the other; a field changed on both sides to different values takes the value of
// the side changed last (Auvo on a tie: the field team's record is the one people edit on
// site); a field changed on neither side is left alone, even when the two differ (they may
// have differed since they were linked, and nobody asked for either value). A side is written
// only when its direction is on (toERP, toAuvo).
func merge(base synced, auvo, erp Fields, auvoAt, erpAt time.Time, toERP, toAuvo bool) Merge {
	m := Merge{Auvo: auvo, ERP: erp}
	for _, f := range fieldList {
		a, e := *f.get(&auvo), *f.get(&erp)
		if a == e {
			continue
		}
		ca, ce := a != *f.get(&base.Auvo), e != *f.get(&base.ERP)
		conflict := ca && ce
		switch {
		case ca && (!ce || !erpAt.After(auvoAt)):
			if toERP {
				*f.get(&m.ERP) = a
				m.Changes = append(m.Changes, Change{Field: f.label, To: "erp", Old: e, New: a, Conflict: conflict})
			}
		case ce:
			if toAuvo {
				*f.get(&m.Auvo) = e
				m.Changes = append(m.Changes, Change{Field: f.label, To: "auvo", Old: a, New: e, Conflict: conflict})
			}
		}
	}
	return m
}

func diffJSON(ch []Change) string {
	if len(ch) == 0 {
		return ""
	}
	b, _ := json.Marshal(ch)
	return string(b)
}

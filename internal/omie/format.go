package omie

import (
	"fmt"
	"time"
)

// Flag is Omie's boolean: "S" (sim) or "N" (não). Empty means N.
type Flag string

// The two flag values.
const (
	Sim Flag = "S"
	Nao Flag = "N"
)

// Bool reports whether f is "S".
func (f Flag) Bool() bool { return f == Sim }

// FlagOf returns S for true and N for false.
func FlagOf(b bool) Flag {
	if b {
		return Sim
	}
	return Nao
}

// brasilia is Omie's clock: dates and times are Brasília local time. Brazil has had no daylight
// saving since 2019, so a fixed -03:00 zone is exact and needs no tz database.
var brasilia = time.FixedZone("BRT", -3*60*60)

// Brasilia returns the time zone of Omie's dates and times.
func Brasilia() *time.Location { return brasilia }

// Date and time layouts of Omie: "dd/mm/aaaa" and "hh:mm:ss".
const (
	DateLayout = "02/01/2006"
	TimeLayout = "15:04:05"
)

// FormatDate renders t as an Omie date in Brasília time.
func FormatDate(t time.Time) string { return t.In(brasilia).Format(DateLayout) }

// FormatTime renders t as an Omie time of day in Brasília time.
func FormatTime(t time.Time) string { return t.In(brasilia).Format(TimeLayout) }

// ParseDateTime reads an Omie date and time of day ("15/06/2025", "08:11:04"); an empty time
// means midnight.
func ParseDateTime(date, clock string) (time.Time, error) {
	if clock == "" {
		clock = "00:00:00"
	}
	t, err := time.ParseInLocation(DateLayout+" "+TimeLayout, date+" "+clock, brasilia)
	if err != nil {
		return time.Time{}, fmt.Errorf("omie: data/hora %q %q inválida: %w", date, clock, err)
	}
	return t, nil
}

// Info is the audit block Omie keeps on each record ("info").
type Info struct {
	DInc    string `json:"dInc,omitempty"` // inclusion date, dd/mm/aaaa
	HInc    string `json:"hInc,omitempty"`
	UInc    string `json:"uInc,omitempty"` // user; "WEBSERVICE" for API writes
	DAlt    string `json:"dAlt,omitempty"` // last change date
	HAlt    string `json:"hAlt,omitempty"`
	UAlt    string `json:"uAlt,omitempty"`
	CImpAPI Flag   `json:"cImpAPI,omitempty"` // created through the API
}

// Included returns when the record was created.
func (i Info) Included() (time.Time, error) { return ParseDateTime(i.DInc, i.HInc) }

// Changed returns when the record was last changed, which is the cursor of incremental sync.
func (i Info) Changed() (time.Time, error) { return ParseDateTime(i.DAlt, i.HAlt) }

// Tag is one tag of a customer: the standard Cliente, Fornecedor, Transportadora or a custom one.
type Tag struct {
	Tag string `json:"tag"`
}

// Page is the paging block of most geral/* lists.
type Page struct {
	Pagina           int `json:"pagina"`
	TotalDePaginas   int `json:"total_de_paginas"`
	Registros        int `json:"registros"`
	TotalDeRegistros int `json:"total_de_registros"`
}

// NPage is the paging block of the estoque/* and servicos/servico lists.
type NPage struct {
	NPagina       int `json:"nPagina"`
	NTotPaginas   int `json:"nTotPaginas"`
	NRegistros    int `json:"nRegistros"`
	NTotRegistros int `json:"nTotRegistros"`
}

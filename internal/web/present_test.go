package web

import (
	"strings"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/store"
)

// Issue 17: times read "há 3 min" / "em 12 s" with the date in Brasília, durations in words.
func TestTimesInWords(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 13, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{now.Add(-2 * time.Second), "agora"}, {now.Add(-40 * time.Second), "há 40 s"}, {now.Add(-3 * time.Minute), "há 3 min"},
		{now.Add(-5 * time.Hour), "há 5 h"}, {now.Add(-72 * time.Hour), "há 3 dias"}, {now.Add(12 * time.Second), "em 12 s"},
		{now.Add(10 * time.Minute), "em 10 min"},
	} {
		if got := relative(tc.at, now); got != tc.want {
			t.Errorf("relative(%v) = %q, want %q", now.Sub(tc.at), got, tc.want)
		}
	}
	if got := string(when(now)); !strings.Contains(got, "07/12/2026 10:00 (Brasília)") || !strings.Contains(got, `datetime="2026-12-07T10:00:00-03:00"`) {
		t.Errorf("when = %s", got)
	}
	if when(time.Time{}) != "—" {
		t.Error("a zero time is not a dash")
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{300 * time.Millisecond, "menos de 1 s"}, {7 * time.Second, "7 s"}, {125 * time.Second, "2 min 05 s"}, {3*time.Hour + 4*time.Minute, "3 h 04 min"}} {
		if got := duration(now, now.Add(tc.d)); got != tc.want {
			t.Errorf("duration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	if got := duration(now, time.Time{}); got != "em andamento" {
		t.Errorf("running: %q", got)
	}
	if got := period(15 * time.Second); got != "15 segundos" {
		t.Errorf("period = %q", got)
	}
	if got := period(10 * time.Minute); got != "10 minutos" {
		t.Errorf("period = %q", got)
	}
	if got := countsText(store.Counts{Read: 12, Created: 1, Skipped: 3}); got != "12 lidos · 1 criado · 3 não integrados" {
		t.Errorf("counts = %q", got)
	}
	if got := countsText(store.Counts{}); got != "nada novo" {
		t.Errorf("no counts = %q", got)
	}
}

// Issue 17: each integration's badge says ok, atenção or erro, and why.
func TestHealthBadge(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 13, 0, 0, 0, time.UTC)
	active := store.Integration{ERP: store.Omie, State: store.StateActive}
	recent := &store.Cycle{ID: 7, StartedAt: now.Add(-time.Minute), FinishedAt: now.Add(-50 * time.Second), Status: "done"}
	for _, tc := range []struct {
		name      string
		in        store.Integration
		last      *store.Cycle
		runs      []store.Run
		reconnect bool
		level     string
		why       string
	}{
		{"synced, no failure", active, recent, []store.Run{{CycleID: 7, Counts: store.Counts{Read: 3, Skipped: 2}}}, false, "ok", "sem falhas"},
		{"records failed", active, recent, []store.Run{{CycleID: 7, Counts: store.Counts{Failed: 2}}, {CycleID: 6, Counts: store.Counts{Failed: 9}}}, false, "atencao", "2 registros falharam"},
		{"late", active, &store.Cycle{ID: 7, StartedAt: now.Add(-time.Hour), FinishedAt: now.Add(-time.Hour), Status: "done"}, nil, false, "atencao", "foi há 1 h"},
		{"cycle failed", active, &store.Cycle{ID: 7, StartedAt: now, Status: "failed", Error: "Omie fora do ar"}, nil, false, "erro", "Omie fora do ar"},
		{"credentials rejected", store.Integration{ERP: store.Omie, State: store.StateError, StateReason: "O Omie recusou a APP Key."}, recent, nil, false, "erro", "recusou"},
		{"reconnect", store.Integration{ERP: store.Bling, State: store.StateActive}, recent, nil, true, "erro", "reconecte"},
		{"pending", store.Integration{ERP: store.Bling, State: store.StatePending}, nil, nil, false, "atencao", "ativação interna"},
		{"paused", store.Integration{ERP: store.Omie, State: store.StatePaused}, recent, nil, false, "atencao", "Pausada"},
	} {
		h := healthOf(tc.in, tc.last, tc.runs, tc.reconnect, now, 10*time.Minute)
		if h.Level != tc.level || !strings.Contains(h.Why, tc.why) {
			t.Errorf("%s: %+v, want %s with %q", tc.name, h, tc.level, tc.why)
		}
	}
}

package web

import (
	"time"

	"github.com/pontehub/ponte/internal/store"
)

// health is the badge each integration wears on the home and operator pages (issue 17): ok,
// atenção or erro, and why, in a sentence.
type health struct {
	Level string // "ok", "atencao", "erro": the badge's class
	Label string // "ok", "atenção", "erro"
	Why   string
}

func healthy(why string) health   { return health{"ok", "ok", why} }
func attention(why string) health { return health{"atencao", "atenção", why} }
func failing(why string) health   { return health{"erro", "erro", why} }

// healthOf judges an integration from its state, its last cycle and that cycle's runs. poll is
// the sync period: a cycle older than three periods on an active integration is late.
func healthOf(in store.Integration, last *store.Cycle, runs []store.Run, needsReconnect bool, now time.Time, poll time.Duration) health {
	switch {
	case needsReconnect:
		return failing("A conexão com o " + in.ERP.Label() + " expirou ou foi revogada: reconecte na configuração.")
	case in.State == store.StateError:
		why := "A integração parou por um erro."
		if in.StateReason != "" {
			why = in.StateReason
		}
		return failing(why)
	case last != nil && last.Status == "failed":
		why := "A última sincronização falhou."
		if last.Error != "" {
			why = "A última sincronização falhou: " + last.Error
		}
		return failing(why)
	case in.State == store.StateDraft:
		return attention("Configuração não concluída: a integração ainda não roda.")
	case in.State == store.StatePending:
		return attention("Aguardando a ativação interna pelo suporte.")
	case in.State == store.StatePaused:
		return attention("Pausada: nada é sincronizado até ser retomada.")
	case last == nil:
		return healthy("Ativa; a primeira sincronização começa em instantes.")
	}
	if poll > 0 && !last.FinishedAt.IsZero() && now.Sub(last.StartedAt) > 3*poll+time.Minute {
		return attention("A última sincronização foi " + relative(last.StartedAt, now) + ": confira se o Ponte está rodando.")
	}
	failed := 0
	for _, r := range runs {
		if r.CycleID == last.ID {
			failed += r.Counts.Failed
		}
	}
	if failed > 0 {
		return attention(plural(failed, "registro falhou", "registros falharam") + " na última sincronização: veja Registros.")
	}
	return healthy("Sincronizando sem falhas.")
}

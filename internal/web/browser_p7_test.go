package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// englishUI matches words of English interface text that have no place in Ponte's Brazilian
// Portuguese pages and e-mails (SPEC P7): button and menu words, and the small words that any
// English sentence has. Partner and product names (Auvo, Omie, Bling, Conta Azul, Ponte) are
// not in it.
var englishUI = regexp.MustCompile(`\b(Save|Submit|Cancel|Settings|Password|Log ?in|Log ?out|Sign (in|up|out)|Dashboard|` +
	`Loading|Error|Next|Previous|Search|Delete|Edit|Welcome|Home|Not found|Back|Records|Runs|Flows|Locks|Outbox|Audit|` +
	`Activate|Approve|Pending|Active|Paused|Failed|Success|Created|Updated|Skipped|Required|Invalid|Please|Page|` +
	`the|and|your|with|from|this|that|will|was|has|been|are|not|you)\b`)

// checkPortuguese fails the walk when a page's visible text, or an e-mail Ponte wrote to the
// outbox, holds English interface words (SPEC P7).
func (w *walk) checkPortuguese(paths map[string]string) {
	w.t.Helper()
	for path, waitFor := range paths {
		w.open(path, waitFor)
		if m := englishUI.FindAllString(w.text("body"), 5); len(m) > 0 {
			w.t.Errorf("P7: %s shows English text %q", path, m)
		}
	}
	files, _ := filepath.Glob(filepath.Join(w.dataDir, "outbox", "*.eml"))
	if len(files) == 0 {
		w.t.Error("P7: no e-mail in the outbox to check")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			w.t.Fatal(err)
		}
		// The body only: headers (Content-Type, MIME-Version, …) are English by standard.
		msg := string(b)
		if i := strings.Index(msg, "\r\n\r\n"); i >= 0 {
			msg = msg[i:]
		} else if i := strings.Index(msg, "\n\n"); i >= 0 {
			msg = msg[i:]
		}
		if m := englishUI.FindAllString(msg, 5); len(m) > 0 {
			w.t.Errorf("P7: e-mail %s has English text %q", filepath.Base(f), m)
		}
	}
}

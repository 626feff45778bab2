package demo_test

import (
	"os"
	"strings"
	"testing"

	"github.com/pontehub/ponte/internal/flow"
)

// TestUserGuideListsEveryReason: every reason code the engine can emit (flow.Reasons, the one
// list the run log uses, SPEC V2) appears in the user guide's troubleshooting section with its
// code and its message, so a user who reads a reason in the run log finds what to do. {erp} in a
// message is written "ERP" in the guide.
func TestUserGuideListsEveryReason(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../docs/guia-do-usuario.md")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(b)
	_, troubleshooting, ok := strings.Cut(guide, "## 12. Solução de problemas")
	if !ok {
		t.Fatal("the guide has no troubleshooting section (## 12. Solução de problemas)")
	}
	reasons := flow.Reasons()
	if len(reasons) == 0 {
		t.Fatal("flow.Reasons is empty")
	}
	for _, r := range reasons {
		if !strings.Contains(troubleshooting, "`"+string(r.Code)+"`") {
			t.Errorf("reason code %s is not in the guide's troubleshooting section", r.Code)
			continue
		}
		msg := strings.ReplaceAll(r.Message, "{erp}", "ERP")
		if !strings.Contains(troubleshooting, msg) {
			t.Errorf("the guide does not give the message of %s as the run log shows it: %q", r.Code, msg)
		}
		if r.Fix != "" && !strings.Contains(troubleshooting, strings.ReplaceAll(strings.TrimSuffix(r.Fix, "."), "{erp}", "ERP")) {
			t.Errorf("the guide does not say what to do for %s: %q", r.Code, r.Fix)
		}
	}
}

package crash_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/store"
)

// TestSIGTERMLetsTheCycleFinish (issue 21): a deploy's SIGTERM in the middle of a cycle lets it
// finish within PONTE_SHUTDOWN_GRACE, and the process exits after it; with a grace shorter than
// the cycle, the cycle is cancelled and closed as interrompida (never left running), and the
// next start finishes the sync with nothing lost or doubled.
func TestSIGTERMLetsTheCycleFinish(t *testing.T) {
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		for _, c := range []struct {
			grace string
			want  string
		}{{"200ms", "interrupted"}, {"2m", "done"}} {
			w := newWorld(t, d, "10m")
			w.env = append(w.env, "PONTE_SHUTDOWN_GRACE="+c.grace)
			p := w.start()
			w.waitMidSync(p)
			if err := p.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := p.Wait(); err != nil {
				t.Errorf("grace %s: the worker did not exit cleanly on SIGTERM: %v\n%s", c.grace, err, w.logBuf.String())
			}
			cs, err := w.st.Cycles(ctx, w.ten.ID, w.ten.Integration, 10)
			if err != nil || len(cs) == 0 {
				t.Fatalf("cycles: %v %v", cs, err)
			}
			if cs[len(cs)-1].Status != c.want {
				t.Errorf("grace %s: the cycle under way at SIGTERM ended %q, want %q", c.grace, cs[len(cs)-1].Status, c.want)
			}
			runs, err := w.st.Runs(ctx, w.ten.ID, w.ten.Integration, "", 100, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range runs {
				if r.Status == "running" {
					t.Errorf("grace %s: run of %s left running", c.grace, r.Flow)
				}
			}
			if c.want == "done" {
				continue
			}
			p = w.start()
			deadline := time.Now().Add(60 * time.Second)
			for {
				done, want := w.progress()
				if done == want {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after the restart the sync did not finish: %d of %d", done, want)
				}
				time.Sleep(250 * time.Millisecond)
			}
			_ = p.Process.Signal(syscall.SIGTERM)
			_ = p.Wait()
			w.check()
		}
	})
}

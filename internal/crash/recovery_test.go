package crash_test

import (
	"context"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/pontehub/ponte/internal/flow/flowtest"
	"github.com/pontehub/ponte/internal/store"
)

// TestRecoveryAfterKill (issue 21): a worker killed with SIGKILL in the middle of a cycle, on the
// real 10-minute period, and started again: the restarted node takes its own lease back at once,
// closes the interrupted cycle as "interrompida" and runs the integration again, so its next
// cycle completes in seconds, not after the period or a 30-minute lease. Nothing stays
// "running", and the sync still ends with nothing lost or doubled.
func TestRecoveryAfterKill(t *testing.T) {
	flowtest.Each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		w := newWorld(t, d, "10m")
		p := w.start()
		// Kill once the first cycle is under way and has synced part of the records.
		w.waitMidSync(p)
		if err := p.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = p.Wait()
		killed := time.Now()

		p = w.start()
		defer func() {
			_ = p.Process.Signal(syscall.SIGTERM)
			_ = p.Wait()
		}()
		var recovered, started time.Duration
		for {
			cs, err := w.st.Cycles(ctx, w.ten.ID, w.ten.Integration, 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				if c.Status == "done" && c.StartedAt.After(killed) {
					recovered, started = c.FinishedAt.Sub(killed), c.StartedAt.Sub(killed)
				}
			}
			if recovered > 0 {
				break
			}
			if time.Since(killed) > 3*time.Minute {
				t.Fatalf("no cycle completed within 3 minutes of the restart; cycles: %+v", cs)
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("%s: killed mid-cycle; the next cycle started %v and completed %v after the kill (restart included)",
			d, started.Round(10*time.Millisecond), recovered.Round(10*time.Millisecond))
		if recovered > 90*time.Second {
			t.Errorf("recovery took %v, goal under 90 s", recovered)
		}
		cs, err := w.st.Cycles(ctx, w.ten.ID, w.ten.Integration, 50)
		if err != nil {
			t.Fatal(err)
		}
		interrupted := 0
		for _, c := range cs {
			switch c.Status {
			case "running":
				t.Errorf("cycle %d (slot %v) still running after recovery", c.ID, c.Slot)
			case "interrupted":
				interrupted++
			}
		}
		if interrupted != 1 {
			t.Errorf("%d cycles closed as interrupted, want the 1 that was killed: %+v", interrupted, cs)
		}
		// The recovered cycle finished the sync: nothing lost, nothing twice.
		deadline := time.Now().Add(60 * time.Second)
		for {
			done, want := w.progress()
			if done == want {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after the recovery the sync did not finish: %d of %d", done, want)
			}
			time.Sleep(250 * time.Millisecond)
		}
		w.check()
		if t.Failed() {
			w.explain(ctx)
		}
	})
}

// waitMidSync waits until the worker p has synced some of the records but not half of them: a
// cycle is then under way. It kills p and fails the test when that moment is missed.
func (w *world) waitMidSync(p *exec.Cmd) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		done, want := w.progress()
		if done > 0 && done < want/2 {
			return
		}
		if done >= want/2 || time.Now().After(deadline) {
			_ = p.Process.Signal(syscall.SIGKILL)
			_ = p.Wait()
			w.t.Fatalf("could not catch the first cycle in the middle: %d of %d records", done, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Package sandbox holds what the partner simulators share: call counters, fault injection and
// the hub that serves every partner on one address with the /_sandbox/ admin API.
//
// Each partner simulator (auvosandbox, omiesandbox, blingsandbox, contaazulsandbox) implements
// Partner. The hub mounts partner P's API under /P/ and its own admin routes under
// /_sandbox/P/, and adds the shared routes:
//
//	GET    /_sandbox/stats             calls per partner and method: {"omie": {"ListarClientes": 3}}
//	POST   /_sandbox/reset             every partner forgets all state
//	POST   /_sandbox/{partner}/faults  add a fault (JSON Fault)
//	DELETE /_sandbox/{partner}/faults  remove all faults
//	DELETE /_sandbox/stats             zero the counters
package sandbox

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Partner is one simulated partner API.
type Partner interface {
	// Name is the path prefix and stats key: "auvo", "omie", "bling", "contaazul".
	Name() string
	// ServeHTTP serves the partner API, with paths as the real API has them below its host
	// (for Auvo "/v2/customers", for Omie "/api/v1/geral/clientes/").
	ServeHTTP(w http.ResponseWriter, r *http.Request)
	// Admin serves the partner's own admin routes (accounts, seeding, inspection), mounted at
	// /_sandbox/{name}/ with that prefix stripped.
	Admin() http.Handler
	// Counter counts calls per partner method.
	Counter() *Counter
	// Faults is the partner's fault injector.
	Faults() *Faults
	// Reset forgets every account and record.
	Reset()
}

// Counter counts calls per method; safe for concurrent use.
type Counter struct {
	mu sync.Mutex
	n  map[string]int64
}

// Inc counts one call of method.
func (c *Counter) Inc(method string) {
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int64{}
	}
	c.n[method]++
	c.mu.Unlock()
}

// Snapshot returns a copy of the counts.
func (c *Counter) Snapshot() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int64, len(c.n))
	for k, v := range c.n {
		out[k] = v
	}
	return out
}

// Reset zeroes the counts.
func (c *Counter) Reset() {
	c.mu.Lock()
	c.n = nil
	c.mu.Unlock()
}

// FaultKind names what an injected fault does.
type FaultKind string

// The fault kinds every sandbox supports.
const (
	FaultLatency   FaultKind = "latency"   // wait Latency, then answer normally
	FaultError     FaultKind = "error"     // answer Status (default 500) with a generic body
	FaultTimeout   FaultKind = "timeout"   // never answer; drop the connection when the client gives up
	FaultThrottle  FaultKind = "throttle"  // answer the partner's own rate-limit response
	FaultMalformed FaultKind = "malformed" // answer 200 with a truncated JSON body
)

// Fault is one injected misbehaviour. It applies to calls of Method ("" = every method) with
// Probability (0 = always), for the next Count matching calls (0 = until cleared).
type Fault struct {
	Method      string        `json:"method"`
	Kind        FaultKind     `json:"kind"`
	Probability float64       `json:"probability"`
	Count       int           `json:"count"`
	Latency     time.Duration `json:"latency"`
	Status      int           `json:"status"`
}

// Faults holds the active faults of one partner; safe for concurrent use.
type Faults struct {
	mu     sync.Mutex
	faults []*Fault
}

// Add activates f.
func (fs *Faults) Add(f Fault) {
	fs.mu.Lock()
	fs.faults = append(fs.faults, &f)
	fs.mu.Unlock()
}

// Clear removes every fault.
func (fs *Faults) Clear() {
	fs.mu.Lock()
	fs.faults = nil
	fs.mu.Unlock()
}

// Apply runs the faults that match method. It returns true when a fault answered the request,
// in which case the partner must not answer it. throttle writes the partner's own rate-limit
// answer. Latency faults delay and return false.
func (fs *Faults) Apply(w http.ResponseWriter, r *http.Request, method string, throttle func(http.ResponseWriter)) bool {
	fs.mu.Lock()
	var hit []Fault
	kept := fs.faults[:0]
	for _, f := range fs.faults {
		match := f.Method == "" || strings.EqualFold(f.Method, method)
		if match && (f.Probability <= 0 || rand.Float64() < f.Probability) {
			hit = append(hit, *f)
			if f.Count > 0 {
				f.Count--
				if f.Count == 0 {
					continue
				}
			}
		}
		kept = append(kept, f)
	}
	fs.faults = kept
	fs.mu.Unlock()
	for _, f := range hit {
		switch f.Kind {
		case FaultLatency:
			select {
			case <-time.After(f.Latency):
			case <-r.Context().Done():
				return true
			}
		case FaultError:
			st := f.Status
			if st == 0 {
				st = http.StatusInternalServerError
			}
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(st)
			_, _ = w.Write([]byte("<html><body><h1>Server Error</h1></body></html>"))
			return true
		case FaultTimeout:
			d := f.Latency
			if d == 0 {
				d = time.Minute
			}
			select {
			case <-time.After(d):
			case <-r.Context().Done():
			}
			panic(http.ErrAbortHandler) // drop the connection with no answer
		case FaultThrottle:
			throttle(w)
			return true
		case FaultMalformed:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"result": {"entityList": [{"id": 1, "na`))
			return true
		}
	}
	return false
}

// NewHub serves the partners on one handler, each under /{name}/, with the admin API.
func NewHub(partners ...Partner) http.Handler {
	mux := http.NewServeMux()
	byName := map[string]Partner{}
	for _, p := range partners {
		byName[p.Name()] = p
		prefix := "/" + p.Name()
		mux.Handle(prefix+"/", http.StripPrefix(prefix, p))
		admin := "/_sandbox/" + p.Name()
		mux.Handle(admin+"/", http.StripPrefix(admin, p.Admin()))
		mux.HandleFunc("POST "+admin+"/faults", func(w http.ResponseWriter, r *http.Request) {
			var f Fault
			if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
				http.Error(w, "fault: "+err.Error(), http.StatusBadRequest)
				return
			}
			p.Faults().Add(f)
			w.WriteHeader(http.StatusNoContent)
		})
		mux.HandleFunc("DELETE "+admin+"/faults", func(w http.ResponseWriter, r *http.Request) {
			p.Faults().Clear()
			w.WriteHeader(http.StatusNoContent)
		})
	}
	mux.HandleFunc("GET /_sandbox/stats", func(w http.ResponseWriter, r *http.Request) {
		out := map[string]map[string]int64{}
		for name, p := range byName {
			out[name] = p.Counter().Snapshot()
		}
		WriteJSON(w, http.StatusOK, out)
	})
	mux.HandleFunc("DELETE /_sandbox/stats", func(w http.ResponseWriter, r *http.Request) {
		for _, p := range byName {
			p.Counter().Reset()
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /_sandbox/reset", func(w http.ResponseWriter, r *http.Request) {
		for _, p := range byName {
			p.Reset()
			p.Counter().Reset()
			p.Faults().Clear()
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// WriteJSON answers v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

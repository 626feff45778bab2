package secret

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// S11: sealed values do not contain the plain text, open back, and survive a key rotation.
func TestSealOpenRotate(t *testing.T) {
	old, cur := newKey(t), newKey(t)
	b1, err := New(old)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := b1.Seal("app-secret-123")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "app-secret-123") {
		t.Fatalf("sealed value contains the secret: %s", sealed)
	}
	b2, err := New(cur, old)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := b2.Open(sealed); err != nil || got != "app-secret-123" {
		t.Fatalf("open after rotation = %q, %v", got, err)
	}
	b3, _ := New(cur)
	if _, err := b3.Open(sealed); !errors.Is(err, ErrUndecryptable) {
		t.Fatalf("open without the old key: err = %v, want ErrUndecryptable", err)
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	if _, err := b2.Open(tampered); !errors.Is(err, ErrUndecryptable) {
		t.Fatalf("tampered value opened: %v", err)
	}
}

func TestBadKeys(t *testing.T) {
	for _, k := range []string{"", "short", base64.StdEncoding.EncodeToString([]byte("16 bytes only!!!"))} {
		if _, err := New(k); err == nil {
			t.Errorf("New(%q) accepted a bad key", k)
		}
	}
}

func TestKeyFileCreatedOnceWithMode0600(t *testing.T) {
	dir := t.TempDir()
	k1, created, err := LoadOrCreateKeyFile(dir)
	if err != nil || !created {
		t.Fatalf("first load: created=%v err=%v", created, err)
	}
	st, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v", st.Mode(), err)
	}
	k2, created, err := LoadOrCreateKeyFile(dir)
	if err != nil || created || k1 != k2 {
		t.Fatalf("second load: created=%v same=%v err=%v", created, k1 == k2, err)
	}
	if _, err := New(k1); err != nil {
		t.Fatalf("generated key unusable: %v", err)
	}
}

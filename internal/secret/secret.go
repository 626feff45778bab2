// Package secret seals credentials at rest (SPEC S11): AES-256-GCM, with the key id in every
// sealed value so keys can be rotated while old values stay readable.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrUndecryptable means a sealed value was made with a key Ponte no longer has, or was altered.
var ErrUndecryptable = errors.New("secret: value cannot be decrypted with the configured keys")

// Box seals with its first key and opens with any of its keys.
type Box struct {
	keys []key
}

type key struct {
	id   string
	aead cipher.AEAD
}

const prefix = "v1:"

// New builds a Box from base64-encoded 32-byte keys; the first seals, all open. Passing the old
// key after the new one is how a key is rotated.
func New(keys ...string) (*Box, error) {
	if len(keys) == 0 {
		return nil, errors.New("secret: no key")
	}
	b := &Box{}
	for i, k := range keys {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(k))
		if err != nil || len(raw) != 32 {
			return nil, fmt.Errorf("secret: key %d must be 32 bytes in base64 (generate one with `openssl rand -base64 32`)", i+1)
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, fmt.Errorf("secret: key %d: %w", i+1, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("secret: key %d: %w", i+1, err)
		}
		sum := sha256.Sum256(raw)
		b.keys = append(b.keys, key{id: hex.EncodeToString(sum[:4]), aead: aead})
	}
	return b, nil
}

// Seal encrypts plain. The empty string stays empty so "not set" needs no decryption.
func (b *Box) Seal(plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	k := b.keys[0]
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secret: nonce: %w", err)
	}
	ct := k.aead.Seal(nonce, nonce, []byte(plain), []byte(k.id))
	return prefix + k.id + ":" + base64.RawStdEncoding.EncodeToString(ct), nil
}

// Open decrypts a value made by Seal with any of the Box's keys.
func (b *Box) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	rest, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return "", ErrUndecryptable
	}
	id, data, ok := strings.Cut(rest, ":")
	if !ok {
		return "", ErrUndecryptable
	}
	raw, err := base64.RawStdEncoding.DecodeString(data)
	if err != nil {
		return "", ErrUndecryptable
	}
	for _, k := range b.keys {
		if k.id != id || len(raw) < k.aead.NonceSize() {
			continue
		}
		plain, err := k.aead.Open(nil, raw[:k.aead.NonceSize()], raw[k.aead.NonceSize():], []byte(k.id))
		if err != nil {
			return "", ErrUndecryptable
		}
		return string(plain), nil
	}
	return "", ErrUndecryptable
}

// LoadOrCreateKeyFile returns the key stored in dir/secret.key, creating it (mode 0600) when it
// does not exist. created tells the caller to say so in the log: losing that file makes every
// stored credential unreadable.
func LoadOrCreateKeyFile(dir string) (k string, created bool, err error) {
	path := filepath.Join(dir, "secret.key")
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), false, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", false, fmt.Errorf("secret: reading %s: %w", path, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", false, fmt.Errorf("secret: generating key: %w", err)
	}
	k = base64.StdEncoding.EncodeToString(raw)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", false, fmt.Errorf("secret: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", false, fmt.Errorf("secret: creating %s: %w", path, err)
	}
	if _, err := f.WriteString(k + "\n"); err != nil {
		f.Close()
		return "", false, fmt.Errorf("secret: writing %s: %w", path, err)
	}
	return k, true, f.Close()
}

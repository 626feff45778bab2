package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's 19 MiB, 2 passes, 1 lane. The PHC string keeps them, so they can
// grow later without breaking stored hashes.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// hashPassword returns the argon2id PHC string of password with a random salt.
func hashPassword(password string) string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword reports whether password matches the PHC string, in constant time.
func checkPassword(phc, password string) bool {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var (
		version, mem, iters int
		threads             uint8
	)
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil || mem <= 0 || iters <= 0 || threads == 0 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, uint32(iters), uint32(mem), threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// passwordAlphabet leaves out characters people confuse when they copy a password from an
// e-mail (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// generatePassword returns a random 18-character password (about 104 bits) for P1 and operators.
func generatePassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	out := make([]byte, len(b))
	for i, c := range b {
		// 256 is not a multiple of 56: reject-free modulo would skew; re-draw biased bytes.
		for int(c) >= 256-256%len(passwordAlphabet) {
			var one [1]byte
			_, _ = rand.Read(one[:])
			c = one[0]
		}
		out[i] = passwordAlphabet[int(c)%len(passwordAlphabet)]
	}
	return string(out)
}

// checkNewPassword says what is wrong with a password a user chose (P2, P4), in Portuguese.
func checkNewPassword(password, confirm, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return errors.New("A senha tem caracteres inválidos.")
	case n < 10:
		return errors.New("Escolha uma senha com pelo menos 10 caracteres.")
	case n > 128:
		return errors.New("A senha pode ter no máximo 128 caracteres.")
	case strings.EqualFold(password, email):
		return errors.New("A senha não pode ser o seu e-mail.")
	case password != confirm:
		return errors.New("A confirmação não é igual à senha.")
	}
	return nil
}

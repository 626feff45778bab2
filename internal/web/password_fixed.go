package web

// HashPassword returns the hash the portal checks a password against. It is for accounts whose
// password is chosen outside the portal: the fixed logins `ponte demo` prints.
func HashPassword(password string) string { return hashPassword(password) }

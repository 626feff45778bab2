package auvosandbox

// AddAccount creates an account with the given credentials, seeded with the demo data when demo
// is set, or returns the existing one unchanged. `ponte demo` gives each of its integrations an
// Auvo account of its own whose keys must be the same on every start, because the integration
// stored in the database keeps them while the sandbox forgets everything when it stops.
func (s *Server) AddAccount(apiKey, apiToken string, demo bool) Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.accounts[apiKey]; ok {
		return a.Account
	}
	a := s.addAccountLocked(apiKey, apiToken)
	if demo {
		seedDemo(a, s.now())
	}
	return a.Account
}

package kubetest

import (
	"os"
	"sync"
	"testing"
)

// Shared is one server for a whole test package: started by the first
// test that asks for it, stopped by Close in TestMain. A server costs
// seconds and hundreds of megabytes; tests share it and keep apart by
// namespace.
type Shared struct {
	// RepoRoot is the repository root, where the API server's module
	// pins its version.
	RepoRoot string
	// Args are extra API server flags, such as the node port range the
	// manifests under test are written for.
	Args []string

	once sync.Once
	srv  *Server
	err  error
	skip string
}

// Get returns the running server. Without the binaries the test is
// skipped with what is missing and how to get it, or fails when
// RequireEnv is set (as in CI); a server that does not start fails it.
func (sh *Shared) Get(t testing.TB) *Server {
	t.Helper()
	sh.once.Do(func() {
		bins, err := FindBinaries(sh.RepoRoot)
		if err != nil {
			sh.skip = "no Kubernetes API server to validate against: " + err.Error()
			return
		}
		sh.srv, sh.err = Start(bins, sh.Args...)
	})
	switch {
	case sh.skip != "" && os.Getenv(RequireEnv) != "":
		t.Fatalf("%s (%s is set)", sh.skip, RequireEnv)
	case sh.skip != "":
		t.Skip(sh.skip)
	case sh.err != nil:
		t.Fatalf("starting the API server: %v", sh.err)
	}
	return sh.srv
}

// Close stops the server if one was started.
func (sh *Shared) Close() {
	if sh.srv != nil {
		sh.srv.Close()
	}
}

package kubetest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Kubectl runs kubectl against the server and returns its standard
// output; the error holds its standard error.
func (s *Server) Kubectl(args ...string) (string, error) {
	return s.KubectlStdin(nil, args...)
}

// KubectlStdin is Kubectl with stdin.
func (s *Server) KubectlStdin(stdin []byte, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), kubectlTimeout)
	defer cancel()
	full := append([]string{"--kubeconfig=" + s.Kubeconfig, "--cache-dir=" + filepath.Join(s.dir, "kubectl-cache")}, args...)
	cmd := exec.CommandContext(ctx, s.kubectl, full...)
	cmd.Env = append(os.Environ(), "KUBECONFIG="+s.Kubeconfig)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("kubectl %s: %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// CreateNamespaces creates namespaces for real: a dry run cannot create
// a namespace and use it in the same apply.
func (s *Server) CreateNamespaces(names ...string) error {
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n", n)
	}
	_, err := s.KubectlStdin([]byte(b.String()), "apply", "-f", "-")
	return err
}

// DryRun applies manifests with --dry-run=server: the server decodes,
// defaults, validates and admits every object and stores none. target
// is a file, a directory of files, or "-k DIR" for a kustomization.
func (s *Server) DryRun(args ...string) (string, error) {
	return s.Kubectl(append([]string{"apply", "--dry-run=server"}, args...)...)
}

// DryRunStdin dry-runs manifests given as bytes.
func (s *Server) DryRunStdin(manifests []byte) (string, error) {
	return s.KubectlStdin(manifests, "apply", "--dry-run=server", "-f", "-")
}

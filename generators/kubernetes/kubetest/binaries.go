// Package kubetest starts a real Kubernetes API server (etcd and
// kube-apiserver on loopback) for tests, and applies manifests to it
// with kubectl. It proves generated manifests valid the way a cluster
// would: strict decoding of every field, the API's own validation
// (ranges, names, label values), admission, and CRDs.
//
// Starting one costs a few seconds and ~250 MB, so a test package
// starts it once (see Shared) and every test applies to it.
package kubetest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// RequireEnv names the variable that turns a missing binary from a
// skipped test into a failed one; CI sets it.
const RequireEnv = "PORTSCHEMA_REQUIRE_KUBE"

// APIServerEnv names the variable that points at a kube-apiserver
// binary, before the build cache and PATH are searched.
const APIServerEnv = "PORTSCHEMA_KUBE_APISERVER"

// Binaries are the programs a test server runs.
type Binaries struct {
	Etcd      string
	APIServer string
	Kubectl   string
}

// FindBinaries looks for etcd and kubectl on PATH, and for
// kube-apiserver in APIServerEnv, then where .ci/kube-apiserver/build.sh
// caches the version its module pins (read from repoRoot), then on
// PATH. The error names everything missing and how to get it.
func FindBinaries(repoRoot string) (Binaries, error) {
	var b Binaries
	var missing []string
	var err error
	if b.Etcd, err = exec.LookPath("etcd"); err != nil {
		missing = append(missing, "etcd (Debian package etcd-server)")
	}
	if b.Kubectl, err = exec.LookPath("kubectl"); err != nil {
		missing = append(missing, "kubectl")
	}
	switch b.APIServer = findAPIServer(repoRoot); {
	case b.APIServer != "":
	case os.Getenv(APIServerEnv) != "":
		missing = append(missing, fmt.Sprintf("kube-apiserver (%s=%s is not an executable file)", APIServerEnv, os.Getenv(APIServerEnv)))
	default:
		missing = append(missing, "kube-apiserver (make kube-apiserver builds it, minutes the first time)")
	}
	if len(missing) > 0 {
		return b, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return b, nil
}

func findAPIServer(repoRoot string) string {
	if p := os.Getenv(APIServerEnv); p != "" {
		if isExecutable(p) {
			return p
		}
		return ""
	}
	if version, err := PinnedVersion(repoRoot); err == nil {
		if dir, err := os.UserCacheDir(); err == nil {
			p := filepath.Join(dir, "portschema", "kube-apiserver", version, "kube-apiserver")
			if isExecutable(p) {
				return p
			}
		}
	}
	p, _ := exec.LookPath("kube-apiserver")
	return p
}

func isExecutable(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0
}

// PinnedVersion is the Kubernetes version the API server module under
// repoRoot/.ci/kube-apiserver requires.
func PinnedVersion(repoRoot string) (string, error) {
	f, err := os.Open(filepath.Join(repoRoot, ".ci", "kube-apiserver", "go.mod"))
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 3 && fields[0] == "require" && fields[1] == "k8s.io/kubernetes" {
			return fields[2], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", errors.New("no k8s.io/kubernetes requirement in .ci/kube-apiserver/go.mod")
}

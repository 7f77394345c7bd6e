package kubetest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Bounded waits: a loaded two-core machine starts the API server in
// seconds; far beyond that something is wrong, and the test says what.
const (
	etcdReadyTimeout      = 30 * time.Second
	apiServerReadyTimeout = 90 * time.Second
	stopTimeout           = 10 * time.Second
	kubectlTimeout        = 2 * time.Minute
)

// Server is a running etcd and kube-apiserver on loopback, and the
// kubeconfig that reaches them as cluster admin.
type Server struct {
	// Kubeconfig is the path of a kubeconfig for the server.
	Kubeconfig string
	// Version is the server's version, as it reports it.
	Version string
	dir     string
	kubectl string
	procs   []*process
}

// process is a started program, its log file, and its exit.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error
}

// Start runs etcd and kube-apiserver on free loopback ports, with fresh
// keys in a temporary directory, and returns once the API server is
// ready; args are extra API server flags. Close stops both and removes
// the directory.
func Start(b Binaries, args ...string) (s *Server, err error) {
	dir, err := os.MkdirTemp("", "portschema-kube-")
	if err != nil {
		return nil, err
	}
	s = &Server{dir: dir, kubectl: b.Kubectl}
	defer func() {
		if err != nil {
			s.Close()
			s = nil
		}
	}()
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	etcdURL := "http://127.0.0.1:" + strconv.Itoa(ports[0])
	peerURL := "http://127.0.0.1:" + strconv.Itoa(ports[1])
	etcd, err := s.start("etcd", b.Etcd,
		"--name=test", "--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+etcdURL, "--advertise-client-urls="+etcdURL,
		"--listen-peer-urls="+peerURL, "--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=test="+peerURL, "--unsafe-no-fsync", "--logger=zap", "--log-level=error")
	if err != nil {
		return nil, err
	}
	if err := waitReady(etcd, http.DefaultClient, etcdURL+"/health", "", etcdReadyTimeout); err != nil {
		return nil, err
	}
	cred, err := writeCredentials(dir)
	if err != nil {
		return nil, fmt.Errorf("generating keys: %w", err)
	}
	apiURL := "https://127.0.0.1:" + strconv.Itoa(ports[2])
	api, err := s.start("kube-apiserver", b.APIServer, append([]string{
		"--etcd-servers=" + etcdURL, "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(ports[2]), "--endpoint-reconciler-type=none",
		"--tls-cert-file=" + cred.Cert, "--tls-private-key-file=" + cred.Key,
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file=" + cred.SAKey, "--service-account-signing-key-file=" + cred.SAKey,
		"--token-auth-file=" + cred.Tokens, "--authorization-mode=RBAC",
		"--service-cluster-ip-range=10.96.0.0/16",
		// As k3s and kubeadm run it: a privileged container is the
		// cluster's policy to allow, not the API's to refuse.
		"--allow-privileged=true"}, args...)...)
	if err != nil {
		return nil, err
	}
	client, err := tlsClient(cred.CA)
	if err != nil {
		return nil, err
	}
	if err := waitReady(api, client, apiURL+"/readyz", cred.Token, apiServerReadyTimeout); err != nil {
		return nil, err
	}
	s.Kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(s.Kubeconfig, kubeconfig(apiURL, cred), 0o600); err != nil {
		return nil, err
	}
	out, err := s.Kubectl("version", "-o", "json")
	if err != nil {
		return nil, fmt.Errorf("kubectl version: %w", err)
	}
	s.Version = serverVersion(out)
	return s, nil
}

// start runs a program with its output in a log file of the directory.
func (s *Server) start(name, bin string, args ...string) (*process, error) {
	logPath := filepath.Join(s.dir, name+".log")
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		log.Close()
		close(p.done)
	}()
	s.procs = append(s.procs, p)
	return p, nil
}

// waitReady polls url until it answers 200, the process exits, or the
// timeout passes; the error carries the end of the process's log.
func waitReady(p *process, client *http.Client, url, token string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if resp, err := client.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited before it was ready (%v):\n%s", p.name, p.err, tail(p.log))
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %s:\n%s", p.name, timeout, tail(p.log))
		}
	}
}

// Close stops the API server, then etcd, and removes their directory.
func (s *Server) Close() {
	for i := len(s.procs) - 1; i >= 0; i-- {
		p := s.procs[i]
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(stopTimeout):
			p.cmd.Process.Kill()
			<-p.done
		}
	}
	s.procs = nil
	os.RemoveAll(s.dir)
}

// freePorts finds n distinct free loopback ports, holding each until all
// are found.
func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func tlsClient(caFile string) (*http.Client, error) {
	pemData, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		return nil, errors.New("the generated CA does not parse")
	}
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}, nil
}

func kubeconfig(server string, c credentials) []byte {
	return fmt.Appendf(nil, `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: %s
    certificate-authority: %s
users:
- name: admin
  user:
    token: %s
contexts:
- name: test
  context:
    cluster: test
    user: admin
current-context: test
`, server, c.CA, c.Token)
}

// tail is the end of a log file, for errors.
func tail(path string) string {
	data, _ := os.ReadFile(path)
	const max = 4000
	if len(data) > max {
		data = data[len(data)-max:]
	}
	return string(data)
}

// serverVersion picks serverVersion.gitVersion out of kubectl version's
// JSON without a decoder for the whole document.
func serverVersion(out string) string {
	_, after, ok := strings.Cut(out, `"serverVersion"`)
	if !ok {
		return ""
	}
	_, after, ok = strings.Cut(after, `"gitVersion": "`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, `"`)
	return v
}

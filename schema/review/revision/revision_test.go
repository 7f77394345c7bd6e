package revision

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repo makes a git repository in a new directory and returns a function
// that runs git in it.
func repo(t *testing.T) (string, func(args ...string) string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run("init", "-q", "-b", "main")
	return dir, run
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A project in a subdirectory of the repository, with its CUE module at
// the top: the source and the module come back at their places, and
// nothing else of the tree does.
func TestExtract(t *testing.T) {
	dir, git := repo(t)
	write(t, dir, "cue.mod/module.cue", "module: \"x.example/p\"\n")
	write(t, dir, "infra/schema/a.cue", "package platform\n// one\n")
	write(t, dir, "infra/out/x.yml", "generated\n")
	write(t, dir, "infra/alerts.yml", "groups: []\n")
	git("add", ".")
	git("commit", "-qm", "one")
	write(t, dir, "infra/schema/a.cue", "package platform\n// two\n")
	write(t, dir, "infra/schema/b.cue", "package platform\n")
	root := filepath.Join(dir, "infra")
	rev, err := Resolve(root, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rev.Describe, "HEAD (") {
		t.Errorf("describe %q", rev.Describe)
	}
	out := t.TempDir()
	newRoot, found, err := Extract(root, rev, out, []string{"alerts.yml", "gone.yml", "../escape.yml"})
	if err != nil || !found {
		t.Fatalf("extract: %v, found %v", err, found)
	}
	if newRoot != filepath.Join(out, "infra") {
		t.Errorf("root %s", newRoot)
	}
	if got := read(t, filepath.Join(newRoot, "schema", "a.cue")); got != "package platform\n// one\n" {
		t.Errorf("a.cue at HEAD: %q", got)
	}
	if got := read(t, filepath.Join(out, "cue.mod", "module.cue")); !strings.Contains(got, "x.example/p") {
		t.Errorf("module: %q", got)
	}
	if got := read(t, filepath.Join(newRoot, "alerts.yml")); got != "groups: []\n" {
		t.Errorf("an input the source reads: %q", got)
	}
	for _, absent := range []string{"infra/schema/b.cue", "infra/out/x.yml"} {
		if _, err := os.Stat(filepath.Join(out, absent)); err == nil {
			t.Errorf("%s extracted", absent)
		}
	}
}

// Before the project had a source, there is nothing to extract.
func TestExtractBeforeTheSource(t *testing.T) {
	dir, git := repo(t)
	write(t, dir, "README", "x\n")
	git("add", ".")
	git("commit", "-qm", "one")
	write(t, dir, "schema/a.cue", "package platform\n")
	rev, err := Resolve(dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if _, found, err := Extract(dir, rev, t.TempDir(), nil); err != nil || found {
		t.Errorf("found %v, err %v", found, err)
	}
}

func TestDefault(t *testing.T) {
	dir, git := repo(t)
	t.Setenv("GITHUB_BASE_REF", "")
	write(t, dir, "schema/a.cue", "package platform\n")
	git("add", ".")
	git("commit", "-qm", "one")
	base := git("rev-parse", "HEAD")
	// On the default branch itself: HEAD.
	if rev, err := Default(dir); err != nil || rev.Commit != base || !strings.HasPrefix(rev.Describe, "HEAD") {
		t.Errorf("on main: %+v, %v", rev, err)
	}
	git("checkout", "-qb", "feature")
	write(t, dir, "schema/b.cue", "package platform\n")
	git("add", ".")
	git("commit", "-qm", "two")
	git("checkout", "-q", "main")
	write(t, dir, "schema/c.cue", "package platform\n")
	git("add", ".")
	git("commit", "-qm", "three")
	git("checkout", "-q", "feature")
	// On a branch: where it left main.
	rev, err := Default(dir)
	if err != nil || rev.Commit != base || !strings.Contains(rev.Describe, "merge base of HEAD and main") {
		t.Errorf("on a branch: %+v, %v", rev, err)
	}
}

func TestErrors(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	plain := t.TempDir()
	if _, err := Resolve(plain, "HEAD"); err == nil || !strings.Contains(err.Error(), "is not in a git repository") {
		t.Errorf("outside a repository: %v", err)
	}
	dir, git := repo(t)
	write(t, dir, "a", "x\n")
	git("add", ".")
	git("commit", "-qm", "one")
	if _, err := Resolve(dir, "no-such-branch"); err == nil || err.Error() != `unknown revision "no-such-branch"` {
		t.Errorf("unknown revision: %v", err)
	}
	if _, err := Resolve(dir, "--output=/tmp/x"); err == nil {
		t.Error("an option as a revision is accepted")
	}
}

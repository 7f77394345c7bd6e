// Package revision reads a project's platform source as it was at a git
// revision, so that diff can load and generate it beside the working
// tree. It runs the git command: the project's history is git's, and
// asking git keeps every ref, worktree and object store it understands.
package revision

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"portschema/schema"
)

// Revision is a commit the source is read at.
type Revision struct {
	// Commit is the full hash.
	Commit string
	// Describe says how it was chosen, for the reader: "HEAD (1a2b3c4)",
	// "the merge base of HEAD and origin/main (1a2b3c4)".
	Describe string
}

// Resolve finds the commit rev names in the repository of the project at
// root.
func Resolve(root, rev string) (Revision, error) {
	if err := inRepository(root); err != nil {
		return Revision{}, err
	}
	commit, err := git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		if _, ok := err.(*exitError); ok {
			return Revision{}, fmt.Errorf("unknown revision %q", rev)
		}
		return Revision{}, err
	}
	describe := fmt.Sprintf("%s (%s)", rev, short(commit))
	if strings.HasPrefix(commit, rev) {
		describe = short(commit) // a hash says it all
	}
	return Revision{Commit: commit, Describe: describe}, nil
}

// Default is the revision a change is compared with when none is named:
// the merge base of HEAD with the default branch (the pull request's
// base under GitHub Actions, else origin's HEAD, main or master), or
// HEAD itself when there is no such branch.
func Default(root string) (Revision, error) {
	if err := inRepository(root); err != nil {
		return Revision{}, err
	}
	head, err := Resolve(root, "HEAD")
	if err != nil {
		return Revision{}, fmt.Errorf("no commit to compare with: %w", err)
	}
	for _, branch := range defaultBranches(root) {
		if _, err := Resolve(root, branch); err != nil {
			continue
		}
		base, err := git(root, "merge-base", "HEAD", branch)
		if err != nil {
			continue
		}
		if base == head.Commit {
			break
		}
		return Revision{Commit: base, Describe: fmt.Sprintf("the merge base of HEAD and %s (%s)", branch, short(base))}, nil
	}
	return head, nil
}

// inRepository fails unless root is in a git repository.
func inRepository(root string) error {
	_, err := git(root, "rev-parse", "--git-dir")
	if _, ok := err.(*exitError); ok {
		if filepath.Clean(root) == "." {
			return errors.New("the working directory is not in a git repository")
		}
		return fmt.Errorf("%s is not in a git repository", root)
	}
	return err
}

// defaultBranches are the names the default branch may go by, most
// specific first.
func defaultBranches(root string) []string {
	var out []string
	if b := os.Getenv("GITHUB_BASE_REF"); b != "" {
		out = append(out, "origin/"+b, b)
	}
	if b, err := git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"); err == nil {
		out = append(out, b)
	}
	return append(out, "origin/main", "origin/master", "main", "master")
}

// Extract writes the source of the project at root, as it was at rev,
// into a new project root below dir, and returns that root: schema/,
// the cue.mod directories above it within the repository, and the other
// files the source reads (alert rules), given relative to the project
// root, each where it was. found is false when the project had no
// source then.
func Extract(root string, rev Revision, dir string, inputs []string) (newRoot string, found bool, err error) {
	prefix, err := git(root, "rev-parse", "--show-prefix")
	if err != nil {
		return "", false, err
	}
	prefix = strings.TrimSuffix(prefix, "/")
	top, err := git(root, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", false, err
	}
	newRoot = filepath.Join(dir, filepath.FromSlash(prefix))
	source := path.Join(prefix, schema.SourceDir)
	if !exists(top, rev.Commit, source) {
		return newRoot, false, nil
	}
	paths := []string{source}
	for _, p := range moduleDirs(prefix) {
		if exists(top, rev.Commit, p) {
			paths = append(paths, p)
		}
	}
	for _, in := range inputs {
		p := path.Join(prefix, in)
		if cleanInside(in) && !strings.HasPrefix(p, source+"/") && exists(top, rev.Commit, p) {
			paths = append(paths, p)
		}
	}
	archive, err := gitBytes(top, append([]string{"archive", "--format=tar", rev.Commit, "--"}, paths...)...)
	if err != nil {
		return "", false, err
	}
	if err := untar(archive, dir); err != nil {
		return "", false, fmt.Errorf("reading the source at %s: %w", rev.Describe, err)
	}
	return newRoot, true, nil
}

// cleanInside reports whether p is a clean relative path that stays in
// the project root.
func cleanInside(p string) bool {
	return p != "" && !path.IsAbs(p) && path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../")
}

// moduleDirs are the cue.mod directories that could hold the source's
// CUE module: in the project root and each directory above it up to
// the repository's top.
func moduleDirs(prefix string) []string {
	var out []string
	for dir := prefix; ; dir = path.Dir(dir) {
		if dir == "." {
			dir = ""
		}
		out = append(out, path.Join(dir, "cue.mod"))
		if dir == "" {
			return out
		}
	}
}

// exists reports whether path (from the top of the repository at top)
// is in the tree of commit.
func exists(top, commit, p string) bool {
	out, err := git(top, "ls-tree", "--name-only", commit, "--", p)
	return err == nil && out != ""
}

// untar writes the regular files and directories of a tar archive below
// dir. Any other entry, or a path that would leave dir, is refused.
func untar(data []byte, dir string) error {
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := path.Clean(h.Name)
		if path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
			return fmt.Errorf("archive entry %q leaves the directory", h.Name)
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, 0o755)
		case tar.TypeReg:
			err = writeFile(target, tr)
		case tar.TypeXGlobalHeader:
		default:
			// Symbolic links and the like: the source is plain files.
		}
		if err != nil {
			return err
		}
	}
}

func writeFile(target string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func short(commit string) string {
	if len(commit) > 7 {
		return commit[:7]
	}
	return commit
}

// exitError is git exiting with a failure, with what it said.
type exitError struct {
	args   []string
	stderr string
}

func (e *exitError) Error() string {
	msg := strings.TrimSpace(e.stderr)
	if msg == "" {
		msg = "failed"
	}
	return "git " + e.args[0] + ": " + msg
}

// git runs git in root and returns its output without the final newline.
func git(root string, args ...string) (string, error) {
	out, err := gitBytes(root, args...)
	return strings.TrimSpace(string(out)), err
}

func gitBytes(root string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", root}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return nil, &exitError{args: args, stderr: stderr.String()}
	case errors.Is(err, exec.ErrNotFound):
		return nil, errors.New("diff reads the source at a git revision, and git is not installed")
	}
	return out, err
}

package kubernetes

import (
	"fmt"
	"strings"
)

// Compose interpolates every string of a compose file from the host's
// environment: `${NAME}` and `$NAME` are the host's variable NAME, `$$`
// is a literal `$`. A cluster has no host environment. Where Kubernetes
// expands variables itself (a container's command and args, env
// values), a reference becomes `$(VAR)` of a variable the container
// gets from the namespace's Secret; everywhere else a reference cannot
// be carried and is an error. Forms with a fallback (`${NAME:-x}`)
// cannot be carried either: a Secret key exists or the pod does not
// start.

// piece is a run of literal text or one reference to a host variable.
type piece struct {
	text string
	ref  string
}

// splitInterpolation cuts a compose string into literal text (with `$$`
// already reduced to `$`) and references. `${NAME:?message}` and
// `${NAME?message}`, which only insist that NAME is set, are plain
// references.
func splitInterpolation(s string) ([]piece, error) {
	var out []piece
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, piece{text: text.String()})
			text.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			text.WriteByte(s[i])
			continue
		}
		switch next := s[i+1]; {
		case next == '$':
			text.WriteByte('$')
			i++
		case next == '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return nil, fmt.Errorf("%q has a ${ without its closing }", s)
			}
			body := s[i+2 : i+2+end]
			name, rest := body, ""
			if k := strings.IndexAny(body, ":?-+"); k >= 0 {
				name, rest = body[:k], body[k:]
			}
			if !isVarName(name) {
				return nil, fmt.Errorf("%q refers to ${%s}, which is not a variable name", s, body)
			}
			if rest != "" && !strings.HasPrefix(rest, "?") && !strings.HasPrefix(rest, ":?") {
				return nil, fmt.Errorf("${%s} falls back to another value when %s is unset, which a cluster cannot do: a Secret key is there or the pod does not start; write ${%s}", body, name, name)
			}
			flush()
			out = append(out, piece{ref: name})
			i += 2 + end
		case isVarStart(next):
			j := i + 2
			for j < len(s) && isVarChar(s[j]) {
				j++
			}
			flush()
			out = append(out, piece{ref: s[i+1 : j]})
			i = j - 1
		default:
			text.WriteByte('$')
		}
	}
	flush()
	return out, nil
}

func isVarStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isVarChar(c byte) bool  { return isVarStart(c) || c >= '0' && c <= '9' }

func isVarName(s string) bool {
	if s == "" || !isVarStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isVarChar(s[i]) {
			return false
		}
	}
	return true
}

// literalText is a compose string for a field Kubernetes does not
// expand: its text, or an error if it reads the host's environment.
func literalText(s string) (string, error) {
	pieces, err := splitInterpolation(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range pieces {
		if p.ref != "" {
			return "", fmt.Errorf("reads ${%s} from the host's environment, which a cluster does not have here; only a command, an entrypoint and env can read a Secret", p.ref)
		}
		b.WriteString(p.text)
	}
	return b.String(), nil
}

// expandedText is a compose string for a field Kubernetes expands
// (command, args): literal `$` doubled so that Kubernetes leaves it
// alone, each reference `$(VAR)` of the variable varFor names.
func expandedText(s string, varFor func(ref string) (string, error)) (string, error) {
	pieces, err := splitInterpolation(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, p := range pieces {
		if p.ref == "" {
			b.WriteString(escapeExpansion(p.text))
			continue
		}
		name, err := varFor(p.ref)
		if err != nil {
			return "", err
		}
		b.WriteString("$(" + name + ")")
	}
	return b.String(), nil
}

// escapeExpansion doubles every `$`, so that Kubernetes' expansion of
// $(VAR) in commands and env values hands the text over unchanged.
func escapeExpansion(s string) string { return strings.ReplaceAll(s, "$", "$$") }

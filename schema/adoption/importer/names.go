package importer

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxNameLen is the longest #Name the definitions accept.
const maxNameLen = 63

var nameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9-]*$`) })

// IsName reports whether s is a valid #Name already.
func IsName(s string) bool { return nameRE().MatchString(s) && len(s) <= maxNameLen }

// SanitizeName turns any string into a #Name: lower case, letters and
// digits kept (accents stripped), everything else a single dash, a
// leading letter guaranteed ("x-" is put before a name starting with a
// digit), at most 63 characters. The empty result becomes fallback.
func SanitizeName(s, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(undecomposable.Replace(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // combining accent of a decomposed letter
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	out := b.String()
	if out == "" {
		return fallback
	}
	if out[0] < 'a' || out[0] > 'z' {
		out = "x-" + out
	}
	if len(out) > maxNameLen {
		out = strings.TrimRight(out[:maxNameLen], "-")
	}
	return out
}

// undecomposable spells the letters that Unicode does not decompose
// into a base letter and an accent.
var undecomposable = strings.NewReplacer("ß", "ss", "æ", "ae", "Æ", "AE", "ø", "o", "Ø", "O", "œ", "oe", "Œ", "OE", "ł", "l", "Ł", "L", "đ", "d", "Đ", "D")

// nameSet hands out unique names: a second "web" becomes "web-2".
type nameSet map[string]bool

// claim returns name, or name with the smallest free numeric suffix.
func (ns nameSet) claim(name string) string {
	if !ns[name] {
		ns[name] = true
		return name
	}
	for i := 2; ; i++ {
		suffix := "-" + strconv.Itoa(i)
		base := name
		if len(base)+len(suffix) > maxNameLen {
			base = strings.TrimRight(base[:maxNameLen-len(suffix)], "-")
		}
		if c := base + suffix; !ns[c] {
			ns[c] = true
			return c
		}
	}
}

var envNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// IsEnvName reports whether s is a valid #EnvName.
func IsEnvName(s string) bool { return envNameRE().MatchString(s) }

var composeEnvNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[\pL\pN_.\[\]-]+$`) })

// IsComposeEnvName reports whether s is a valid #ComposeEnvName: a name
// compose accepts in an environment and reads back from a .env file,
// such as discovery.type.
func IsComposeEnvName(s string) bool { return composeEnvNameRE().MatchString(s) }

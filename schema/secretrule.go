package schema

import (
	"encoding/base64"
	"math"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// The one rule of what a secret is, for every value of the source: the
// env of a service, every compose value passed through, Prometheus and
// tunnel settings. Secrets are declared by name (a service's secrets:,
// a need's password:) and their values come from the host's environment,
// so a value written in the source that is a secret is an error, and no
// message ever quotes it.

// secretWords are the words of a variable name that say it holds a
// credential, in any spelling (DB_PASSWORD, PGPASSWORD, dbPassword,
// smtp-pwd).
var secretWords = sync.OnceValue(func() prefiltered {
	return prefilter(`PASS$|(PASSWORD|PASSWD|SECRET|SECRETS|TOKEN|APIKEY|CREDENTIALS?)(_|$)|(^|_)(PWD|PASS|PASSPHRASE|API_KEY|AUTH_KEY|PRIVATE_KEY|ACCESS_KEY|SECRET_KEY|SIGNING_KEY|ENCRYPTION_KEY|CREDS|DSN)(_|$)|(^|_)KEY(_[0-9]+)?$`)
})

// notSecretSuffix are the words that end a secret-like name whose value
// is not the secret but where it is kept (POSTGRES_PASSWORD_FILE) or a
// property of it (PASSWORD_MIN_LENGTH).
var notSecretSuffix = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`_(FILE|PATH|DIR|ENV|VAR|NAME|URL|ENDPOINT|HEADER|LENGTH|LEN|TTL|EXPIRY|EXPIRES|LIFETIME|TIMEOUT|ENABLED|REQUIRED|POLICY|TYPE|ALGORITHM|ISSUER|AUDIENCE|USER|USERNAME)$`)
})

// secretForm matches values that are credentials whatever their name:
// URLs with a password, private keys, Bearer and Basic credentials,
// JWTs and the token formats of well-known services.
var secretForm = sync.OnceValue(func() prefiltered {
	return prefilter(`` +
		`-----BEGIN [A-Z ]*PRIVATE KEY-----` +
		`|(?i:\bbearer)\s+[A-Za-z0-9._~+/-]*[0-9][A-Za-z0-9._~+/-]*=*` + // a token holds a digit; prose does not
		`|\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*` + // JWT
		`|\bsk-(?:proj-|live-|test-|ant-|svcacct-)?[A-Za-z0-9_-]{16,}` +
		`|\b[rs]k_(?:live|test)_[A-Za-z0-9]{10,}` +
		`|\bgh[pousr]_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}|\bglpat-[A-Za-z0-9_-]{16,}` +
		`|\bxox[abprs]-[A-Za-z0-9-]{10,}|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bAIza[0-9A-Za-z_-]{35}` +
		`|\bhf_[A-Za-z0-9]{30,}|\bnpm_[A-Za-z0-9]{30,}|\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}` +
		`|\bshp(?:at|ss|ca)_[a-fA-F0-9]{32}|\bdop_v1_[a-f0-9]{64}|\bpypi-[A-Za-z0-9_-]{50,}`)
})

// urlPassword matches a URL with a password (scheme://user:password@),
// the password as its group.
var urlPassword = sync.OnceValue(func() prefiltered { return prefilter(`[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:([^/\s@]+)@`) })

// basicAuth matches an HTTP Basic credential; it is a secret when its
// base64 decodes to user:password.
var basicAuth = sync.OnceValue(func() prefiltered { return prefilter(`(?i:\bbasic)\s+([A-Za-z0-9+/]{8,}={0,2})`) })

// reference matches the compose and dotenv references a value may hold
// in place of a secret: ${NAME}, ${NAME:-default}, $NAME.
var reference = sync.OnceValue(func() prefiltered { return prefilter(`\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$\$`) })

// SecretName reports whether a variable or key name says its value is a
// credential, in any common spelling.
func SecretName(name string) bool {
	n := normalName(name)
	return n != "PWD" && secretWords().mayMatch(n) && secretWords().MatchString(n) && !notSecretSuffix().MatchString(n)
}

// normalName spells a name as SCREAMING_SNAKE: dbPassword, db-password
// and db.password all become DB_PASSWORD.
func normalName(name string) string {
	var b strings.Builder
	var prev rune
	for i, r := range name {
		switch {
		case r == '-' || r == '.' || r == ' ' || r == '/':
			r = '_'
		case i > 0 && unicode.IsUpper(r) && unicode.IsLower(prev):
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
		prev = r
	}
	return b.String()
}

// LooksSecret reports whether a value written in plain text is a
// credential: by its name (a secret-like name with a value that is not
// a reference, a number, a switch, a place or masked as ****) or by its
// form.
func LooksSecret(name, value string) bool {
	return secretByName(name, value) || SecretForm(value)
}

func secretByName(name, value string) bool {
	if !SecretName(name) {
		return false
	}
	v := strings.TrimSpace(withoutReferences(value))
	if v == "" || isNumberOrSwitch(v) || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.Trim(v, "*") == "" {
		return false
	}
	return true
}

func isNumberOrSwitch(v string) bool {
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "on", "off", "none", "null", "required", "optional", "disabled", "enabled":
		return true
	}
	for _, r := range v {
		if !unicode.IsDigit(r) && r != '.' && r != '-' {
			return false
		}
	}
	return true
}

// SecretForm reports whether a value is a credential by its form alone,
// the references it holds set aside.
func SecretForm(value string) bool { return secretFormText(value) != "" }

// secretFormText is the part of a value that is a credential by its
// form, or "".
func secretFormText(value string) string {
	v := withoutReferences(value)
	if urlPassword().mayMatch(v) {
		if m := urlPassword().FindStringSubmatch(v); m != nil {
			return m[1]
		}
	}
	if secretForm().mayMatch(v) {
		if m := secretForm().FindString(v); m != "" {
			return m
		}
	}
	if basicAuth().mayMatch(v) {
		for _, m := range basicAuth().FindAllStringSubmatch(v, -1) {
			if userPassword(m[1]) {
				return m[1]
			}
		}
	}
	for _, word := range strings.FieldsFunc(v, notTokenChar) {
		if randomToken(word) {
			return word
		}
	}
	return ""
}

// withoutReferences is value with the references it holds left out.
func withoutReferences(value string) string {
	if !reference().mayMatch(value) {
		return value
	}
	return reference().ReplaceAllString(value, "")
}

func userPassword(b64 string) bool {
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return false
	}
	i := strings.IndexByte(string(data), ':')
	return i > 0 && i < len(data)-1
}

// notTokenChar separates the words of a value that a token could be.
func notTokenChar(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '_' || r == '-' || r == '=')
}

// randomToken reports whether a word is a long random string, as API
// keys and generated passwords are, and not one of the long strings an
// ordinary source holds: a hex digest or hash (image digests, commit
// ids), a UUID, a name made of words, base64 of text.
func randomToken(w string) bool {
	w = strings.TrimRight(w, "=")
	if len(w) < 32 {
		return false
	}
	var upper, lower bool
	digits := 0
	hex := true
	for _, r := range w {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digits++
		}
		if !strings.ContainsRune("0123456789abcdefABCDEF-", r) {
			hex = false
		}
	}
	// A random word of this length mixes cases and holds digits; a
	// name written in CamelCase holds one or none.
	if hex || !(upper && lower && digits >= 2) {
		return false
	}
	if looksLikeWords(w) || base64OfText(w) {
		return false
	}
	return entropy(w) >= 4.0
}

// looksLikeWords: identifiers such as SomeLongComponentName_v2 run of
// letters in words, separated by - or _.
func looksLikeWords(w string) bool {
	for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '_' }) {
		if len(part) >= 16 {
			return false
		}
	}
	return true
}

func base64OfText(w string) bool {
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if data, err := enc.DecodeString(w); err == nil && len(data) > 0 {
			printable := true
			for _, c := range data {
				if c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f {
					printable = false
					break
				}
			}
			if printable {
				return true
			}
		}
	}
	return false
}

// entropy is the Shannon entropy of w in bits per character.
func entropy(w string) float64 {
	counts := map[rune]int{}
	for _, r := range w {
		counts[r]++
	}
	var h float64
	n := float64(len(w))
	for _, c := range counts {
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h
}

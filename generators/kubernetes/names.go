package kubernetes

import (
	"github.com/mattn/go-shellwords"
	"k8s.io/apimachinery/pkg/util/validation"
)

// The API's own name rules, used as predicates: the messages the
// generator gives say in words what is wrong.

func isDNS1035Label(s string) bool     { return len(validation.IsDNS1035Label(s)) == 0 }
func isDNS1123Label(s string) bool     { return len(validation.IsDNS1123Label(s)) == 0 }
func isLabelValue(s string) bool       { return len(validation.IsValidLabelValue(s)) == 0 }
func isQualifiedName(s string) bool    { return len(validation.IsQualifiedName(s)) == 0 }
func isPortName(s string) bool         { return len(validation.IsValidPortName(s)) == 0 }
func isDNS1123Subdomain(s string) bool { return len(validation.IsDNS1123Subdomain(s)) == 0 }

// shellWords splits a command string as compose does.
func shellWords(s string) ([]string, error) { return shellwords.Parse(s) }

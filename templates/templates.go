// Package templates holds the text templates of the generators that
// render text (the port document, .env files), embedded in the binary.
// Each generator parses the templates it owns by name.
package templates

import "embed"

// FS holds every *.tmpl file of this directory.
//
//go:embed *.tmpl
var FS embed.FS

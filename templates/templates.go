// Package templates holds the text templates of the generators that
// render text (the port document, .env files), embedded in the binary.
// Each output has a folder of its own, named after its generator
// package, and parses the templates it owns from there by path.
package templates

import "embed"

// FS holds every OUTPUT/*.tmpl file below this directory.
//
//go:embed */*.tmpl
var FS embed.FS

package cloudflared

import (
	"fmt"
	"maps"
	"slices"

	"portschema/generators/yamlout"
	"portschema/schema"
)

// originRequestKeys are the settings cloudflared reads from an
// originRequest block. cloudflared only warns about other keys and then
// ignores them, so a misspelt setting (no_tls_verify) would silently do
// nothing: portschema refuses it instead.
var originRequestKeys = map[string]bool{
	"connectTimeout": true, "tlsTimeout": true, "tcpKeepAlive": true, "noHappyEyeballs": true,
	"keepAliveConnections": true, "keepAliveTimeout": true, "httpHostHeader": true,
	"originServerName": true, "matchSNItoHost": true, "caPool": true, "noTLSVerify": true,
	"disableChunkedEncoding": true, "bastionMode": true, "proxyAddress": true, "proxyPort": true,
	"proxyType": true, "ipRules": true, "http2Origin": true, "access": true,
}

// originRequest checks a block from the source and prepares it for
// output; field is its path below the host, for positions.
func originRequest(h *schema.Host, field string, block map[string]any) (map[string]any, schema.Diagnostics) {
	if block == nil {
		return nil, nil
	}
	var diags schema.Diagnostics
	for _, key := range slices.Sorted(maps.Keys(block)) {
		if !originRequestKeys[key] {
			diags = append(diags, errorAt(h.At(field+"."+key),
				"host %s: %q is not an originRequest setting of cloudflared (settings are camelCase, e.g. noTLSVerify)", h.Name, key))
		}
	}
	return yamlout.PassThrough(block).(map[string]any), diags
}

func errorAt(pos schema.Pos, format string, args ...any) schema.Diagnostic {
	return schema.Diagnostic{Severity: schema.Error, Pos: pos, Message: fmt.Sprintf(format, args...)}
}

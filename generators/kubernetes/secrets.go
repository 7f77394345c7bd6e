package kubernetes

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"

	"portschema/generators/output"
)

// secretNote adds comment lines to a namespace's secrets template.
func (g *clusterGen) secretNote(namespace string, lines ...string) {
	sk := g.secrets[namespace]
	if sk == nil {
		sk = &secretKeys{readers: map[string][]string{}}
		g.secrets[namespace] = sk
	}
	sk.notes = append(sk.notes, lines...)
}

// secretTemplates are one dotenv file per namespace, listing every key
// its services read from the namespace's Secret, with no values: the
// file an operator copies out of version control, fills in, and turns
// into the Secret with kubectl.
func (g *clusterGen) secretTemplates() []document {
	var docs []document
	for _, ns := range slices.Sorted(maps.Keys(g.secrets)) {
		sk := g.secrets[ns]
		var b bytes.Buffer
		b.WriteString(output.Header(output.HashComment))
		secret := SecretName(g.p)
		fmt.Fprintf(&b, "# Namespace %s of cluster %s: every key its services read from the\n", ns, g.host.Name)
		fmt.Fprintf(&b, "# Secret %s, without values. Copy this file out of version control,\n", secret)
		b.WriteString("# fill in the values, and create the Secret from the copy:\n")
		fmt.Fprintf(&b, "#   kubectl create secret generic %s -n %s --from-env-file=FILE\n", secret, ns)
		for _, line := range sk.notes {
			b.WriteString("# " + line + "\n")
		}
		keys := slices.Sorted(slices.Values(sk.order))
		for _, key := range keys {
			fmt.Fprintf(&b, "\n# read by %s\n%s=\n", strings.Join(sk.readers[key], ", "), key)
		}
		docs = append(docs, document{path: SecretsTemplatesDir + "/" + ns + secretsTemplateSuffix, text: b.Bytes()})
	}
	return docs
}

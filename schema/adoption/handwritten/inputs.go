package handwritten

import "errors"

// Inputs names the hand-written files of one platform, as `portschema
// audit` and `portschema import` take them. Compose files and tunnel
// configs may be repeated; any input may be absent.
type Inputs struct {
	Compose     []string
	Cloudflared []string
	Prometheus  string
	Doc         string
	// AlertRules is a Prometheus rule file; Promtail are promtail
	// configs, the i-th of the i-th compose file's host. Import reads
	// them; audit does not.
	AlertRules string
	Promtail   []string
}

// Files are the inputs read, each parsed once: audit checks them and
// import builds a source from them.
type Files struct {
	Compose     []*ComposeFile
	Cloudflared []*CloudflaredFile
	Prometheus  *PrometheusFile // nil when not given
	Doc         *Doc            // nil when not given
	AlertRules  *AlertRulesFile // nil when not given
	Promtail    []*PromtailFile
}

// Read reads and parses every input. Every input that cannot be read or
// parsed is named in the error, so a user fixes them all in one go;
// what was read is returned either way.
func Read(in Inputs) (Files, error) {
	var f Files
	var errs []error
	for _, p := range in.Compose {
		c, err := ReadCompose(p)
		errs = append(errs, err)
		if err == nil {
			f.Compose = append(f.Compose, c)
		}
	}
	for _, p := range in.Cloudflared {
		c, err := ReadCloudflared(p)
		errs = append(errs, err)
		if err == nil {
			f.Cloudflared = append(f.Cloudflared, c)
		}
	}
	if in.Prometheus != "" {
		var err error
		f.Prometheus, err = ReadPrometheus(in.Prometheus)
		errs = append(errs, err)
	}
	if in.Doc != "" {
		var err error
		f.Doc, err = ReadDoc(in.Doc)
		errs = append(errs, err)
	}
	if in.AlertRules != "" {
		var err error
		f.AlertRules, err = ReadAlertRules(in.AlertRules)
		errs = append(errs, err)
	}
	for _, p := range in.Promtail {
		c, err := ReadPromtail(p)
		errs = append(errs, err)
		if err == nil {
			f.Promtail = append(f.Promtail, c)
		}
	}
	return f, errors.Join(errs...)
}

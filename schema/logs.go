package schema

// Logs is the log shipper of a compose host's containers: the service
// that runs it, the store it pushes to, and its settings.
type Logs struct {
	Shipper         string           `json:"shipper"`
	Store           string           `json:"store"`
	PushPath        string           `json:"push_path"`
	Output          string           `json:"output"`
	DefaultTier     string           `json:"default_tier"`
	DockerHost      string           `json:"docker_host"`
	RefreshInterval string           `json:"refresh_interval"`
	Positions       string           `json:"positions"`
	Client          map[string]any   `json:"client"`
	Server          map[string]any   `json:"server"`
	PipelineStages  []map[string]any `json:"pipeline_stages"`
}

// ServiceNames lists the services' names, sorted.
func (p *Platform) ServiceNames() []string { return serviceNames(p) }

package schema

import "encoding/json"

// The model encodes back into the source's JSON shape, the inverse of
// the decoding in load.go: a value the source may write short (a need
// on a service by name alone, a bare public hostname, a secret taken
// under its own name) is written short. Import writes its sources from
// these forms, so that what it writes decodes into the model it built.

// MarshalJSON writes a need as the service's name when that is all it
// says, and as a struct with url otherwise.
func (n Need) MarshalJSON() ([]byte, error) {
	if n == (Need{Service: n.Service, Depends: true, Target: n.Target}) {
		return json.Marshal(n.Service)
	}
	type plain Need
	return json.Marshal(struct {
		plain
		URL bool `json:"url"`
	}{plain(n), !n.NoURL})
}

// MarshalJSON writes a public hostname alone when it has no path and
// no port.
func (pub Public) MarshalJSON() ([]byte, error) {
	if pub.Path == "" && pub.Port == "" {
		return json.Marshal(pub.Hostname)
	}
	type plain Public
	return json.Marshal(plain(pub))
}

// MarshalJSON writes a secret as its variable's name when it is taken
// from the host under that same name.
func (s Secret) MarshalJSON() ([]byte, error) {
	if s.From == "" || s.From == s.Env {
		return json.Marshal(s.Env)
	}
	type plain Secret
	return json.Marshal(plain(s))
}

// MarshalJSON writes a variable as its name when that is all it says.
func (v Variable) MarshalJSON() ([]byte, error) {
	if v == (Variable{Name: v.Name}) {
		return json.Marshal(v.Name)
	}
	type plain Variable
	return json.Marshal(plain(v))
}

// MarshalJSON writes an environment value as the string it is.
func (e EnvValue) MarshalJSON() ([]byte, error) { return json.Marshal(e.Value) }

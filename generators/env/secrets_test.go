package env

import (
	"maps"
	"slices"
	"testing"
)

// TestSecretsTemplates: a compose host's template lists, without
// values, every secret of its services (by host name, not by the
// variable a service reads it as), the passwords of their need URLs,
// and what their compose keys and the host's compose blocks read, but
// not what the containers read themselves ($${HOME}), nor the project's
// name, which compose sets (${COMPOSE_PROJECT_NAME}).
func TestSecretsTemplates(t *testing.T) {
	_, files := generate(t, "testdata/platform")
	for path, want := range map[string][]string{
		"out/env.box.example": {
			"API_TOKEN",      // api and web
			"CACHE_MAXMEM",   // cache's compose command
			"CACHE_PASSWORD", // cache's compose command, api's need password
			"DATA_DIR",       // the host's volumes
			"DB_PASSWORD",    // db's POSTGRES_PASSWORD, api's need password
			"JWT_SECRET",     // api's SIGNING_KEY
			"LEGACY_KEY",     // not deployed, still in the compose file
			"TLS_KEY",        // a compose secret from the environment
		},
		// secrets_output moves it; a need on another host adds the
		// password to the needing host's template.
		"deploy/shop.env.example": {"SHOP_DB_PASSWORD"},
	} {
		f, ok := files[path]
		if !ok {
			t.Errorf("no %s", path)
			continue
		}
		vars := parse(t, f.Data, nil)
		if got := slices.Sorted(maps.Keys(vars)); !slices.Equal(got, want) {
			t.Errorf("%s lists\n%q\nwant\n%q", path, got, want)
		}
		for name, v := range vars {
			if v != "" {
				t.Errorf("%s gives %s a value", path, name)
			}
		}
	}
	if _, ok := files["out/env.gpu.example"]; ok {
		t.Error("a host without compose got a secrets template")
	}
}

func TestWrap(t *testing.T) {
	got := wrap("used by alpha, beta, gamma, delta", 16)
	want := []string{"used by alpha,", "beta, gamma,", "delta"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := wrap("averyveryverylongword x", 5); !slices.Equal(got, []string{"averyveryverylongword", "x"}) {
		t.Errorf("a long word: got %q", got)
	}
}

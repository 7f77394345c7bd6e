package compose

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"portschema/schema"
)

// checkValues reports values of a compose block that compose's schema
// takes as any string but that compose rejects when the container is
// created: a restart policy other than no, always, on-failure[:N] or
// unless-stopped, and a deploy restart condition other than none,
// on-failure or any. `docker compose config` passes such a file; only
// `docker compose up` fails, on the host, after the change has shipped.
func checkValues(p *schema.Platform) schema.Diagnostics {
	var ds schema.Diagnostics
	for _, s := range p.Services {
		if s.Compose == nil || !s.HostRef.IsCompose() {
			continue
		}
		if v, ok := s.Compose["restart"].(string); ok {
			if msg := restartProblem(v); msg != "" {
				ds.Errorf(s.At("compose.restart"), nil, "%s: restart %q: %s", s.Name, v, msg)
			}
		}
		deploy, _ := s.Compose["deploy"].(map[string]any)
		policy, _ := deploy["restart_policy"].(map[string]any)
		conditions := []string{"none", "on-failure", "any"}
		if v, ok := policy["condition"].(string); ok && !slices.Contains(conditions, v) {
			ds.Errorf(s.At("compose.deploy.restart_policy.condition"), nil,
				"%s: deploy.restart_policy.condition %q: compose restarts on none, on-failure or any%s",
				s.Name, v, schema.Suggest(v, conditions))
		}
	}
	return ds
}

// restartProblem says what is wrong with a restart policy, or "".
// on-failure alone may carry a maximum count of retries.
func restartProblem(v string) string {
	policies := []string{types.RestartPolicyNo, types.RestartPolicyAlways,
		types.RestartPolicyOnFailure, types.RestartPolicyUnlessStopped}
	policy, retries, counted := strings.Cut(v, ":")
	switch {
	case !slices.Contains(policies, policy):
		return "compose restarts a container on no, always, on-failure (on-failure:N for at most N retries) or unless-stopped" +
			schema.Suggest(policy, policies)
	case counted && policy != types.RestartPolicyOnFailure:
		return "only on-failure takes a number of retries"
	case counted:
		if n, err := strconv.Atoi(retries); err != nil || n < 0 {
			return fmt.Sprintf("the number of retries after on-failure: is a whole number, 0 or more; got %q", retries)
		}
	}
	return ""
}

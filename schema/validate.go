package schema

import "sync"

// validate resolves the model's references (see resolve), then checks
// the rules across values that CUE cannot check cheaply or cannot name
// both parties of: collisions, references, reachability. Each rule is
// linear in the size of the source and only reads the model, so the
// rules run side by side, each into its own collector; their findings
// are joined in this order and sorted.
//
// These are the rules of the source itself. Rules that only one output
// needs (compose's owned keys, Prometheus' jobs) live with that
// output's generator (see generators.Generator). clean (nil for none)
// are the services the secret rule found nothing in before.
func validate(p *Platform, clean *cleanServices) (errs, warns Diagnostics) {
	p.resolve()
	rules := []func(*collector, *Platform){
		checkNames, checkRanges, checkReferences, checkPorts, checkPlans, checkPublic, checkEnv,
		checkNeeds, checkOutputs, checkAcknowledgements, checkLeftovers,
		func(c *collector, p *Platform) { checkSecretValues(c, p, clean) },
		func(c *collector, p *Platform) { c.diags = append(c.diags, p.LaptopClashes()...) },
	}
	found := make([]collector, len(rules))
	var wg sync.WaitGroup
	for i, rule := range rules {
		wg.Go(func() { rule(&found[i], p) })
	}
	wg.Wait()
	all := &collector{}
	for _, c := range found {
		all.diags = append(all.diags, c.diags...)
	}
	return all.split()
}

# portschema: one CUE source of truth, every config file generated.
#
#   make regen   regenerate out/ from schema/
#   make check   fail if out/ is stale, missing or orphaned (CI)
#   make test    run every test
#   make race    run every test with the race detector (minutes)
#   make bench   time regen, check and vet beside `cue export` (when on
#                PATH) on this project's platform and on sources of 50 to
#                10,000 services, cold, warm and after one change
#   make kube-apiserver
#                build (once per version) the API server the Kubernetes
#                tests validate manifests with; prints its path

GO ?= go

.PHONY: regen check vet test race bench fuzz kube-apiserver

regen:
	$(GO) run . regen

check:
	$(GO) run . check

vet:
	$(GO) vet ./...
	$(GO) run . vet

test:
	$(GO) vet ./...
	$(GO) test ./...

# Parts of the source, compose-go's checks and the writer run side by
# side; the race detector proves what they share is shared safely.
race:
	$(GO) test -race -timeout 30m ./...

# The command benchmarks also time `cue export` of the same source,
# interleaved, when cue is on PATH (go install cuelang.org/go/cmd/cue@v0.17.1),
# and print the ratios. BENCH selects benchmarks, e.g.
# BENCH='VersusCue/imported-1000$$'.
BENCH ?= .
bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -benchtime 5x -timeout 60m . ./generators/

# Minutes on a cold build cache, then reused from the user cache dir.
kube-apiserver:
	@.ci/kube-apiserver/build.sh

# Every fuzz target in turn, FUZZTIME each; new failing inputs land in the
# packages' testdata/fuzz and become regression tests.
FUZZTIME ?= 1m
FUZZ_TARGETS = \
	./schema:FuzzLoad \
	./schema:FuzzFactsDecode \
	./schema/adoption/handwritten:FuzzComposeReader \
	./schema/adoption/handwritten:FuzzCloudflaredReader \
	./schema/adoption/handwritten:FuzzPrometheusReader \
	./schema/adoption/handwritten:FuzzDocReader \
	./generators/env:FuzzEnvRoundTrip \
	./generators/portdoc:FuzzCell \
	./generators/yamlout:FuzzString \
	./generators/compose:FuzzMarshalDocument \
	./generators/kubernetes:FuzzInterpolation \
	./schema/adoption/importer:FuzzStripSecrets

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} ($${t%%:*}) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) $${t%%:*} || exit 1; \
	done

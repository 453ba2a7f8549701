# Switchboard — the two commands that matter are `make run` and `make test`.
GO        ?= go

# The tests use a real Redis (default below; .ci/run starts one). `make run`
# does not: the sandbox keeps its stores embedded unless REDIS_URL is set.
test test-short bench: export REDIS_URL ?= redis://127.0.0.1:6379/0
# --version: the nearest git tag (`v1.2.0-3-gabc1234` between tags, a bare
# commit before the first tag), `dev` outside a git checkout.
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)

.PHONY: run build test test-short generate check-generated bench bench-peers lint fmt clavus-schema schema-lock

## run: start the gateway in sandbox mode (all upstreams faked in-process)
run:
	SWITCHBOARD_SANDBOX=1 $(GO) run -ldflags '$(LDFLAGS)' .

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/switchboard .

## test: formatting, vet, generated-code freshness, then every test with -race
test: lint check-generated
	$(GO) test -race -count=1 ./...

## test-short: the tests without the race detector (quicker local loop)
test-short:
	$(GO) test -count=1 ./...

## generate: rewrite generated/ (gqlgen), sources/clavus/clavusgql (genqlient), the schema lock and the example clients
generate:
	$(GO) tool gqlgen generate
	@if [ -f genqlient.yaml ]; then $(GO) tool genqlient genqlient.yaml; fi
	$(MAKE) --no-print-directory schema-lock
	$(GO) tool genqlient clients/go/example/genqlient.yaml
	@if [ -d clients/typescript/node_modules ]; then npm run --silent --prefix clients/typescript generate >/dev/null; \
	else echo "clients/typescript not regenerated: run 'npm ci --prefix clients/typescript' first"; fi

## schema-lock: rewrite schema.lock.graphql, the public schema that schema/compat checks changes against
schema-lock:
	$(GO) run . schema > schema.lock.graphql.tmp && mv schema.lock.graphql.tmp schema.lock.graphql

## clavus-schema: refresh sources/clavus/schema from the live Clavus by
## introspection (CLAVUS_URL, CLAVUS_API_KEY from the environment), then regenerate
clavus-schema:
	$(GO) run ./tools/clavus-schema sources/clavus/schema/schema.graphql
	$(GO) tool genqlient genqlient.yaml

## check-generated: fail when generated code (gqlgen's, genqlient's) or the resolver stubs are stale
GENERATED := generated graph/model/models_gen.go sources/clavus/clavusgql resolvers schema.lock.graphql clients
check-generated: generate
	@git diff --exit-code --stat -- $(GENERATED) || \
		(echo "generated code is stale: run 'make generate' and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain -- $(GENERATED))" || \
		(git status --porcelain -- $(GENERATED); echo "untracked generated files: run 'make generate' and commit" >&2; exit 1)

## bench: the load scenarios (writes bench/results.md), then Go micro-benchmarks of the hot paths
bench:
	BENCH_RESULTS=$(CURDIR)/bench/results.md $(GO) test -run='^$$' -bench='Scenario' -benchtime=1x -timeout=20m ./bench
	$(GO) test -run='^$$' -bench=. -benchmem ./graph/... ./sources/...
	$(GO) test -run='^$$' -bench='^BenchmarkHot' -benchmem ./bench

## bench-peers: W1–W3 side by side with Tailcall 1.0.0 (npm) over the same fakes (writes bench/peers.md)
bench-peers:
	GO=$(GO) bench/peers/run.sh $(BENCH_PEERS_ARGS)

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

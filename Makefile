# Switchboard — the two commands that matter are `make run` and `make test`.
GO        ?= go

# The tests use a real Redis (default below; .ci/run starts one). `make run`
# does not: the sandbox keeps its stores embedded unless REDIS_URL is set.
test test-short bench: export REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run build test test-short generate check-generated bench lint fmt

## run: start the gateway in sandbox mode (all upstreams faked in-process)
run:
	SWITCHBOARD_SANDBOX=1 $(GO) run .

build:
	$(GO) build -o bin/switchboard .

## test: formatting, vet, generated-code freshness, then every test with -race
test: lint check-generated
	$(GO) test -race -count=1 ./...

## test-short: the tests without the race detector (quicker local loop)
test-short:
	$(GO) test -count=1 ./...

## generate: rewrite generated/ (gqlgen, genqlient)
generate:
	$(GO) tool gqlgen generate
	@if [ -f genqlient.yaml ]; then $(GO) tool genqlient genqlient.yaml; fi

## check-generated: fail when generated/ or the resolver stubs are stale
check-generated: generate
	@git diff --exit-code --stat -- generated resolvers || \
		(echo "generated code is stale: run 'make generate' and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain -- generated resolvers)" || \
		(git status --porcelain -- generated resolvers; echo "untracked generated files: run 'make generate' and commit" >&2; exit 1)

## bench: the load scenarios (writes bench/results.md), then Go micro-benchmarks of the hot paths
bench:
	BENCH_RESULTS=$(CURDIR)/bench/results.md $(GO) test -run='^$$' -bench='Scenario' -benchtime=1x -timeout=20m .
	$(GO) test -run='^$$' -bench=. -benchmem ./graph/... ./sources/...

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

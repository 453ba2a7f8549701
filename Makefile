# Switchboard — the two commands that matter are `make run` and `make test`.
GO        ?= go
REDIS_URL ?= redis://127.0.0.1:6379/0
export REDIS_URL

.PHONY: run build test test-short generate check-generated bench bench-peers lint fmt

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
	$(GO) test -run='^$$' -bench='^BenchmarkHot' -benchmem .

## bench-peers: W1–W3 side by side with Tailcall 1.0.0 (npm) over the same fakes (writes bench/peers.md)
bench-peers:
	GO=$(GO) bench/peers/run.sh $(BENCH_PEERS_ARGS)

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

# Developer entry points. `make test` is what CI runs (see .ci/run).
CARGO ?= cargo

.PHONY: generate check test unit fmt fmt-check lint doc bench newer-spec demo conformance

## Regenerate sdk/src/generated/ from spec/ (fast, deterministic).
generate:
	$(CARGO) run -q -p generator

## Regenerate and fail if anything under sdk/src/generated/ changed (CI's drift check).
check:
	$(CARGO) run -q -p generator -- --check
	git diff --exit-code -- sdk/src/generated
	@test -z "$$(git status --porcelain -- sdk/src/generated)" || { git status --short -- sdk/src/generated; echo "untracked generated files"; exit 1; }

## Everything CI checks: drift, formatting, lints, docs, all tests, the newer-spec check.
test: check fmt-check lint unit doc newer-spec conformance

unit:
	$(CARGO) build -q -p anthropic --examples
	$(CARGO) test --workspace --all-targets --features anthropic/blocking
	$(CARGO) test --workspace --doc --features anthropic/blocking

fmt:
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all -- --check

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy --workspace --all-targets --features anthropic/blocking -- -D warnings

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -q --no-deps -p anthropic --features blocking

## Simulate a newer spec (new schemas, operations, variants) and check the SDK still compiles.
newer-spec:
	bash tests/newer-spec/check.sh

bench:
	$(CARGO) bench -p anthropic

## The main job, on a fresh machine: regenerate the SDK, start the Prism mock of the spec on
## 127.0.0.1, send a request with the `messages` example, stop the mock.
demo: generate
	$(CARGO) build -q -p anthropic --example messages
	bash tools/prism.sh start 4010
	ANTHROPIC_API_KEY=demo-key ANTHROPIC_BASE_URL=$$(bash tools/prism.sh url 4010) \
	  $(CARGO) run -q -p anthropic --example messages -- sdk/examples/requests/hello.json; \
	  status=$$?; bash tools/prism.sh stop; exit $$status

## Prism conformance: every operation, required-only and all parameters (sdk/tests/conformance.rs).
conformance:
	$(CARGO) build -q -p anthropic --tests
	bash tools/prism.sh start 4011
	PRISM_URL=$$(bash tools/prism.sh url 4011) $(CARGO) test -q -p anthropic --test conformance -- --ignored; \
	  status=$$?; bash tools/prism.sh stop; exit $$status

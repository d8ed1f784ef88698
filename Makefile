# Every target runs with the Node 22 pinned in node_modules/.bin (the machine's Node may be older).
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: all install build lint typecheck test unit demo sim serve synth plan apply destroy bench faults clean

all: test

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed

build: install
	tsc -p tsconfig.build.json

lint: install
	eslint .
	prettier --check .

typecheck: install
	tsc -p tsconfig.json --noEmit

# The whole suite: lint, type-check, jest (unit, integration against the simulator, s3rver, SQLite, MariaDB).
test: lint typecheck build
	jest --ci

unit: install
	jest --ci

# The main job on the embedded defaults: simulator + extraction + verification + database import.
demo: build
	node bin/bitget-orders.js demo

sim: build
	node bin/bitget-orders.js sim

serve: build
	node bin/bitget-orders.js serve

synth: build
	node scripts/infra.js synth

plan: build
	node scripts/infra.js plan

apply: build
	node scripts/infra.js apply

destroy: build
	node scripts/infra.js destroy

bench: build
	node dist/bench/run.js

faults: build
	node dist/bench/faults.js

clean:
	rm -rf dist cdktf.out .data coverage

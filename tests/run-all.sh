#!/usr/bin/env bash
# The one test command (npm test): typecheck, lint, unit + integration tests, then the browser
# tests against a production build. With TEST_DATABASE_URL set, the store and pipeline tests
# run a second time against that PostgreSQL server, and two instances run side by side on it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$1"; }

step "typecheck"
npm run --silent typecheck

step "lint"
npm run --silent lint

step "architecture (dependency-cruiser: no import cycles, no module reaching up a layer)"
npm run --silent lint:deps

step "unit and integration tests (PGlite)"
TEST_DATABASE_URL= npx vitest run

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "store and pipeline tests (PostgreSQL)"
  npx vitest run tests/unit/pipeline.test.ts tests/unit/event-fanout.test.ts tests/unit/gallery-list.test.ts tests/unit/create-limits-atomic.test.ts tests/unit/callback-hardening.test.ts tests/unit/input-gc.test.ts tests/unit/shared-limits.test.ts
fi

step "browser tests (Chromium)"
node tests/ensure-chromium.mjs
# Built with a known fake token so the scan below can prove it reaches no page, chunk or log;
# the test servers themselves run without a token (the simulator).
SEEDANCE_API_TOKEN=sk-FAKE-TOKEN-scan-7f3c9e1d2b4a npm run --silent build
npx playwright test

step "browser tests behind the sign-in gate (Chromium)"
npx playwright test -c playwright.security.config.ts

step "token scan (fake SEEDANCE_API_TOKEN: build, pages, APIs, SSE, logs)"
node tests/token-scan.mjs --dist .next --no-build

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  # Two `next start` on the build above, one PostgreSQL, one S3 bucket (s3rver, started by the test).
  step "two instances side by side (PostgreSQL, an S3 bucket, a fake upstream)"
  npx vitest run --config tests/scale/vitest.config.ts
fi

#!/usr/bin/env bash
# A throw-away PostgreSQL server for running store tests by hand:
#   export TRACKS_TEST_DATABASE_URL=$(scripts/postgres-server.sh start)   # prints its URL
#   npx mocha test/store/postgres-assignment-store.test.ts
#   scripts/postgres-server.sh stop
# `npm test` needs none of this: its root hook starts and stops a server of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node_modules/.bin/tsx test/support/postgres-server.ts "$@"

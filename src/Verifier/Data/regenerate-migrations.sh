#!/usr/bin/env bash
# Regenerates the Verifier's initial migrations for both providers from the current model.
# Only while the schema has never shipped; after the first release, add migrations instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
dotnet tool restore >/dev/null
rm -rf src/Verifier/Data/Migrations
dotnet ef migrations add Initial --project src/Verifier --context VerifierDbContext --output-dir Data/Migrations/Postgres
dotnet ef migrations add Initial --project src/Verifier --context SqliteVerifierDbContext --output-dir Data/Migrations/Sqlite

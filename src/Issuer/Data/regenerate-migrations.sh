#!/usr/bin/env bash
# Regenerates the Issuer's initial migrations for both providers from the current model.
# Only while the schema has never shipped; after the first release, add migrations instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
dotnet tool restore >/dev/null
rm -rf src/Issuer/Data/Migrations
dotnet ef migrations add Initial --project src/Issuer --context IssuerDbContext --output-dir Data/Migrations/Postgres
dotnet ef migrations add Initial --project src/Issuer --context SqliteIssuerDbContext --output-dir Data/Migrations/Sqlite

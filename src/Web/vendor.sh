#!/usr/bin/env bash
# Refreshes the vendored NHS.UK frontend (compiled CSS, JS and assets) in wwwroot from the npm registry, so that
# `dotnet run` needs nothing but the .NET SDK. Usage: bash src/Web/vendor.sh [version]
set -euo pipefail
version="${1:-10.6.1}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "nhsuk-frontend@$version" >/dev/null && tar xzf "nhsuk-frontend-$version.tgz")
dist="$work/package/dist/nhsuk"
out="$here/wwwroot"
rm -rf "$out/assets" "$out/nhsuk"
mkdir -p "$out/nhsuk"
# The CSS refers to its images as /assets/images/..., so the assets folder sits at the site's root.
cp -R "$dist/assets" "$out/assets"
cp "$dist/nhsuk-frontend.min.css" "$dist/nhsuk-frontend.min.js" "$out/nhsuk/"
# The package ships no licence file; its README says "The codebase is released under the MIT Licence" and its
# documentation is (c) NHS England under the Open Government Licence 3.0. Keep those terms beside the copy.
cat > "$out/nhsuk/LICENCE" <<LICENCE
nhsuk-frontend $version (npm package nhsuk-frontend, https://github.com/nhsuk/nhsuk-frontend).
Its README: "The codebase is released under the MIT Licence, unless stated otherwise. This covers both the
codebase and any sample code in the documentation. The documentation is (c) NHS England and available under
the terms of the Open Government 3.0 licence."

The MIT License (MIT)

Copyright (c) NHS England

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENCE
echo "nhsuk-frontend $version" > "$out/nhsuk/VERSION"
echo "Vendored nhsuk-frontend $version into $out"

#!/usr/bin/env bash
# Bootstrap: restore the local dotnet tools, then run the Cake build with the given arguments.
#   ./build.sh --target=Rehearse   (default) features, replays, simulations, reports/index.html
#   ./build.sh --target=Test       every test project, closing with "N passed, N failed, N skipped"
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET SDK (dotnet) is not on PATH; install .NET 10 SDK first." >&2
  exit 2
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The local tools come from the package feed: a network hiccup on a fresh machine gets two more tries.
for pause in 10 30 ""; do
  if dotnet tool restore >/dev/null; then break; fi
  if [ -z "$pause" ]; then echo "error: dotnet tool restore failed three times" >&2; exit 1; fi
  echo "dotnet tool restore failed; trying again in ${pause} s" >&2
  sleep "$pause"
done
exec dotnet tool run dotnet-cake build/build.cake "$@"

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
dotnet tool restore >/dev/null
exec dotnet tool run dotnet-cake build/build.cake "$@"

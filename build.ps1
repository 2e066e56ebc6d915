# Bootstrap: restore the local dotnet tools, then run the Cake build with the given arguments.
#   ./build.ps1 --target=Rehearse   (default)
#   ./build.ps1 --target=Test
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'
dotnet tool restore | Out-Null
dotnet tool run dotnet-cake build/build.cake @args
exit $LASTEXITCODE

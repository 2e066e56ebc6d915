using System.CommandLine;

namespace CanarySim.Cli.Commands;

/// <summary>`canarysim route`: One routing decision. (Not built yet: see the issue that owns it.)</summary>
internal static class RouteCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("route", "One routing decision.");
        command.SetAction(_ => io.UsageError("'route' is not available in this build yet."));
        return command;
    }
}

using System.CommandLine;

namespace CanarySim.Cli.Commands;

/// <summary>`canarysim replay`: Replay every fixture through the gate and check expected verdicts. (Not built yet: see the issue that owns it.)</summary>
internal static class ReplayCommand
{
    public static Command Create(CliIo io)
    {
        var command = new Command("replay", "Replay every fixture through the gate and check expected verdicts.");
        command.SetAction(_ => io.UsageError("'replay' is not available in this build yet."));
        return command;
    }
}

using System.CommandLine;
using CanarySim.Core.Rollout;
using CanarySim.Cli.Commands;

namespace CanarySim.Cli;

/// <summary>
/// The one entry point. Exit codes: 0 success / GO, 1 NO-GO or a failing verdict,
/// 2 bad input or usage. Every command takes --help and --json.
/// </summary>
public static class CanarySimCli
{
    /// <summary>Exit code for success (and GO).</summary>
    public const int Ok = 0;
    /// <summary>Exit code for a negative verdict (NO-GO, rollback, critical regression).</summary>
    public const int Negative = 1;
    /// <summary>Exit code for bad input or usage.</summary>
    public const int Usage = 2;

    /// <summary>Builds the command tree.</summary>
    public static RootCommand BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("CanarySim: rehearse, simulate and gate staged rollouts of a new engine version beside the old one.");
        var io = new CliIo(stdout, stderr);
        foreach (var command in new[]
                 {
                     RouteCommand.Create(io),
                     EvaluateCommand.Create(io),
                     GateCommand.Create(io),
                     ShadowDiffCommand.Create(io),
                     ReplayCommand.Create(io),
                     SimulateCommand.Create(io),
                     SweepCommand.Create(io),
                     SweepMergeCommand.Create(io),
                     RollupCommand.Create(io),
                     ServeCommand.Create(io),
                     ReportIndexCommand.Create(io),
                 })
        {
            root.Subcommands.Add(command);
        }
        NumberOptions.Apply(root);
        return root;
    }

    // The parser's messages, with a misspelt option or command named as such and the closest one suggested
    // ("unknown option '--pcct' (did you mean '--pct'?)"); an unknown command is not also "required command was not provided".
    private static IEnumerable<string> ParseErrors(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens;
        if (command is RootCommand && unmatched.Count > 0)
        {
            // No command was recognised: the first word is the one to name; the rest belong to it.
            var first = unmatched[0];
            var names = first.StartsWith('-') ? command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)) : command.Subcommands.Select(c => c.Name);
            yield return $"unknown {(first.StartsWith('-') ? "option" : "command")} '{first}'{FieldHint.For(first, names.ToList())}";
            yield break;
        }
        if (command is RootCommand)
        {
            // Nothing but 'canarysim': say what can follow instead of the parser's "Required command was not provided".
            yield return $"no command given; the commands are {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
            yield break;
        }
        foreach (var error in parse.Errors)
        {
            var token = unmatched.FirstOrDefault(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal));
            if (token is null)
            {
                yield return error.Message;
            }
            else if (token.StartsWith('-'))
            {
                var hint = FieldHint.For(token, command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToList());
                yield return $"unknown option '{token}' for 'canarysim {command.Name}'" + (hint.StartsWith(" (did you mean", StringComparison.Ordinal) ? hint : "");
            }
            else if (!unmatched.Any(t => t.StartsWith('-')))
            {
                yield return error.Message; // a stray word; after an unknown option it is that option's value, already named
            }
        }
    }

    /// <summary>Parses and runs; parse errors are usage errors (exit 2) with the message on stderr.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRoot(stdout, stderr);
        // Our own handler below turns CliUsageException into exit 2; the default one would print a stack trace and exit 1.
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var message in ParseErrors(parse))
            {
                stderr.WriteLine($"error: {message}");
            }
            stderr.WriteLine("Run 'canarysim --help' (or '<command> --help') for usage.");
            return Usage;
        }
        try
        {
            return parse.Invoke(config);
        }
        catch (CliUsageException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return Usage;
        }
    }
}

namespace CanarySim.Core.Gating;

/// <summary>A gate report JSON that cannot be read back; the message names the file, the line (malformed JSON) or the field, and what was expected.</summary>
public sealed class GateReportException : FormatException
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    public GateReportException(string source, string problem, string? field = null, long? line = null, Exception? inner = null)
        : base($"{source}{(line is null ? "" : $" line {line}")}{(field is null ? "" : $" field '{field}'")}: {problem}", inner)
    {
        Source = source;
        Problem = problem;
        Field = field;
        Line = line;
    }

    /// <summary>File (or label) the report came from.</summary>
    public new string Source { get; }

    /// <summary>What was wrong and what was expected.</summary>
    public string Problem { get; }

    /// <summary>The offending field as a path (e.g. <c>checks[2].status</c>), when one is to blame.</summary>
    public string? Field { get; }

    /// <summary>One-based line of malformed JSON, when known.</summary>
    public long? Line { get; }
}

namespace CanarySim.Core.Detection;

/// <summary>A sample line that cannot be read; the message names the file, the line, the field and what was expected.</summary>
public sealed class SampleFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public SampleFormatException(string source, int line, string? field, string problem)
        : base($"{source}:{line}: {(field is null ? "" : field + ": ")}{problem}")
    {
        Source = source;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>File (or stream) name.</summary>
    public new string Source { get; }
    /// <summary>1-based line number.</summary>
    public int Line { get; }
    /// <summary>The offending field, when one is to blame.</summary>
    public string? Field { get; }
    /// <summary>What was wrong and what was expected.</summary>
    public string Problem { get; }
}

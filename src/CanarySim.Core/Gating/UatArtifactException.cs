using System.Text;

namespace CanarySim.Core.Gating;

/// <summary>
/// A raw artifact could not be used. The message names the file, the case (index and
/// <c>case_id</c>) or JSON position, the field and what was expected.
/// </summary>
public sealed class UatArtifactException : Exception
{
    /// <summary>Creates the error; the message is composed from the parts.</summary>
    public UatArtifactException(string source, string problem, int? caseIndex = null, string? caseId = null, string? field = null, long? line = null, long? bytePositionInLine = null, Exception? inner = null)
        : base(Compose(source, problem, caseIndex, caseId, field, line, bytePositionInLine), inner)
    {
        Source = source;
        Problem = problem;
        CaseIndex = caseIndex;
        CaseId = caseId;
        Field = field;
        Line = line;
        BytePositionInLine = bytePositionInLine;
    }

    /// <summary>File (or label) the artifact came from.</summary>
    public new string Source { get; }

    /// <summary>What is wrong and what was expected.</summary>
    public string Problem { get; }

    /// <summary>Zero-based index in <c>cases</c>, when the error is inside a case.</summary>
    public int? CaseIndex { get; }

    /// <summary>The case's <c>case_id</c>, when known.</summary>
    public string? CaseId { get; }

    /// <summary>The offending field, when there is one.</summary>
    public string? Field { get; }

    /// <summary>One-based line of malformed JSON, when known.</summary>
    public long? Line { get; }

    /// <summary>One-based byte position in that line, when known.</summary>
    public long? BytePositionInLine { get; }

    private static string Compose(string source, string problem, int? caseIndex, string? caseId, string? field, long? line, long? bytePos)
    {
        var text = new StringBuilder(source);
        if (line is not null)
        {
            text.Append($" line {line}, byte {bytePos}");
        }
        if (caseIndex is not null)
        {
            text.Append($" case #{caseIndex}");
            if (caseId is not null)
            {
                text.Append($" ({caseId})");
            }
        }
        if (field is not null)
        {
            text.Append($" field '{field}'");
        }
        return text.Append(": ").Append(problem).ToString();
    }
}

namespace CanarySim.Core.Gating;

/// <summary>Names of the <c>canarysim.uat-raw/v1</c> format; every enum in it is written by <see cref="WireName"/>.</summary>
public static class UatWire
{
    /// <summary>The only schema version this build reads.</summary>
    public const string SchemaV1 = "canarysim.uat-raw/v1";

    /// <summary>Wire name of <see cref="UatRole.Reader"/> (its <c>JsonStringEnumMemberName</c>).</summary>
    public const string Reader = "ai.reader";

    /// <summary>Wire name of <see cref="UatRole.Operator"/> (its <c>JsonStringEnumMemberName</c>).</summary>
    public const string Operator = "ai.operator";

    /// <summary>The benchmark class the output-shape check applies to.</summary>
    public const string ClearBenchmark = "clear";

    /// <summary>Parses <c>first</c>, <c>diagnostic</c> or its alias <c>rerun</c>.</summary>
    public static bool TryParseRunKind(string? value, out UatRunKind kind)
    {
        if (value == "rerun")
        {
            kind = UatRunKind.Diagnostic;
            return true;
        }
        return WireName.TryParse(value, out kind);
    }
}

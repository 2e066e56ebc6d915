namespace CanarySim.Core.Gating;

/// <summary>Wire names of the <c>canarysim.uat-raw/v1</c> format.</summary>
public static class UatWire
{
    /// <summary>The only schema version this build reads.</summary>
    public const string SchemaV1 = "canarysim.uat-raw/v1";

    /// <summary>Wire name of <see cref="UatRole.Reader"/>.</summary>
    public const string Reader = "ai.reader";

    /// <summary>Wire name of <see cref="UatRole.Operator"/>.</summary>
    public const string Operator = "ai.operator";

    /// <summary>The benchmark class the output-shape check applies to.</summary>
    public const string ClearBenchmark = "clear";

    /// <summary>Wire name of a role.</summary>
    public static string ToWire(this UatRole role) => role == UatRole.Reader ? Reader : Operator;

    /// <summary>Parses a role wire name (exact, case-sensitive).</summary>
    public static bool TryParseRole(string? value, out UatRole role)
    {
        switch (value)
        {
            case Reader: role = UatRole.Reader; return true;
            case Operator: role = UatRole.Operator; return true;
            default: role = default; return false;
        }
    }

    /// <summary>Wire name of a run kind.</summary>
    public static string ToWire(this UatRunKind kind) => kind == UatRunKind.First ? "first" : "diagnostic";

    /// <summary>Parses <c>first</c>, <c>diagnostic</c> or its alias <c>rerun</c>.</summary>
    public static bool TryParseRunKind(string? value, out UatRunKind kind)
    {
        switch (value)
        {
            case "first": kind = UatRunKind.First; return true;
            case "diagnostic":
            case "rerun": kind = UatRunKind.Diagnostic; return true;
            default: kind = default; return false;
        }
    }
}

namespace CanarySim.Core.Rollout;

/// <summary>The kind of a rollout stage.</summary>
public enum StageKind
{
    /// <summary>0 % of traffic: v1 serves, v2 runs beside it and its actions are logged, not executed.</summary>
    Shadow,
    /// <summary>A small canary step (e.g. 1, 2, 5 %): limited cohort.</summary>
    Canary,
    /// <summary>A progressive tier (e.g. 10 / 25 / 50 / 75 / 100 %): broader traffic.</summary>
    Progressive,
}

/// <summary>Wire names of <see cref="StageKind"/>.</summary>
public static class StageKindNames
{
    /// <summary><c>shadow</c>, <c>canary</c> or <c>progressive</c>.</summary>
    public static string ToWire(this StageKind kind) => kind switch
    {
        StageKind.Shadow => "shadow",
        StageKind.Canary => "canary",
        _ => "progressive",
    };

    /// <summary>Parses a wire name (case-insensitive).</summary>
    public static bool TryParse(string? text, out StageKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "shadow": kind = StageKind.Shadow; return true;
            case "canary": kind = StageKind.Canary; return true;
            case "progressive": kind = StageKind.Progressive; return true;
            default: kind = default; return false;
        }
    }
}

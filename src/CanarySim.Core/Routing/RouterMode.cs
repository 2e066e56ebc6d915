namespace CanarySim.Core.Routing;

/// <summary>How the router splits traffic.</summary>
public enum RouterMode
{
    /// <summary>v1 only (<c>primary</c>).</summary>
    Primary,
    /// <summary>v1 serves, v2 also runs and decisions are diffed (<c>shadow</c>).</summary>
    Shadow,
    /// <summary>Percentage split by deterministic bucket (<c>canary</c>).</summary>
    Canary,
    /// <summary>v2 for all (<c>candidate</c>).</summary>
    Candidate,
}

/// <summary>Wire names of <see cref="RouterMode"/>.</summary>
public static class RouterModeNames
{
    /// <summary>Lower-case wire name: primary, shadow, canary, candidate.</summary>
    public static string ToWire(this RouterMode mode) => mode switch
    {
        RouterMode.Primary => "primary",
        RouterMode.Shadow => "shadow",
        RouterMode.Canary => "canary",
        RouterMode.Candidate => "candidate",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Parses a wire name (case-insensitive).</summary>
    public static bool TryParse(string? text, out RouterMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "primary": mode = RouterMode.Primary; return true;
            case "shadow": mode = RouterMode.Shadow; return true;
            case "canary": mode = RouterMode.Canary; return true;
            case "candidate": mode = RouterMode.Candidate; return true;
            default: mode = default; return false;
        }
    }
}

namespace CanarySim.Core.Routing;

/// <summary>The two engine versions a rollout moves traffic between.</summary>
public enum Engine
{
    /// <summary>The engine in production (baseline, "primary").</summary>
    V1,
    /// <summary>The new engine version (canary, "candidate").</summary>
    V2,
}

/// <summary>Wire names of <see cref="Engine"/> (<c>v1</c>, <c>v2</c>).</summary>
public static class EngineNames
{
    /// <summary>Returns <c>v1</c> or <c>v2</c>.</summary>
    public static string ToWire(this Engine engine) => engine == Engine.V1 ? "v1" : "v2";

    /// <summary>Parses <c>v1</c> / <c>v2</c> (case-insensitive).</summary>
    public static bool TryParse(string? text, out Engine engine)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "v1": engine = Engine.V1; return true;
            case "v2": engine = Engine.V2; return true;
            default: engine = default; return false;
        }
    }
}

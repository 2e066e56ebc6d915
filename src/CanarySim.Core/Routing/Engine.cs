using System.Text.Json.Serialization;

namespace CanarySim.Core.Routing;

/// <summary>The two engine versions a rollout moves traffic between.</summary>
public enum Engine
{
    /// <summary>The engine in production (baseline, "primary").</summary>
    [JsonStringEnumMemberName("v1")]
    V1,
    /// <summary>The new engine version (canary, "candidate").</summary>
    [JsonStringEnumMemberName("v2")]
    V2,
}

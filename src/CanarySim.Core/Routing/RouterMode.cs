using System.Text.Json.Serialization;

namespace CanarySim.Core.Routing;

/// <summary>How the router splits traffic.</summary>
public enum RouterMode
{
    /// <summary>v1 only (<c>primary</c>).</summary>
    [JsonStringEnumMemberName("primary")]
    Primary,
    /// <summary>v1 serves, v2 also runs and decisions are diffed (<c>shadow</c>).</summary>
    [JsonStringEnumMemberName("shadow")]
    Shadow,
    /// <summary>Percentage split by deterministic bucket (<c>canary</c>).</summary>
    [JsonStringEnumMemberName("canary")]
    Canary,
    /// <summary>v2 for all (<c>candidate</c>).</summary>
    [JsonStringEnumMemberName("candidate")]
    Candidate,
}

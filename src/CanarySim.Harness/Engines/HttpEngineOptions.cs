using System.ComponentModel.DataAnnotations;

namespace CanarySim.Harness.Engines;

/// <summary>How an <see cref="HttpEngine"/> calls its engine.</summary>
public sealed record HttpEngineOptions
{
    /// <summary>Path requests are POSTed to, relative to the client's base address. The default value is <c>/v2/plan</c> for v2 and <c>/v1/plan</c> for v1 when null.</summary>
    public string? Path { get; init; }

    /// <summary>Per-call timeout (Polly timeout strategy). The default value is 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);
}

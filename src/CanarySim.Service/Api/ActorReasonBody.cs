namespace CanarySim.Service.Api;

/// <summary>Body of <c>POST /guard/rollback</c> and <c>POST /guard/resume</c>: <c>{"reason":"…","actor":"…"}</c>.</summary>
public sealed class ActorReasonBody
{
    /// <summary>Why (required, kept in the settings history).</summary>
    public required string Reason { get; init; }

    /// <summary>Who (default <c>ops</c>).</summary>
    public string? Actor { get; init; }
}

using System.Text.Json;

namespace CanarySim.Service.Rollout;

/// <summary>
/// The raw UAT artifacts (<c>canarysim.uat-raw/v1</c>) posted for one stage's release gate: the complete set the gate
/// judges, as <c>canarysim gate --raw … --raw …</c> would. A later post for the same stage, before the gate is judged,
/// replaces the set.
/// </summary>
public sealed record PostedArtifacts
{
    /// <summary>The plan's name.</summary>
    public required string Plan { get; init; }

    /// <summary>The stage whose release gate judges them.</summary>
    public required string Stage { get; init; }

    /// <summary>Who posted them.</summary>
    public required string Actor { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The artifacts, each named (its <c>run_id</c>, made unique) as the report's inputs name them.</summary>
    public required IReadOnlyList<PostedArtifact> Artifacts { get; init; }
}

/// <summary>One posted raw artifact.</summary>
/// <param name="Name">Its name in the gate report (the artifact's <c>run_id</c>).</param>
/// <param name="Raw">The artifact, exactly as posted.</param>
public sealed record PostedArtifact(string Name, JsonElement Raw);

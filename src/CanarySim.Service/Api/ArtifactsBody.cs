using System.Text.Json;

namespace CanarySim.Service.Api;

/// <summary>
/// Body of <c>POST /guard/rollout/artifacts</c>: <c>{"stage":"…","artifacts":[{…canarysim.uat-raw/v1…}, …],"actor":"…"}</c> —
/// the complete set of raw UAT artifacts the stage's release gate judges (as <c>canarysim gate --raw a.json --raw b.json</c>).
/// </summary>
public sealed class ArtifactsBody
{
    /// <summary>The plan stage whose release gate judges them.</summary>
    public required string Stage { get; init; }

    /// <summary>The raw artifacts, each a <c>canarysim.uat-raw/v1</c> document exactly as the UAT runner recorded it.</summary>
    public required List<JsonElement> Artifacts { get; init; }

    /// <summary>Who posts them (default <c>ops</c>).</summary>
    public string? Actor { get; init; }
}

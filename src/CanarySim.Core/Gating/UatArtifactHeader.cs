namespace CanarySim.Core.Gating;

/// <summary>The top-level fields of a raw artifact, known once the whole file is read.</summary>
/// <param name="Source">File name (or other label) the artifact was read from.</param>
/// <param name="Schema">Schema version, always <see cref="UatWire.SchemaV1"/> once validated.</param>
/// <param name="RunId">UAT run id; null when the artifact has none.</param>
/// <param name="Engine">Engine under test, e.g. <c>v3_canary</c>; null when absent.</param>
/// <param name="StartedAt">When the run started; null when absent.</param>
/// <param name="CaseCount">Number of entries in <c>cases</c>.</param>
public sealed record UatArtifactHeader(string Source, string Schema, string? RunId, string? Engine, DateTimeOffset? StartedAt, int CaseCount);

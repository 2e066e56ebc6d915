namespace CanarySim.Core.Gating;

/// <summary>A defect to open for one failed check (one per failed gate check).</summary>
/// <param name="Check">Name of the failed check.</param>
/// <param name="Title">Defect title.</param>
/// <param name="Detail">The check's detail.</param>
/// <param name="Cases">The cases that caused it (capped at <see cref="GateOptions.MaxCasesPerDefect"/>).</param>
/// <param name="CaseCount">How many cases caused it.</param>
public sealed record GateDefect(string Check, string Title, string Detail, IReadOnlyList<GateCaseRef> Cases, int CaseCount);

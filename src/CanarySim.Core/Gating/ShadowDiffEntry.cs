namespace CanarySim.Core.Gating;

/// <summary>One (case, role) of a shadow diff.</summary>
/// <param name="CaseId">Scenario id.</param>
/// <param name="Role"><c>ai.reader</c> or <c>ai.operator</c>.</param>
/// <param name="Outcome">Regressed, improved, unchanged or missing on one side.</param>
/// <param name="BaselinePassed">Baseline first-run result; null when missing.</param>
/// <param name="CandidatePassed">Candidate first-run result; null when missing.</param>
/// <param name="Critical">Critical on either side.</param>
/// <param name="BlocksCanary">Whether this entry alone means "do not start canary".</param>
public sealed record ShadowDiffEntry(string CaseId, string Role, ShadowOutcome Outcome, bool? BaselinePassed, bool? CandidatePassed, bool Critical, bool BlocksCanary);

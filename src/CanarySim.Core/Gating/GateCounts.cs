namespace CanarySim.Core.Gating;

/// <summary>What the gate read: <c>cases_total</c> = <c>first_run</c> + <c>diagnostic_ignored</c> + <c>superseded</c>.</summary>
/// <param name="CasesTotal">Every case result in every input.</param>
/// <param name="FirstRun">Winning first runs, one per (case, role): the results scored.</param>
/// <param name="DiagnosticIgnored">Diagnostic reruns, never scored.</param>
/// <param name="Superseded">First runs that lost to an earlier one of the same (case, role).</param>
/// <param name="CaseIds">Distinct case ids among the first runs.</param>
public sealed record GateCounts(int CasesTotal, int FirstRun, int DiagnosticIgnored, int Superseded, int CaseIds);

namespace CanarySim.Cli.Commands;

/// <summary><c>fixtures/uat/replay.json</c>: every recorded run to replay and the verdict expected of it.</summary>
internal sealed record ReplayManifest(IReadOnlyList<ReplayRun>? Runs);

/// <summary>
/// One replayed run. <c>command</c> is <c>gate</c> or <c>shadow-diff</c>; paths are relative to the
/// manifest. <c>expect</c> is <c>GO</c>, <c>NO-GO</c>, <c>START CANARY</c>, <c>DO NOT START CANARY</c>
/// or <c>ERROR</c> (bad input, exit 2); <c>expect_failed_checks</c> (gate) and
/// <c>expect_error_contains</c> (ERROR) pin the reason too.
/// </summary>
internal sealed record ReplayRun(
    string? Name,
    string? Command,
    string? Description,
    IReadOnlyList<string>? Raws,
    int? Stage,
    double? LatencyP95SlaMs,
    double? BaselineCorrectionRate,
    string? Label,
    string? Baseline,
    string? Candidate,
    string? Expect,
    IReadOnlyList<string>? ExpectFailedChecks,
    string? ExpectErrorContains);

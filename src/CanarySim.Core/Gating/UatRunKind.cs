using System.Text.Json.Serialization;

namespace CanarySim.Core.Gating;

/// <summary>
/// Whether a case result is a gating first run or a non-gating diagnostic rerun.
/// Wire values: <c>first</c>, <c>diagnostic</c>; <c>rerun</c> is accepted as an alias of
/// <c>diagnostic</c> (the runbook calls them "diagnostic reruns"), so a rerun can never be scored.
/// </summary>
public enum UatRunKind
{
    /// <summary><c>first</c>: the first attempt; the only kind the gate scores.</summary>
    [JsonStringEnumMemberName("first")]
    First,

    /// <summary><c>diagnostic</c> (alias <c>rerun</c>): a rerun for diagnosis; never scored.</summary>
    [JsonStringEnumMemberName("diagnostic")]
    Diagnostic,
}

using System.Text.Json.Serialization;

namespace CanarySim.Core.Gating;

/// <summary>The two assistant roles every UAT case is run under (wire names <c>ai.reader</c> / <c>ai.operator</c>).</summary>
public enum UatRole
{
    /// <summary><c>ai.reader</c>: read-only assistant role.</summary>
    [JsonStringEnumMemberName(UatWire.Reader)]
    Reader,

    /// <summary><c>ai.operator</c>: assistant role allowed to write.</summary>
    [JsonStringEnumMemberName(UatWire.Operator)]
    Operator,
}

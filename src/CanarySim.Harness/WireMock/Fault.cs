using System.Text.Json.Serialization;
using CanarySim.Core;

namespace CanarySim.Harness.WireMock;

/// <summary>Transport faults a WireMock stub can answer with instead of a response.</summary>
public enum Fault
{
    /// <summary>The connection is reset mid-request (<c>CONNECTION_RESET_BY_PEER</c>).</summary>
    [JsonStringEnumMemberName("CONNECTION_RESET_BY_PEER")]
    ConnectionResetByPeer,
    /// <summary>An OK status and headers, then garbage instead of a valid chunk (<c>MALFORMED_RESPONSE_CHUNK</c>).</summary>
    [JsonStringEnumMemberName("MALFORMED_RESPONSE_CHUNK")]
    MalformedResponseChunk,
    /// <summary>The connection closes without any response (<c>EMPTY_RESPONSE</c>).</summary>
    [JsonStringEnumMemberName("EMPTY_RESPONSE")]
    EmptyResponse,
    /// <summary>Random bytes, then the connection closes (<c>RANDOM_DATA_THEN_CLOSE</c>).</summary>
    [JsonStringEnumMemberName("RANDOM_DATA_THEN_CLOSE")]
    RandomDataThenClose,
}

/// <summary>Reads a <see cref="Fault"/> from its wire name or a phrase.</summary>
public static class FaultNames
{
    /// <summary>Parses a wire name (<c>CONNECTION_RESET_BY_PEER</c>) or a plain phrase (<c>connection reset by peer</c>, <c>malformed response chunk</c>, <c>empty response</c>).</summary>
    public static bool TryParse(string? text, out Fault fault)
    {
        var norm = (text ?? "").Trim().Replace(' ', '_').Replace('-', '_').ToUpperInvariant();
        if (WireName.TryParse(norm, out fault))
        {
            return true;
        }
        switch (norm)
        {
            case "CONNECTION_RESET": fault = Fault.ConnectionResetByPeer; return true;
            case "MALFORMED_BODY" or "MALFORMED_RESPONSE": fault = Fault.MalformedResponseChunk; return true;
            default: fault = default; return false;
        }
    }
}

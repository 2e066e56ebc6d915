namespace CanarySim.Harness.WireMock;

/// <summary>Transport faults a WireMock stub can answer with instead of a response.</summary>
public enum Fault
{
    /// <summary>The connection is reset mid-request (<c>CONNECTION_RESET_BY_PEER</c>).</summary>
    ConnectionResetByPeer,
    /// <summary>An OK status and headers, then garbage instead of a valid chunk (<c>MALFORMED_RESPONSE_CHUNK</c>).</summary>
    MalformedResponseChunk,
    /// <summary>The connection closes without any response (<c>EMPTY_RESPONSE</c>).</summary>
    EmptyResponse,
    /// <summary>Random bytes, then the connection closes (<c>RANDOM_DATA_THEN_CLOSE</c>).</summary>
    RandomDataThenClose,
}

/// <summary>WireMock wire names of <see cref="Fault"/>.</summary>
public static class FaultNames
{
    /// <summary>The name WireMock's mapping JSON uses, e.g. <c>CONNECTION_RESET_BY_PEER</c>.</summary>
    public static string ToWire(this Fault fault) => fault switch
    {
        Fault.ConnectionResetByPeer => "CONNECTION_RESET_BY_PEER",
        Fault.MalformedResponseChunk => "MALFORMED_RESPONSE_CHUNK",
        Fault.EmptyResponse => "EMPTY_RESPONSE",
        Fault.RandomDataThenClose => "RANDOM_DATA_THEN_CLOSE",
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
    };

    /// <summary>Parses a wire name (<c>CONNECTION_RESET_BY_PEER</c>) or a plain phrase (<c>connection reset by peer</c>, <c>malformed response chunk</c>, <c>empty response</c>).</summary>
    public static bool TryParse(string? text, out Fault fault)
    {
        var norm = (text ?? "").Trim().Replace(' ', '_').Replace('-', '_').ToUpperInvariant();
        foreach (var f in Enum.GetValues<Fault>())
        {
            if (f.ToWire() == norm)
            {
                fault = f;
                return true;
            }
        }
        switch (norm)
        {
            case "CONNECTION_RESET": fault = Fault.ConnectionResetByPeer; return true;
            case "MALFORMED_BODY" or "MALFORMED_RESPONSE": fault = Fault.MalformedResponseChunk; return true;
            default: fault = default; return false;
        }
    }
}

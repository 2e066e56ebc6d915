namespace CanarySim.Core.Routing;

/// <summary>
/// An engine version the router sends work to (in-process, or an HTTP client against a real or
/// WireMock-stubbed engine). Fails by throwing (transport error, timeout via the token) or with
/// <see cref="InvalidEngineOutputException"/> when the answer has the wrong shape.
/// </summary>
public interface IEngine
{
    /// <summary>Which version this is.</summary>
    Engine Version { get; }

    /// <summary>Handles one request.</summary>
    Task<EngineResponse> HandleAsync(EngineRequest request, CancellationToken cancellationToken);
}

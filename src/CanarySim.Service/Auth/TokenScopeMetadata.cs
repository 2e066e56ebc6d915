namespace CanarySim.Service.Auth;

/// <summary>Endpoint metadata: the token an endpoint needs.</summary>
/// <param name="Scope">Which token the endpoint needs: none (optional), the app or ops token, or the ops token only.</param>
public sealed record TokenScopeMetadata(TokenScope Scope);

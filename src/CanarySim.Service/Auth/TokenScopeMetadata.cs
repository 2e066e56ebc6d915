namespace CanarySim.Service.Auth;

/// <summary>Endpoint metadata: the token an endpoint needs.</summary>
/// <param name="Scope">The scope.</param>
public sealed record TokenScopeMetadata(TokenScope Scope);

namespace CanarySim.Core.Gating;

/// <summary>One raw artifact to read: its name (file path, used in errors and reports) and how to open it.</summary>
/// <param name="Name">Shown in errors, reports and tie-breaks.</param>
/// <param name="Open">Opens a fresh stream over the artifact; the gate disposes it.</param>
public sealed record UatArtifactInput(string Name, Func<Stream> Open)
{
    /// <summary>An input over bytes in memory.</summary>
    public static UatArtifactInput FromBytes(string name, byte[] bytes) => new(name, () => new MemoryStream(bytes, writable: false));
}

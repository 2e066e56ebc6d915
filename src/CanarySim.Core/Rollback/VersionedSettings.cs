using CanarySim.Core.Routing;

namespace CanarySim.Core.Rollback;

/// <summary>Router settings as stored, with the version that stored them.</summary>
/// <param name="Version">The stored version: the sequence number of the change that wrote it, 0 when nothing was stored yet.</param>
/// <param name="Settings">The settings of that version.</param>
public sealed record VersionedSettings(long Version, RouterSettings Settings);

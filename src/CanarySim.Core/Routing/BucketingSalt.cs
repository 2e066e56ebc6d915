using System.Text;

namespace CanarySim.Core.Routing;

/// <summary>
/// A salt prepared for one <see cref="IBucketing"/>: the UTF-8 bytes hashed before and after the
/// key (e.g. <c>"salt:"</c> before for canarysim, <c>"\nsalt"</c> after for featuremanagement).
/// </summary>
public sealed class BucketingSalt
{
    private readonly byte[] _prefix;
    private readonly byte[] _suffix;

    /// <summary>Creates a prepared salt from the text placed before and after the key.</summary>
    public BucketingSalt(string salt, string prefix, string suffix)
    {
        Salt = salt ?? throw new ArgumentNullException(nameof(salt));
        _prefix = Encoding.UTF8.GetBytes(prefix ?? throw new ArgumentNullException(nameof(prefix)));
        _suffix = Encoding.UTF8.GetBytes(suffix ?? throw new ArgumentNullException(nameof(suffix)));
    }

    /// <summary>The salt as configured.</summary>
    public string Salt { get; }

    /// <summary>UTF-8 bytes hashed before the key.</summary>
    public ReadOnlySpan<byte> Prefix => _prefix;

    /// <summary>UTF-8 bytes hashed after the key.</summary>
    public ReadOnlySpan<byte> Suffix => _suffix;
}

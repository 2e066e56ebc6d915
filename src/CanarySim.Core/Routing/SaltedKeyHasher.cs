using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace CanarySim.Core.Routing;

/// <summary>Encodes prefix + UTF-8(key) + suffix on the stack (or a pooled array when long) and hashes it without allocating.</summary>
internal static class SaltedKeyHasher
{
    private const int StackLimit = 512;

    public enum Kind
    {
        Murmur3,
        Sha256,
        Sha1,
    }

    /// <summary>Hashes the salted key; writes the digest head into <paramref name="digestHead"/> (≥ 8 bytes) for SHA kinds, returns the murmur3 hash otherwise.</summary>
    [SkipLocalsInit]
    public static uint Hash(BucketingSalt salt, ReadOnlySpan<char> key, Kind kind, Span<byte> digestHead)
    {
        var prefix = salt.Prefix;
        var suffix = salt.Suffix;
        var max = prefix.Length + suffix.Length + Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            prefix.CopyTo(buffer);
            var n = prefix.Length;
            n += Encoding.UTF8.GetBytes(key, buffer[n..]);
            suffix.CopyTo(buffer[n..]);
            n += suffix.Length;
            var input = buffer[..n];
            switch (kind)
            {
                case Kind.Murmur3:
                    return MurmurHash3.Hash32(input);
                case Kind.Sha256:
                {
                    Span<byte> digest = stackalloc byte[32];
                    SHA256.HashData(input, digest);
                    digest[..8].CopyTo(digestHead);
                    return 0;
                }
                default:
                {
                    Span<byte> digest = stackalloc byte[20];
                    SHA1.HashData(input, digest);
                    digest[..8].CopyTo(digestHead);
                    return 0;
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

using FsCheck;
using FsCheck.Fluent;

namespace CanarySim.Core.Tests.Routing;

/// <summary>
/// Generators for routing properties: percentages over the whole range in basis points, and keys shaped
/// like the session and user ids the router really sees (UUIDs, hex and base62 tokens, numeric and
/// e-mail-like user ids, prefixed ids; 1 to 64 characters).
/// </summary>
internal static class RoutingGen
{
    private const string Hex = "0123456789abcdef";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";
    private static readonly string[] Prefixes = ["sess_", "session-", "u:", "user-", "anon_", "web."];
    private static readonly string[] Domains = ["example.com", "corp.example", "mail.test"];

    /// <summary>Every algorithm, equally often.</summary>
    public static Gen<BucketingAlgorithm> Algorithm { get; } = Gen.Elements(Enum.GetValues<BucketingAlgorithm>());

    /// <summary>A percentage from 0 to 100 in steps of one basis point (0.01 %), with the ends and the middle drawn often.</summary>
    public static Gen<double> Percent { get; } = Gen.Frequency(
        (1, Gen.Elements(0.0, 0.01, 50.0, 99.99, 100.0)),
        (9, Gen.Choose(0, 10_000).Select(bp => bp / 100.0)));

    /// <summary>A session- or user-id-like key (see <see cref="SessionKey"/>).</summary>
    public static Gen<string> Key { get; } = Gen.Choose(0, int.MaxValue).Select(seed => SessionKey(new Random(seed)));

    /// <summary>A salt as operators write them (flag names, dotted keys, the default), sometimes empty.</summary>
    public static Gen<string> Salt { get; } = Gen.OneOf(
        Gen.Elements("canarysim", "", "planner.v2", "checkout-rollout"),
        Gen.Choose(0, int.MaxValue).Select(seed => Token(new Random(seed), Base62 + ".-_:", 1, 24)));

    /// <summary>
    /// One key from <paramref name="random"/>: a UUID, a hex token, a base62 token, a numeric id, a
    /// prefixed token or an e-mail-like id, equally often. Also used directly where a case needs
    /// thousands of keys (drawing them one by one through FsCheck would be slow).
    /// </summary>
    public static string SessionKey(Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                var h = Token(random, Hex, 32, 32);
                return $"{h[..8]}-{h[8..12]}-{h[12..16]}-{h[16..20]}-{h[20..]}";
            case 1:
                return Token(random, Hex, 8, 40);
            case 2:
                return Token(random, Base62, 1, 64);
            case 3:
                return Token(random, Digits, 1, 12);
            case 4:
                return Prefixes[random.Next(Prefixes.Length)] + Token(random, Base62, 6, 26);
            default:
                return Token(random, Letters + ".", 1, 20) + "@" + Domains[random.Next(Domains.Length)];
        }
    }

    private static string Token(Random random, string alphabet, int minLength, int maxLength)
    {
        var chars = new char[random.Next(minLength, maxLength + 1)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }
        return new string(chars);
    }
}

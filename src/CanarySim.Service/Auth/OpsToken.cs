using System.Security.Cryptography;
using System.Text;

namespace CanarySim.Service.Auth;

/// <summary>
/// SPEC §5: the ops token mutating endpoints require. Resolved once at start-up from (in order)
/// <see cref="GuardServiceOptions.OpsToken"/>, <see cref="GuardServiceOptions.OpsTokenFile"/>, the
/// <c>CANARYSIM_OPS_TOKEN</c> environment variable. Compared in constant time.
/// </summary>
public sealed class OpsToken
{
    private readonly byte[]? _digest;

    private OpsToken(byte[]? digest, string source, bool insecure)
    {
        _digest = digest;
        Source = source;
        Insecure = insecure;
    }

    /// <summary>Where the token came from (<c>options</c>, <c>file:PATH</c>, <c>env:CANARYSIM_OPS_TOKEN</c>, or <c>none</c>).</summary>
    public string Source { get; }

    /// <summary>True when running with <c>--insecure-dev</c> and a missing or too short token.</summary>
    public bool Insecure { get; }

    /// <summary>True when mutating endpoints check a token (false only for insecure dev without any token).</summary>
    public bool Required => _digest is not null;

    /// <summary>
    /// Resolves the token; throws <see cref="GuardServiceConfigurationException"/> when it is missing,
    /// unreadable or too short and <see cref="GuardServiceOptions.InsecureDev"/> is off.
    /// </summary>
    public static OpsToken Resolve(GuardServiceOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        string? token;
        string source;
        if (!string.IsNullOrEmpty(options.OpsToken))
        {
            token = options.OpsToken;
            source = "options";
        }
        else if (!string.IsNullOrWhiteSpace(options.OpsTokenFile))
        {
            var path = Path.GetFullPath(options.OpsTokenFile);
            try
            {
                token = File.ReadAllText(path).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new GuardServiceConfigurationException(
                    $"ops token file '{path}' cannot be read: {ex.Message}");
            }
            source = $"file:{path}";
        }
        else
        {
            token = environment(GuardServiceOptions.TokenEnvironmentVariable)?.Trim();
            source = $"env:{GuardServiceOptions.TokenEnvironmentVariable}";
        }

        if (string.IsNullOrEmpty(token))
        {
            if (options.InsecureDev)
            {
                return new OpsToken(null, "none", insecure: true);
            }
            throw new GuardServiceConfigurationException(
                "refusing to start without an ops token: give --ops-token-file FILE or set " +
                $"{GuardServiceOptions.TokenEnvironmentVariable} (at least {options.MinimumTokenLength} characters), " +
                "or pass --insecure-dev for local development only.");
        }

        if (token.Length < options.MinimumTokenLength && !options.InsecureDev)
        {
            throw new GuardServiceConfigurationException(
                $"refusing to start: the ops token from {source} has {token.Length} characters, " +
                $"at least {options.MinimumTokenLength} are required (or pass --insecure-dev for local development only).");
        }

        return new OpsToken(Digest(token), source, insecure: token.Length < options.MinimumTokenLength);
    }

    /// <summary>Constant-time check of a presented token (digests first, so the length does not leak either).</summary>
    public bool Matches(ReadOnlySpan<char> presented)
    {
        if (_digest is null)
        {
            return true;
        }
        var bytes = Encoding.UTF8.GetBytes(presented.ToArray());
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(bytes), _digest);
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

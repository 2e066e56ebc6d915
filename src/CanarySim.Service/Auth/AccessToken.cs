using System.Security.Cryptography;
using System.Text;

namespace CanarySim.Service.Auth;

/// <summary>
/// A bearer token the service checks: the ops token (everything) or the app token (routing, samples,
/// diffs). Resolved once at start-up from the options, a file or an environment variable; compared in
/// constant time against SHA-256 digests, so neither content nor length leaks.
/// </summary>
public sealed class AccessToken
{
    private readonly byte[]? _digest;

    private AccessToken(byte[]? digest, string source, bool insecure)
    {
        _digest = digest;
        Source = source;
        Insecure = insecure;
    }

    /// <summary>Where the token came from (<c>options</c>, <c>file:PATH</c>, <c>env:NAME</c>, or <c>none</c>).</summary>
    public string Source { get; }

    /// <summary>True when running with <c>--insecure-dev</c> and a missing or too short token.</summary>
    public bool Insecure { get; }

    /// <summary>True when a token is set (false only for insecure dev without any ops token).</summary>
    public bool Required => _digest is not null;

    /// <summary>
    /// Resolves the ops token from <see cref="GuardServiceOptions.OpsToken"/>, <see cref="GuardServiceOptions.OpsTokenFile"/> or
    /// <c>CANARYSIM_OPS_TOKEN</c>; throws <see cref="GuardServiceConfigurationException"/> when it is missing, unreadable or too
    /// short and <see cref="GuardServiceOptions.InsecureDev"/> is off.
    /// </summary>
    public static AccessToken Resolve(GuardServiceOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var (token, source) = Read("ops", options.OpsToken, options.OpsTokenFile, GuardServiceOptions.TokenEnvironmentVariable, environment);
        if (string.IsNullOrEmpty(token))
        {
            if (options.InsecureDev)
            {
                return new AccessToken(null, "none", insecure: true);
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
        return new AccessToken(Digest(token), source, insecure: token.Length < options.MinimumTokenLength);
    }

    /// <summary>
    /// Resolves the optional app token from <see cref="GuardServiceOptions.AppToken"/>, <see cref="GuardServiceOptions.AppTokenFile"/>
    /// or <c>CANARYSIM_APP_TOKEN</c>; null when none is given. A short one, or one equal to the ops token, refuses the start.
    /// </summary>
    public static AccessToken? ResolveApp(GuardServiceOptions options, Func<string, string?> environment, AccessToken ops)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(ops);
        var (token, source) = Read("app", options.AppToken, options.AppTokenFile, GuardServiceOptions.AppTokenEnvironmentVariable, environment);
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        if (token.Length < options.MinimumTokenLength)
        {
            throw new GuardServiceConfigurationException(
                $"refusing to start: the app token from {source} has {token.Length} characters, at least {options.MinimumTokenLength} are required.");
        }
        if (ops.Matches(token))
        {
            throw new GuardServiceConfigurationException($"refusing to start: the app token from {source} is the ops token; give the applications their own token.");
        }
        return new AccessToken(Digest(token), source, insecure: false);
    }

    /// <summary>Constant-time check of a presented token (digests first, so the length does not leak either).</summary>
    public bool Matches(ReadOnlySpan<char> presented)
    {
        if (_digest is null)
        {
            return true;
        }
        Span<byte> digest = stackalloc byte[32];
        var bytes = Encoding.UTF8.GetBytes(presented.ToArray());
        SHA256.HashData(bytes, digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }

    private static (string? Token, string Source) Read(string which, string? value, string? file, string variable, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(value))
        {
            return (value, "options");
        }
        if (!string.IsNullOrWhiteSpace(file))
        {
            var path = Path.GetFullPath(file);
            try
            {
                return (File.ReadAllText(path).Trim(), $"file:{path}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new GuardServiceConfigurationException($"{which} token file '{path}' cannot be read: {ex.Message}");
            }
        }
        return (environment(variable)?.Trim(), $"env:{variable}");
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

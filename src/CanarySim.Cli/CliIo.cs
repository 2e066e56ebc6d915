using System.Text.Encodings.Web;
using System.Text.Json;

namespace CanarySim.Cli;

/// <summary>The streams a command writes to, so tests can run the CLI in process.</summary>
public sealed class CliIo(TextWriter stdout, TextWriter stderr)
{
    /// <summary>
    /// JSON output options shared by every command: snake_case, indented, and relaxed escaping so people read
    /// '+', '>' and '—' as written (the files are never embedded in HTML).
    /// </summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; } = stdout;

    /// <summary>Standard error.</summary>
    public TextWriter Err { get; } = stderr;

    /// <summary>Writes an error line and returns exit code 2.</summary>
    public int UsageError(string message)
    {
        Err.WriteLine($"error: {message}");
        return CanarySimCli.Usage;
    }

    /// <summary>Refuses (exit 2) an input file that does not exist or is a folder, naming it as <paramref name="what"/>; null when it is a file.</summary>
    public int? RefuseMissing(FileInfo file, string what) =>
        file.Exists ? null
        : UsageError(Directory.Exists(file.FullName)
            ? $"{what} '{file.FullName}' is a folder; give the file itself."
            : $"{what} '{file.FullName}' does not exist.");
}

/// <summary>Thrown by a command for bad input; the CLI prints the message and exits 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);

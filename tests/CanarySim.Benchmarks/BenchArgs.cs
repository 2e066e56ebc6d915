using System.Globalization;

namespace CanarySim.Benchmarks;

/// <summary>The <c>--name value</c> arguments of the non-BenchmarkDotNet modes.</summary>
internal static class BenchArgs
{
    public static double Number(string[] args, string name, double fallback) =>
        Text(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}

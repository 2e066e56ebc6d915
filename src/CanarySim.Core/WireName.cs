using System.Reflection;
using System.Text.Json.Serialization;

namespace CanarySim.Core;

/// <summary>
/// The text an enum value is written as in files, the API and audit events: its
/// <see cref="JsonStringEnumMemberNameAttribute"/> name (e.g. <c>manual_review</c>), else the member name.
/// One rule for every enum, read once per type.
/// </summary>
public static class WireName
{
    /// <summary>The wire text of <paramref name="value"/>.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum => Names<T>.Get(value);

    /// <summary>The value whose wire text is <paramref name="text"/> (ordinal, exact); false when none is.</summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum => Names<T>.TryParse(text, out value);

    private static class Names<T>
        where T : struct, Enum
    {
        private static readonly Dictionary<T, string> Map = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(f => (T)f.GetValue(null)!, f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name);

        private static readonly Dictionary<string, T> Values = Map.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

        public static string Get(T value) => Map.TryGetValue(value, out var name) ? name : value.ToString();

        public static bool TryParse(string? text, out T value)
        {
            value = default;
            return text is not null && Values.TryGetValue(text, out value);
        }
    }
}

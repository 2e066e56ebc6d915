using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace CanarySim.Core;

/// <summary>
/// The text an enum value is written as in files, the API, audit events and reports: its
/// <see cref="JsonStringEnumMemberNameAttribute"/> name (e.g. <c>manual_review</c>), else the member name.
/// One rule for every enum, read once per type; writing a value is an array lookup without allocation.
/// </summary>
public static class WireName
{
    /// <summary>The wire text of <paramref name="value"/>; an undefined value throws <see cref="ArgumentOutOfRangeException"/>.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum => Names<T>.Get(value);

    /// <summary>Every value's wire text, in value order.</summary>
    public static IReadOnlyList<string> All<T>()
        where T : struct, Enum => Names<T>.Texts;

    /// <summary>The value whose wire text is <paramref name="text"/> (ordinal, exact); false when none is.</summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum => Names<T>.TryParse(text, out value);

    /// <summary>
    /// The value whose wire text is <paramref name="text"/> with surrounding white space ignored and letters compared
    /// without case (<see cref="StringComparison.OrdinalIgnoreCase"/>); false for null and for any other text.
    /// </summary>
    public static bool TryParseIgnoreCase<T>(string? text, out T value)
        where T : struct, Enum
    {
        if (text is null)
        {
            value = default;
            return false;
        }
        return Names<T>.TryParseIgnoreCase(text.AsSpan(), out value);
    }

    /// <summary>As <see cref="TryParseIgnoreCase{T}(string?, out T)"/>, without allocating.</summary>
    public static bool TryParseIgnoreCase<T>(ReadOnlySpan<char> text, out T value)
        where T : struct, Enum => Names<T>.TryParseIgnoreCase(text, out value);

    private static class Names<T>
        where T : struct, Enum
    {
        private static readonly T[] Values = Enum.GetValues<T>();

        public static readonly string[] Texts = Values.Select(TextOf).ToArray();

        // True when the values are exactly 0, 1, …, n-1 of an int enum: the text of a value is then Texts[value].
        private static readonly bool Dense = Enum.GetUnderlyingType(typeof(T)) == typeof(int)
            && Values.Select((v, i) => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) == i).All(same => same);

        private static readonly Dictionary<T, string> Map = Values.Zip(Texts).ToDictionary(p => p.First, p => p.Second);

        private static readonly Dictionary<string, T> ByText = Map.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

        public static string Get(T value)
        {
            if (Dense)
            {
                var index = Unsafe.As<T, int>(ref value);
                if ((uint)index < (uint)Texts.Length)
                {
                    return Texts[index];
                }
            }
            else if (Map.TryGetValue(value, out var text))
            {
                return text;
            }
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} has no value {value} and so no wire name");
        }

        public static bool TryParse(string? text, out T value)
        {
            value = default;
            return text is not null && ByText.TryGetValue(text, out value);
        }

        public static bool TryParseIgnoreCase(ReadOnlySpan<char> text, out T value)
        {
            text = text.Trim();
            for (var i = 0; i < Texts.Length; i++)
            {
                if (text.Equals(Texts[i], StringComparison.OrdinalIgnoreCase))
                {
                    value = Values[i];
                    return true;
                }
            }
            value = default;
            return false;
        }

        private static string TextOf(T value)
        {
            var field = typeof(T).GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static)!;
            return field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name;
        }
    }
}

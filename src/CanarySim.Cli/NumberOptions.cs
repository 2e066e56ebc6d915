using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace CanarySim.Cli;

/// <summary>
/// Number options refuse a word in the user's terms (<c>--seed: expected a whole number, got 'x'.</c>) instead of the
/// parser's default, which names a .NET type (<c>System.Nullable`1[System.Int64]</c>). Options with their own parser
/// keep it.
/// </summary>
internal static class NumberOptions
{
    /// <summary>Gives every int, long and double option of the tree (nullable or not) without its own parser a readable one.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<int> o when o.CustomParser is null:
                    o.CustomParser = r => Parse<int>(r, o.Name);
                    break;
                case Option<int?> o when o.CustomParser is null:
                    o.CustomParser = r => Parse<int>(r, o.Name);
                    break;
                case Option<long> o when o.CustomParser is null:
                    o.CustomParser = r => Parse<long>(r, o.Name);
                    break;
                case Option<long?> o when o.CustomParser is null:
                    o.CustomParser = r => Parse<long>(r, o.Name);
                    break;
                case Option<double> o when o.CustomParser is null:
                    o.CustomParser = r => Parse<double>(r, o.Name);
                    break;
                case Option<double?> o when o.CustomParser is null:
                    o.CustomParser = r => Parse<double>(r, o.Name);
                    break;
            }
        }
        foreach (var sub in command.Subcommands)
        {
            Apply(sub);
        }
    }

    private static T Parse<T>(ArgumentResult result, string name)
        where T : struct, INumber<T>
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var whole = typeof(T) != typeof(double);
        var styles = whole ? NumberStyles.Integer : NumberStyles.Float;
        if (T.TryParse(text, styles, CultureInfo.InvariantCulture, out var value) && (whole || T.IsFinite(value)))
        {
            return value;
        }
        result.AddError($"{name}: expected {(whole ? "a whole number" : "a number")}, got '{text}'.");
        return default;
    }
}

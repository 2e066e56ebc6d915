namespace CanarySim.Features.Runtime;

// Builds one example sentence from a step pattern: literals kept, optional parts dropped, the first
// alternative taken, capture groups filled with a sample of the parameter's type; the result is
// checked against the pattern and discarded (null) when it does not match.
internal static class StepExamples
{
    public static string? For(StepBinding step)
    {
        var parameters = step.Method.GetParameters();
        var index = 0;
        foreach (var preferTyped in new[] { true, false })
        {
            index = 0;
            try
            {
                var text = Generate(step.DisplayPattern, ref index, parameters, preferTyped);
                if (step.Regex.IsMatch(text))
                {
                    return text;
                }
            }
            catch (FormatException)
            {
                // fall through to the next strategy
            }
        }
        return null;
    }

    private static string Generate(string pattern, ref int group, System.Reflection.ParameterInfo[] parameters, bool preferTyped)
    {
        var atoms = new List<string>();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '^' or '$':
                    break;
                case '|':
                    return string.Concat(atoms); // first alternative
                case '\\':
                    i++;
                    var e = i < pattern.Length ? pattern[i] : '\\';
                    atoms.Add(e switch { 'd' => "1", 's' => " ", 'w' => "a", 'S' => "a", 'W' => "-", _ => e.ToString() });
                    break;
                case '.':
                    atoms.Add("x");
                    break;
                case '[':
                    var close = FindClassEnd(pattern, i);
                    var body = pattern[(i + 1)..close];
                    atoms.Add(ClassSample(body));
                    i = close;
                    break;
                case '(':
                    var end = FindGroupEnd(pattern, i);
                    var inner = pattern[(i + 1)..end];
                    if (inner.StartsWith("?:", StringComparison.Ordinal))
                    {
                        atoms.Add(Generate(inner[2..], ref group, parameters, preferTyped));
                    }
                    else
                    {
                        if (inner.StartsWith("?<", StringComparison.Ordinal))
                        {
                            inner = inner[(inner.IndexOf('>', StringComparison.Ordinal) + 1)..];
                        }
                        var parameter = group < parameters.Length ? parameters[group] : null;
                        group++;
                        var nested = group;
                        var raw = Generate(inner, ref nested, parameters, preferTyped);
                        group = nested;
                        atoms.Add(preferTyped && parameter is not null && Sample(parameter.ParameterType, inner) is { } typed ? typed : raw);
                    }
                    i = end;
                    break;
                case '?' or '*':
                    if (i > 0 && pattern[i - 1] is '?' or '*' or '+' or '}')
                    {
                        break; // lazy modifier
                    }
                    // An optional single letter is usually a plural ("requests?"): keep it; drop optional groups.
                    if (atoms.Count > 0 && !(c == '?' && i > 0 && char.IsLetter(pattern[i - 1]) && (i < 2 || pattern[i - 2] != '\\')))
                    {
                        atoms.RemoveAt(atoms.Count - 1);
                    }
                    break;
                case '+':
                    break;
                case '{':
                    var q = pattern.IndexOf('}', i);
                    if (q < 0)
                    {
                        throw new FormatException("unclosed quantifier");
                    }
                    var min = int.TryParse(pattern[(i + 1)..q].Split(',')[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : 1;
                    if (atoms.Count > 0)
                    {
                        var atom = atoms[^1];
                        atoms.RemoveAt(atoms.Count - 1);
                        atoms.AddRange(Enumerable.Repeat(atom, min));
                    }
                    i = q;
                    break;
                default:
                    atoms.Add(c.ToString());
                    break;
            }
        }
        return string.Concat(atoms);
    }

    // Literal alternations such as (v1|v2) read better as their first choice than as a typed sample.
    private static string? Sample(Type type, string groupPattern)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (groupPattern.All(ch => char.IsLetterOrDigit(ch) || ch is '|' or ' ' or '_' or '-'))
        {
            return null;
        }
        if (t.IsEnum)
        {
            return Enum.GetNames(t)[0].ToLowerInvariant();
        }
        return Type.GetTypeCode(t) switch
        {
            TypeCode.Int32 or TypeCode.Int64 => "3",
            TypeCode.Double or TypeCode.Single or TypeCode.Decimal => "2.5",
            TypeCode.Boolean => "true",
            TypeCode.String => "some text",
            _ when t == typeof(TimeSpan) => "5 min",
            _ => null,
        };
    }

    private static string ClassSample(string body)
    {
        if (body.StartsWith('^'))
        {
            return body.Contains('a', StringComparison.Ordinal) ? "b" : "a";
        }
        return body.Length == 0 ? "a" : body[0] == '\\' && body.Length > 1 ? (body[1] == 'd' ? "1" : body[1].ToString()) : body[0].ToString();
    }

    private static int FindClassEnd(string pattern, int start)
    {
        for (var i = start + 1; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == ']' && i > start + 1)
            {
                return i;
            }
        }
        throw new FormatException("unclosed character class");
    }

    private static int FindGroupEnd(string pattern, int start)
    {
        var depth = 0;
        for (var i = start; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\': i++; break;
                case '[': i = FindClassEnd(pattern, i); break;
                case '(': depth++; break;
                case ')':
                    if (--depth == 0)
                    {
                        return i;
                    }
                    break;
            }
        }
        throw new FormatException("unclosed group");
    }
}

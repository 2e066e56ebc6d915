using System.Text;

namespace CanarySim.Features.Runtime;

/// <summary>
/// A step's regular expression as a QA reader sees it in the catalog: each captured value becomes
/// <c>&lt;parameter&gt;</c>, a choice of words <c>{v1|v2}</c>, an optional part <c>[at &lt;pct&gt;%]</c> (also the
/// always-matching named-group idiom <c>(?: at (?&lt;pct&gt;…)%|(?&lt;pct&gt;))</c>), a character choice its first
/// character (<c>rolled[ _]back</c> reads <c>rolled back</c>) and escapes their character.
/// </summary>
public static class StepPattern
{
    /// <summary>The readable form of <paramref name="pattern"/>; numbered captures take <paramref name="parameterNames"/> in order.</summary>
    public static string Readable(string pattern, IReadOnlyList<string> parameterNames)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(parameterNames);
        var parser = new Parser(pattern.TrimStart('^').TrimEnd('$'), parameterNames);
        var text = parser.Alternatives();
        return parser.AtEnd ? Join(text) : pattern;
    }

    private static string Join(List<string> alternatives) => string.Join("|", alternatives);

    private sealed class Parser(string text, IReadOnlyList<string> names)
    {
        private int _at;
        private int _numbered;

        public bool AtEnd => _at >= text.Length;

        public List<string> Alternatives()
        {
            var result = new List<string> { Sequence() };
            while (_at < text.Length && text[_at] == '|')
            {
                _at++;
                result.Add(Sequence());
            }
            return result;
        }

        private string Sequence()
        {
            var sb = new StringBuilder();
            while (_at < text.Length && text[_at] is not ('|' or ')'))
            {
                var item = Item();
                if (Optional())
                {
                    sb.Append('[').Append(item).Append(']');
                }
                else
                {
                    sb.Append(item);
                }
            }
            return sb.ToString();
        }

        // one atom; a trailing +, * or {n,m} is dropped (the value is one parameter anyway)
        private string Item()
        {
            var c = text[_at];
            string atom;
            switch (c)
            {
                case '\\':
                    var e = _at + 1 < text.Length ? text[_at + 1] : '\\';
                    _at += 2;
                    atom = char.IsLetterOrDigit(e) ? "\\" + e : e.ToString();
                    break;
                case '[':
                    var end = text.IndexOf(']', _at + 2);
                    end = end < 0 ? text.Length - 1 : end;
                    var set = text[(_at + 1)..end];
                    _at = end + 1;
                    atom = set.StartsWith('^') || set.Length == 0 ? "…" : set[0] == '\\' && set.Length > 1 ? set[1].ToString() : set[0].ToString();
                    break;
                case '(':
                    atom = Group();
                    break;
                default:
                    _at++;
                    atom = c.ToString();
                    break;
            }
            SkipRepeat();
            return atom;
        }

        private string Group()
        {
            _at++; // (
            string? name = null;
            var capturing = true;
            if (text.AsSpan(_at).StartsWith("?:"))
            {
                capturing = false;
                _at += 2;
            }
            else if (text.AsSpan(_at).StartsWith("?<") && _at + 2 < text.Length && text[_at + 2] is not ('=' or '!'))
            {
                var close = text.IndexOf('>', _at);
                name = text[(_at + 2)..close];
                _at = close + 1;
            }
            else if (text.AsSpan(_at).StartsWith("?"))
            {
                capturing = false;
                _at++;
            }
            var alternatives = Alternatives();
            if (_at < text.Length && text[_at] == ')')
            {
                _at++;
            }
            if (capturing)
            {
                if (name is null)
                {
                    name = _numbered < names.Count ? names[_numbered] : $"value{_numbered + 1}";
                    _numbered++;
                }
                if (alternatives.Count == 1 && alternatives[0].Length == 0)
                {
                    return ""; // the always-matching empty named group of an optional part
                }
                return alternatives.Count > 1 && alternatives.All(Word) ? "{" + Join(alternatives) + "}" : $"<{name}>";
            }
            var filled = alternatives.Where(a => a.Length > 0).ToList();
            if (filled.Count < alternatives.Count)
            {
                return "[" + Join(filled) + "]";
            }
            return alternatives.Count == 1 ? alternatives[0] : "{" + Join(alternatives) + "}";
        }

        private bool Optional()
        {
            if (_at < text.Length && text[_at] == '?')
            {
                _at++;
                return true;
            }
            return false;
        }

        private void SkipRepeat()
        {
            while (_at < text.Length)
            {
                if (text[_at] is '+' or '*')
                {
                    _at++;
                    if (_at < text.Length && text[_at] == '?')
                    {
                        _at++; // lazy
                    }
                }
                else if (text[_at] == '{' && text.IndexOf('}', _at) is var close and > 0 && text[(_at + 1)..close].All(ch => char.IsDigit(ch) || ch == ','))
                {
                    _at = close + 1;
                }
                else
                {
                    return;
                }
            }
        }

        private static bool Word(string s) => s.Length > 0 && s.All(ch => char.IsLetterOrDigit(ch) || ch is ' ' or '_' or '-' or '.' or '%');
    }
}

using System.Reflection;

namespace CanarySim.Gherkin;

/// <summary>
/// A step's data table: the first row is the header, the rest are <see cref="Rows"/> with typed
/// cell access (<c>row.Get&lt;double&gt;("quality")</c>) using the same conversions as step parameters.
/// </summary>
public sealed class DataTable
{
    /// <summary>Creates a table from a header and rows of cells.</summary>
    /// <param name="header">Column names.</param>
    /// <param name="rows">Rows of cells, each as long as the header.</param>
    /// <param name="rowLines">1-based feature-file line of each row (for error messages); optional.</param>
    /// <param name="filePath">Feature file the table comes from (for error messages); optional.</param>
    public DataTable(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<int>? rowLines = null, string? filePath = null)
    {
        Header = header;
        var list = new List<DataTableRow>();
        var i = 0;
        foreach (var cells in rows)
        {
            if (cells.Count != header.Count)
            {
                throw new ArgumentException($"table row {i + 1} has {cells.Count} cells but the header has {header.Count}", nameof(rows));
            }
            list.Add(new DataTableRow(this, cells, rowLines is not null && i < rowLines.Count ? rowLines[i] : 0));
            i++;
        }
        Rows = list;
        FilePath = filePath;
    }

    /// <summary>Column names (the first row).</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Data rows (every row after the header).</summary>
    public IReadOnlyList<DataTableRow> Rows { get; }

    /// <summary>Feature file the table was read from, when known.</summary>
    public string? FilePath { get; }

    /// <summary>Index of <paramref name="column"/> in the header (case-insensitive, spaces and <c>_</c> ignored), or -1.</summary>
    public int IndexOf(string column)
    {
        var wanted = StepValues.Normalize(column);
        for (var i = 0; i < Header.Count; i++)
        {
            if (StepValues.Normalize(Header[i]) == wanted)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// Maps each row onto a new <typeparamref name="T"/> (as Reqnroll's <c>CreateSet</c>): columns
    /// match constructor parameters or settable properties by name, ignoring case, spaces and <c>_</c>.
    /// Columns with no matching member are an error; members with no column keep their defaults.
    /// </summary>
    public IReadOnlyList<T> CreateSet<T>() => Rows.Select(r => r.CreateInstance<T>()).ToList();

    /// <summary>Values of one column converted to <typeparamref name="T"/>.</summary>
    public IReadOnlyList<T> Column<T>(string column) => Rows.Select(r => r.Get<T>(column)).ToList();

    internal static T Create<T>(DataTableRow row)
    {
        var type = typeof(T);
        var table = row.Table;
        var used = new HashSet<int>();
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        object instance;
        if (ctor is not null && ctor.GetParameters().Length > 0)
        {
            var args = ctor.GetParameters().Select(p =>
            {
                var index = table.IndexOf(p.Name!);
                if (index < 0)
                {
                    return p.HasDefaultValue ? p.DefaultValue
                        : throw new FormatException($"{row.Where}: table has no column '{p.Name}' needed to create {type.Name} (columns: {string.Join(", ", table.Header)})");
                }
                used.Add(index);
                return row.Get(index, p.ParameterType);
            }).ToArray();
            instance = ctor.Invoke(args);
        }
        else
        {
            instance = Activator.CreateInstance(type)
                ?? throw new InvalidOperationException($"cannot create {type.Name}");
        }
        for (var i = 0; i < table.Header.Count; i++)
        {
            if (used.Contains(i))
            {
                continue;
            }
            var name = StepValues.Normalize(table.Header[i]);
            var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => p.CanWrite && StepValues.Normalize(p.Name) == name)
                ?? throw new FormatException($"{row.Where}: column '{table.Header[i]}' matches no constructor parameter or settable property of {type.Name}");
            property.SetValue(instance, row.Get(i, property.PropertyType));
        }
        return (T)instance;
    }
}

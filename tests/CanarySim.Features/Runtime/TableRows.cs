namespace CanarySim.Features.Runtime;

/// <summary>
/// Typed cells of a step's data table: columns are found ignoring case, spaces, <c>-</c> and <c>_</c>;
/// cells convert like step text (numbers, <c>10%</c>, <c>5 min</c>, enums, yes/no). A bad or missing
/// cell fails naming the column and showing the row.
/// </summary>
public static class TableRows
{
    /// <summary>The cell in <paramref name="column"/> converted to <typeparamref name="T"/>.</summary>
    public static T Get<T>(this DataTableRow row, string column)
    {
        ArgumentNullException.ThrowIfNull(row);
        var key = Column(row, column) ?? throw new KeyNotFoundException($"the table has no column '{column}' (columns: {string.Join(", ", row.Keys)}); in the row {Show(row)}");
        try
        {
            return (T)StepText.Convert(row[key], typeof(T))!;
        }
        catch (FormatException ex)
        {
            throw new FormatException($"column '{key}': {ex.Message}; in the row {Show(row)}", ex);
        }
    }

    /// <summary>Whether the row has <paramref name="column"/> with a non-empty cell.</summary>
    public static bool Has(this DataTableRow row, string column)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Column(row, column) is { } key && row[key].Length > 0;
    }

    /// <summary>The row as it reads in the feature: <c>| v2 | 82.6 | 1833 |</c>.</summary>
    public static string Show(this DataTableRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return "| " + string.Join(" | ", row.Values) + " |";
    }

    /// <summary>The data rows of <paramref name="table"/> numbered from 1, for messages that name the row.</summary>
    public static IEnumerable<(int Number, DataTableRow Row)> Numbered(this Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Rows.Select((row, i) => (i + 1, row));
    }

    /// <summary>Where <paramref name="row"/> of <paramref name="table"/> is written: <c>features/x.feature:42</c>, or <c>table row 3</c> when unknown.</summary>
    public static string Where(this Table table, DataTableRow row)
    {
        ArgumentNullException.ThrowIfNull(table);
        var index = table.Rows.Select((r, i) => (r, i)).FirstOrDefault(x => ReferenceEquals(x.r, row)).i;
        return Sources.TryGetValue(table, out var source) && index + 1 < source.Lines.Count
            ? $"{source.File}:{source.Lines[index + 1]}"
            : $"table row {index + 1}";
    }

    /// <summary>Remembers the file and line of each row of <paramref name="table"/> (header first), for <see cref="Where"/>.</summary>
    public static void Remember(Table table, string file, IReadOnlyList<int> lines) => Sources.AddOrUpdate(table, new Source(file, lines));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Table, Source> Sources = new();

    private sealed record Source(string File, IReadOnlyList<int> Lines);

    private static string? Column(DataTableRow row, string column)
    {
        var wanted = StepText.Normalize(column);
        return row.Keys.FirstOrDefault(k => StepText.Normalize(k) == wanted);
    }
}

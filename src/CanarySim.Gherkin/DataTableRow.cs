namespace CanarySim.Gherkin;

/// <summary>One data row of a <see cref="DataTable"/>.</summary>
public sealed class DataTableRow
{
    private readonly IReadOnlyList<string> cells;

    internal DataTableRow(DataTable table, IReadOnlyList<string> cells, int line)
    {
        Table = table;
        this.cells = cells;
        Line = line;
    }

    /// <summary>The table this row belongs to.</summary>
    public DataTable Table { get; }

    /// <summary>1-based line of the row in its feature file (0 when unknown).</summary>
    public int Line { get; }

    /// <summary>The row's cells in header order.</summary>
    public IReadOnlyList<string> Cells => cells;

    /// <summary>Raw text of the cell in <paramref name="column"/>.</summary>
    public string this[string column] => cells[ColumnIndex(column)];

    /// <summary>The cell in <paramref name="column"/> converted like a step parameter (numbers, <c>10%</c>, <c>5 min</c>, enums, bools…).</summary>
    public T Get<T>(string column) => (T)Get(ColumnIndex(column), typeof(T))!;

    /// <summary>Whether the row has <paramref name="column"/> with a non-empty cell.</summary>
    public bool Has(string column) => Table.IndexOf(column) is var i && i >= 0 && cells[i].Length > 0;

    /// <summary>Creates a <typeparamref name="T"/> from this row (see <see cref="DataTable.CreateSet{T}"/>).</summary>
    public T CreateInstance<T>() => DataTable.Create<T>(this);

    internal string Where => Table.FilePath is null ? $"table row at line {Line}" : $"{Table.FilePath}:{Line}";

    internal object? Get(int index, Type type)
    {
        try
        {
            return StepValues.Convert(cells[index], type);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{Where}: column '{Table.Header[index]}': {ex.Message}", ex);
        }
    }

    private int ColumnIndex(string column)
    {
        var index = Table.IndexOf(column);
        return index >= 0 ? index
            : throw new KeyNotFoundException($"{Where}: table has no column '{column}' (columns: {string.Join(", ", Table.Header)})");
    }
}

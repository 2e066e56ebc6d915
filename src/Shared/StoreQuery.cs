using System.Data.Common;

namespace CanarySim.Storage;

/// <summary>
/// One statement and its parameters, written once for every store (compiled into each store's assembly). The SQL
/// names each parameter with the store's prefix (<c>@</c> on PostgreSQL, <c>$</c> on SQLite) and so do
/// <see cref="Parameters"/>; the store only opens the command. A null value is bound as SQL NULL.
/// </summary>
internal sealed record StoreQuery(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters, bool NewestFirst = false)
{
    /// <summary>Adds <see cref="Parameters"/> to <paramref name="command"/> (which runs <see cref="Sql"/>, perhaps with more statements after it).</summary>
    public void Bind(DbCommand command)
    {
        foreach (var (name, value) in Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }

    /// <summary>Binds the parameters and reads every selected row with <paramref name="row"/>, oldest first (see <see cref="NewestFirst"/>).</summary>
    public List<T> Read<T>(DbCommand command, Func<DbDataReader, T> row)
    {
        Bind(command);
        return StoreRows.ReadRows(command, row, NewestFirst);
    }
}

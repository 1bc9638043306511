using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Passport.ServiceDefaults;

/// <summary>
/// Inserts many new rows of a mapped entity with PostgreSQL's binary <c>COPY</c>, inside the context's current transaction:
/// for bulk writes where EF Core's change tracking and one INSERT per row cost more than the work itself.
/// Columns, names and value conversions come from the EF model, so the rows are what <c>SaveChanges</c> would have written;
/// columns the database fills (identity, defaults) are left to it. The entities are not tracked afterwards.
/// </summary>
public static class PostgresCopy
{
    private static readonly ConcurrentDictionary<IEntityType, CopyPlan> Plans = new();

    public static async Task CopyAsync<T>(this DbContext db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken) where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            return;
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("COPY writes rows only inside a transaction that also holds the change they belong to.");
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var plan = Plans.GetOrAdd(entityType, CopyPlan.For);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var importer = await connection.BeginBinaryImportAsync(plan.Command, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            foreach (var column in plan.Columns)
            {
                var value = column.Read(row);
                if (value is null)
                    await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                else
                    await importer.WriteAsync(value, column.DataType, cancellationToken).ConfigureAwait(false);
            }
        }
        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record CopyColumn(string Name, string DataType, Func<object, object?> Read);

    private sealed record CopyPlan(string Command, IReadOnlyList<CopyColumn> Columns)
    {
        public static CopyPlan For(IEntityType entityType)
        {
            var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            var columns = new List<CopyColumn>();
            foreach (var property in entityType.GetProperties())
            {
                if (FilledByDatabase(property))
                    continue;
                var mapping = property.GetRelationalTypeMapping();
                var getter = property.GetGetter();
                var converter = mapping.Converter;
                Func<object, object?> read = converter is null
                    ? getter.GetClrValueUsingContainingEntity
                    : entity => getter.GetClrValueUsingContainingEntity(entity) is { } value ? converter.ConvertToProvider(value) : null;
                columns.Add(new CopyColumn(property.GetColumnName(table)!, DataTypeName(mapping.StoreType), read));
            }
            var schema = entityType.GetSchema() is { } s ? $"\"{s}\"." : "";
            var command = $"COPY {schema}\"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
            return new CopyPlan(command, columns);
        }

        private static bool FilledByDatabase(IProperty property) =>
            NpgsqlPropertyExtensions.GetValueGenerationStrategy(property) is NpgsqlValueGenerationStrategy.IdentityByDefaultColumn
                or NpgsqlValueGenerationStrategy.IdentityAlwaysColumn or NpgsqlValueGenerationStrategy.SerialColumn
            || property.GetDefaultValueSql() is not null
            || property.GetComputedColumnSql() is not null;

        // "character varying(200)" → "character varying": binary COPY checks the type, not its length modifier.
        private static string DataTypeName(string storeType) => storeType.IndexOf('(', StringComparison.Ordinal) is var at and > 0 ? storeType[..at] : storeType;
    }
}

using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using Passport.Messaging;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Decisions;

/// <summary>
/// Stores a decision and its event, and nothing else, before the answer: the one place where the providers differ on this path.
/// On PostgreSQL both inserts go as one prepared batch, without EF Core's change tracking or update pipeline: the statements up
/// to the batch's one Sync run as one implicit transaction, so both rows commit together or neither does, and the call returns
/// only after that commit. On SQLite, or inside a transaction someone began, they are added to the context and saved as any change.
/// </summary>
internal sealed class DecisionWriter(OutboxSignal outbox)
{
    private static readonly ConditionalWeakTable<IModel, Inserts> ForModel = [];

    /// <summary>Null once stored; <paramref name="conflict"/> when a decision on the same nonce (or request) already was.</summary>
    public async Task<ProblemHttpResult?> StoreAsync(VerifierDbContext db, Decided decided, Func<ProblemHttpResult> conflict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(decided);
        ArgumentNullException.ThrowIfNull(conflict);
        if (!db.Database.IsNpgsql() || db.Database.CurrentTransaction is not null || db.ChangeTracker.HasChanges())
        {
            DecisionRecorder.Add(db, decided);
            return await DecisionMaker.SaveAsync(db, conflict, cancellationToken);
        }
        var inserts = ForModel.GetValue(db.Model, model => Inserts.For(model, db.GetService<ISqlGenerationHelper>()));
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            batch.BatchCommands.Add(inserts.Decision.Command(decided.Decision));
            batch.BatchCommands.Add(inserts.Event.Command(decided.Event));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (UniqueViolation.Is(e))
        {
            return conflict();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        outbox.Notify();
        return null;
    }

    private sealed record Inserts(RowInsert Decision, RowInsert Event)
    {
        public static Inserts For(IModel model, ISqlGenerationHelper sql) =>
            new(RowInsert.For(model.FindEntityType(typeof(Decision))!, sql), RowInsert.For(model.FindEntityType(typeof(OutboxMessage))!, sql));
    }
}

/// <summary>
/// An INSERT of one entity's row, its text and parameters built from EF Core's model: the table, the columns and each column's
/// type mapping (value converters included), as EF Core itself would write them. Columns the database generates are left out.
/// </summary>
internal sealed class RowInsert
{
    // Only a factory: a type mapping makes its parameter through a command, and adds it to nothing.
    private static readonly NpgsqlCommand ParameterFactory = new();

    private readonly string _text;
    private readonly (IProperty Property, RelationalTypeMapping Mapping)[] _columns;

    private RowInsert(string text, (IProperty, RelationalTypeMapping)[] columns) => (_text, _columns) = (text, columns);

    public static RowInsert For(IEntityType type, ISqlGenerationHelper sql)
    {
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var columns = type.GetProperties()
            .Where(p => NpgsqlPropertyExtensions.GetValueGenerationStrategy(p) == NpgsqlValueGenerationStrategy.None)
            .Select(p => p.IsShadowProperty()
                ? throw new InvalidOperationException($"{type.DisplayName()}.{p.Name} is a shadow property; a row insert reads values from the entity.")
                : (Property: p, Mapping: (RelationalTypeMapping)p.GetTypeMapping()))
            .ToArray();
        var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Property.GetColumnName(table)!)));
        var values = string.Join(", ", columns.Select((_, i) => "$" + (i + 1)));
        return new RowInsert($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ({values})", columns);
    }

    public NpgsqlBatchCommand Command(object entity)
    {
        var command = new NpgsqlBatchCommand(_text);
        foreach (var (property, mapping) in _columns)
            command.Parameters.Add((NpgsqlParameter)mapping.CreateParameter(ParameterFactory, "", property.GetGetter().GetClrValueUsingContainingEntity(entity), property.IsNullable));
        return command;
    }
}

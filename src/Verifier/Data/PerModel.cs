using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Passport.Verifier.Data;

/// <summary>
/// A compiled EF query, compiled once per model: EF Core refuses to run a compiled query against a model other than the
/// one it was compiled for, and one process can hold several (SQLite and PostgreSQL, or a host per test class).
/// </summary>
internal sealed class PerModel<T>(Func<T> compile) where T : class
{
    private readonly ConditionalWeakTable<IModel, T> _compiled = new();

    public T For(DbContext db) => _compiled.GetValue(db.Model, _ => compile());
}

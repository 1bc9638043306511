using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Passport.Verifier.Decisions;

namespace Passport.Verifier.Tests.Decisions;

/// <summary>The SQL commands EF Core sends to one database while it is alive, from EF Core's diagnostic events.</summary>
internal sealed class DatabaseCommands : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string _database;
    private readonly ConcurrentQueue<string> _texts = new();
    private readonly ConcurrentBag<IDisposable> _subscriptions = [];
    private readonly IDisposable _listeners;
    private int _decisionTransactions;

    public DatabaseCommands(string database)
    {
        _database = database;
        _listeners = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public IReadOnlyList<string> Texts => [.. _texts];

    /// <summary>Explicit transactions begun by a context with a decision to save.</summary>
    public int DecisionTransactions => Volatile.Read(ref _decisionTransactions);

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
            _subscriptions.Add(value.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data && data.Command.Connection?.Database == _database)
            _texts.Enqueue(data.Command.CommandText);
        if (value.Key == RelationalEventId.TransactionStarted.Name && value.Value is TransactionEventData started
            && started.Transaction.Connection?.Database == _database && started.Context?.ChangeTracker.Entries<Decision>().Any() == true)
            Interlocked.Increment(ref _decisionTransactions);
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _listeners.Dispose();
        foreach (var subscription in _subscriptions)
            subscription.Dispose();
    }
}

using System.Globalization;

namespace Passport.Testing;

/// <summary>
/// Organisation codes for test data, never the same twice in one test process. Drawn at random, two tests of a class that
/// share its database drew the same code and the second insert of that organisation failed (a duplicate key, in CI).
/// </summary>
public static class TestOds
{
    private static int _next = Random.Shared.Next(900_000);

    /// <summary><paramref name="prefix"/> followed by six digits.</summary>
    public static string New(string prefix) =>
        prefix + (100_000 + ((Interlocked.Increment(ref _next) & int.MaxValue) % 900_000)).ToString(CultureInfo.InvariantCulture);
}

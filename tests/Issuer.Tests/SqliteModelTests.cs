using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Passport.Issuer.Data;

namespace Passport.Issuer.Tests;

public sealed class SqliteModelTests
{
    [Fact]
    public void Every_moment_in_the_sqlite_model_is_stored_as_utc_ticks_so_sqlite_can_compare_and_order_it()
    {
        using var db = new SqliteIssuerDbContext(new DbContextOptionsBuilder<SqliteIssuerDbContext>().UseSqlite("Data Source=:memory:").Options);
        var moments = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties())
            .Where(p => p.ClrType == typeof(DateTimeOffset) || p.ClrType == typeof(DateTimeOffset?)).ToList();
        Assert.NotEmpty(moments);
        Assert.All(moments, p => Assert.IsType<DateTimeOffsetToBinaryConverter>(p.GetValueConverter()));
        Assert.Null(db.Model.GetDefaultSchema());
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Passport.ServiceDefaults;

/// <summary>What every service's SQLite model (the embedded default's database) does differently from its PostgreSQL one.</summary>
public static class SqliteModel
{
    /// <summary>SQLite has no schemas; EF ignores them there, but keep the model explicit.</summary>
    public static ModelBuilder WithoutSchema(this ModelBuilder modelBuilder) => modelBuilder.HasDefaultSchema(null);

    /// <summary>SQLite cannot compare or order DateTimeOffset values stored as text; as UTC ticks it can.</summary>
    public static void StoreMomentsAsTicks(this ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.Testing;

namespace Passport.Issuer.Tests;

/// <summary>The Issuer service in-process, on a PostgreSQL database and a RabbitMQ virtual host of its own.</summary>
public sealed class IssuerApp() : ServiceApp<IssuerOptions, IssuerDbContext>("Issuer", IssuerDbContext.Schema)
{
    public const string PublicBaseUrl = "https://issuer.test.passport.nhs.uk/";

    protected override string BaseUrl => PublicBaseUrl;

    protected override IssuerDbContext NewContext(DbContextOptions<IssuerDbContext> options) => new(options);
}

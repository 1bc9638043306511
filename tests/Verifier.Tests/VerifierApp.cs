using Microsoft.EntityFrameworkCore;
using Passport.Testing;
using Passport.Verifier.Data;

namespace Passport.Verifier.Tests;

/// <summary>The Verifier service in-process, on a PostgreSQL database and a RabbitMQ virtual host of its own.</summary>
public sealed class VerifierApp() : ServiceApp<VerifierOptions, VerifierDbContext>("Verifier", VerifierDbContext.Schema)
{
    public const string PublicBaseUrl = "https://verifier.test.passport.nhs.uk/";

    protected override string BaseUrl => PublicBaseUrl;

    protected override VerifierDbContext NewContext(DbContextOptions<VerifierDbContext> options) => new(options);
}

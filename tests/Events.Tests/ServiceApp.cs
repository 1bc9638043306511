using Microsoft.EntityFrameworkCore;
using Passport.Issuer;
using Passport.Issuer.Data;
using Passport.Testing;
using Passport.Verifier;
using Passport.Verifier.Data;

namespace Passport.Events.Tests;

/// <summary>The Issuer on a virtual host shared with a Verifier; started, with its bus ready, once initialised.</summary>
public sealed class IssuerService : ServiceApp<IssuerOptions, IssuerDbContext>
{
    public const string PublicBaseUrl = "https://issuer.events.test/";

    public IssuerService(RabbitMqBroker broker, TestTokens tokens) : base("Issuer", IssuerDbContext.Schema, broker, tokens) =>
        Settings["Bus:RetryLimit"] = "1";

    protected override string BaseUrl => PublicBaseUrl;

    protected override bool StartOnInitialize => true;

    protected override IssuerDbContext NewContext(DbContextOptions<IssuerDbContext> options) => new(options);
}

/// <summary>The Verifier on a virtual host shared with an Issuer; started, with its bus ready, once initialised.</summary>
public sealed class VerifierService : ServiceApp<VerifierOptions, VerifierDbContext>
{
    public VerifierService(RabbitMqBroker broker, TestTokens tokens) : base("Verifier", VerifierDbContext.Schema, broker, tokens) =>
        Settings["Bus:RetryLimit"] = "1";

    protected override string BaseUrl => "https://verifier.events.test/";

    protected override bool StartOnInitialize => true;

    protected override VerifierDbContext NewContext(DbContextOptions<VerifierDbContext> options) => new(options);
}

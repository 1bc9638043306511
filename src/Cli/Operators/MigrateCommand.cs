using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Passport.Issuer;
using Passport.Verifier;
using Spectre.Console;

namespace Passport.Cli.Operators;

/// <summary>
/// <c>passport migrate</c>: applies the Issuer's and the Verifier's database migrations, with the same settings the services
/// read (<c>Issuer:Database:*</c>, <c>Verifier:Database:*</c>, for example from <c>Issuer__Database__ConnectionString</c>),
/// or the connection strings given here. The services' own modules do the work, so this applies exactly what they expect.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var service = new Option<string>("--service") { Description = "issuer, verifier or all", DefaultValueFactory = _ => "all" };
        service.AcceptOnlyFromAmong("issuer", "verifier", "all");
        var provider = new Option<string?>("--provider") { Description = "Postgres or Sqlite (default: the configured provider)" };
        var issuer = new Option<string?>("--issuer-connection") { Description = "The Issuer's connection string (default: Issuer:Database:ConnectionString)" };
        var verifier = new Option<string?>("--verifier-connection") { Description = "The Verifier's connection string (default: Verifier:Database:ConnectionString)" };
        var command = new Command("migrate", "Apply database migrations") { service, provider, issuer, verifier };
        command.SetRun(console, async (parse, ct) =>
        {
            var which = parse.GetValue(service)!;
            var settings = new Dictionary<string, string?>();
            if (parse.GetValue(provider) is { } p)
                (settings["Issuer:Database:Provider"], settings["Verifier:Database:Provider"]) = (p, p);
            if (parse.GetValue(issuer) is { } i)
                settings["Issuer:Database:ConnectionString"] = i;
            if (parse.GetValue(verifier) is { } v)
                settings["Verifier:Database:ConnectionString"] = v;

            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = false });
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton(TimeProvider.System);
            if (which is "issuer" or "all")
                builder.AddIssuer();
            if (which is "verifier" or "all")
                builder.AddVerifier();
            using var host = builder.Build();
            if (which is "issuer" or "all")
            {
                await host.Services.MigrateIssuerAsync(ct);
                console.MarkupLine("[green]✓[/] Issuer database migrated.");
            }
            if (which is "verifier" or "all")
            {
                await host.Services.MigrateVerifierAsync(ct);
                console.MarkupLine("[green]✓[/] Verifier database migrated.");
            }
            return 0;
        });
        return command;
    }
}

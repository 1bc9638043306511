using System.Text.RegularExpressions;

namespace Passport.Deploy.Tests;

public sealed partial class ComposeTests
{
    private static readonly string ComposeText = Repository.Read("deploy/compose.yaml");
    private static readonly object? Compose = Repository.LoadYaml(Repository.PathOf("deploy/compose.yaml")).Single();

    private static Dictionary<object, object?> Services => Compose.Map("services");

    private static HashSet<string> ExampleVariables() =>
        [.. Repository.Read("deploy/.env.example").Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)[0])];

    [Fact]
    public void The_env_example_names_every_variable_compose_reads_and_no_other()
    {
        var used = Interpolation().Matches(ComposeText.Replace("$$", "", StringComparison.Ordinal)).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var example = ExampleVariables();

        Assert.Empty(used.Except(example));
        Assert.Empty(example.Except(used));
    }

    [Fact]
    public void The_env_example_holds_placeholders_not_secrets()
    {
        var lines = Repository.Read("deploy/.env.example").Split('\n').Where(l => !l.StartsWith('#')).ToList();

        foreach (var secret in new[] { "POSTGRES_PASSWORD", "RABBITMQ_PASSWORD", "ISSUER_KEYS_KEY_ENCRYPTION_KEY" })
            Assert.Equal($"{secret}=CHANGE_ME", lines.Single(l => l.StartsWith(secret + "=", StringComparison.Ordinal)).Trim());
        Assert.Contains(".env", Repository.Read("deploy/.gitignore").Split('\n'));
    }

    [Fact]
    public void PostgreSQL_and_RabbitMQ_have_health_checks()
    {
        Assert.Equal("postgres:15", Services.Text("postgres", "image"));
        Assert.Equal("rabbitmq:3.10-management", Services.Text("rabbitmq", "image"));
        Assert.Contains("pg_isready", string.Join(' ', Services.List("postgres", "healthcheck", "test")), StringComparison.Ordinal);
        Assert.Equal(["CMD", "rabbitmq-diagnostics", "-q", "ping"], Services.List("rabbitmq", "healthcheck", "test").Cast<string>());
    }

    [Theory]
    [InlineData("issuer")]
    [InlineData("verifier")]
    public void A_service_starts_after_its_migration_completed_and_its_database_and_broker_are_healthy(string name)
    {
        var service = Services[name];
        var migrate = Services[$"{name}-migrate"];

        Assert.Equal(["migrate"], migrate.List("command").Cast<string>());
        Assert.Equal(migrate.Text("image"), service.Text("image"));
        Assert.Equal($"deploy/{name}.Dockerfile", migrate.Text("build", "dockerfile"));
        Assert.Equal("..", migrate.Text("build", "context"));
        Assert.Equal(migrate.Map("build"), service.Map("build"));
        Assert.Equal("no", migrate.Text("restart"));
        Assert.Equal("service_healthy", migrate.Text("depends_on", "postgres", "condition"));
        Assert.Equal(migrate.Map("environment"), service.Map("environment"));

        Assert.Equal("service_completed_successfully", service.Text("depends_on", $"{name}-migrate", "condition"));
        Assert.Equal("service_healthy", service.Text("depends_on", "postgres", "condition"));
        Assert.Equal("service_healthy", service.Text("depends_on", "rabbitmq", "condition"));
        Assert.Null(service.At("command"));
        Assert.Contains(service.List("ports").Cast<string>(), p => p.EndsWith(":8080", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("issuer", "Issuer")]
    [InlineData("verifier", "Verifier")]
    public void A_service_runs_on_PostgreSQL_and_RabbitMQ_with_quorum_queues(string name, string section)
    {
        var environment = Services.Map(name, "environment");

        Assert.Equal("Postgres", environment[$"{section}__Database__Provider"]);
        Assert.StartsWith("Host=postgres;", (string)environment[$"{section}__Database__ConnectionString"]!, StringComparison.Ordinal);
        Assert.Equal("RabbitMq", environment["Bus__Transport"]);
        Assert.StartsWith("amqp://", (string)environment["Bus__RabbitMq"]!, StringComparison.Ordinal);
        Assert.EndsWith("@rabbitmq:5672/", (string)environment["Bus__RabbitMq"]!, StringComparison.Ordinal);
        Assert.Equal("true", environment["Bus__QuorumQueues"]);
    }

    [Fact]
    public void The_Verifier_refuses_http_and_private_addresses_and_signs_requests_with_a_mounted_certificate()
    {
        var environment = Services.Map("verifier", "environment");
        var secrets = Services.List("verifier", "secrets").Cast<string>().ToList();

        Assert.Equal("false", environment["Verifier__Trust__AllowHttp"]);
        Assert.Equal("false", environment["Verifier__Trust__AllowPrivateNetworks"]);
        Assert.Equal($"/run/secrets/{secrets[0]}", environment["Verifier__RequestSigning__CertificatePath"]);
        Assert.Equal($"/run/secrets/{secrets[1]}", environment["Verifier__RequestSigning__KeyPath"]);
        Assert.All(secrets, s => Assert.NotNull(Compose.At("secrets", s, "file")));
    }

    [Fact]
    public void The_web_front_end_calls_both_APIs_over_the_compose_network_and_keeps_its_cookie_keys_on_a_volume()
    {
        var web = Services["web"];
        var environment = web.Map("environment");

        Assert.Equal("deploy/web.Dockerfile", web.Text("build", "dockerfile"));
        Assert.DoesNotContain("web-migrate", Services.Keys);
        Assert.Equal("http://issuer:8080/", environment["Web__IssuerApiBaseUrl"]);
        Assert.Equal("http://verifier:8080/", environment["Web__VerifierApiBaseUrl"]);
        Assert.Equal("service_healthy", web.Text("depends_on", "issuer", "condition"));
        Assert.Equal("service_healthy", web.Text("depends_on", "verifier", "condition"));
        Assert.Equal("true", environment["Web__TrustForwardedHeaders"]);
        Assert.Contains(web.List("volumes").Cast<string>(), v => v.EndsWith(":" + (string)environment["Web__DataProtectionKeysPath"]!, StringComparison.Ordinal));
        Assert.Contains("/var/lib/passport-web/keys", Repository.Read("deploy/web.Dockerfile"), StringComparison.Ordinal);
        Assert.Contains(web.List("ports").Cast<string>(), p => p.EndsWith(":8080", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Interpolation();
}

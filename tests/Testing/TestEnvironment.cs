namespace Passport.Testing;

/// <summary>Where the real test servers are, as exported by <c>tests/infra/infra.sh env</c>.</summary>
public static class TestEnvironment
{
    public static string Postgres => Require("PASSPORT_TEST_POSTGRES");

    public static Uri RabbitMq => new(Require("PASSPORT_TEST_RABBITMQ"));

    public static Uri RabbitMqManagement => new(Require("PASSPORT_TEST_RABBITMQ_API"));

    // A missing server is a broken setup, not a reason to skip: a skipped integration test proves nothing.
    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Run the tests with `bash tests/run.sh`, which starts PostgreSQL and RabbitMQ; " +
                "or run `bash tests/infra/infra.sh start` and `eval \"$(bash tests/infra/infra.sh env)\"` before `dotnet test`.");
}

using Microsoft.Data.Sqlite;

namespace Passport.Cli.Tests;

public sealed class OperatorTests(EmbeddedHost host) : IClassFixture<EmbeddedHost>
{
    [Fact]
    public async Task Keys_rotate_switches_the_organisation_to_a_new_signing_key()
    {
        var token = (await Cli.RunAsync("token", "--url", host.Url, "--org", "RXH", "--role", "org_admin")).Output.Trim();

        var (exit, output) = await Cli.RunAsync("keys", "rotate", "--url", host.Url, "--token", token);

        Assert.True(exit == 0, output);
        Assert.Contains("Now signing with key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_follows_the_job_and_reports_each_failed_row_with_exit_code_2()
    {
        var token = (await Cli.RunAsync("token", "--url", host.Url, "--org", "RHQ", "--role", "hr_issuer")).Output.Trim();
        var file = Path.Combine(host.DataFolder, "import.csv");
        await File.WriteAllTextAsync(file, """
            record_type,source_ref,assignment_number,given_name,family_name,date_of_birth,staff_group,job_title,subject,level,completed_on,provider
            staff,ESR-CLI-1,CLI-0001,Nia,Jones,1991-05-06,Nursing and Midwifery Registered,Staff Nurse,,,,
            training,LMS-CLI-1,CLI-0001,,,,,,fire_safety,1,2026-01-10,Trust Learning
            training,LMS-CLI-2,CLI-0001,,,,,,juggling,1,2026-01-10,Trust Learning
            """.Replace("            ", "", StringComparison.Ordinal));

        var (exit, output) = await Cli.RunAsync("import", file, "--url", host.Url, "--token", token);

        Assert.True(exit == 2, output);
        Assert.Contains("1 row(s) were not imported", output, StringComparison.Ordinal);
        Assert.Contains("subject", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_creates_both_databases_from_the_given_connection_strings()
    {
        var folder = Directory.CreateTempSubdirectory("passport-migrate-");
        try
        {
            var (exit, output) = await Cli.RunAsync("migrate", "--provider", "Sqlite",
                "--issuer-connection", $"Data Source={Path.Combine(folder.FullName, "issuer.db")}",
                "--verifier-connection", $"Data Source={Path.Combine(folder.FullName, "verifier.db")}");

            Assert.True(exit == 0, output);
            Assert.Contains("Issuer database migrated", output, StringComparison.Ordinal);
            Assert.Contains("Verifier database migrated", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder.FullName, "issuer.db")));
            Assert.True(File.Exists(Path.Combine(folder.FullName, "verifier.db")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}

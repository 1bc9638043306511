using System.Security.Cryptography;

namespace Passport.Cli.Tests;

public sealed class DataFolderTests(EmbeddedHost host) : IClassFixture<EmbeddedHost>
{
    [Fact]
    public void The_host_keeps_its_generated_key_encryption_key_in_its_data_folder_beside_the_databases()
    {
        var written = Directory.GetFiles(host.DataFolder).Select(Path.GetFileName).ToList();

        Assert.Contains("issuer-kek.key", written);
        Assert.Contains("issuer.db", written);
        Assert.Contains("verifier.db", written);
    }

    [Fact]
    public async Task A_data_folder_whose_key_encryption_key_does_not_decrypt_its_keys_stops_start_up_with_a_clear_message()
    {
        var file = Path.Combine(host.DataFolder, "issuer-kek.key");
        var original = await File.ReadAllTextAsync(file);
        await File.WriteAllTextAsync(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        try
        {
            await using var second = new EmbeddedHost(host.DataFolder);

            var failure = Assert.ThrowsAny<Exception>(second.StartServer);

            var messages = string.Join(" | ", Chain(failure).Select(e => e.Message));
            Assert.Contains("does not decrypt", messages, StringComparison.Ordinal);
            Assert.Contains(file, messages, StringComparison.Ordinal);
        }
        finally
        {
            await File.WriteAllTextAsync(file, original);
        }
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            yield return current;
    }
}

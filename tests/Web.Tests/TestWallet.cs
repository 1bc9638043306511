using Passport.Cli;
using Spectre.Console;

namespace Passport.Web.Tests;

/// <summary>
/// The command-line wallet (<c>passport wallet</c>, run in-process) as the member of staff's phone, in a folder of its
/// own: it receives from the offer link (the QR code's text) with the transaction code, and answers an openid4vp://
/// request link, consenting without asking. A step that fails throws with everything the wallet printed.
/// </summary>
public sealed class TestWallet : IDisposable
{
    private readonly DirectoryInfo _folder = System.IO.Directory.CreateTempSubdirectory("passport-web-wallet-");

    public string Folder => _folder.FullName;

    /// <summary>Receives every credential of the offer (OpenID4VCI, pre-authorized code with tx_code); returns what the wallet printed.</summary>
    public Task<string> ReceiveAsync(string offerLink, string txCode) => RunAsync("receive", offerLink, "--tx-code", txCode);

    /// <summary>Presents what the request asks for (OpenID4VP, direct_post); returns what the wallet printed, the claims disclosed among it.</summary>
    public Task<string> PresentAsync(string requestLink) => RunAsync("present", requestLink, "--yes");

    /// <summary>The wallet's credentials with their status read from the issuer's status list.</summary>
    public Task<string> ListAsync() => RunAsync("list");

    private async Task<string> RunAsync(params string[] args)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 400;
        var exit = await PassportCommand.RunAsync(["wallet", "--wallet-dir", Folder, .. args], console);
        var output = writer.ToString();
        return exit == 0 ? output : throw new InvalidOperationException($"wallet {args[0]} exited with {exit}:\n{output}");
    }

    public void Dispose() => _folder.Delete(recursive: true);
}

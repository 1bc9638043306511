using System.CommandLine;
using Spectre.Console;

namespace Passport.Cli.Demo;

/// <summary><c>passport demo</c>: the whole journey of DESIGN.md against a running development host, each step checked.</summary>
internal static class DemoCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var url = PassportCommand.UrlOption();
        var wait = new Option<int>("--wait")
        {
            Description = "Seconds to wait for what happens in the background (the demo data, the deployment's flag)",
            DefaultValueFactory = _ => 30,
        };
        var command = new Command("demo", "Run the whole journey against the embedded host: issue, receive (OpenID4VCI), present (OpenID4VP), decide, deploy, withdraw, flag")
        {
            url, wait,
        };
        command.SetRun(console, async (parse, ct) =>
        {
            using var http = Api.ServiceClient.CreateHttp(parse.GetValue(url)!);
            using var walletHttp = Wallet.WalletHttp.CreateClient();
            var journey = new DemoJourney(console, new Api.ServiceClient(http), new Wallet.WalletHttp(walletHttp), TimeProvider.System,
                TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(wait))));
            await journey.RunAsync(ct);
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using System.Net;
using Passport.Cli.Api;
using Spectre.Console;

namespace Passport.Cli.Operators;

/// <summary><c>passport keys rotate</c>: the organisation signs with a new key from now on; the old one stays published until what it signed expires.</summary>
internal static class KeysCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var url = PassportCommand.UrlOption();
        var token = PassportCommand.TokenOption();
        var rotate = new Command("rotate", "Rotate your organisation's signing key (needs an org_admin token)") { url, token };
        rotate.SetRun(console, async (parse, ct) =>
        {
            using var http = ServiceClient.CreateHttp(parse.GetValue(url)!);
            var service = new ServiceClient(http).As(PassportCommand.RequireToken(parse.GetValue(token)!));
            var answer = await service.PostAsync("api/keys/rotate", null, "Rotating the signing key", ct, HttpStatusCode.OK);
            console.MarkupLineInterpolated($"[green]✓[/] Now signing with key [bold]{answer["active"]?["kid"]}[/].");
            if (answer["retired"] is { } retired)
                console.MarkupLineInterpolated($"  Key {retired["kid"]} no longer signs; it stays published until {retired["publishUntil"]?.ToString() ?? "what it signed has expired"}.");
            return 0;
        });
        return new Command("keys", "Signing keys") { rotate };
    }
}

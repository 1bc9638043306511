using System.CommandLine;
using Passport.Cli.Api;
using Spectre.Console;

namespace Passport.Cli.Operators;

/// <summary>
/// <c>passport token</c>: a development access token from the embedded host's development token issuer. It prints the
/// token alone, for <c>export PASSPORT_TOKEN=$(passport token ...)</c>. Only a host in the Development environment has one.
/// </summary>
internal static class TokenCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var url = PassportCommand.UrlOption();
        var org = new Option<string>("--org") { Description = "The organisation's ODS code, for example RHQ", Required = true };
        var role = new Option<string>("--role") { Description = "hr_issuer, org_admin, verifier or staff", Required = true };
        var staffId = new Option<Guid?>("--staff-id") { Description = "For a staff token: the member of staff's id" };
        var command = new Command("token", "Mint a development access token (only against the embedded host in Development)") { url, org, role, staffId };
        command.SetRun(console, async (parse, ct) =>
        {
            using var http = ServiceClient.CreateHttp(parse.GetValue(url)!);
            var token = await DevelopmentToken.MintAsync(new ServiceClient(http), parse.GetValue(org)!, parse.GetValue(role)!, ct, parse.GetValue(staffId));
            // Written raw: the console would wrap a long line, and the token must stay one word.
            await console.Profile.Out.Writer.WriteLineAsync(token);
            return 0;
        });
        return command;
    }
}

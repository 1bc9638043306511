using System.CommandLine;
using System.CommandLine.Parsing;
using Passport.Cli.Api;
using Passport.Cli.Demo;
using Passport.Cli.Operators;
using Passport.Cli.Wallet;
using Spectre.Console;

namespace Passport.Cli;

/// <summary>The <c>passport</c> command: the demo, the command-line wallet, and the operators' commands.</summary>
internal static class PassportCommand
{
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand("Passport: NHS digital staff passport. The demo of the whole journey, a command-line wallet, and operator commands.")
        {
            DemoCommand.Create(console),
            WalletCommands.Create(console),
            MigrateCommand.Create(console),
            KeysCommand.Create(console),
            ImportCommand.Create(console),
            RedriveCommand.Create(console),
            TokenCommand.Create(console),
        };
        var writer = console.Profile.Out.Writer;
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = writer, Error = writer }, cancellationToken);
    }

    /// <summary>Runs a command's body; a step that fails is reported as one red sentence and exit code 1.</summary>
    public static void SetRun(this Command command, IAnsiConsole console, Func<ParseResult, CancellationToken, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await run(parse, cancellationToken);
            }
            catch (CommandFailedException e)
            {
                console.MarkupLineInterpolated($"[red]✗ {e.Message}[/]");
                return 1;
            }
        });
    }

    public static Option<Uri> UrlOption() => new("--url")
    {
        Description = "The Passport service's base URL",
        DefaultValueFactory = _ => new Uri("http://localhost:5000"),
        CustomParser = result => ParseUri(result, "http", "https"),
    };

    /// <summary>An absolute URI with one of <paramref name="schemes"/>; anything else is a parse error naming the option.</summary>
    public static Uri? ParseUri(ArgumentResult result, params string[] schemes)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
            return uri;
        result.AddError($"'{text}' is not an absolute {string.Join(" or ", schemes)} URL.");
        return null;
    }

    public static Option<string> TokenOption() => new("--token")
    {
        Description = "A bearer access token (or set PASSPORT_TOKEN); against the embedded host, get one with: passport token",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PASSPORT_TOKEN") ?? "",
    };

    public static string RequireToken(string token) =>
        string.IsNullOrWhiteSpace(token)
            ? throw new CommandFailedException("This command needs an access token: pass --token or set PASSPORT_TOKEN.")
            : token;
}

using Spectre.Console;

namespace Passport.Cli.Tests;

/// <summary>Runs the passport command in-process, as a user would type it, and keeps what it printed.</summary>
internal static class Cli
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
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
        var exit = await PassportCommand.RunAsync(args, console);
        return (exit, writer.ToString());
    }
}

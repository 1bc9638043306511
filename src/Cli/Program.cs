using Spectre.Console;

namespace Passport.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) => PassportCommand.RunAsync(args, AnsiConsole.Console);
}

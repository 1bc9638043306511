using Passport.Load;

if (args is ["auth-settings", "--token-key", var keyFile])
    return AccessTokens.PrintAuthSettings(keyFile);

var options = LoadOptions.Parse(args, out var error);
if (options is null)
{
    await Console.Error.WriteLineAsync($"{error}\n{LoadOptions.Usage}");
    return 2;
}
return await LoadRun.RunAsync(options);

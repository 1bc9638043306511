using System.Text.Json.Nodes;

namespace Passport.Issuer.Tests.Offers;

/// <summary>
/// Runs <c>tests/interop/wallet.mjs</c>, an OpenID4VCI wallet on <c>@openid4vc/openid4vci</c> and <c>@sd-jwt/*</c>:
/// one JSON request on stdin, one JSON answer on stdout, or a message on stderr and exit code 1.
/// </summary>
internal static class NodeWallet
{
    // Only stops a hung process; a run takes about a second.
    public static Task<(JsonObject? Result, string Error)> RunAsync(JsonObject request) =>
        Passport.Testing.NodeScript.RunAsync("wallet.mjs", request, [Path.Combine("@openid4vc", "openid4vci")], TimeSpan.FromSeconds(60));
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Tests.Trust;

/// <summary>The Verifier's trust services as the service registers them, on a clock the test controls.</summary>
internal static class TrustHost
{
    public static ServiceProvider Create(TimeProvider time, IDictionary<string, string?>? settings = null, string environment = "Testing",
        bool allowLoopback = true, bool relaxed = true)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        if (relaxed)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{TrustOptions.Section}:AllowHttp"] = "true",
                [$"{TrustOptions.Section}:AllowPrivateNetworks"] = allowLoopback ? "true" : "false",
            });
        }
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(time);
        builder.AddVerifierTrust();
        return builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}

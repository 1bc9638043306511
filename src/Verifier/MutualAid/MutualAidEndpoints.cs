using MassTransit;
using Passport.ServiceDefaults;

namespace Passport.Verifier.MutualAid;

internal static class MutualAidEndpoints
{
    public static IHostApplicationBuilder AddVerifierMutualAid(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MutualAidOptions>().BindConfiguration(MutualAidOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AidStarter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AidStarter>());
        return builder;
    }

    public static IBusRegistrationConfigurator AddVerifierMutualAidConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<MutualAidConsentGivenConsumer>();
        return bus;
    }

    public static IEndpointRouteBuilder MapVerifierMutualAid(this IEndpointRouteBuilder app)
    {
        // Not /api/mutual-aid-requests: the home organisation's requests answer there, and both services run in one host.
        var group = app.MapGroup("/api/mutual-aid").RequireAuthorization(PassportPolicies.Verifier).WithTags("Mutual aid (host)");
        group.MapGet("/", GetAidRequests.List).WithName("ListHostedAidRequests")
            .WithSummary("Mutual-aid requests with your organisation as the host, with how many people consented, were decided, accepted and deployed");
        group.MapGet("/{requestId:guid}", GetAidRequests.One).WithName("GetHostedAidRequest")
            .WithSummary("One mutual-aid request: per consenting person, waiting for their presentation, accepted, not accepted (and why) or deployed")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{requestId:guid}/start", StartAll.Handle).WithName("StartAllAidDeployments")
            .WithSummary("Start every accepted person's deployment in one action")
            .WithDescription("Recorded first and carried out in the background, a batch at a time: a crash or restart part-way resumes where it stopped, "
                + "and nobody is started twice. Each is an ordinary deployment with its own events. Asking again later starts those accepted since.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/members/{memberId:guid}/presentation-request", AskMember.Handle).WithName("GetAidMemberPresentationRequest")
            .WithSummary("The OpenID4VP presentation request for one consenting person: the open one, or a fresh one")
            .WithDescription("What the person's wallet, or the home organisation's hosted wallet, answers; the decision becomes the person's on the request.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}

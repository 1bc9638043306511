using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;

namespace Passport.Issuer.HostedWallet;

internal static class HostedWalletEndpoints
{
    public static IEndpointRouteBuilder MapIssuerHostedWallet(this IEndpointRouteBuilder app)
    {
        var hr = app.MapGroup("/api/staff/{id:guid}/hosted-wallet").RequireAuthorization(PassportPolicies.Hr).WithTags("Hosted wallet");
        hr.MapPost("/", CreateHostedWallet.Handle).WithName("CreateHostedWallet")
            .WithSummary("Keep a hosted wallet for a member of staff without a wallet app")
            .WithDescription("Generates the person's holder key, kept encrypted at rest; the key is never returned, only its thumbprint.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        hr.MapGet("/", GetHostedWallet.ForStaff).WithName("GetHostedWallet")
            .WithSummary("A member of staff's hosted wallet: its credentials and presentations")
            .ProducesProblem(StatusCodes.Status404NotFound);
        hr.MapPost("/credentials", StoreInHostedWallet.Handle).WithName("StoreInHostedWallet")
            .WithSummary("Issue credentials to the hosted wallet, bound to its key and kept there accepted")
            .WithDescription("Names credentialIds, or leaves them out for every credential in force not yet in the wallet.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        hr.MapPost("/placements/{deploymentId:guid}", CollectPlacement.ForStaff).WithName("CollectPlacementIntoHostedWallet")
            .WithSummary("Collect a member of staff's placement credential, offered by the host, into their hosted wallet")
            .WithDescription("Redeems the host's offer through OpenID4VCI with a proof signed by the hosted wallet's key, and keeps the credential accepted.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        hr.MapPost("/plan", PresentFromHostedWallet.PlanForStaff).WithName("PlanHostedPresentationForStaff")
            .WithSummary("What presenting to a request link would share from a member of staff's hosted wallet")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        hr.MapPost("/presentations", PresentFromHostedWallet.PresentForStaff).WithName("PresentFromHostedWalletForStaff")
            .WithSummary("Present on a member of staff's behalf, with the consent they gave (how and when)")
            .WithDescription("An ordinary SD-JWT VC presentation with a KB-JWT over the request's nonce, and a hosted wallet attestation naming the consent.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);

        var me = app.MapGroup("/api/me/hosted-wallet").RequireAuthorization(PassportPolicies.Staff).WithTags("My passport");
        me.MapGet("/", GetHostedWallet.ForMe).WithName("GetMyHostedWallet")
            .WithSummary("Your hosted passport: its credentials and where it was presented")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        me.MapPost("/placements/{deploymentId:guid}", CollectPlacement.ForMe).WithName("CollectMyPlacementIntoHostedWallet")
            .WithSummary("Collect your placement credential, offered by the organisation you are deployed to, into your hosted passport")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        me.MapPost("/plan", PresentFromHostedWallet.PlanForMe).WithName("PlanMyHostedPresentation")
            .WithSummary("What presenting your passport to a request link would share")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        me.MapPost("/presentations", PresentFromHostedWallet.PresentForMe).WithName("PresentMyHostedPassport")
            .WithSummary("Present your passport to a request link: only what it asks for")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        return app;
    }
}

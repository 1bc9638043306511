namespace Passport.Issuer.Staff;

internal static class StaffModule
{
    public static IHostApplicationBuilder AddIssuerStaff(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EnrolmentCodes>();
        return builder;
    }
}

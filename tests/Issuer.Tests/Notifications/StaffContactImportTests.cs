using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Import.Importing;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Notifications;

public sealed class StaffContactImportTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    [Fact]
    public async Task An_import_records_email_and_mobile_keeps_them_when_a_later_file_leaves_them_empty_and_names_a_bad_one()
    {
        var ods = await NewOrganisationAsync(app);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        const string header = "record_type,source_ref,assignment_number,given_name,family_name,date_of_birth,email,mobile\r\n";

        var first = await FinishedAsync(hr, await StartAsync(hr, header + "staff,P-1,30000001-1,Amara,Okafor,1990-04-01,amara.okafor@northgate.nhs.uk,07700 900123\r\n"));
        var second = await FinishedAsync(hr, await StartAsync(hr, header + "staff,P-1,30000001-1,Amara,Okafor,1990-04-01,,\r\n"));
        var bad = await FinishedAsync(hr, await StartAsync(hr, header + "staff,P-2,30000002-1,Sam,Lee,1991-05-02,sam at northgate,\r\n"));

        Assert.Equal(1, Count(first, "staffCreated"));
        Assert.Equal(1, Count(second, "unchanged"));
        var staff = await app.WithDbAsync(db => db.Staff.AsNoTracking().SingleAsync(s => s.OdsCode == ods && s.AssignmentNumber == "30000001-1"));
        Assert.Equal(("amara.okafor@northgate.nhs.uk", "+447700900123"), (staff.Email, staff.Mobile));
        Assert.Equal([(2, "email")], ErrorsOf(bad));
    }
}

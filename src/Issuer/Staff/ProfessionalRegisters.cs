using System.Text.RegularExpressions;

namespace Passport.Issuer.Staff;

/// <summary>The professional registers Passport knows, and the shape of a registration number on each.</summary>
internal static partial class ProfessionalRegisters
{
    public const string Gmc = "GMC";
    public const string Nmc = "NMC";
    public const string Hcpc = "HCPC";

    public static readonly string[] Names = [Gmc, Nmc, Hcpc, "GPhC", "GDC", "GOC", "SWE"];

    public static readonly string[] Statuses = ["registered", "registered_with_conditions", "suspended", "lapsed", "removed"];

    /// <summary>What is wrong with <paramref name="number"/> on <paramref name="register"/>, or null when it has the register's shape.</summary>
    public static string? CheckNumber(string register, string number) => register switch
    {
        Gmc when !GmcNumber().IsMatch(number) => "A GMC reference number is 7 digits, for example 1234567.",
        Nmc when !NmcPin().IsMatch(number) => "An NMC PIN is 2 digits, a letter, 4 digits and a letter, for example 12A3456B.",
        Hcpc when !HcpcNumber().IsMatch(number) => "An HCPC registration number is 2 letters and then digits, for example PA12345.",
        _ when !OtherNumber().IsMatch(number) => "A registration number is letters and digits only, at most 20.",
        _ => null,
    };

    [GeneratedRegex("^[0-9]{7}$")]
    private static partial Regex GmcNumber();

    [GeneratedRegex("^[0-9]{2}[A-Z][0-9]{4}[A-Z]$")]
    private static partial Regex NmcPin();

    [GeneratedRegex("^[A-Z]{2}[0-9]{1,8}$")]
    private static partial Regex HcpcNumber();

    [GeneratedRegex("^[A-Za-z0-9]{1,20}$")]
    private static partial Regex OtherNumber();
}

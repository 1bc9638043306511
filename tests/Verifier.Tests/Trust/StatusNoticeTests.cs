using Passport.Verifier.Trust;

namespace Passport.Verifier.Tests.Trust;

public sealed class StatusNoticeTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_reinstatement_delivered_before_the_suspension_it_undoes_does_not_undo_a_later_one()
    {
        var notice = StatusNotice.New("RHQ", Guid.NewGuid(), 0, At.AddMinutes(1), null, null);

        notice.Apply(2, At, "https://issuer.test/status/1", 7);

        Assert.Equal(0, notice.Status);
        Assert.Equal("https://issuer.test/status/1", notice.StatusListUri);
        Assert.Equal(7, notice.StatusIndex);
    }

    [Fact]
    public void A_withdrawal_is_final_whatever_comes_after_it()
    {
        var notice = StatusNotice.New("RHQ", Guid.NewGuid(), 1, At, "https://issuer.test/status/1", 7);

        notice.Apply(0, At.AddMinutes(5), null, null);

        Assert.Equal(1, notice.Status);
    }

    [Theory]
    [InlineData(0, null, 0)]
    [InlineData(0, 1, 1)]
    [InlineData(0, 2, 2)]
    [InlineData(2, 0, 0)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 2, 1)]
    public void The_status_acted_on_is_the_lists_unless_the_bus_has_newer_news(int fromList, int? fromNotice, int expected) =>
        Assert.Equal((byte)expected, StatusNotice.Combine((byte)fromList, (byte?)fromNotice));
}

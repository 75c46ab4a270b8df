using Bitten.Domain.Signals;
using Bitten.Domain.Users;

namespace Bitten.Domain.Tests;

public sealed class PressPassRulesTests
{
    private static readonly User Recruit = new(1, 101, Tier.Recruit, Role.User, FireMode.Manual, AutoFireSettings.Default, null, 0);

    private const long Expires = 1_000_000_000;

    private static readonly User OnPass = Recruit with { Tier = Tier.PressPass, EaUuid = "PRESS_1_x", PressPassExpiresMs = Expires };

    [Fact]
    public void ARecruitWhoNeverHadOneGetsAPassWhileTodayHasOneLeft()
    {
        Assert.Null(PressPassRules.Refusal(Recruit, usedBefore: false, grantedToday: 9, perDay: 10));
        Assert.Equal(PressPassRefusal.DailyCapReached, PressPassRules.Refusal(Recruit, false, 10, 10));
    }

    [Theory]
    [InlineData(Tier.PressPass)]
    [InlineData(Tier.Nibbler)]
    [InlineData(Tier.Fang)]
    [InlineData(Tier.Commander)]
    public void EveryTierAboveRecruitIsAlreadySubscribed(Tier tier)
    {
        Assert.Equal(PressPassRefusal.AlreadySubscribed, PressPassRules.Refusal(Recruit with { Tier = tier }, false, 0, 10));
    }

    [Fact]
    public void APassIsOncePerPersonWhateverTheirTierOrTheDay()
    {
        Assert.Equal(PressPassRefusal.AlreadyUsed, PressPassRules.Refusal(Recruit, usedBefore: true, 0, 10));
        Assert.Equal(PressPassRefusal.AlreadyUsed, PressPassRules.Refusal(Recruit with { PressPassExpiresMs = 5 }, false, 0, 10));
        Assert.Equal(PressPassRefusal.AlreadyUsed, PressPassRules.Refusal(OnPass, false, 0, 10));
        Assert.Equal(PressPassRefusal.UnknownUser, PressPassRules.Refusal(null, false, 0, 10));
    }

    [Fact]
    public void TheDayIsTheUtcDay()
    {
        var lastOfMarch1 = new DateTimeOffset(2026, 3, 1, 23, 59, 59, 999, TimeSpan.Zero).ToUnixTimeMilliseconds();

        Assert.Equal("2026-03-01", PressPassRules.Day(lastOfMarch1));
        Assert.Equal("2026-03-02", PressPassRules.Day(lastOfMarch1 + 1));
    }

    [Fact]
    public void APassEndsExactlyAtItsExpiryAndOnlyWhileItIsStillAPressPass()
    {
        Assert.False(PressPassRules.HasEnded(OnPass, Expires - 1));
        Assert.True(PressPassRules.HasEnded(OnPass, Expires));
        Assert.False(PressPassRules.HasEnded(OnPass with { Tier = Tier.Nibbler }, Expires));
        Assert.False(PressPassRules.HasEnded(OnPass with { PressPassExpiresMs = null }, Expires));
    }

    [Fact]
    public void TheReminderIsWantedFromTwentyFourHoursBeforeExpiryUntilExpiry()
    {
        var before = TimeSpan.FromHours(24);
        var dayMs = (long)before.TotalMilliseconds;

        Assert.False(PressPassRules.WantsReminder(OnPass, Expires - dayMs - 1, before));
        Assert.True(PressPassRules.WantsReminder(OnPass, Expires - dayMs, before));
        Assert.True(PressPassRules.WantsReminder(OnPass, Expires - 1, before));
        Assert.False(PressPassRules.WantsReminder(OnPass, Expires, before));
        Assert.False(PressPassRules.WantsReminder(Recruit, Expires - 1, before));
    }

    [Fact]
    public void ARecruitGetsNoMissionsNoSlotsAndNoAutoFireWhileThePressPassAutoFiresOneSlot()
    {
        Assert.All(Enum.GetValues<SignalClass>(), c => Assert.False(Tier.Recruit.Allows(c)));
        Assert.Equal(0, Tier.Recruit.Slots());
        Assert.False(Tier.Recruit.AllowsAutoFire());
        Assert.Equal(Tier.Nibbler.DailyLossLimitPercent(), Tier.Recruit.DailyLossLimitPercent());
        Assert.True(Tier.PressPass.AllowsAutoFire());
        Assert.Equal(1, Tier.PressPass.Slots());
        Assert.Equal("RECRUIT", Tier.Recruit.WireName());
        Assert.True(Tiers.TryParse("recruit", out var parsed) && parsed == Tier.Recruit);
    }

    [Fact]
    public void TiersRankRecruitLowestWhateverTheirOrdinals()
    {
        Assert.Equal([Tier.Recruit, Tier.PressPass, Tier.Nibbler, Tier.Fang, Tier.Commander], Enum.GetValues<Tier>().OrderBy(t => t.Rank()));
        Assert.Equal(4, (int)Tier.Recruit);
    }

    [Fact]
    public void EveryRefusalHasACodeAndAnExplanation()
    {
        Assert.All(Enum.GetValues<PressPassRefusal>(), r =>
        {
            Assert.Matches("^[a-z_]+$", r.Code());
            Assert.NotEmpty(r.Explain());
        });
    }
}

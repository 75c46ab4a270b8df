using Bitten.Domain.Users;
using Bitten.Telegram.Commands;

namespace Bitten.Telegram.Tests.Commands;

public sealed class ProgressionCommandsTests
{
    [Fact]
    public async Task TheLeaderboardShowsOthersOnlyAsRankMaskedNameAndXp()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        h.Progression.Leaders.AddRange([new LeaderRow(1, 555_123_456, 2400, 6), new LeaderRow(2, user.TelegramId, 1200, 4)]);

        var text = await h.TextAsync(user, "/leaderboard");

        Assert.Equal("<b>Leaderboard</b>\n1. trader …3456 — 2,400 XP\n2. you — 1,200 XP", text);
    }

    [Fact]
    public async Task LeaderboardAndAlertsSwitchesAreStoredForTheCallerOnly()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);

        Assert.Equal("You are off the leaderboard.", await h.TextAsync(user, "/leaderboard off"));
        Assert.StartsWith("Mission alerts on", await h.TextAsync(user, "/alerts ON"), StringComparison.Ordinal);
        Assert.Equal("Use /alerts on or /alerts off.", await h.TextAsync(user, "/alerts maybe"));

        Assert.Equal((true, false), Assert.Single(h.Users.Preferences).Value);
        Assert.Equal(user.TelegramId, Assert.Single(h.Users.Preferences).Key);
    }

    [Fact]
    public async Task XpAndAchievementsComeFromProgression()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        Assert.Equal("No XP yet: your first closed trade earns some.", await h.TextAsync(user, "/xp"));
        h.Progression.Summaries[user.UserId] = new ProgressSummary(1250, 4, 1500, 3, 12, 8, 4, [("First Blood", "Your first trade", BotHarness.Start.ToUnixTimeMilliseconds())]);

        Assert.Equal("XP <b>1,250</b> · level 4 (next level at 1,500)\nTrades 12 · TP 8 · SL 4 · win streak 3", await h.TextAsync(user, "/xp"));
        Assert.Equal("<b>Achievements</b>\n🏅 <b>First Blood</b> — Your first trade (2024-01-02 10:00 UTC)", await h.TextAsync(user, "/achievements"));
    }

    [Fact]
    public async Task PressPassAnswersWithTheClaimsSentence()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Nibbler);
        Assert.Equal("Today's press passes are all taken; try tomorrow.", await h.TextAsync(user, "/presspass"));

        h.PressPasses.Answer = new PressPassAnswer(true, BotHarness.Start.AddDays(7).ToUnixTimeMilliseconds(), null, "Enjoy.");

        Assert.Equal("Press pass granted until 2024-01-09 10:00 UTC. Enjoy.", await h.TextAsync(user, "/presspass"));
    }

    [Fact]
    public async Task WithoutProgressionInTheProcessItsCommandsSaySo()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        var bot = new BotCommands(h.Services with { Progression = null, PressPasses = null }, h.Log);

        foreach (var command in new[] { "/xp", "/achievements", "/leaderboard", "/presspass" })
        {
            var reply = await bot.OnMessageAsync(new IncomingMessage(user.TelegramId, user.TelegramId, true, command), CancellationToken.None);
            Assert.Equal("That is not available in this process.", Assert.Single(reply).Text);
        }
    }
}

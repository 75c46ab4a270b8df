using Bitten.Domain.Users;
using Bitten.Telegram.Commands;
using Microsoft.Extensions.Logging;

namespace Bitten.Telegram.Tests.Commands;

/// <summary>What the dispatcher makes of odd input: unknown commands, garbage, no text, other bots, failing dependencies.</summary>
public sealed class DispatchTests
{
    [Theory]
    [InlineData("/nonsense")]
    [InlineData("/FIRE_ALL_THE_THINGS please")]
    [InlineData("hello there")]
    [InlineData("/")]
    [InlineData("/he$lp")]
    public async Task AnythingButACommandGetsTheShortAnswer(string text)
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);

        Assert.Equal(BotCommands.UnknownCommand, await h.TextAsync(user, text));
    }

    [Fact]
    public async Task FourKilobytesOfGarbageAreAnsweredShortlyAndNeverEchoed()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        var random = new Random(11);
        var garbage = new string([.. Enumerable.Range(0, 4096).Select(_ => (char)random.Next(0x20, 0x2FF))]);

        Assert.Equal(BotCommands.UnknownCommand, await h.TextAsync(user, garbage));
        Assert.Equal(BotCommands.UnknownCommand, await h.TextAsync(user, "/help " + garbage));   // over 4096 characters
        Assert.Equal(BotCommands.UnknownCommand, await h.TextAsync(user, "/" + garbage[..200]));
        Assert.Empty(await h.SayAsync(user, garbage, privateChat: false));
        Assert.Empty(h.Log.Entries);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n ")]
    public async Task AMessageWithoutTextGetsNoAnswer(string? text)
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);

        Assert.Empty(await h.SayAsync(user, text));
    }

    [Fact]
    public async Task ACommandForAnotherBotIsLeftAloneAndOneForThisBotIsAnswered()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);

        Assert.Empty(await h.SayAsync(user, "/help@OtherBot", privateChat: false));
        Assert.Empty(await h.SayAsync(user, "/stop@OtherBot hard"));
        Assert.StartsWith("What you can do:", await h.TextAsync(user, "/HELP@bittenbot", privateChat: false), StringComparison.Ordinal);
        Assert.StartsWith("You: <b>FANG</b>", await h.TextAsync(user, "/Status@BittenBot"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheCommandLineIsSplitOnWhitespaceAndKeepsTheRestAsTyped()
    {
        var line = CommandLine.Parse("  /Broadcast@BittenBot  Markets open\nin 5 minutes ", "BittenBot");

        Assert.Equal(CommandLineKind.Command, line.Kind);
        Assert.Equal("broadcast", line.Name);
        Assert.Equal(["Markets", "open", "in", "5", "minutes"], line.Args);
        Assert.Equal("Markets open\nin 5 minutes", line.Rest);
    }

    [Fact]
    public async Task AFailingDependencyIsLoggedAndAnsweredWithAnApology()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        h.Users.Lookup = _ => throw new InvalidOperationException("database is locked");

        Assert.Equal(BotCommands.Apology, await h.TextAsync(user, "/status"));
        Assert.Equal(BotCommands.Apology, (await h.PressAsync(user, "fire:X")).Toast);
        Assert.Equal(2, h.Log.Entries.Count(e => e.Level == LogLevel.Error && e.Error is InvalidOperationException));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("fire:")]
    [InlineData("close:abc")]
    [InlineData("launch:everything")]
    public async Task AnUnknownButtonIsAnsweredSafely(string? data)
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);

        var answer = await h.PressAsync(user, data!);

        Assert.Equal("That button no longer works.", answer.Toast);
        Assert.Empty(answer.Messages);
        Assert.Empty(h.Orders.All);
    }

    [Fact]
    public async Task TheCancelButtonDropsTheConfirm()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);

        Assert.Equal("Cancelled.", (await h.PressAsync(user, "cancel")).Toast);
    }
}

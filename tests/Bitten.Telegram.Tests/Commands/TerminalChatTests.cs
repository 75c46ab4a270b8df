using Bitten.Domain.Users;
using Bitten.Telegram.Commands;

namespace Bitten.Telegram.Tests.Commands;

public sealed class TerminalChatTests
{
    [Fact]
    public async Task LinesRunThroughTheSameCommandsAndPrintAsPlainText()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        var mission = BotHarness.MissionOf(await h.SignalAsync(), user);
        using var output = new StringWriter { NewLine = "\n" };

        await TerminalChat.RunAsync(h.Bot, user.TelegramId, new StringReader($"/help\n/status\n/fire {mission}\n!fire:{mission}\n"), output, CancellationToken.None);

        var lines = output.ToString().Split('\n');
        Assert.Equal("What you can do:", lines[0]);
        Assert.Contains("/fire — Fire a mission: /fire [mission]", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("/stop", StringComparison.Ordinal));
        Assert.Contains("You: FANG · MANUAL · EA online · slots 0/2 · balance 10,000.00", lines);
        Assert.Contains("System: 2 EAs online · 14 signals today · emergency stop NONE", lines);
        Assert.Contains($"[FIRE → fire:{mission}] [Cancel → cancel]", lines);
        Assert.Contains(lines, l => l.StartsWith("(🔥 Fired EURUSD BUY", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains('<', StringComparison.Ordinal));
    }

    [Fact]
    public void RenderUnescapesEntitiesAndListsButtons()
    {
        var message = new BotMessage(1, "<b>A &amp; B</b> &lt;3", [[BotButton.Callback("FIRE", "fire:M123")], [BotButton.Link("Open", "https://x.example")]]);

        Assert.Equal("A & B <3\n[FIRE → fire:M123]\n[Open → https://x.example]", TerminalChat.Render(message));
    }
}

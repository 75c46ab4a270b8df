using Bitten.Domain.Events;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;

namespace Bitten.Telegram.Tests.Commands;

/// <summary>/fire, the FIRE and close buttons, /close, /mode and /autofire against a real desk.</summary>
public sealed class TradingCommandsTests
{
    [Fact]
    public async Task FireInManualModeAsksFirstWithAConfirmKeyboard()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        var mission = BotHarness.MissionOf(await h.SignalAsync(), user);

        var reply = Assert.Single(await h.SayAsync(user, $"/fire {mission}"));

        Assert.StartsWith("Fire <b>EURUSD BUY</b>", reply.Text, StringComparison.Ordinal);
        var row = Assert.Single(reply.Buttons!);
        Assert.Equal([$"fire:{mission}", "cancel"], row.Select(b => b.CallbackData));
        Assert.Equal(MissionStatus.Pending, (await h.MissionAsync(user, mission))!.Status);
        Assert.Empty(h.Orders.All);
    }

    [Fact]
    public async Task FireWithoutAMissionIdTakesTheNewestWaitingOne()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        Assert.Equal("You have no mission waiting. /missions lists yours.", await h.TextAsync(user, "/fire"));
        var mission = BotHarness.MissionOf(await h.SignalAsync(), user);

        var reply = Assert.Single(await h.SayAsync(user, "/fire"));

        Assert.Equal($"fire:{mission}", reply.Buttons![0][0].CallbackData);
    }

    [Fact]
    public async Task TheFireButtonFiresTheMission()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        var mission = BotHarness.MissionOf(await h.SignalAsync(), user);

        var answer = await h.PressAsync(user, $"fire:{mission}");

        Assert.StartsWith("🔥 Fired EURUSD BUY", answer.Toast, StringComparison.Ordinal);
        Assert.Equal(user.TelegramId, Assert.Single(answer.Messages).ChatId);
        Assert.Equal(MissionStatus.Fired, (await h.MissionAsync(user, mission))!.Status);
        var order = Assert.IsType<FireOrder>(Assert.Single(h.Orders.All));
        Assert.Equal(mission, order.MissionId);

        // The one-time lock: a second press is refused with the desk's reason.
        var again = await h.PressAsync(user, $"fire:{mission}");
        Assert.StartsWith("Not fired (EURUSD):", again.Toast, StringComparison.Ordinal);
        Assert.Single(h.Orders.All);
    }

    [Fact]
    public async Task InAutoModeFireFiresAtOnce()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Commander, mode: FireMode.Auto);
        var mission = BotHarness.MissionOf(await h.SignalAsync(confidence: 70), user);  // outside the 80-89 band: waits

        Assert.StartsWith("🔥 Fired", await h.TextAsync(user, $"/fire {mission}"), StringComparison.Ordinal);
        Assert.Equal(MissionStatus.Fired, (await h.MissionAsync(user, mission))!.Status);
    }

    [Fact]
    public async Task AnotherUsersMissionIsNeverTouched()
    {
        await using var h = new BotHarness();
        var owner = await h.AddUserAsync(1, Tier.Fang);
        var other = await h.AddUserAsync(2, Tier.Fang);
        var mission = BotHarness.MissionOf(await h.SignalAsync(), owner);

        Assert.Equal($"You have no mission {mission}.", await h.TextAsync(other, $"/fire {mission}"));
        var pressed = await h.PressAsync(other, $"fire:{mission}");
        Assert.Equal($"You have no mission {mission}.", pressed.Toast);
        Assert.Equal("You have no open position with ticket 5001.", await h.TextAsync(other, "/close 5001"));

        Assert.Equal(MissionStatus.Pending, (await h.MissionAsync(owner, mission))!.Status);
        Assert.Empty(h.Orders.All);
    }

    [Fact]
    public async Task WhatAUserTypedIsEscapedWhenRepeated()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);

        Assert.Equal("You have no mission &lt;b&gt;x&amp;y.", await h.TextAsync(user, "/fire <b>x&y"));
    }

    [Fact]
    public async Task CloseAllClosesEveryOpenPosition()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        Assert.Equal("You have no open positions.", await h.TextAsync(user, "/close all"));
        var fire = await h.OpenPositionAsync(user, 5001);

        var positions = Assert.Single(await h.SayAsync(user, "/positions"));
        Assert.Contains("#5001 <b>EURUSD</b> BUY", positions.Text, StringComparison.Ordinal);
        Assert.Equal("close:5001", positions.Buttons![0][0].CallbackData);

        Assert.Equal("Closing 1 position; your EA confirms each.", await h.TextAsync(user, "/close all"));
        Assert.Equal(fire.EaUuid, Assert.IsType<CloseAllOrder>(h.Orders.All[^1]).EaUuid);
    }

    [Fact]
    public async Task TheCloseButtonClosesThatTicket()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        await h.OpenPositionAsync(user, 7007);

        var answer = await h.PressAsync(user, "close:7007");

        Assert.Equal("Closing #7007; your EA confirms it.", answer.Toast);
        Assert.Equal(7007, Assert.IsType<CloseTicketOrder>(h.Orders.All[^1]).Ticket);
    }

    [Fact]
    public async Task AutoModeIsRefusedBelowCommanderWithTheRulesSentence()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Nibbler);

        Assert.Equal("Not changed: AUTO mode is for COMMANDER and PRESS_PASS only, not NIBBLER.", await h.TextAsync(user, "/mode auto"));

        Assert.Equal(FireMode.Manual, h.Users.ByTelegramId(user.TelegramId)!.Mode);
        Assert.Equal(FireMode.Manual, (await h.Kernel.AskAsync(() => h.Desk.TraderOf(user.UserId)))!.User.Mode);
    }

    [Fact]
    public async Task ModeAutoForACommanderReachesTheDesk()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Commander);

        Assert.StartsWith("Fire mode: <b>AUTO</b>", await h.TextAsync(user, "/mode AUTO"), StringComparison.Ordinal);

        Assert.Equal(FireMode.Auto, (await h.Kernel.AskAsync(() => h.Desk.TraderOf(user.UserId)))!.User.Mode);
    }

    [Fact]
    public async Task AutofireSetsTheBandSlotsAndRisk()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Commander);

        Assert.Equal("AUTO band 80–89%, up to 5 slots, 2% risk per trade.", await h.TextAsync(user, "/autofire 80 89 5 2"));

        var expected = new AutoFireSettings(80, 89, 5, 2m);
        Assert.Equal(expected, h.Users.ByTelegramId(user.TelegramId)!.Auto);
        Assert.Equal(expected, (await h.Kernel.AskAsync(() => h.Desk.TraderOf(user.UserId)))!.User.Auto);
    }

    [Theory]
    [InlineData("/autofire 90 80", "Not changed: the band must be two confidences within 0-100, low first.")]
    [InlineData("/autofire 80 89 5 9", "Not changed: risk must be 0.1-5 per cent.")]
    [InlineData("/autofire eighty 89", "Use /autofire LOW HIGH [SLOTS [RISK%]], e.g. /autofire 80 89 10 5.")]
    public async Task AutofireRefusesWhatTheSettingsRuleRefuses(string command, string answer)
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Commander);

        Assert.Equal(answer, await h.TextAsync(user, command));
        Assert.Equal(AutoFireSettings.Default, h.Users.ByTelegramId(user.TelegramId)!.Auto);
    }

    [Fact]
    public async Task MissionsListTheCallersOwnWithFireButtons()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);
        var other = await h.AddUserAsync(2, Tier.Fang);
        var signal = await h.SignalAsync();

        var reply = Assert.Single(await h.SayAsync(user, "/missions"));

        Assert.Contains(BotHarness.MissionOf(signal, user), reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(BotHarness.MissionOf(signal, other), reply.Text, StringComparison.Ordinal);
        Assert.Equal($"fire:{BotHarness.MissionOf(signal, user)}", reply.Buttons![0][0].CallbackData);
    }

    [Fact]
    public async Task StatusSaysTheAccountAndTheSystem()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);

        Assert.Equal("You: <b>FANG</b> · MANUAL · EA online · slots 0/2 · balance 10,000.00\nSystem: 2 EAs online · 14 signals today · emergency stop NONE",
            await h.TextAsync(user, "/status"));
    }
}

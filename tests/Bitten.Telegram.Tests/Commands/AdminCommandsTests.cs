using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Tracking;
using Bitten.Telegram.Commands;

namespace Bitten.Telegram.Tests.Commands;

/// <summary>/stop, /resume, /pattern and /broadcast: each change recorded as the Throne records it.</summary>
public sealed class AdminCommandsTests
{
    [Fact]
    public async Task StopHardSetsTheStopAndRecordsTheAdminsAction()
    {
        await using var h = new BotHarness();
        var admin = await h.AddUserAsync(1, Tier.Commander, Role.Admin);

        Assert.Equal("Emergency stop <b>HARD</b>: no new fires, every open position closing.", await h.TextAsync(admin, "/stop hard"));

        Assert.Equal(EmergencyStop.Hard, await h.Kernel.AskAsync(() => h.Desk.EmergencyStop));
        var acted = Assert.IsType<AdminActed>(Assert.Single(h.Recorded));
        Assert.Equal((admin.UserId, AdminActions.EmergencyStop, "HARD", "NONE"), (acted.AdminUserId, acted.Action, acted.Value, acted.Previous));
        Assert.Equal(h.Now, acted.TimeMs);
        Assert.Equal(1, h.StoredCalls);

        Assert.StartsWith("Emergency stop <b>NONE</b>", await h.TextAsync(admin, "/resume"), StringComparison.Ordinal);
        Assert.Equal(EmergencyStop.None, await h.Kernel.AskAsync(() => h.Desk.EmergencyStop));
        Assert.Equal(2, h.Recorded.Count);
    }

    [Fact]
    public async Task ANonAdminCannotStopTrading()
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Commander);

        Assert.Equal(BotCommands.AdminsOnly, await h.TextAsync(user, "/stop hard"));
        Assert.Equal(BotCommands.AdminsOnly, await h.TextAsync(user, "/broadcast hi"));

        Assert.Equal(EmergencyStop.None, await h.Kernel.AskAsync(() => h.Desk.EmergencyStop));
        Assert.Empty(h.Recorded);
        Assert.Empty(h.Outbox.Sent);
    }

    [Theory]
    [InlineData("/stop")]
    [InlineData("/stop none")]
    [InlineData("/stop now please")]
    public async Task AStopWithoutSoftOrHardOnlyExplains(string command)
    {
        await using var h = new BotHarness();
        var admin = await h.AddUserAsync(1, Tier.Commander, Role.Admin);

        Assert.StartsWith("Use /stop soft", await h.TextAsync(admin, command), StringComparison.Ordinal);
        Assert.Empty(h.Recorded);
    }

    [Fact]
    public async Task PatternOffSwitchesItOffAndOnKeepsItOn()
    {
        await using var h = new BotHarness();
        var admin = await h.AddUserAsync(1, Tier.Fang, Role.Admin);

        Assert.Equal("Pattern <b>BB_SCALP</b> switched off: it is off now.", await h.TextAsync(admin, "/pattern off bb_scalp"));
        Assert.True(await h.Kernel.AskAsync(() => h.Switchboard.IsDisabled(PatternType.BbScalp)));
        Assert.Equal(PatternOverride.ForceOff, await h.Kernel.AskAsync(() => h.Switchboard.OverrideOf(PatternType.BbScalp)));

        Assert.Equal("Pattern <b>BB_SCALP</b> switched on: it is on now.", await h.TextAsync(admin, "/pattern on BB_SCALP"));
        Assert.Equal([AdminActions.PatternDisable, AdminActions.PatternEnable], h.Recorded.OfType<AdminActed>().Select(a => a.Action));
        Assert.StartsWith("There is no pattern &lt;x&gt;.", await h.TextAsync(admin, "/pattern on <x>"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BroadcastQueuesOneMessagePerUserKeyedByBroadcastAndUser()
    {
        await using var h = new BotHarness();
        var admin = await h.AddUserAsync(1, Tier.Commander, Role.Admin);
        var trader = await h.AddUserAsync(2, Tier.Nibbler);

        Assert.Equal("Broadcast queued for 2 users.", await h.TextAsync(admin, "/broadcast Markets <open>\nsoon"));

        var id = h.Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([$"broadcast:{id}:{admin.TelegramId}", $"broadcast:{id}:{trader.TelegramId}"], h.Outbox.Sent.Keys.Order());
        var message = h.Outbox.Sent[$"broadcast:{id}:{trader.TelegramId}"];
        Assert.Equal((trader.TelegramId, "📣 Markets &lt;open&gt;\nsoon"), (message.ChatId, message.Text));
    }
}

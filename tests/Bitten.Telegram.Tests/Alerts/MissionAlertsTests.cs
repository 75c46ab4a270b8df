using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Telegram.Alerts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Telegram.Tests.Alerts;

public sealed class MissionAlertsTests
{
    private const long Group = -100123;
    private const long AliceTelegram = 5001;
    private const long BobTelegram = 5002;

    private readonly RecordingOutbox _outbox = new();

    private MissionAlerts Alerts(string? webApp = "https://bitten.example", string? bot = "bitten_bot", long? group = Group)
    {
        var buttons = new AlertButtons(webApp) { BotUsername = bot };
        return new MissionAlerts(_outbox, buttons, group,
            userId => userId switch { 1 => new BotRecipient(AliceTelegram, true), 2 => new BotRecipient(BobTelegram, false), _ => null },
            pattern => pattern == PatternType.LiquiditySweepReversal ? "62% of 40 (95%: 47-75%)" : null,
            () => SymbolCatalogue.Default, NullLogger.Instance);
    }

    private static Signal Signal(PatternType pattern = PatternType.LiquiditySweepReversal) => new(
        "ELITE_SNIPER_EURUSD_1", "EURUSD", new SymbolId(0), Direction.Buy, 1.08512, 1.08312, 1.08912, 20, 40, 2, 83.4, pattern, 7.1, "LONDON",
        1_700_000_000_000, 1_700_001_800_000, 1_700_000_000_100);

    [Fact]
    public void ASignalIsAnnouncedToTheGroupWithItsClassRecordAndADeepLinkToEachReadersBrief()
    {
        Alerts().Alert(new SignalRaised(Signal()));

        var (key, message) = Assert.Single(_outbox.Messages);
        Assert.Equal(("signal:ELITE_SNIPER_EURUSD_1", Group), (key, message.ChatId));
        Assert.Contains("SNIPER SIGNAL", message.Text, StringComparison.Ordinal);
        Assert.Contains("EURUSD BUY", message.Text, StringComparison.Ordinal);
        Assert.Contains("83.4%", message.Text, StringComparison.Ordinal);
        Assert.Contains("62% of 40", message.Text, StringComparison.Ordinal);
        Assert.Contains("Entry 1.08512", message.Text, StringComparison.Ordinal);
        var button = Assert.Single(Assert.Single(message.Buttons!));
        Assert.Equal("https://t.me/bitten_bot?start=brief_ELITE_SNIPER_EURUSD_1", button.Url);
        Assert.Null(button.WebAppUrl);
    }

    [Fact]
    public void AMissionGoesPrivatelyOnlyToUsersWhoOptedInWithFireAndABriefMiniApp()
    {
        var alerts = Alerts();
        alerts.Alert(new SignalRaised(Signal()));
        alerts.Alert(new MissionCreated(1, 1, "M_A", "ELITE_SNIPER_EURUSD_1", "EURUSD", 83.4));
        alerts.Alert(new MissionCreated(1, 2, "M_B", "ELITE_SNIPER_EURUSD_1", "EURUSD", 83.4));

        var mission = Assert.Single(_outbox.Messages, m => m.Key.StartsWith("mission:", StringComparison.Ordinal));
        Assert.Equal(("mission:M_A", AliceTelegram), (mission.Key, mission.Message.ChatId));
        var row = Assert.Single(mission.Message.Buttons!);
        Assert.Equal("fire:M_A", row[0].CallbackData);
        Assert.Equal("https://bitten.example/hud/M_A", row[1].WebAppUrl);
    }

    [Fact]
    public void AnHttpWebAppGetsLinkButtonsBecauseTelegramOpensMiniAppsOverHttpsOnly()
    {
        var alerts = Alerts(webApp: "http://127.0.0.1:8888/");
        alerts.Alert(new SignalRaised(Signal()));
        alerts.Alert(new MissionCreated(1, 1, "M_A", "ELITE_SNIPER_EURUSD_1", "EURUSD", 83.4));

        var brief = _outbox.Messages.Single(m => m.Key == "mission:M_A").Message.Buttons![0][1];
        Assert.Equal(("http://127.0.0.1:8888/hud/M_A", null), (brief.Url, brief.WebAppUrl));
    }

    [Fact]
    public void FillsFailuresClosesAndSlotsReachTheUserConcernedWithTheirReasonAndResult()
    {
        var alerts = Alerts();
        alerts.Alert(new FireFilled(2, 1, "F1", "M_A", "EURUSD", Direction.Buy, 0.10m, 777, 1.08500, 1.08300, 1.08900, FillEvidence.Confirmation));
        alerts.Alert(new PositionClosed(3, 1, "M_A", "F1", 777, "EURUSD", Direction.Buy, 0.10m, PositionCloseReason.TakeProfit, 1.08900, 40.00m));
        alerts.Alert(new SlotReleased(3, 1, "F1", SlotReleaseReason.Closed, 0, 10));
        alerts.Alert(new FireFailed(4, 1, "M_C", "S", null, "XAUUSD", FireRefusal.NoFreeSlot, "All 10 slots are in use", FireSource.Manual));

        Assert.All(_outbox.Messages, m => Assert.Equal(AliceTelegram, m.Message.ChatId));
        var texts = _outbox.Messages.ToDictionary(m => m.Key, m => m.Message.Text);
        Assert.Contains("ticket 777", texts["fill:F1"], StringComparison.Ordinal);
        Assert.Contains("+40 pips", texts["close:F1"], StringComparison.Ordinal);
        Assert.Contains("+40.00", texts["close:F1"], StringComparison.Ordinal);
        Assert.Contains("take profit", texts["close:F1"], StringComparison.Ordinal);
        Assert.Contains("0/10 in use", texts["slot:F1"], StringComparison.Ordinal);
        Assert.Contains("All 10 slots are in use", texts["failed:M_C:"], StringComparison.Ordinal);
        Assert.Contains(FireRefusal.NoFreeSlot.Code(), texts["failed:M_C:"], StringComparison.Ordinal);
    }

    [Fact]
    public void AnEventSeenTwiceIsSentOnceAndUnknownUsersGetNothing()
    {
        var alerts = Alerts();
        var filled = new FireFilled(2, 1, "F1", "M_A", "EURUSD", Direction.Buy, 0.10m, 777, 1.085, 1.083, 1.089, FillEvidence.Confirmation);
        alerts.Alert(filled);
        alerts.Alert(filled);
        alerts.Alert(filled with { UserId = 99, FireId = "F9" });

        Assert.Single(_outbox.Messages);
    }

    [Fact]
    public void WithoutAGroupSignalsAnnounceNothingButMissionsStillGoPrivately()
    {
        var alerts = Alerts(group: null);
        alerts.Alert(new SignalRaised(Signal()));
        alerts.Alert(new MissionCreated(1, 1, "M_A", "ELITE_SNIPER_EURUSD_1", "EURUSD", 83.4));
        alerts.Alert(new EmergencyStopChanged(5, EmergencyStop.Hard));

        Assert.Equal(["mission:M_A"], _outbox.Messages.Select(m => m.Key));
    }

    [Fact]
    public void WhatUsersCannotControlIsEscapedForTelegramHtml()
    {
        Alerts().Alert(new FireFailed(4, 1, "M<b>", "S", null, "EURUSD", FireRefusal.EaRefused, "EA said <script>&", FireSource.Manual));

        var text = Assert.Single(_outbox.Messages).Message.Text;
        Assert.Contains("M&lt;b&gt;", text, StringComparison.Ordinal);
        Assert.Contains("EA said &lt;script&gt;&amp;", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKernelHandsEventsOverWithoutWaitingAndTheLoopSendsThemInOrder()
    {
        var alerts = Alerts();
        using var stop = new CancellationTokenSource();
        var loop = alerts.RunAsync(stop.Token);
        alerts.OnEvent(new SignalRaised(Signal()));
        alerts.OnEvent(new EmergencyStopChanged(5, EmergencyStop.Soft));
        alerts.Complete();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["signal:ELITE_SNIPER_EURUSD_1", "estop:5:Soft"], _outbox.Messages.Select(m => m.Key));
    }
}

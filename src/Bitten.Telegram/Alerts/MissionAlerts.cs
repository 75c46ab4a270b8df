using System.Threading.Channels;
using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Microsoft.Extensions.Logging;

namespace Bitten.Telegram.Alerts;

/// <summary>Who a BITTEN user is on Telegram, and whether they asked for private mission alerts.</summary>
public sealed record BotRecipient(long TelegramId, bool MissionAlerts);

/// <summary>
/// Alerts driven by the typed events: each signal to the group; each mission privately to users who opted in, with
/// FIRE and brief buttons; and to the user concerned, fills, failures with the refusal's reason, closes in pips and
/// money, slot releases, risk blocks; outcomes and emergency stops to the group. The kernel hands events over without
/// waiting (<see cref="OnEvent"/>); this class's own loop turns them into messages for the outbox, keyed by their cause
/// so an event seen twice is sent once.
/// </summary>
public sealed class MissionAlerts(
    IBotOutbox outbox,
    AlertButtons buttons,
    long? groupChatId,
    Func<long, BotRecipient?> recipientOf,
    Func<PatternType, string?> recordOf,
    Func<SymbolCatalogue> symbols,
    ILogger logger) : Engine.Execution.IExecutionObserver
{
    private readonly Channel<TradingEvent> _events = Channel.CreateUnbounded<TradingEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, Signal> _signals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _entries = new(StringComparer.Ordinal);
    private long _queued;

    /// <summary>Messages handed to the outbox since start.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Called on the kernel thread for every recorded event: queued, never waited on.</summary>
    public void OnEvent(TradingEvent e) => _events.Writer.TryWrite(e);

    /// <summary>Ends the loop once the events already handed over are turned into messages.</summary>
    public void Complete() => _events.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancel)
    {
        var reader = _events.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancel))
            {
                while (reader.TryRead(out var e))
                {
                    try
                    {
                        Alert(e);
                    }
                    catch (Exception error) when (error is not OperationCanceledException)
                    {
                        // One bad alert (a store hiccup) must not silence the rest.
                        logger.LogError(error, "Alert for {Event} failed", e.GetType().Name);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
    }

    /// <summary>The messages one event causes, enqueued; public for the tests and the benchmark, which drive it directly.</summary>
    public void Alert(TradingEvent e)
    {
        var catalogue = symbols();
        switch (e)
        {
            case SignalRaised { Signal: var s }:
                Remember(s);
                ToGroup($"signal:{s.SignalId}", AlertText.Signal(s, catalogue, recordOf(s.PatternType)), buttons.SignalBrief(s.SignalId));
                break;
            case MissionCreated m when _signals.TryGetValue(m.SignalId, out var signal) && recipientOf(m.UserId) is { MissionAlerts: true } r:
                Send($"mission:{m.MissionId}", new BotMessage(r.TelegramId, AlertText.Mission(signal, m.MissionId, catalogue, recordOf(signal.PatternType)),
                    [Row(AlertButtons.Fire(m.MissionId), buttons.MissionBrief(m.MissionId))]));
                break;
            case FireFilled f:
                _entries[f.FireId] = f.Price;
                ToUser(f.UserId, $"fill:{f.FireId}", AlertText.Filled(f, catalogue), buttons.MissionBrief(f.MissionId));
                break;
            case FireFailed f:
                ToUser(f.UserId, $"failed:{f.MissionId}:{f.FireId}", AlertText.Failed(f), null);
                break;
            case RiskBlocked r:
                ToUser(r.UserId, $"risk:{r.MissionId}", AlertText.RiskBlocked(r), null);
                break;
            case PositionClosed c:
                ToUser(c.UserId, $"close:{c.FireId}", AlertText.Closed(c, _entries.GetValueOrDefault(c.FireId) is var entry and not 0 ? entry : null, catalogue),
                    c.MissionId is null ? null : buttons.MissionBrief(c.MissionId));
                _entries.Remove(c.FireId);
                break;
            case SlotReleased s:
                ToUser(s.UserId, $"slot:{s.FireId}", AlertText.SlotReleased(s), null);
                break;
            case SignalResolved { Outcome: var o }:
                ToGroup($"outcome:{o.SignalId}", AlertText.Outcome(_signals.GetValueOrDefault(o.SignalId), o), null);
                _signals.Remove(o.SignalId);
                break;
            case EmergencyStopChanged s:
                ToGroup($"estop:{s.TimeMs}:{s.Stop}", AlertText.EmergencyStop(s.Stop), null);
                break;
        }
    }

    private void Remember(Signal s)
    {
        // Signals are forgotten when resolved; any left a day past expiry (never tracked to an end) go too.
        if (_signals.Count > 1024)
        {
            foreach (var old in _signals.Values.Where(o => o.ExpiresAtMs + 86_400_000 < s.TimestampMs).Select(o => o.SignalId).ToList())
            {
                _signals.Remove(old);
            }
        }

        _signals[s.SignalId] = s;
    }

    private void ToGroup(string key, string text, BotButton? button)
    {
        if (groupChatId is { } group)
        {
            Send(key, new BotMessage(group, text, button is null ? null : [[button]]));
        }
    }

    private void ToUser(long userId, string key, string text, BotButton? button)
    {
        if (recipientOf(userId) is { } r)
        {
            Send(key, new BotMessage(r.TelegramId, text, button is null ? null : [[button]]));
        }
    }

    private void Send(string key, BotMessage message)
    {
        if (outbox.Enqueue(key, message))
        {
            Interlocked.Increment(ref _queued);
        }
    }

    private static IReadOnlyList<BotButton> Row(BotButton first, BotButton? second) => second is null ? [first] : [first, second];
}

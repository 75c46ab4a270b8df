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
        var batch = new List<OutboxItem>();
        try
        {
            while (await reader.WaitToReadAsync(cancel))
            {
                // Everything waiting goes to the store in one transaction: a signal's missions to 10,000 users are one write.
                while (batch.Count < MaxBatch && reader.TryRead(out var e))
                {
                    Collect(e, batch);
                }

                await FlushAsync(batch, cancel);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
    }

    /// <summary>The messages one event causes, enqueued now; the tests and the benchmark drive it directly.</summary>
    public void Alert(TradingEvent e)
    {
        var batch = new List<OutboxItem>();
        Collect(e, batch);
        Interlocked.Add(ref _queued, outbox.EnqueueMany(batch));
    }

    private const int MaxBatch = 20_000;

    /// <summary>A store that fails (a locked file, a lost connection) is retried, so an alert is late rather than lost.</summary>
    private async Task FlushAsync(List<OutboxItem> batch, CancellationToken cancel)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (batch.Count > 0)
        {
            try
            {
                Interlocked.Add(ref _queued, outbox.EnqueueMany(batch));
                batch.Clear();
            }
            catch (ArgumentException error)
            {
                // A message Telegram would refuse: said, and dropped alone (the rest go one by one).
                logger.LogError("An alert was refused by the outbox: {Message}", error.Message);
                foreach (var item in batch)
                {
                    try
                    {
                        Interlocked.Add(ref _queued, outbox.Enqueue(item.Key, item.Message) ? 1 : 0);
                    }
                    catch (ArgumentException)
                    {
                    }
                }

                batch.Clear();
            }
            catch (Exception error) when (error is InvalidOperationException or System.Data.Common.DbException or IOException)
            {
                logger.LogWarning("Storing {Count} alerts failed ({Message}); retrying", batch.Count, error.Message);
                await Task.Delay(backoff, cancel);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private void Collect(TradingEvent e, List<OutboxItem> into)
    {
        try
        {
            Describe(e, into);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // One alert that cannot be worded (a lookup that failed) must not silence the rest.
            logger.LogError(error, "Alert for {Event} failed", e.GetType().Name);
        }
    }

    private void Describe(TradingEvent e, List<OutboxItem> into)
    {
        var catalogue = symbols();
        switch (e)
        {
            case SignalRaised { Signal: var s }:
                Remember(s);
                ToGroup(into, $"signal:{s.SignalId}", AlertText.Signal(s, catalogue, recordOf(s.PatternType)), buttons.SignalBrief(s.SignalId));
                break;
            case MissionCreated m when _signals.TryGetValue(m.SignalId, out var signal) && recipientOf(m.UserId) is { MissionAlerts: true } r:
                into.Add(new($"mission:{m.MissionId}", new BotMessage(r.TelegramId, AlertText.Mission(signal, m.MissionId, catalogue, recordOf(signal.PatternType)),
                    [Row(AlertButtons.Fire(m.MissionId), buttons.MissionBrief(m.MissionId))])));
                break;
            case FireFilled f:
                _entries[f.FireId] = f.Price;
                ToUser(into, f.UserId, $"fill:{f.FireId}", AlertText.Filled(f, catalogue), buttons.MissionBrief(f.MissionId));
                break;
            case FireFailed f:
                ToUser(into, f.UserId, $"failed:{f.MissionId}:{f.FireId}", AlertText.Failed(f), null);
                break;
            case RiskBlocked r:
                ToUser(into, r.UserId, $"risk:{r.MissionId}", AlertText.RiskBlocked(r), null);
                break;
            case PositionClosed c:
                ToUser(into, c.UserId, $"close:{c.FireId}", AlertText.Closed(c, _entries.TryGetValue(c.FireId, out var entry) ? entry : null, catalogue),
                    c.MissionId is null ? null : buttons.MissionBrief(c.MissionId));
                _entries.Remove(c.FireId);
                break;
            case SlotReleased s:
                ToUser(into, s.UserId, $"slot:{s.FireId}", AlertText.SlotReleased(s), null);
                break;
            case XpAwarded x when x.Xp > 0:
                ToUser(into, x.UserId, $"xp:{x.UserId}:{x.CauseKey}", AlertText.Xp(x), null);
                break;
            case AchievementUnlocked a:
                ToUser(into, a.UserId, $"achievement:{a.UserId}:{a.Achievement}", AlertText.Achievement(a), null);
                break;
            case PressPassStarted p:
                ToUser(into, p.UserId, $"presspass:{p.UserId}:{p.ExpiresAtMs}", AlertText.PressPassStarted(p), null);
                break;
            case PressPassEnded p:
                ToUser(into, p.UserId, $"presspass-end:{p.UserId}:{p.TimeMs}", AlertText.PressPassEnded(), null);
                break;
            case SignalResolved { Outcome: var o }:
                ToGroup(into, $"outcome:{o.SignalId}", AlertText.Outcome(_signals.GetValueOrDefault(o.SignalId), o), null);
                _signals.Remove(o.SignalId);
                break;
            case EmergencyStopChanged s:
                ToGroup(into, $"estop:{s.TimeMs}:{s.Stop}", AlertText.EmergencyStop(s.Stop), null);
                break;
        }
    }

    /// <summary>The reminder a day before a press pass ends (the press-pass service calls it once per pass).</summary>
    public void RemindPressPass(long userId, long expiresMs)
    {
        var batch = new List<OutboxItem>();
        ToUser(batch, userId, $"presspass-reminder:{userId}:{expiresMs}", AlertText.PressPassReminder(expiresMs), null);
        Interlocked.Add(ref _queued, outbox.EnqueueMany(batch));
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

    private void ToGroup(List<OutboxItem> into, string key, string text, BotButton? button)
    {
        if (groupChatId is { } group)
        {
            into.Add(new(key, new BotMessage(group, text, button is null ? null : [[button]])));
        }
    }

    private void ToUser(List<OutboxItem> into, long userId, string key, string text, BotButton? button)
    {
        if (recipientOf(userId) is { } r)
        {
            into.Add(new(key, new BotMessage(r.TelegramId, text, button is null ? null : [[button]])));
        }
    }

    private static IReadOnlyList<BotButton> Row(BotButton first, BotButton? second) => second is null ? [first] : [first, second];
}

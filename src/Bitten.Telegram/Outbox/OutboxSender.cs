using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Telegram.Outbox;

/// <summary>
/// The outbox's figures for /healthz and /metrics: since the sender started, what went, what was given up on and why,
/// what was tried again, how often Telegram said 429; and what is waiting now.
/// </summary>
public sealed record OutboxFigures(
    long Sent,
    long Failed,
    IReadOnlyDictionary<string, long> FailedByReason,
    long Retries,
    long FloodWaits,
    long QueueDepth,
    long PausedUntilMs,
    long StoreErrors);

/// <summary>
/// The one sender of every bot message: reads the stored queue in id order and hands each message to Telegram as
/// soon as the <see cref="FloodGate"/> allows, a chat waiting for its second never holding up the others, while one
/// chat's messages keep their order. A 429 pauses all sending for its retry_after (it is the bot's flood control, not
/// one chat's) and the same message goes again; a server or network failure retries that message with exponential
/// backoff; a refusal (400, 403: chat not found, bot blocked) marks it failed with the reason, never to be retried.
/// </summary>
/// <remarks>
/// Stopping lets the send in flight finish and be marked before <see cref="RunAsync"/> returns, so a graceful restart
/// neither loses nor repeats a message. The one window left is a crash during the HTTP call (or before MarkSent
/// commits): Telegram may have the message while the store does not know it, and the next start sends it again. That
/// is at-least-once by necessity: the Bot API has no idempotency key to make a resend harmless.
/// </remarks>
public sealed class OutboxSender
{
    /// <summary>Messages the sender holds in memory at once; a fan-out larger than this is read in pages.</summary>
    public const int Window = 512;

    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>Tries before a message failing for a server or network reason is given up on (about an hour of backoff).</summary>
    public const int MaxAttempts = 20;

    private static readonly TimeSpan StoreRetry = TimeSpan.FromSeconds(1);

    private readonly BotOutbox _outbox;
    private readonly IOutboxStore _store;
    private readonly IBotApi _api;
    private readonly FloodGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<QueuedMessage> _window = new(Window);
    private readonly HashSet<long> _chatsAhead = [];
    private readonly ConcurrentDictionary<string, long> _failedByReason = new(StringComparer.Ordinal);
    private long _lastLoadedId;
    private long _sent;
    private long _failed;
    private long _retries;
    private long _floodWaits;
    private long _storeErrors;

    private readonly TimeSpan? _storePoll;

    /// <param name="storePoll">
    /// How often to look in the store for messages another process stored (a bot edge sends what the engine's process
    /// enqueues, so no in-process signal tells it); null: only this process's enqueues wake the sender.
    /// </param>
    public OutboxSender(BotOutbox outbox, IBotApi api, FloodGate gate, TimeProvider time, ILogger<OutboxSender>? logger = null, TimeSpan? storePoll = null)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(time);
        _outbox = outbox;
        _store = outbox.Store;
        _api = api;
        _gate = gate;
        _time = time;
        _logger = logger ?? NullLogger<OutboxSender>.Instance;
        _storePoll = storePoll;
    }

    /// <summary>Sends until <paramref name="stoppingToken"/> is cancelled, then returns once the send in flight is marked.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var enqueued = _outbox.NextEnqueue;
        var mayHaveMore = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (enqueued.IsCompleted)
                {
                    // Taken before the store is read, so a message stored after the read still wakes the wait below.
                    enqueued = _outbox.NextEnqueue;
                    mayHaveMore = true;
                }

                if (mayHaveMore && _window.Count <= Window / 2)
                {
                    mayHaveMore = Load();
                }

                var now = Now();
                var (index, wakeAt) = Pick(now);
                if (index < 0)
                {
                    var wait = wakeAt - now;
                    if (_storePoll is { } poll && (wait is null || wait > (long)poll.TotalMilliseconds))
                    {
                        wait = (long)poll.TotalMilliseconds;
                        mayHaveMore = true;
                    }

                    await WaitAsync(wait, enqueued, stoppingToken);
                    continue;
                }

                await SendAsync(index);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store (the database) failing must not end the sender. The window is kept as it is: a message
                // sent but not marked (see Mark) must not be read back in and sent again.
                Interlocked.Increment(ref _storeErrors);
                _logger.LogError(e, "Telegram outbox: the queue could not be read; trying again in {Seconds} s", StoreRetry.TotalSeconds);
                mayHaveMore = true;
                await DelayQuietly(StoreRetry, stoppingToken);
            }
        }
    }

    public OutboxFigures Figures()
    {
        long depth;
        try
        {
            depth = _store.PendingCount();
        }
        catch (Exception)
        {
            depth = -1;
        }

        return new OutboxFigures(Interlocked.Read(ref _sent), Interlocked.Read(ref _failed),
            new Dictionary<string, long>(_failedByReason, StringComparer.Ordinal), Interlocked.Read(ref _retries),
            Interlocked.Read(ref _floodWaits), depth, _gate.PausedUntilMs, Interlocked.Read(ref _storeErrors));
    }

    /// <summary>Reads the next page of the queue into the window; false when the store has nothing more.</summary>
    private bool Load()
    {
        var room = Window - _window.Count;
        var rows = _store.Pending(room, _lastLoadedId);
        _window.AddRange(rows);
        if (rows.Count > 0)
        {
            _lastLoadedId = rows[^1].Id;
        }

        return rows.Count == room;
    }

    /// <summary>The first message, in id order, that may go now and has no earlier message of its chat still waiting; else when to look again (null: only a new message can change that).</summary>
    private (int Index, long? WakeAt) Pick(long now)
    {
        var any = _gate.EarliestAny(now);
        if (any > now)
        {
            return (-1, _window.Count > 0 ? any : null);
        }

        _chatsAhead.Clear();
        long? wake = null;
        for (var i = 0; i < _window.Count; i++)
        {
            var row = _window[i];
            if (!_chatsAhead.Add(row.ChatId))
            {
                continue;
            }

            var at = Math.Max(row.NotBeforeMs, _gate.EarliestSend(row.ChatId, now));
            if (at <= now)
            {
                return (i, null);
            }

            wake = wake is { } earlier ? Math.Min(earlier, at) : at;
        }

        return (-1, wake);
    }

    private async Task WaitAsync(long? waitMs, Task enqueued, CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = waitMs is { } ms ? Task.Delay(TimeSpan.FromMilliseconds(ms), _time, stop.Token) : Task.Delay(Timeout.Infinite, stop.Token);
        await Task.WhenAny(delay, enqueued).WaitAsync(stoppingToken);
        // The loser's timer goes with it, rather than firing later into nothing.
        await stop.CancelAsync();
    }

    private async Task SendAsync(int index)
    {
        var row = _window[index];
        BotMessage message;
        try
        {
            message = OutboxPayload.Read(row.ChatId, row.Payload);
        }
        catch (JsonException e)
        {
            Fail(index, row, $"unreadable payload: {e.Message}");
            return;
        }

        var startedAt = Now();
        _gate.Sent(row.ChatId, startedAt);
        long messageId;
        try
        {
            // Not the stopping token: a send begun is finished and marked, so a restart does not repeat it. The HTTP
            // client's timeout bounds how long that can take.
            messageId = await _api.SendAsync(message, CancellationToken.None);
        }
        catch (BotApiException e)
        {
            Refused(index, row, e);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Retry(index, row, e.Message);
            return;
        }

        _window.RemoveAt(index);
        Interlocked.Increment(ref _sent);
        Mark(() => _store.MarkSent(row.Id, Now(), messageId), row, "sent");
    }

    private void Refused(int index, QueuedMessage row, BotApiException e)
    {
        switch (e.ErrorCode)
        {
            case 429:
                var until = Now() + (long)TimeSpan.FromSeconds(Math.Max(1, e.RetryAfterSeconds ?? 1)).TotalMilliseconds;
                _gate.Pause(until);
                Interlocked.Increment(ref _floodWaits);
                Interlocked.Increment(ref _retries);
                _logger.LogWarning("Telegram outbox: 429, all sending paused {Seconds} s", e.RetryAfterSeconds);
                Reschedule(index, row, until, e.Reason);
                break;
            case 400 or 403:
                Fail(index, row, e.Reason);
                break;
            default:
                Retry(index, row, e.Reason);
                break;
        }
    }

    private void Retry(int index, QueuedMessage row, string error)
    {
        if (row.Attempts + 1 >= MaxAttempts)
        {
            Fail(index, row, $"gave up after {MaxAttempts} tries: {error}");
            return;
        }

        Interlocked.Increment(ref _retries);
        Reschedule(index, row, Now() + (long)Backoff(row.Attempts + 1).TotalMilliseconds, error);
    }

    /// <summary>1 s after the first failed try, doubling each time, at most <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Backoff(int attempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        var seconds = FirstBackoff.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxBackoff.TotalSeconds));
    }

    private void Reschedule(int index, QueuedMessage row, long notBeforeMs, string error)
    {
        var again = row with { Attempts = row.Attempts + 1, NotBeforeMs = notBeforeMs };
        _window[index] = again;
        Mark(() => _store.Reschedule(row.Id, notBeforeMs, again.Attempts, error), row, "rescheduled");
    }

    private void Fail(int index, QueuedMessage row, string reason)
    {
        _window.RemoveAt(index);
        Interlocked.Increment(ref _failed);
        _failedByReason.AddOrUpdate(reason, 1, (_, count) => count + 1);
        _logger.LogWarning("Telegram outbox: message {Key} to chat {Chat} failed: {Reason}", row.Key, row.ChatId, reason);
        Mark(() => _store.MarkFailed(row.Id, reason), row, "failed");
    }

    /// <summary>Records the outcome; a store failing here is counted and logged, and the message is not sent again in this run.</summary>
    private void Mark(Action write, QueuedMessage row, string outcome)
    {
        try
        {
            write();
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _storeErrors);
            _logger.LogError(e, "Telegram outbox: message {Key} was {Outcome} but could not be marked so", row.Key, outcome);
        }
    }

    private async Task DelayQuietly(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}

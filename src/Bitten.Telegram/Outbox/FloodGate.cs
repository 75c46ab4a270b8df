namespace Bitten.Telegram.Outbox;

/// <summary>
/// Telegram's flood limits as one pure decision: when may the next message to a chat go. Three limits at once: all
/// chats together at <c>MessagesPerSecond</c> (a token bucket with a small burst, so a sender a few milliseconds late
/// catches up instead of losing the time), one private chat at most once per <c>PerChatInterval</c>, one group (a
/// negative chat id) at most <c>GroupMessagesPerMinute</c> in any rolling minute; and a pause for all, after a 429.
/// Times are Unix milliseconds passed in; nothing here reads a clock. One sender owns it: not thread-safe.
/// </summary>
public sealed class FloodGate
{
    private const long Minute = 60_000;
    private const int PruneEvery = 4096;

    private readonly double _intervalMs;
    private readonly double _burstSlackMs;
    private readonly long _perChatMs;
    private readonly int _groupPerMinute;
    private readonly Dictionary<long, long> _lastPrivate = [];
    private readonly Dictionary<long, Queue<long>> _groupSends = [];

    // The bucket as its "theoretical arrival time" (GCRA): the instant the bucket would be empty again had every
    // message so far gone at the rate; a send is allowed while now is within the burst's slack of it.
    private double _theoreticalArrival = double.NegativeInfinity;
    private int _sinceLastPrune;

    /// <param name="burst">Messages that may go back to back over all chats; default a tenth of a second's worth, at least 1.</param>
    public FloodGate(double messagesPerSecond, TimeSpan perChatInterval, int groupMessagesPerMinute, int? burst = null)
    {
        if (messagesPerSecond is <= 0 || double.IsNaN(messagesPerSecond) || double.IsInfinity(messagesPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(messagesPerSecond), "must be above 0");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(perChatInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(groupMessagesPerMinute, 1);
        Burst = burst ?? Math.Max(1, (int)(messagesPerSecond / 10));
        ArgumentOutOfRangeException.ThrowIfLessThan(Burst, 1, nameof(burst));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Burst, Math.Max(1, (int)Math.Ceiling(messagesPerSecond)), nameof(burst));
        _intervalMs = 1000 / messagesPerSecond;
        _burstSlackMs = (Burst - 1) * _intervalMs;
        _perChatMs = (long)perChatInterval.TotalMilliseconds;
        _groupPerMinute = groupMessagesPerMinute;
    }

    public static FloodGate From(TelegramOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new FloodGate(options.MessagesPerSecond, options.PerChatInterval, options.GroupMessagesPerMinute);
    }

    public int Burst { get; }

    /// <summary>Until when a 429 holds all sending (0 when it never did).</summary>
    public long PausedUntilMs { get; private set; }

    /// <summary>Groups and supergroups have negative chat ids; users positive ones.</summary>
    public static bool IsGroup(long chatId) => chatId < 0;

    /// <summary>The earliest time at or after <paramref name="nowMs"/> that any message may go: the overall rate and a pause.</summary>
    public long EarliestAny(long nowMs)
    {
        var bucket = (long)Math.Ceiling(_theoreticalArrival - _burstSlackMs);
        return Math.Max(nowMs, Math.Max(PausedUntilMs, bucket));
    }

    /// <summary>The earliest time at or after <paramref name="nowMs"/> that a message to the chat may go.</summary>
    public long EarliestSend(long chatId, long nowMs)
    {
        var any = EarliestAny(nowMs);
        if (IsGroup(chatId))
        {
            return _groupSends.TryGetValue(chatId, out var sends) && CountWithinMinute(sends, nowMs) >= _groupPerMinute
                ? Math.Max(any, OldestWithinMinute(sends, nowMs) + Minute)
                : any;
        }

        return _lastPrivate.TryGetValue(chatId, out var last) ? Math.Max(any, last + _perChatMs) : any;
    }

    /// <summary>A message to the chat went at <paramref name="nowMs"/> (whatever Telegram answered: it counted).</summary>
    public void Sent(long chatId, long nowMs)
    {
        _theoreticalArrival = Math.Max(_theoreticalArrival, nowMs) + _intervalMs;
        if (IsGroup(chatId))
        {
            if (!_groupSends.TryGetValue(chatId, out var sends))
            {
                _groupSends[chatId] = sends = new Queue<long>();
            }

            while (sends.Count > 0 && sends.Peek() <= nowMs - Minute)
            {
                sends.Dequeue();
            }

            sends.Enqueue(nowMs);
        }
        else
        {
            _lastPrivate[chatId] = nowMs;
        }

        if (++_sinceLastPrune >= PruneEvery)
        {
            Prune(nowMs);
        }
    }

    /// <summary>Telegram said 429: nothing goes before <paramref name="untilMs"/>. A shorter pause never shortens a longer one.</summary>
    public void Pause(long untilMs) => PausedUntilMs = Math.Max(PausedUntilMs, untilMs);

    /// <summary>How many chats the gate still remembers (a fan-out to 10,000 users must not keep 10,000 forever).</summary>
    public int RememberedChats => _lastPrivate.Count + _groupSends.Count;

    private static int CountWithinMinute(Queue<long> sends, long nowMs)
    {
        var count = 0;
        foreach (var at in sends)
        {
            if (at > nowMs - Minute)
            {
                count++;
            }
        }

        return count;
    }

    private static long OldestWithinMinute(Queue<long> sends, long nowMs)
    {
        foreach (var at in sends)
        {
            if (at > nowMs - Minute)
            {
                return at;
            }
        }

        return nowMs - Minute;
    }

    /// <summary>Forgets chats whose limits no longer bind: what they would say is what an unknown chat gets.</summary>
    private void Prune(long nowMs)
    {
        _sinceLastPrune = 0;
        foreach (var (chat, last) in _lastPrivate)
        {
            if (last + _perChatMs <= nowMs)
            {
                _lastPrivate.Remove(chat);
            }
        }

        foreach (var (chat, sends) in _groupSends)
        {
            if (sends.Count == 0 || sends.Last() <= nowMs - Minute)
            {
                _groupSends.Remove(chat);
            }
        }
    }
}

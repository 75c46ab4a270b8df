using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Engine.Tracking;
using Bitten.Web.Api;

namespace Bitten.Web.ReadModels;

/// <summary>
/// The pattern analytics report of each window with its serialised body, rebuilt only when what it is made of
/// changes: the history snapshot or the switchboard's states (both are new objects exactly when a signal, an outcome
/// or a pattern state changed, so their identity is the version), or the second of the clock (the windows slide and
/// the body says when it was generated). A request in between writes the cached bytes.
/// </summary>
public sealed class AnalyticsReadModel(WebServices services)
{
    private readonly Entry?[] _entries = new Entry?[Enum.GetValues<AnalyticsWindow>().Length];
    private readonly Lock[] _rebuilding = [.. Enum.GetValues<AnalyticsWindow>().Select(_ => new Lock())];

    /// <summary>One built report: its inputs (compared by identity), the report and its JSON.</summary>
    public sealed record Entry(IReadOnlyList<TrackedSignal> History, PatternStates States, long Second, PatternAnalyticsReport Report, byte[] Json);

    /// <summary>Times a report was built (a test and /metrics can see the cache work).</summary>
    public long Builds => Interlocked.Read(ref _builds);

    private long _builds;

    /// <summary>The window's current report, or null when the host has no signal history.</summary>
    public Entry? Current(AnalyticsWindow window)
    {
        if (services.History is not { } source)
        {
            return null;
        }

        var history = source();
        var states = AnalyticsApi.States(services);
        var nowMs = UnixMs.Now(services.Clock);
        var second = nowMs / UnixMs.Second;
        var slot = (int)window;
        var cached = Volatile.Read(ref _entries[slot]);
        if (IsFor(cached, history, states, second))
        {
            return cached;
        }

        // One request rebuilds; the others meanwhile answer with the previous body rather than all building the same.
        if (cached is not null && !_rebuilding[slot].TryEnter())
        {
            return cached;
        }

        if (cached is null)
        {
            _rebuilding[slot].Enter();
        }

        try
        {
            cached = Volatile.Read(ref _entries[slot]);
            if (IsFor(cached, history, states, second))
            {
                return cached;
            }

            var report = PatternAnalytics.Build(history, nowMs, window, states);
            var entry = new Entry(history, states, second, report, Serialize(report));
            Interlocked.Increment(ref _builds);
            Volatile.Write(ref _entries[slot], entry);
            return entry;
        }
        finally
        {
            _rebuilding[slot].Exit();
        }
    }

    /// <summary>The body of a report, exactly as the route writes it.</summary>
    public static byte[] Serialize(PatternAnalyticsReport report) => JsonSerializer.SerializeToUtf8Bytes(AnalyticsApi.Body(report), ApiJson.Options);

    private static bool IsFor(Entry? entry, IReadOnlyList<TrackedSignal> history, PatternStates states, long second) =>
        entry is not null && entry.Second == second && ReferenceEquals(entry.History, history) && ReferenceEquals(entry.States, states);
}

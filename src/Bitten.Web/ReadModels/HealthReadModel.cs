using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Web.Api;

namespace Bitten.Web.ReadModels;

/// <summary>
/// The /healthz body, serialised once and written as is until one of its inputs moves: the uptime second, the
/// history snapshot or pattern states (by identity), a component's report (<see cref="ComponentHealth.Version"/>),
/// the slot and EA figures or the event log's figures. Probes at any rate cost a comparison, not a report.
/// </summary>
public sealed class HealthReadModel(WebServices services)
{
    private readonly long _startedMs = UnixMs.Now(services.Clock);

    /// <summary>When the web host was built (uptime counts from here).</summary>
    public long StartedMs => _startedMs;
    private readonly Lock _rebuilding = new();
    private Cached? _cached;
    private long _builds;

    /// <summary>Times the body was built.</summary>
    public long Builds => Interlocked.Read(ref _builds);

    public byte[] Current()
    {
        var nowMs = UnixMs.Now(services.Clock);
        var key = KeyAt(nowMs);
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && cached.Key == key)
        {
            return cached.Json;
        }

        lock (_rebuilding)
        {
            cached = Volatile.Read(ref _cached);
            if (cached is not null && cached.Key == key)
            {
                return cached.Json;
            }

            var json = JsonSerializer.SerializeToUtf8Bytes(HealthApi.Body(services, _startedMs, nowMs), ApiJson.Options);
            Interlocked.Increment(ref _builds);
            Volatile.Write(ref _cached, new Cached(key, json));
            return json;
        }
    }

    private Key KeyAt(long nowMs)
    {
        return new Key(
            (nowMs - _startedMs) / UnixMs.Second,
            services.History?.Invoke(),
            services.PatternStates?.Invoke(),
            services.Health?.Version ?? 0,
            services.Kernel.State,
            services.Figures?.Invoke(),
            services.EventLog?.Invoke(),
            services.Curve?.Invoke().Refused ?? 0);
    }

    private readonly record struct Key(
        long UptimeSecond,
        object? History,
        object? States,
        long HealthVersion,
        ComponentState KernelState,
        HealthFigures? Figures,
        EventLogFigures? Log,
        long CurveRefused);

    private sealed record Cached(Key Key, byte[] Json);
}

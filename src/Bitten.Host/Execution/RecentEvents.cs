using Bitten.Domain.Events;
using Bitten.Web;
using Bitten.Wire.Events;

namespace Bitten.Host.Execution;

/// <summary>
/// The last events the recorder wrote, for the Throne's event list: a bounded ring filled on the kernel thread and read
/// on request threads. It keeps the immutable records and describes them only when read, so recording costs no sentence.
/// </summary>
public sealed class RecentEvents(int capacity = RecentEvents.DefaultCapacity)
{
    public const int DefaultCapacity = 50;

    private readonly Lock _gate = new();
    private readonly (string Type, TradingEvent Event)[] _ring = new (string, TradingEvent)[Math.Max(1, capacity)];
    private long _added;

    public void Add(string eventType, TradingEvent e)
    {
        lock (_gate)
        {
            _ring[_added % _ring.Length] = (eventType, e);
            _added++;
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<RecentEvent> Snapshot()
    {
        (string Type, TradingEvent Event)[] held;
        lock (_gate)
        {
            var count = (int)Math.Min(_added, _ring.Length);
            held = new (string, TradingEvent)[count];
            for (var i = 0; i < count; i++)
            {
                held[i] = _ring[(_added - 1 - i) % _ring.Length];
            }
        }

        return [.. held.Select(h => new RecentEvent(h.Type, h.Event.TimeMs, TradingEventJson.Describe(h.Event)))];
    }
}

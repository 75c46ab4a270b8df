using System.Collections.Concurrent;
using Bitten.Domain.Market;

namespace Bitten.Simulation.Replay;

/// <summary>
/// A <see cref="TickStream"/> read ahead on a thread of its own: inflating and parsing the files overlaps the
/// kernel's work on the blocks before. The blocks come out in the stream's order, each with the stream's progress
/// as it was just after the block was read, so the replay sees exactly what it would reading the stream itself.
/// The reader owns no trading state; a few pooled blocks go round between the two threads, so memory stays bounded.
/// </summary>
internal sealed class TickPrefetch : IDisposable
{
    private const int Blocks = 4;
    private readonly BlockingCollection<Tick[]> _empty = new(Blocks);
    private readonly BlockingCollection<(Tick[] Block, int Count, ReplayProgress Progress)> _full = new(Blocks);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Exception? _error;
    private Tick[]? _lent;

    public TickPrefetch(TickStream stream, int blockTicks)
    {
        for (var i = 0; i < Blocks; i++)
        {
            _empty.Add(new Tick[blockTicks]);
        }

        _thread = new Thread(() => Produce(stream)) { IsBackground = true, Name = "replay reader" };
        _thread.Start();
    }

    /// <summary>The next block (valid until the next call) and its count, 0 at the end; a reader's failure is thrown here.</summary>
    public int Next(out ReadOnlySpan<Tick> block, out ReplayProgress progress)
    {
        if (_lent is { } done)
        {
            _empty.Add(done);
            _lent = null;
        }

        var (array, count, at) = _full.Take();
        if (count < 0)
        {
            throw new InvalidOperationException("reading the ticks failed", _error);
        }

        _lent = array;
        block = array.AsSpan(0, count);
        progress = at;
        return count;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _empty.Dispose();
        _full.Dispose();
    }

    private void Produce(TickStream stream)
    {
        try
        {
            while (true)
            {
                var block = _empty.Take(_stop.Token);
                var count = stream.Read(block);
                _full.Add((block, count, stream.Progress), _stop.Token);
                if (count == 0)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _error = e;
            _full.Add(([], -1, default));
        }
    }
}

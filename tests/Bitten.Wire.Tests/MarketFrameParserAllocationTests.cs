using System.Globalization;
using Bitten.Domain.Primitives;
using Bitten.Wire.Ea;

namespace Bitten.Wire.Tests;

public class MarketFrameParserAllocationTests
{
    private const int Frames = 10_000;

    [Fact]
    public void ParsingTenThousandValidTicksAllocatesNothing()
    {
        var frames = BuildFrames();
        var scratch = new byte[MarketFrameParser.ScratchBytes];
        var expectedChecksum = 0.0;
        foreach (var (_, bid, _) in frames)
        {
            expectedChecksum += bid;
        }

        // Warm-up: JIT and tiering for every path the measured loop takes.
        for (var round = 0; round < 3; round++)
        {
            Run(frames, scratch, out _, out _);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(frames, scratch, out var valid, out var checksum);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(Frames, valid);
        Assert.Equal(expectedChecksum, checksum);
        Assert.Equal(0, allocated);
    }

    private static void Run((byte[] Json, double Bid, long Ms)[] frames, byte[] scratch, out int valid, out double checksum)
    {
        valid = 0;
        checksum = 0;
        for (var i = 0; i < frames.Length; i++)
        {
            if (MarketFrameParser.Parse(frames[i].Json, scratch, out var frame) == RejectReason.None
                && frame.Symbol.Length > 0 && frame.TimestampMs == frames[i].Ms)
            {
                valid++;
                checksum += frame.Bid;
            }
        }
    }

    /// <summary>v2.05 frames from the writer (epoch ms), seed frames (epoch seconds) and v2.05 frames with broker time, interleaved.</summary>
    private static (byte[] Json, double Bid, long Ms)[] BuildFrames()
    {
        var writer = new EaMessageWriter();
        var random = new Random(7);
        var frames = new (byte[] Json, double Bid, long Ms)[Frames];
        var time = new DateTimeOffset(2025, 9, 15, 19, 41, 16, TimeSpan.Zero);
        for (var i = 0; i < Frames; i++)
        {
            time = time.AddSeconds(1);
            var ms = time.ToUnixTimeMilliseconds();
            var bid = Math.Round(1.17 + (random.NextDouble() * 0.01), 5);
            var ask = Math.Round(bid + 0.00002, 5);
            var json = (i % 3) switch
            {
                0 => writer.Tick("user-1", "node-7", "EURUSD", bid, ask, 2.0, ms).ToArray(),
                1 => Bitten.Wire.Tests.Frames.Utf8(string.Create(CultureInfo.InvariantCulture,
                    $$"""{"type":"tick","symbol":"eurusd","bid":{{bid}},"ask":{{ask}},"spread":2.0,"volume":0,"timestamp":{{ms / 1000}}}""")),
                _ => Bitten.Wire.Tests.Frames.Utf8(string.Create(CultureInfo.InvariantCulture,
                    $$"""{"type":"TICK","node_id":"node-7","user_uuid":"user-1","symbol":"EURUSD","bid":{{bid}},"ask":{{ask}},"spread":2.0,"volume":0,"timestamp":"{{time:yyyy.MM.dd HH:mm:ss}}"}""")),
            };
            frames[i] = (json, bid, ms);
        }

        return frames;
    }
}

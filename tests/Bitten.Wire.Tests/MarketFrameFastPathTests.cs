using System.Text;
using Bitten.Domain.Primitives;
using Bitten.Wire.Ea;
using static Bitten.Wire.Tests.Frames;

namespace Bitten.Wire.Tests;

/// <summary>
/// The flat-frame fast path must agree with the Utf8JsonReader path on every frame it takes: same reason, same
/// fields. Differential tests over the frames the EAs send and over random mutations of them.
/// </summary>
public sealed class MarketFrameFastPathTests
{
    private static readonly byte[] Interesting = [.. "{}[]\",:\\ .-+eE0123456789tnfu"u8, 0x00, 0x7F, 0x80, 0xC3, 0xFF, (byte)'\t'];

    [Fact]
    public void TakesEveryFrameTheEasSend()
    {
        foreach (var frame in ValidMarketFrames)
        {
            Assert.True(MarketFrameParser.TryParseFlat(Utf8(frame), out _, out var reason), frame);
            Assert.Equal(RejectReason.None, reason);
        }
    }

    [Theory]
    [InlineData("""{"type":"TICK","symbol":"EUR\u0055SD","bid":1.1,"ask":1.2,"timestamp":1700000000}""")]
    [InlineData("""{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1700000000,"extra":{"a":[1,2]}}""")]
    [InlineData("""{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":17000""")]
    [InlineData("""{"type":"TICK","symbol":"EURUSD","bid":01.1,"ask":1.2,"timestamp":1700000000}""")]
    [InlineData("""{"type":"TICK","symbol":"EURUSD","bid":1.,"ask":1.2,"timestamp":1700000000}""")]
    [InlineData("""{"type":"TICK","symbol":"EURUSD","bid":1.1 "ask":1.2,"timestamp":1700000000}""")]
    [InlineData("""{"type":"TICK","symbol":"EURÜSD","bid":1.1,"ask":1.2,"timestamp":1700000000}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"type":"TICK",}""")]
    [InlineData("""{"type":"TICK","bid":truex}""")]
    public void LeavesAnythingOutsideFlatAsciiObjectsToTheReader(string json)
    {
        Assert.False(MarketFrameParser.TryParseFlat(Utf8(json), out _, out _));
    }

    [Theory]
    [InlineData("1.38676")]
    [InlineData("1291.677")]
    [InlineData("0.00001234")]
    [InlineData("-0")]
    [InlineData("1399248000292")]
    [InlineData("123456789012345")]
    [InlineData("1234567890123456789")]
    [InlineData("1.2345678901234567")]
    [InlineData("1e-7")]
    [InlineData("2.5E+3")]
    [InlineData("1e400")]
    [InlineData("0.1")]
    [InlineData("0.3")]
    [InlineData("9007199254740993")]
    public void ReadsNumbersExactlyAsTheReaderDoes(string number)
    {
        var json = Utf8($$"""{"type":"TICK","symbol":"EURUSD","bid":{{number}},"ask":{{number}},"timestamp":1700000000}""");
        AssertSameOutcome(json);
    }

    [Fact]
    public void RandomNumbersParseToTheSameDoubleAsTheReader()
    {
        var random = new Random(1);
        for (var i = 0; i < 20_000; i++)
        {
            var digits = random.Next(1, 18);
            var text = new StringBuilder();
            for (var d = 0; d < digits; d++)
            {
                text.Append((char)('0' + random.Next(d == 0 ? 1 : 0, 10)));
            }

            var point = random.Next(0, digits + 1);
            if (point > 0 && point < digits)
            {
                text.Insert(point, '.');
            }

            AssertSameOutcome(Utf8($$"""{"type":"TICK","symbol":"EURUSD","bid":{{text}},"ask":{{text}},"timestamp":1700000000}"""));
        }
    }

    [Fact]
    public void AgreesWithTheReaderOnRandomMutations()
    {
        var random = new Random(5557);
        var originals = ValidMarketFrames.Select(Utf8).ToArray();
        var taken = 0;
        for (var i = 0; i < 40_000; i++)
        {
            var mutated = originals[random.Next(originals.Length)].ToList();
            for (var m = random.Next(1, 4); m > 0 && mutated.Count > 0; m--)
            {
                var at = random.Next(mutated.Count);
                switch (random.Next(4))
                {
                    case 0: mutated[at] = Interesting[random.Next(Interesting.Length)]; break;
                    case 1: mutated.RemoveAt(at); break;
                    case 2: mutated.Insert(at, Interesting[random.Next(Interesting.Length)]); break;
                    default: mutated.RemoveRange(at, mutated.Count - at); break;
                }
            }

            if (AssertSameOutcome([.. mutated]))
            {
                taken++;
            }
        }

        // The fast path must really be exercised, not just fall back every time.
        Assert.True(taken > 5_000, $"fast path took only {taken} of 40000 mutations");
    }

    /// <summary>Asserts both paths agree; returns whether the fast path took the frame.</summary>
    private static bool AssertSameOutcome(byte[] json)
    {
        var scratch = new byte[MarketFrameParser.ScratchBytes];
        var slow = MarketFrameParser.ParseWithReader(json, scratch, out var expected);
        if (!MarketFrameParser.TryParseFlat(json, out var actual, out var fast))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(json);
        Assert.True(slow == fast, $"reader says {slow}, fast path says {fast}: {text}");
        if (slow == RejectReason.None)
        {
            Assert.Equal(expected.Type, actual.Type);
            Assert.True(expected.Symbol.SequenceEqual(actual.Symbol), text);
            Assert.True(expected.Source.SequenceEqual(actual.Source), text);
            Assert.Equal(expected.Bid, actual.Bid);
            Assert.Equal(expected.Ask, actual.Ask);
            Assert.Equal(expected.Spread, actual.Spread);
            Assert.Equal(expected.Volume, actual.Volume);
            Assert.Equal(expected.TimestampMs, actual.TimestampMs);
            Assert.Equal(expected.TimestampKind, actual.TimestampKind);
            Assert.Equal(expected.Timeframe, actual.Timeframe);
            Assert.Equal(expected.BarOpenTimeMs, actual.BarOpenTimeMs);
            Assert.Equal((expected.Open, expected.High, expected.Low, expected.Close), (actual.Open, actual.High, actual.Low, actual.Close));
            Assert.Equal(expected.TickVolume, actual.TickVolume);
            Assert.Equal((expected.HasUtcOffset, expected.UtcOffsetSeconds), (actual.HasUtcOffset, actual.UtcOffsetSeconds));
        }

        return true;
    }
}

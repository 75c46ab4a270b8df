using Bitten.Domain.Primitives;
using Bitten.Wire.Ea;
using static Bitten.Wire.Tests.Frames;

namespace Bitten.Wire.Tests;

public class MarketFrameFuzzTests
{
    private const int Mutations = 20_000;

    /// <summary>Bytes that matter to a JSON reader, so mutations hit structure and not only content.</summary>
    private static readonly byte[] AsciiInteresting = [.. "{}[]\",:\\ .-+eE0123456789tnfu"u8];

    private static readonly byte[] Interesting = [.. AsciiInteresting, 0x00, 0x80, 0xC3, 0xFF];

    [Fact]
    public void RandomMutationsOfValidFramesNeverThrowAndAlwaysGiveADefinedReason()
    {
        var random = new Random(5556);
        var originals = ValidMarketFrames.Select(Utf8).ToArray();
        var scratch = new byte[MarketFrameParser.ScratchBytes];
        var seen = new HashSet<RejectReason>();
        for (var i = 0; i < Mutations; i++)
        {
            var mutated = Mutate(originals[random.Next(originals.Length)], random);
            RejectReason reason;
            try
            {
                reason = MarketFrameParser.Parse(mutated, scratch, out var frame);
                if (reason == RejectReason.None)
                {
                    AssertPlausible(ref frame, mutated);
                }
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {i} threw {e.GetType().Name}: {e.Message}\n{Convert.ToHexString(mutated)}");
                throw;
            }

            Assert.True(Array.IndexOf(ParserReasons, reason) >= 0, $"mutation {i} gave {reason}, which the parser should never produce");
            seen.Add(reason);
        }

        // The mutations must reach deep enough to exercise both outcomes and several distinct rules.
        Assert.Contains(RejectReason.None, seen);
        Assert.Contains(RejectReason.NotJson, seen);
        Assert.Contains(RejectReason.Truncated, seen);
        Assert.True(seen.Count >= 6, $"only {string.Join(", ", seen)} seen");
    }

    [Fact]
    public void RandomAsciiMutationsNeverMakeTheRecordParserThrow()
    {
        // ASCII only: invalid UTF-8 is a known src bug, covered by InvalidUtf8IsRejectedWithoutThrowing below.
        var random = new Random(5558);
        var originals = ValidMarketFrames.Select(Utf8).Concat(EaMessageParserTests.CommandFrames.Select(Utf8)).ToArray();
        var valid = 0;
        for (var i = 0; i < Mutations / 4; i++)
        {
            var mutated = Mutate(originals[random.Next(originals.Length)], random, asciiOnly: true);
            EaParseResult result = default;
            var error = Record.Exception(() => result = EaMessageParser.Parse(mutated));

            Assert.True(error is null, $"mutation {i} threw {error?.GetType().Name}: {error?.Message}\n{Text(mutated)}");
            Assert.Equal(result.IsValid, result.Message is not null);
            Assert.True(Enum.IsDefined(result.Reason), $"mutation {i} gave undefined reason {(int)result.Reason}");
            valid += result.IsValid ? 1 : 0;
        }

        Assert.InRange(valid, 1, (Mutations / 4) - 1);
    }

    [Theory]
    [InlineData("""{"type":"TICK","symbol":"EUR\u0000","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    [InlineData("""{"type":"TICK","symbol":"EUR\x","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    [InlineData("""{"type":"TICK","symbol":"EUR\","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    [InlineData("""{"type":"TICK","symbol":"EUR\u00","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    [InlineData("""{"type":"TICK","symbol":"EUR\uD83D\uDE00","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    [InlineData("""{"type":"TICK","user_uuid":"\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041","symbol":"\u0045\u0055\u0052","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    [InlineData("""{"type":"T\u0049CK","user_uuid":"\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041","node_id":"\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041\u0041","symbol":"\u0045\u0055\u0052\u0055\u0053","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    public void OddEscapesNeverThrow(string json)
    {
        var bytes = Utf8(json);
        RejectReason reason = default;

        var error = Record.Exception(() => reason = MarketFrameParser.Parse(bytes, new byte[MarketFrameParser.ScratchBytes], out _));

        Assert.Null(error);
        Assert.Contains(reason, ParserReasons);
        Assert.Null(Record.Exception(() => EaMessageParser.Parse(bytes)));
    }

    [Theory]
    [InlineData("""{"type":"TICK","symbol":"EUR\uD800","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    [InlineData("""{"type":"TICK","symbol":"EUR\uDC00USD","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    [InlineData("""{"type":"TICK","user_uuid":"u\uD800","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    [InlineData("""{"type":"TICK","\uD800":1,"symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    [InlineData("""{"type":"pong","ping_id":"p\uD800"}""")]
    public void LoneSurrogateEscapesAreRejectedWithoutThrowing(string json)
    {
        var bytes = Utf8(json);
        RejectReason reason = default;
        EaParseResult result = default;

        Assert.Null(Record.Exception(() => reason = MarketFrameParser.Parse(bytes, new byte[MarketFrameParser.ScratchBytes], out _)));
        Assert.Null(Record.Exception(() => result = EaMessageParser.Parse(bytes)));
        Assert.Contains(reason, ParserReasons);
        Assert.Contains(result.Reason, ParserReasons);
    }

    [Fact]
    public void InvalidUtf8IsRejectedWithoutThrowing()
    {
        byte[][] frames =
        [
            [.. "{\"type\":\"TICK\",\"symbol\":\"EUR"u8, 0xFF, 0xFE, .. "\",\"bid\":1.1,\"ask\":1.2,\"timestamp\":1757965276}"u8],
            [.. "{\"type\":\"TICK\",\"symbol\":\"EUR\\u0041"u8, 0xC3, .. "\",\"bid\":1.1,\"ask\":1.2,\"timestamp\":1757965276}"u8],
            [.. "{\"type\":\"TI"u8, 0x80, .. "CK\",\"symbol\":\"EURUSD\",\"bid\":1.1,\"ask\":1.2,\"timestamp\":1757965276}"u8],
            [.. "{\"ty"u8, 0xE2, 0x82, .. "pe\":\"TICK\",\"symbol\":\"EURUSD\",\"bid\":1.1,\"ask\":1.2,\"timestamp\":1757965276}"u8],
            [.. "{\"type\":\"pong\",\"ping_id\":\"p"u8, 0xFF, .. "\"}"u8],
        ];
        foreach (var frame in frames)
        {
            RejectReason reason = default;
            var error = Record.Exception(() => reason = MarketFrameParser.Parse(frame, new byte[MarketFrameParser.ScratchBytes], out _));

            Assert.True(error is null, $"{Convert.ToHexString(frame)} threw {error?.GetType().Name}: {error?.Message}");
            Assert.Contains(reason, ParserReasons);
            Assert.Null(Record.Exception(() => EaMessageParser.Parse(frame)));
        }
    }

    private static void AssertPlausible(ref MarketFrame frame, byte[] input)
    {
        Assert.True(frame.Type != EaMessageType.Unknown, $"valid frame of unknown type: {Text(input)}");
        if (frame.Type is EaMessageType.Tick or EaMessageType.Ohlc)
        {
            Assert.True(!frame.Symbol.IsEmpty && frame.Symbol.Length <= SymbolRegistry.MaxSymbolBytes, $"bad symbol accepted: {Text(input)}");
        }

        if (frame.Type == EaMessageType.Tick)
        {
            Assert.True(double.IsFinite(frame.Bid) && double.IsFinite(frame.Ask) && frame.TimestampMs > 0, $"bad tick accepted: {Text(input)}");
            Assert.True(frame.TimestampKind != TimestampKind.None, $"tick without timestamp kind accepted: {Text(input)}");
        }

        if (frame.Type == EaMessageType.Ohlc)
        {
            Assert.True(frame.High >= Math.Max(frame.Open, frame.Close) && frame.Low <= Math.Min(frame.Open, frame.Close) && frame.Low > 0,
                $"inconsistent bar accepted: {Text(input)}");
        }
    }

    private static byte[] Mutate(byte[] original, Random random, bool asciiOnly = false)
    {
        var alphabet = asciiOnly ? AsciiInteresting : Interesting;
        var bytes = new List<byte>(original);
        var edits = 1 + random.Next(3);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0: // replace with a random byte
                    bytes[at] = (byte)random.Next(asciiOnly ? 32 : 0, asciiOnly ? 127 : 256);
                    break;
                case 1: // replace with a structural byte
                    bytes[at] = alphabet[random.Next(alphabet.Length)];
                    break;
                case 2: // insert a structural byte
                    bytes.Insert(at, alphabet[random.Next(alphabet.Length)]);
                    break;
                case 3: // delete a run
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8)));
                    break;
                case 4: // duplicate a run
                    var length = Math.Min(bytes.Count - at, 1 + random.Next(16));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 5: // flip one bit
                    bytes[at] ^= (byte)(1 << random.Next(asciiOnly ? 5 : 8));
                    break;
                default: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}

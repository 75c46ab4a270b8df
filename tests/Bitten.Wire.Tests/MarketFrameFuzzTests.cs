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
    [InlineData("""{"type":"TICK","symbol":"EURUSD","note":"\uD800","bid":1.1,"ask":1.2,"timestamp":1757965276}""")]
    [InlineData("""{"type":"TICK","symbol":"EURUSD","bid":1.1,"ask":1.2,"timestamp":1757965276,"x":{"y":["\uDE00\uD83D"]}}""")]
    [InlineData("""{"type":"heartbeat","\uD83Dx":1}""")]
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
        Assert.NotEqual(RejectReason.None, reason);
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
            [.. "{\"type\":\"TICK\",\"symbol\":\"EURUSD\",\"note\":\""u8, 0xED, 0xA0, 0x80, .. "\",\"bid\":1.1,\"ask\":1.2,\"timestamp\":1757965276}"u8],
            [.. "{\"type\":\"TICK\",\"symbol\":\"EURUSD\",\"bid\":1.1,\"ask\":1.2,\"timestamp\":1757965276,\"x\":[\""u8, 0xC0, 0xAF, .. "\"]}"u8],
            [.. "{\"type\":\"heartbeat\",\""u8, 0xF8, .. "\":1}"u8],
        ];
        foreach (var frame in frames)
        {
            RejectReason reason = default;
            var error = Record.Exception(() => reason = MarketFrameParser.Parse(frame, new byte[MarketFrameParser.ScratchBytes], out _));

            Assert.True(error is null, $"{Convert.ToHexString(frame)} threw {error?.GetType().Name}: {error?.Message}");
            Assert.True(reason != RejectReason.None, $"{Convert.ToHexString(frame)} was accepted");
            Assert.Contains(reason, ParserReasons);
            Assert.Null(Record.Exception(() => EaMessageParser.Parse(frame)));
        }
    }

    [Fact]
    public void EveryAcceptedFrameIsUtf8JsonThatAStrictParserReadsWhole()
    {
        // What the bridge republishes must load in any subscriber: random bytes, mutated real frames, frames with an
        // extra field of random bytes or escapes. Whatever the parser accepts must be valid UTF-8 and read whole,
        // every string and name included, by System.Text.Json.
        var random = new Random(5560);
        var originals = ValidMarketFrames.Select(Utf8).ToArray();
        var scratch = new byte[MarketFrameParser.ScratchBytes];
        var accepted = 0;
        var acceptedWithExtras = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var (frame, extra) = (i % 4) switch
            {
                0 => (RandomBytes(random), false),
                1 => (Mutate(originals[random.Next(originals.Length)], random), false),
                _ => (WithExtraField(originals[random.Next(originals.Length)], random), true),
            };
            if (MarketFrameParser.Parse(frame, scratch, out var parsed) != RejectReason.None)
            {
                continue;
            }

            accepted++;
            acceptedWithExtras += extra ? 1 : 0;
            var published = frame.AsSpan().TrimEnd((byte)0).ToArray();
            // Messages built only on failure: 100,000 frames.
            if (!System.Text.Unicode.Utf8.IsValid(published))
            {
                Assert.Fail($"accepted invalid UTF-8: {Convert.ToHexString(published)}");
            }

            if (!ReadsWhole(published))
            {
                Assert.Fail($"accepted what System.Text.Json cannot read whole: {Convert.ToHexString(published)}");
            }

            if (parsed.Type is EaMessageType.Tick or EaMessageType.Ohlc && !SymbolRegistry.IsValidName(parsed.Symbol))
            {
                Assert.Fail($"accepted symbol {Convert.ToHexString(parsed.Symbol)}");
            }
        }

        // The stream must really carry accepted frames of every kind, not be refused wholesale.
        Assert.True(accepted > 10_000, $"only {accepted} accepted");
        Assert.True(acceptedWithExtras > 5_000, $"only {acceptedWithExtras} accepted with an extra field");
    }

    /// <summary>A strict, whole read: the document, then every property name and string unescaped to .NET text.</summary>
    internal static bool ReadsWhole(byte[] json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            Walk(document.RootElement);
            return true;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return false;
        }

        static void Walk(System.Text.Json.JsonElement element)
        {
            switch (element.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        Walk(property.Value);
                    }

                    break;
                case System.Text.Json.JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
                case System.Text.Json.JsonValueKind.String:
                    _ = element.GetString();
                    break;
            }
        }
    }

    /// <summary>A valid frame with one more field in front: a string of random bytes, escapes, or a nested value holding them.</summary>
    private static byte[] WithExtraField(byte[] original, Random random)
    {
        byte[][] pieces =
        [
            "a"u8.ToArray(), "\\u00e9"u8.ToArray(), "\\uD800"u8.ToArray(), "\\uDC00"u8.ToArray(), "\\uD83D\\uDE00"u8.ToArray(), "\\u0000"u8.ToArray(),
            "\\\\"u8.ToArray(), "\\\""u8.ToArray(), "\\"u8.ToArray(), [0xC3, 0xA9], [0xC3], [0xFF], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xE2, 0x82],
            [0x7F], [0x01],
        ];
        var text = new List<byte>();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            text.AddRange(pieces[random.Next(pieces.Length)]);
        }

        byte[] value = random.Next(3) switch
        {
            0 => [(byte)'"', .. text, (byte)'"'],
            1 => [.. "[\""u8, .. text, .. "\"]"u8],
            _ => [.. "{\""u8, .. text, .. "\":1}"u8],
        };
        return [(byte)'{', .. "\"extra\":"u8, .. value, (byte)',', .. original.AsSpan(1)];
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 64)];
        random.NextBytes(bytes);
        return bytes;
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
            Assert.True(frame.BarOpenTimeMs % Bitten.Domain.Market.Timeframes.DurationMs(frame.Timeframe) == 0, $"misaligned bar accepted: {Text(input)}");
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

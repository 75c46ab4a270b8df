using System.Globalization;
using System.Text;
using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using Bitten.Gateway.Market;
using Bitten.Simulation.Replay;
using Bitten.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Gateway.Tests;

/// <summary>
/// A fuzzed market stream from pyzmq through the bridge: every frame republished on the market-out port must load
/// with Python's own json.loads and name a proper symbol, the set of symbols stays bounded, and the clean ticks mixed
/// into the stream all arrive in order.
/// </summary>
public sealed class RepublishedFrameTests
{
    private const int MaxSymbols = 64;

    // PUSHes the frames of a length-prefixed file, then reads everything the bridge republished up to the sentinel
    // and judges each frame as a foreign subscriber would: bytes → json.loads → a dict with a proper symbol.
    private const string FuzzingEa = """
        import base64, json, re, struct, sys, zmq
        in_ep, out_ep, path, sync_b64, sentinel_b64 = sys.argv[1:6]
        sync, sentinel = base64.b64decode(sync_b64), base64.b64decode(sentinel_b64)
        frames = []
        with open(path, "rb") as f:
            data = f.read()
        at = 0
        while at < len(data):
            (n,) = struct.unpack_from("<i", data, at)
            frames.append(data[at + 4:at + 4 + n])
            at += 4 + n
        ctx = zmq.Context()
        sub = ctx.socket(zmq.SUB); sub.setsockopt(zmq.SUBSCRIBE, b""); sub.setsockopt(zmq.RCVHWM, 0); sub.connect(out_ep)
        push = ctx.socket(zmq.PUSH); push.connect(in_ep)
        poller = zmq.Poller(); poller.register(sub, zmq.POLLIN)
        for attempt in range(200):
            push.send(sync)
            if poller.poll(50):
                break
        else:
            sys.exit("bridge never delivered the sync tick")
        while poller.poll(300):
            sub.recv()
        for frame in frames:
            push.send(frame)
        push.send(sentinel)
        name = re.compile(r"[A-Za-z0-9._#-]{1,32}")
        received, failures, bad_names, symbols, clean = 0, [], [], set(), []
        while True:
            if not poller.poll(20000):
                sys.exit("timed out waiting for the sentinel; received %d" % received)
            msg = sub.recv()
            if msg == sentinel:
                break
            received += 1
            try:
                doc = json.loads(msg)
                if not isinstance(doc, dict):
                    raise ValueError("not an object")
            except Exception as e:
                failures.append(base64.b64encode(msg).decode())
                continue
            if str(doc.get("type", "")).upper() in ("TICK", "OHLC"):
                symbol = doc.get("symbol")
                if not isinstance(symbol, str) or not name.fullmatch(symbol):
                    bad_names.append(repr(symbol))
                else:
                    symbols.add(symbol.upper())
            if doc.get("clean") is not None:
                clean.append(doc["clean"])
        print(json.dumps({"received": received, "failures": failures[:20], "failure_count": len(failures),
                          "bad_names": bad_names[:20], "symbols": sorted(symbols), "clean": clean}))
        """;

    [Fact]
    public async Task EveryFrameRepublishedFromAFuzzedStreamLoadsInPythonAndTheSymbolsStayBounded()
    {
        var real = new TickFile(SharedData.Path("ticks/oanda-fx/eurusd/20140505_quote.zip"), "EURUSD", TickFileFormat.LeanZip,
            new DateOnly(2014, 5, 5), TimeSpan.Zero).Load().Take(2_000).ToArray();
        var random = new Random(5560);
        var frames = new List<byte[]>();
        var cleanSent = 0;
        for (var i = 0; i < 60_000; i++)
        {
            var tick = real[random.Next(real.Length)];
            frames.Add((i % 5) switch
            {
                // MQL5 EAs often send the string's NUL terminator along.
                0 => [.. Tick(real[cleanSent % real.Length], "EURUSD", $",\"clean\":{cleanSent++}"), .. random.Next(2) == 0 ? [] : new byte[] { 0 }],
                1 => RandomBytes(random),
                2 => Mutate(Tick(tick, "EURUSD", ""), random),
                3 => Tick(tick, MadeUpSymbol(random), ""),
                _ => WithExtraField(Tick(tick, "EURUSD", ""), random),
            });
        }

        var path = Path.GetTempFileName();
        await using (var file = File.Create(path))
        {
            foreach (var frame in frames)
            {
                file.Write(BitConverter.GetBytes(frame.Length));
                file.Write(frame);
            }
        }

        var zmq = new ZmqOptions { MarketInPort = 0, MarketOutPort = 0 };
        var symbols = new SymbolRegistry();
        await using var bridge = new MarketBridge(zmq, new BridgeOptions(), new MarketOptions { MaxSymbols = MaxSymbols }, symbols,
            new RecordingTickSink(int.MaxValue), TimeProvider.System, NullLogger.Instance);
        bridge.Start();

        var output = await PyZmq.RunAsync(FuzzingEa, TimeSpan.FromSeconds(120), zmq.ConnectEndpoint(bridge.MarketInPort),
            zmq.ConnectEndpoint(bridge.MarketOutPort), path, Convert.ToBase64String(Tick(real[0], "EURUSD", "")),
            Convert.ToBase64String(Tick(real[^1], "EURUSD", ",\"sentinel\":true")));
        File.Delete(path);
        using var result = JsonDocument.Parse(output);
        var root = result.RootElement;

        var failures = root.GetProperty("failures").EnumerateArray().Select(f => Convert.FromBase64String(f.GetString()!)).ToList();
        Assert.True(failures.Count == 0, $"{root.GetProperty("failure_count").GetInt32()} republished frames fail json.loads, e.g. " +
            string.Join(" | ", failures.Take(3).Select(Convert.ToHexString)));
        Assert.True(root.GetProperty("bad_names").GetArrayLength() == 0, "republished symbols that are no names: " + root.GetProperty("bad_names"));

        // Bounded: the made-up names stop at the allowance (catalogue symbols come on top, always taken).
        var republishedSymbols = root.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.True(symbols.Count <= MaxSymbols, $"{symbols.Count} symbols registered");
        Assert.True(republishedSymbols.Count <= MaxSymbols, $"{republishedSymbols.Count} symbols on the market-out port");
        Assert.True(bridge.Stats.Rejected(RejectReason.TooManySymbols) > 0, "the allowance was never reached");
        Assert.True(bridge.Stats.Rejected(RejectReason.BadSymbol) > 0, "no bad symbol was refused");
        Assert.True(bridge.Stats.Rejected(RejectReason.NotJson) > 0, "no undecodable frame was refused");

        // Nothing good was lost on the way: every clean tick, in order.
        Assert.Equal(Enumerable.Range(0, cleanSent), root.GetProperty("clean").EnumerateArray().Select(c => c.GetInt32()));
        // Beyond the clean ticks, thousands of fuzzed frames must have been accepted and judged, not refused wholesale.
        var received = root.GetProperty("received").GetInt32();
        Assert.True(received > cleanSent + 3_000, $"only {received - cleanSent} fuzzed frames came through to judge");
    }

    private static byte[] Tick(RecordedTick t, string symbol, string extra) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"TICK","symbol":"{{symbol}}","bid":{{t.Bid}},"ask":{{t.Ask}},"timestamp":{{t.TimeMs}}{{extra}}}"""));

    /// <summary>The names a fuzzer finds: broker-like ones (each new) and near-misses with a stray byte or escape.</summary>
    private static string MadeUpSymbol(Random random)
    {
        var name = "EURUSD" + random.Next(100_000).ToString(CultureInfo.InvariantCulture);
        return random.Next(4) switch
        {
            0 => name,
            1 => " " + name[1..],
            2 => "$" + name[1..],
            _ => name + (random.Next(3) switch { 0 => "\\u0001", 1 => "é", _ => "\\uD800" }),
        };
    }

    /// <summary>
    /// The tick with a field no parser rule reads, holding raw bytes a lenient reader lets through (invalid UTF-8,
    /// escapes of lone surrogates) or harmless ones (valid UTF-8, plain text), as the field's string or inside a list.
    /// </summary>
    private static byte[] WithExtraField(byte[] tick, Random random)
    {
        byte[][] pieces =
        [
            "plain"u8.ToArray(), [0xC3, 0xA9], [0xC3], [0xFF], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xE2, 0x82], [0x80],
            "\\uD800"u8.ToArray(), "\\uD83D\\uDE00"u8.ToArray(), "\\u0000"u8.ToArray(),
        ];
        var text = new List<byte>();
        for (var n = random.Next(1, 3); n > 0; n--)
        {
            text.AddRange(pieces[random.Next(pieces.Length)]);
        }

        byte[] value = random.Next(2) == 0 ? [(byte)'"', .. text, (byte)'"'] : [.. "[\""u8, .. text, .. "\"]"u8];
        return [.. tick.AsSpan(0, tick.Length - 1), .. ",\"extra\":"u8, .. value, (byte)'}'];
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 80)];
        random.NextBytes(bytes);
        if (random.Next(2) == 0)
        {
            bytes[0] = (byte)'{';
        }

        return bytes;
    }

    private static byte[] Mutate(byte[] frame, Random random)
    {
        byte[] alphabet = [.. "{}[]\",:\\ .-+eE0123456789"u8, 0x00, 0x80, 0xC3, 0xED, 0xFF];
        var bytes = new List<byte>(frame);
        for (var n = random.Next(1, 4); n > 0 && bytes.Count > 1; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0: bytes[at] = alphabet[random.Next(alphabet.Length)]; break;
                case 1: bytes.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                default: bytes[at] ^= (byte)(1 << random.Next(8)); break;
            }
        }

        return [.. bytes];
    }
}

using System.Text;
using System.Text.Json;
using Bitten.Domain.Primitives;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Gateway;
using Bitten.Gateway.Market;
using Bitten.Simulation.Ea;
using Bitten.Simulation.Replay;
using Bitten.Testing;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Simulation.Tests;

/// <summary>The simulated EA against the real bridge and kernel, and against a ROUTER standing in for the command port.</summary>
public sealed class SimulatedEaTests
{
    [Fact]
    public async Task ReplaysEveryTickThroughTheBridgeIntoCandlesThatMatchTheRecording()
    {
        var files = TickReplay.Discover([SharedData.Path("ticks/oanda-fx/eurusd/20140505_quote.zip")]);
        var recorded = files[0].Load();
        var symbols = new SymbolRegistry();
        var market = new MarketOptions();
        var closed = new CandleCollector();
        await using var kernel = new TradingKernel(TimeProvider.System, market, new KernelOptions());
        kernel.Subscribe(closed);
        kernel.Start();
        var zmq = new ZmqOptions { MarketInPort = 0, MarketOutPort = 0 };
        await using var bridge = new MarketBridge(zmq, new BridgeOptions(), market, symbols, kernel, TimeProvider.System, NullLogger.Instance);
        bridge.Start();

        using var context = new ZmqContext();
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.Bind("tcp://127.0.0.1:*");
        using var confirm = context.CreateSocket(ZmqSocketType.Pull);
        confirm.Bind("tcp://127.0.0.1:*");

        var options = new SimulatedEaOptions
        {
            Uuid = "SIM_TEST_EA",
            MarketPort = bridge.MarketInPort,
            CommandPort = router.BoundPort,
            ConfirmPort = confirm.BoundPort,
            Speed = 0,
        };
        var ea = new SimulatedEa(options, new TickReplay(files), TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = ea.RunAsync(stop.Token);

        // The command port sees HELLO from the EA's identity, with its account and symbol specs.
        router.ReceiveTimeout = 10_000;
        var hello = router.ReceiveMultipart();
        Assert.Equal("SIM_TEST_EA", Encoding.UTF8.GetString(hello[0]));
        var parsed = EaMessageParser.Parse(hello[^1]);
        Assert.True(parsed.IsValid, parsed.Reason.Code());
        var helloMessage = Assert.IsType<EaHello>(parsed.Message);
        Assert.Equal(10_000m, helloMessage.Account.Balance);
        Assert.Equal("EURUSD", Assert.Single(helloMessage.Symbols).Symbol);

        // A ping on the command port is answered with a pong on the confirmation port.
        router.SendMultipart(hello[0], """{"type":"ping","ping_id":"p-42"}"""u8.ToArray());
        confirm.ReceiveTimeout = 10_000;
        var pong = Assert.IsType<EaPong>(EaMessageParser.Parse(confirm.ReceiveFrame()).Message);
        Assert.Equal("p-42", pong.PingId);

        // Once the paper broker has a EURUSD price, a fire is filled: a success confirmation with the fire_id and a ticket.
        await WaitUntil(() => ea.Broker.TryGetQuote("EURUSD", out _, out _));
        router.SendMultipart(hello[0], """{"type":"fire","target_uuid":"SIM_TEST_EA","fire_id":"F-1","symbol":"EURUSD","direction":"BUY","entry":0,"sl":1.1,"tp":1.5,"lot":0.1}"""u8.ToArray());
        var filled = Assert.IsType<FireConfirmation>(EaMessageParser.Parse(confirm.ReceiveFrame()).Message);
        Assert.Equal("F-1", filled.FireId);
        Assert.True(filled.Success, filled.Message);
        Assert.Equal(PaperBroker.FirstTicket, filled.Ticket);

        await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(recorded.Length, ea.TicksSent);
        await WaitUntil(() => bridge.Stats.Received >= recorded.Length + 2); // + handshake and DISCONNECT
        // The bridge thread counts a frame when it takes it and the tick once validated: wait for the last of them too.
        var eurusd = symbols.GetOrAdd("EURUSD");
        await WaitUntil(() => bridge.Stats.Symbol(eurusd).Ticks + bridge.Stats.TotalRejected >= recorded.Length);
        // The bridge counts a tick as it takes it and hands the burst to the kernel when its socket runs dry, a moment
        // later: drain the kernel until the last burst is in (each flush waits for everything posted before it).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        await kernel.FlushAsync();
        while (kernel.Candles.TicksApplied < recorded.Length && DateTime.UtcNow < deadline)
        {
            await kernel.FlushAsync();
        }

        Assert.Equal(0, bridge.Stats.TotalRejected);
        Assert.Equal(recorded.Length, bridge.Stats.Symbol(eurusd).Ticks);
        Assert.Equal(recorded.Length, kernel.Candles.TicksApplied);
        var source = Assert.Single(bridge.Sources.Snapshot());
        Assert.Equal("SIM_TEST_EA", source.Source);
        Assert.True(source.Disconnected);

        // Original timestamps at max speed: the M1 bars are the recording's own minutes.
        var minutes = recorded.Select(t => UnixMs.Floor(t.TimeMs, UnixMs.Minute)).Distinct().Count();
        var m1 = closed.Candles.Where(c => c.Timeframe == Domain.Market.Timeframe.M1).ToList();
        Assert.InRange(m1.Count, minutes - 1, minutes); // the last minute may still be forming
        Assert.Equal(m1.Sum(c => c.TickCount), recorded.Count(t => t.TimeMs < m1[^1].CloseTimeMs));
    }

    [Fact]
    public async Task StartsTheFirstPassAtTheChosenTimeOfDay()
    {
        var files = TickReplay.Discover([SharedData.Path("ticks/oanda-fx/nzdusd/20140506_quote.zip")]);
        var noon = new DateTimeOffset(2014, 5, 6, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var expected = files[0].Load().Count(t => t.TimeMs >= noon);
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("tcp://127.0.0.1:*");
        pull.ReceiveTimeout = 10_000;
        var options = new SimulatedEaOptions
        {
            Uuid = "SIM_NOON",
            MarketPort = pull.BoundPort,
            CommandPort = BindUnused(context, out var router),
            ConfirmPort = pull.BoundPort,
            Speed = 0,
            StartTimeOfDay = TimeSpan.FromHours(12),
        };
        using var commands = router;
        var run = new SimulatedEa(options, new TickReplay(files), TimeProvider.System, NullLogger.Instance).RunAsync(CancellationToken.None);

        var ticks = new List<EaTick>();
        while (true)
        {
            var message = EaMessageParser.Parse(pull.ReceiveFrame()).Message;
            if (message is EaTick tick)
            {
                ticks.Add(tick);
            }
            else if (message is EaTelemetry { Kind: EaMessageType.Disconnect })
            {
                break;
            }
        }

        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(expected, ticks.Count);
        Assert.True(ticks.Min(t => t.TimestampMs) >= noon);
    }

    [Fact]
    public async Task LoopingMovesRecordedTimesForwardByWholeDays()
    {
        var files = TickReplay.Discover([SharedData.Path("ticks/oanda-fx/nzdusd/20140506_quote.zip")]);
        var recorded = files[0].Load();
        using var context = new ZmqContext();
        using var pull = context.CreateSocket(ZmqSocketType.Pull);
        pull.Bind("tcp://127.0.0.1:*");
        pull.ReceiveTimeout = 10_000;
        var options = new SimulatedEaOptions
        {
            Uuid = "SIM_LOOP",
            MarketPort = pull.BoundPort,
            CommandPort = BindUnused(context, out var router),
            ConfirmPort = pull.BoundPort,
            Speed = 0,
            Loop = true,
        };
        using var commands = router;
        using var stop = new CancellationTokenSource();
        var run = new SimulatedEa(options, new TickReplay(files), TimeProvider.System, NullLogger.Instance).RunAsync(stop.Token);

        var times = new List<long>();
        while (times.Count < recorded.Length + 10)
        {
            if (EaMessageParser.Parse(pull.ReceiveFrame()).Message is EaTick tick)
            {
                times.Add(tick.TimestampMs);
            }
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(recorded[0].TimeMs + 86_400_000, times[recorded.Length]);
        Assert.True(times.Zip(times.Skip(1)).All(p => p.First <= p.Second), "time never goes backwards across passes");
    }

    [Fact]
    public async Task FiresOverTheCommandPortAreFilledOnceAndShowInTheHeartbeat()
    {
        var files = TickReplay.Discover([SharedData.Path("ticks/oanda-fx/nzdusd/20140506_quote.zip")]);
        using var context = new ZmqContext();
        using var market = context.CreateSocket(ZmqSocketType.Pull);
        market.Bind("tcp://127.0.0.1:*");
        using var router = context.CreateSocket(ZmqSocketType.Router);
        router.Bind("tcp://127.0.0.1:*");
        router.ReceiveTimeout = 10_000;
        using var confirm = context.CreateSocket(ZmqSocketType.Pull);
        confirm.Bind("tcp://127.0.0.1:*");
        confirm.ReceiveTimeout = 10_000;
        var options = new SimulatedEaOptions
        {
            Uuid = "SIM_FIRE",
            MarketPort = market.BoundPort,
            CommandPort = router.BoundPort,
            ConfirmPort = confirm.BoundPort,
            Speed = 60, // slow enough that the replay outlives the test, which stops it
            HeartbeatSeconds = 1,
            PairingCode = "PAIR-123",
        };
        var ea = new SimulatedEa(options, new TickReplay(files), TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = ea.RunAsync(stop.Token);

        var hello = router.ReceiveMultipart();
        var helloMessage = Assert.IsType<EaHello>(EaMessageParser.Parse(hello[^1]).Message);
        Assert.Equal("PAIR-123", helloMessage.PairingCode);
        Assert.Empty(helloMessage.Positions);
        var identity = hello[0];
        await WaitUntil(() => ea.Broker.TryGetQuote("NZDUSD", out _, out _));

        // A fire for another EA is ignored: the next answer is the pong of the ping sent after it.
        var commands = new EaCommandWriter();
        router.SendMultipart(identity, commands.Write(new FireCommand("SOMEONE_ELSE", "F-0", "NZDUSD", Domain.Signals.Direction.Buy, 0, 0, 0.1m)).ToArray());
        router.SendMultipart(identity, commands.Write(new PingCommand("SIM_FIRE", "p-1")).ToArray());
        Assert.Equal("p-1", Assert.IsType<EaPong>(EaMessageParser.Parse(confirm.ReceiveFrame()).Message).PingId);

        var fire = commands.Write(new FireCommand("SIM_FIRE", "F-1", "NZDUSD", Domain.Signals.Direction.Buy, 0.5, 1.5, 0.2m)).ToArray();
        router.SendMultipart(identity, fire);
        var first = Assert.IsType<FireConfirmation>(EaMessageParser.Parse(confirm.ReceiveFrame()).Message);
        router.SendMultipart(identity, fire);
        var again = Assert.IsType<FireConfirmation>(EaMessageParser.Parse(confirm.ReceiveFrame()).Message);

        Assert.True(first.Success, first.Message);
        Assert.Equal("F-1", first.FireId);
        Assert.Equal(0.2m, first.Lot);
        Assert.Equal((first.Ticket, first.Price), (again.Ticket, again.Price));
        Assert.Equal(2, ea.Broker.FiresReceived);
        Assert.Equal(1, ea.Broker.Duplicates);

        // The next HEARTBEAT carries the position; a close_ticket closes it with a close_confirmation.
        EaPosition? reported = null;
        for (var seen = 0; reported is null; seen++)
        {
            Assert.True(seen < 30, "no HEARTBEAT with the position among 30 messages");
            if (EaMessageParser.Parse(router.ReceiveMultipart()[^1]).Message is EaHeartbeat { Positions: [var only] })
            {
                reported = only;
            }
        }

        Assert.Equal((first.Ticket, "F-1", "BUY", 0.2m, first.Price), (reported.Ticket, reported.FireId, reported.Direction, reported.Volume, reported.OpenPrice));
        router.SendMultipart(identity, commands.Write(new CloseTicketCommand("SIM_FIRE", "F-1", first.Ticket)).ToArray());
        var closed = Assert.IsType<CloseConfirmation>(EaMessageParser.Parse(confirm.ReceiveFrame()).Message);
        Assert.Equal((first.Ticket, "F-1"), (closed.Ticket, closed.FireId));
        Assert.Equal(options.Balance + closed.Profit, closed.Account.Balance);
        Assert.Empty(ea.Broker.Positions);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static int BindUnused(ZmqContext context, out ZmqSocket router)
    {
        router = context.CreateSocket(ZmqSocketType.Router);
        router.Bind("tcp://127.0.0.1:*");
        return router.BoundPort;
    }

    [Fact]
    public void StampsTicksWithTheSendTimeAtSpeedOneAndTheRecordedTimeOtherwise()
    {
        Assert.Equal(TickTimestamps.Now, new SimulatedEaOptions { Speed = 1 }.EffectiveTimestamps);
        Assert.Equal(TickTimestamps.Original, new SimulatedEaOptions { Speed = 60 }.EffectiveTimestamps);
        Assert.Equal(TickTimestamps.Original, new SimulatedEaOptions { Speed = 0 }.EffectiveTimestamps);
        Assert.Equal(TickTimestamps.Now, new SimulatedEaOptions { Speed = 60, Timestamps = TickTimestamps.Now }.EffectiveTimestamps);
        Assert.NotEmpty(new SimulatedEaOptions { Speed = -1 }.Validate());
        Assert.NotEmpty(new SimulatedEaOptions { Uuid = "" }.Validate());
        Assert.Empty(new SimulatedEaOptions().Validate());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 20 s");
            await Task.Yield();
            Thread.Yield();
        }
    }

    private sealed class CandleCollector : ICandleSink
    {
        private readonly Lock _gate = new();
        private readonly List<Domain.Market.Candle> _candles = [];

        public IReadOnlyList<Domain.Market.Candle> Candles
        {
            get
            {
                lock (_gate)
                {
                    return [.. _candles];
                }
            }
        }

        public void OnCandleClosed(in Domain.Market.Candle candle)
        {
            lock (_gate)
            {
                _candles.Add(candle);
            }
        }
    }
}

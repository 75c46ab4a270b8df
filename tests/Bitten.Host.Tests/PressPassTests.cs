using Bitten.Domain.Events;
using Bitten.Domain.Primitives;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Domain.Users;
using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Gateway;
using Bitten.Gateway.Execution;
using Bitten.Gateway.Market;
using Bitten.Host.Configuration;
using Bitten.Host.Execution;
using Bitten.Persistence;
using Bitten.Wire.Ea;
using Bitten.Zmq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bitten.Host.Tests;

/// <summary>
/// The press pass in a real server without a COMMANDER or a simulated EA: a recruit claims it, their paper account
/// connects like an EA and prices on the bridge's validated feed, and auto-fire trades a signal on it to a fill; on a
/// manual clock the pass is reminded once a day before its end and ends exactly at seven days.
/// </summary>
public sealed class PressPassTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ResendInterval = TimeSpan.FromMilliseconds(50);

    private readonly TempStore _store = new();
    private IHost _host = null!;
    private Feed _feed = null!;
    private readonly RecordedEvents _events = new();

    public async Task InitializeAsync()
    {
        _host = BittenHost.Build(
        [
            $"--Storage:ConnectionString=Data Source={_store.Path}", $"--Storage:TrackingFile={_store.TrackingPath}",
            "--Zmq:SignalPort=0", "--Zmq:EventPort=0", "--Zmq:EventInPort=0", "--Zmq:CommandPort=0", "--Zmq:ConfirmPort=0",
            "--Zmq:MarketInPort=0", "--Zmq:MarketOutPort=0", "--Web:Port=0", "--Throne:Enabled=false", "--Logging:LogLevel:Default=Warning",
            // The host's own check would see the manual clock's pass as its own: it waits out the test.
            "--Progression:CheckIntervalSeconds=3600",
        ], HostRoles.Server, TextWriter.Null);
        await BittenHost.StartAsync(_host, CancellationToken.None);
        Get<EveryEvent>().Attach(_events); // no bot runs here (no token): the test hears every recorded event instead
        _feed = new Feed(Option<ZmqOptions>().ConnectEndpoint(Get<MarketBridge>().MarketInPort));
    }

    public async Task DisposeAsync()
    {
        _feed.Dispose();
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task APressPassAccountInAutoModeTradesASignalThroughAutoFireToAFill()
    {
        var users = Get<UserStore>();
        var kernel = Get<TradingKernel>();
        var desk = Get<ExecutionDesk>();
        var passes = Get<PressPasses>();
        Assert.True(users.Register(900).Created);

        var grant = await passes.ClaimAsync(900);
        Assert.True(grant.Granted, grant.Refusal?.ToString());
        var auto = users.Update(900, null, FireMode.Auto, null, null);
        await kernel.AskAsync(() =>
        {
            desk.UpsertUser(auto);
            return true;
        });
        var account = passes.AccountOf(auto.UserId)!;
        await _events.Next<EaConnected>(e => e.UserId == auto.UserId && e.IsHello);
        Assert.Equal(10_000m, (await kernel.AskAsync(() => desk.AccountOf(auto.UserId)))!.Balance);
        // The paper account reads the bridge's PUB: ticks sent before its subscription reaches the bridge are dropped by
        // PUB/SUB by design, so a tick is sent again each interval until the first one has priced it.
        while (!account.FirstQuote.IsCompleted)
        {
            _feed.Send("EURUSD", 1.09990, 1.10000);
            await Task.WhenAny(account.FirstQuote, Task.Delay(ResendInterval));
        }

        var now = UnixMs.Now(TimeProvider.System);
        var eurusd = Get<SymbolRegistry>().GetOrAdd("EURUSD");
        var signal = new Signal(SignalIds.Create(SignalClass.Rapid, PatternType.BbScalp, "EURUSD", now), "EURUSD", eurusd, Direction.Buy,
            1.1, 1.098, 1.103, 20, 30, 1.5, 85, PatternType.BbScalp, 7, "LONDON", now, now + 1_800_000, now);
        var signals = Get<SignalPipeline>();
        await kernel.AskAsync(() =>
        {
            signals.Raise.OnSignal(signal);
            return true;
        });

        await _events.Next<FireFilled>(e => e.UserId == auto.UserId);
        Assert.Equal(1, account.Broker.Fills);
        Assert.Single(await kernel.AskAsync(() => desk.PositionsOf(auto.UserId)));
        var position = Assert.Single(account.Broker.Positions);
        Assert.Equal(("EURUSD", "BUY"), (position.Symbol, position.Direction));
        Assert.Equal(1, ExecutionDesk.SlotLimit(auto));
        Assert.Equal(MissionStatus.Filled, (await kernel.AskAsync(() => desk.MissionsOf(auto.UserId))).Single().Status);
    }

    [Fact]
    public async Task OnAManualClockThePassIsRemindedOnceADayBeforeAndEndsExactlyAtSevenDays()
    {
        var clock = new ManualClock(TimeProvider.System.GetUtcNow());
        var reminded = new List<(long UserId, long ExpiresMs)>();
        var remindedOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var users = Get<UserStore>();
        var kernel = Get<TradingKernel>();
        var desk = Get<ExecutionDesk>();
        var passes = new PressPasses(users, kernel, desk, Get<EventRecorder>(), Get<EaGateway>(), Get<MarketBridge>(), Option<ZmqOptions>(),
            new ProgressionOptions { CheckIntervalSeconds = 3600 }, clock, _host.Services.GetRequiredService<ILoggerFactory>(), (user, expires) =>
            {
                lock (reminded)
                {
                    reminded.Add((user.UserId, expires));
                }

                remindedOnce.TrySetResult();
            });
        await passes.StartAsync(CancellationToken.None);
        try
        {
            users.Register(901);
            var user = (await passes.ClaimAsync(901)).User!;
            var expires = user.PressPassExpiresMs!.Value;
            Assert.Equal(UnixMs.Now(clock) + (long)TimeSpan.FromDays(7).TotalMilliseconds, expires);
            Assert.NotNull(passes.AccountOf(user.UserId));

            // Hour by hour, so the timer's checks run on the way: the reminder comes once, at 6 days, not before.
            clock.Advance(TimeSpan.FromDays(6) - TimeSpan.FromHours(1));
            Assert.Equal(0, await passes.CheckAsync());
            Assert.Empty(reminded);
            clock.Advance(TimeSpan.FromHours(1));
            await remindedOnce.Task.WaitAsync(Timeout);
            clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, await passes.CheckAsync());
            Assert.Equal(Tier.PressPass, (await kernel.AskAsync(() => desk.TraderOf(user.UserId)))!.User.Tier);

            // The hourly timer falls due exactly at the end too: whichever check gets there first ends the pass.
            var passEnded = _events.Next<PressPassEnded>(e => e.UserId == user.UserId);
            clock.Advance(TimeSpan.FromMilliseconds(1));
            await passes.CheckAsync();
            // Recorded once the account is stopped and the desk has the RECRUIT, in the same kernel step.
            await passEnded;
            Assert.Null(passes.AccountOf(user.UserId));
            Assert.Equal(Tier.Recruit, (await kernel.AskAsync(() => desk.TraderOf(user.UserId)))!.User.Tier);

            lock (reminded)
            {
                Assert.Equal([(user.UserId, expires)], reminded);
            }

            var ended = (await kernel.AskAsync(() => desk.TraderOf(user.UserId)))!.User;
            Assert.Equal((Tier.Recruit, null, expires), (ended.Tier, ended.EaUuid, ended.PressPassExpiresMs));
            Assert.Equal(ended, users.ByTelegramId(901));
            Assert.Null(passes.AccountOf(user.UserId));
            Assert.Equal(PressPassRefusal.AlreadyUsed, (await passes.ClaimAsync(901)).Refusal);
        }
        finally
        {
            await passes.StopAsync(CancellationToken.None);
        }
    }

    private T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    private T Option<T>()
        where T : class => _host.Services.GetRequiredService<IOptions<T>>().Value;

    /// <summary>Every recorded event, heard on the kernel thread; <see cref="Next{T}"/> completes on the first that matches.</summary>
    private sealed class RecordedEvents : IExecutionObserver
    {
        private readonly List<TradingEvent> _seen = [];
        private readonly List<(Func<TradingEvent, bool> Match, TaskCompletionSource Done)> _waiting = [];

        /// <summary>The first event of type <typeparamref name="T"/> that matches, seen already or still to come.</summary>
        public Task Next<T>(Func<T, bool> match)
            where T : TradingEvent
        {
            bool Matches(TradingEvent e) => e is T t && match(t);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_seen)
            {
                if (_seen.Exists(Matches))
                {
                    return Task.CompletedTask;
                }

                _waiting.Add((Matches, done));
            }

            return done.Task.WaitAsync(Timeout);
        }

        public void OnEvent(TradingEvent e)
        {
            lock (_seen)
            {
                _seen.Add(e);
                foreach (var (match, done) in _waiting.Where(w => w.Match(e)).ToList())
                {
                    done.TrySetResult();
                    _waiting.RemoveAll(w => w.Done == done);
                }
            }
        }
    }

    /// <summary>A market feed as an EA pushes it, for the prices the paper account trades on.</summary>
    private sealed class Feed : IDisposable
    {
        private readonly ZmqContext _context = new();
        private readonly ZmqSocket _push;
        private readonly EaMessageWriter _writer = new();

        public Feed(string endpoint)
        {
            _push = _context.CreateSocket(ZmqSocketType.Push);
            _push.Connect(endpoint);
        }

        public void Send(string symbol, double bid, double ask) =>
            _push.TrySend(_writer.Tick("FEED_EA", "NODE_FEED", symbol, bid, ask, 1.0, UnixMs.Now(TimeProvider.System)));

        public void Dispose()
        {
            _push.Dispose();
            _context.Dispose();
        }
    }
}

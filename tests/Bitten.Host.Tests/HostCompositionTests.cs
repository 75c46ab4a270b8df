using Bitten.Engine.Kernel;
using Bitten.Host.Configuration;
using Bitten.Host.Execution;
using Bitten.Host.Roles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bitten.Host.Tests;

public sealed class OptionsRegistrationTests
{
    [Fact]
    public void TheDefaultsAreValidAndIncludeTheIntervals()
    {
        var settings = Settings.Load([]);

        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.Checkpoint.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Users.SyncInterval);
    }

    [Fact]
    public void OverridesOnTheCommandLineReachTheirSection()
    {
        var settings = Settings.Load(["--Checkpoint:IntervalMilliseconds=1000", "--Users:SyncIntervalSeconds=0.5", "--Zmq:MarketInPort=15556"]);

        Assert.Equal((1000, 0.5, 15556), (settings.Checkpoint.IntervalMilliseconds, settings.Users.SyncIntervalSeconds, settings.Zmq.MarketInPort));
    }

    [Fact]
    public void EveryBadValueIsReportedAsASentenceAtOnce()
    {
        var refused = Assert.Throws<ConfigurationException>(() => Settings.Load([
            "--Checkpoint:IntervalMilliseconds=1", "--Users:SyncIntervalSeconds=0", "--Zmq:MarketInPort=abc", "--Kernel:InboxCapacity=2",
        ]));

        Assert.StartsWith("invalid configuration:", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Checkpoint:IntervalMilliseconds must be 10-60000, not 1", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Users:SyncIntervalSeconds must be 0.1-3600", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Kernel:InboxCapacity must be at least 16", refused.Message, StringComparison.Ordinal);
        Assert.Contains("bad configuration value", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Zmq:MarketInPort", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyTheSectionDoesNotHaveIsNamed()
    {
        var refused = Assert.Throws<ConfigurationException>(() => Settings.Load(["--Checkpoint:IntervalSeconds=1"]));

        Assert.Contains("'IntervalSeconds'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHostRefusesABadValueOnStartBeforeOpeningTheStore()
    {
        using var store = new TempStore();
        using var host = BittenHost.Build([$"--Storage:ConnectionString=Data Source={store.Path}", "--Checkpoint:IntervalMilliseconds=5"],
            HostRoles.Server, TextWriter.Null);

        var refused = await Assert.ThrowsAsync<ConfigurationException>(() => BittenHost.StartAsync(host, CancellationToken.None));

        Assert.Contains("Checkpoint:IntervalMilliseconds", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(store.Path));
    }

    [Fact]
    public void AStoreThatCannotBeOpenedStopsTheStartBeforeAnyRoleStartsAndKeepsThePasswordOut()
    {
        using var host = BittenHost.Build(["--Storage:Provider=postgres", "--Storage:ConnectionString=Host=127.0.0.1;Port=1;Username=u;Password=hunter2;Timeout=1"],
            HostRoles.Server, TextWriter.Null);

        var refused = Assert.Throws<StartupException>(() => BittenHost.Prepare(host));

        Assert.StartsWith("Cannot open the postgres store", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLogLevelComesFromTheLoggingSection()
    {
        using var quiet = BittenHost.Build(["--Logging:LogLevel:Default=Warning"], [HostRole.Bridge], TextWriter.Null);
        using var normal = BittenHost.Build([], [HostRole.Bridge], TextWriter.Null);

        Assert.False(quiet.Services.GetRequiredService<ILoggerFactory>().CreateLogger("bitten").IsEnabled(LogLevel.Information));
        Assert.True(normal.Services.GetRequiredService<ILoggerFactory>().CreateLogger("bitten").IsEnabled(LogLevel.Information));
    }
}

public sealed class HostRolesTests
{
    [Fact]
    public void ARoleWithoutWhatItCallsInTheSameProcessIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new HostRoles([HostRole.Gateway]));
        Assert.Throws<ArgumentException>(() => new HostRoles([HostRole.Engine]));
        Assert.Throws<ArgumentException>(() => new HostRoles([HostRole.Bridge, HostRole.SimulatedEa]));
        Assert.Throws<ArgumentException>(() => new HostRoles([]));
        Assert.True(new HostRoles(HostRoles.Server).Has(HostRole.Web));
    }

    [Theory]
    [InlineData("bridge", "bridge")]
    [InlineData(" Engine , COLLECTOR,gateway ", "engine,collector,gateway")]
    [InlineData("engine,collector,gateway,web,throne,bot", "engine,collector,gateway,web,throne,bot")]
    [InlineData("bridge,engine,gateway,web,throne,bot,collector,sim-ea", "engine,collector,gateway,bridge,web,throne,sim-ea,bot")]
    [InlineData("engine,collector,web", "engine,collector,web")]
    [InlineData("web", "web")]
    [InlineData("bridge,web", "bridge,web")]
    [InlineData("bot", "bot")]
    [InlineData("web,bot", "web,bot")]
    [InlineData("web,throne,bot", "web,throne,bot")]
    public void RolesAreNamedAsTheSeedNamesThem(string list, string parsed)
    {
        var (roles, error) = HostRoles.Parse(list);

        Assert.Null(error);
        Assert.Equal(parsed, roles!.ToString());
    }

    [Theory]
    [InlineData("", "--roles needs at least one of bridge, engine, gateway, web, throne, bot, collector, sim-ea")]
    [InlineData("bridge,frob", "unknown role 'frob': the roles are bridge, engine")]
    [InlineData("gateway", "the gateway role needs the engine role in the same process (it calls the engine's kernel in memory; only the bridge and the web, Throne and bot edges run apart)")]
    [InlineData("collector,throne", "the collector role needs the engine role in the same process")]
    [InlineData("engine", "the engine role needs the collector role in the same process")]
    [InlineData("collector", "the collector role needs the engine role in the same process")]
    [InlineData("engine,collector,sim-ea", "the sim-ea role needs the bridge role in the same process")]
    public void AnImpossibleSetIsOneSentence(string list, string error)
    {
        var (roles, reason) = HostRoles.Parse(list);

        Assert.Null(roles);
        Assert.StartsWith(error, reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWebWithoutTheEngineIsAnEdgeThatOpensNoStoreAndNoKernel()
    {
        using var store = new TempStore();
        await using var services = store.Services([HostRole.Web], "--Web:Port=0", "--Web:Upstream=http://127.0.0.1:8888");

        Assert.Equal([typeof(WebRole)], services.GetServices<IHostedService>().Select(s => s.GetType()));
        Assert.Null(services.GetService<Bitten.Web.WebServices>());
        Assert.False(File.Exists(store.Path), "an edge opened the store");
    }

    [Fact]
    public async Task AThroneWithoutTheEngineIsAnEdgeThatOpensNoStoreAndNoKernel()
    {
        using var store = new TempStore();
        await using var services = store.Services([HostRole.Throne], "--Throne:Port=0", "--Throne:Upstream=http://127.0.0.1:8899");

        Assert.Equal([typeof(ThroneRole)], services.GetServices<IHostedService>().Select(s => s.GetType()));
        Assert.NotNull(services.GetRequiredService<ThroneSite>().App);
        Assert.Null(services.GetService<Bitten.Web.WebServices>());
        Assert.False(File.Exists(store.Path), "a Throne edge opened the store");
    }

    [Fact]
    public async Task AThroneEdgeWithoutWhereToForwardRefusesToStartWithTheReason()
    {
        using var store = new TempStore();
        await using var services = store.Services([HostRole.Throne], "--Throne:Port=0");

        var refused = Assert.Throws<StartupException>(() => services.GetRequiredService<ThroneSite>());

        Assert.Contains("set Throne:Upstream", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABotWithoutTheEngineIsAnEdgeWithNoKernelNoAlertsAndNoCommands()
    {
        using var store = new TempStore();
        await using var services = store.Services([HostRole.Bot], $"--Telegram:BotToken={Bitten.Simulation.Telegram.SimulatedBotApi.TestToken}",
            "--Web:Upstream=http://127.0.0.1:8888");

        var site = services.GetRequiredService<BotSite>();

        Assert.Equal([typeof(BotRole)], services.GetServices<IHostedService>().Select(s => s.GetType()));
        Assert.Null(services.GetService<TradingKernel>());
        Assert.NotNull(site.Bot);
        Assert.NotNull(site.Outbox);
        Assert.Null(site.Alerts);
        Assert.Null(site.Dispatcher);
    }

    [Theory]
    [InlineData("set Web:Upstream")]
    [InlineData("Telegram:Mode=polling", "--Telegram:Mode=webhook", "--Telegram:WebhookSecret=webhook-secret-for-tests_0123",
        "--Telegram:WebhookUrl=https://bitten.example/telegram/webhook", "--Web:Upstream=http://127.0.0.1:8888")]
    public async Task ABotEdgeWithoutWhereToForwardOrInWebhookModeRefusesToStartWithTheReason(string reason, params string[] args)
    {
        using var store = new TempStore();
        await using var services = store.Services([HostRole.Bot], [$"--Telegram:BotToken={Bitten.Simulation.Telegram.SimulatedBotApi.TestToken}", .. args]);

        var refused = Assert.Throws<StartupException>(() => services.GetRequiredService<BotSite>());

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithATokenAndNoBotRoleTheEngineKeepsItsHalfOfTheBotAndNoLinkToTelegram()
    {
        using var store = new TempStore();
        await using var services = store.Services([HostRole.Engine, HostRole.EventLog, HostRole.Web],
            $"--Telegram:BotToken={Bitten.Simulation.Telegram.SimulatedBotApi.TestToken}", "--Web:Port=0");

        var site = services.GetRequiredService<BotSite>();

        Assert.Contains(typeof(BotRole), services.GetServices<IHostedService>().Select(s => s.GetType()));
        Assert.Null(site.Bot);
        Assert.NotNull(site.Alerts);
        Assert.NotNull(site.Dispatcher);
    }

    [Fact]
    public async Task AnEngineWithoutTheBridgeFeedsFromUpstreamAndBindsNoMarketPort()
    {
        using var store = new TempStore();
        await using var services = store.Services([HostRole.Engine, HostRole.EventLog, HostRole.Gateway]);

        var roles = services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        Assert.Contains(typeof(BridgeRole), roles);
        Assert.NotNull(services.GetService<TradingKernel>());
        // Without Bridge:Upstream an engine that serves EAs has no prices: the start says so instead of idling.
        var refused = await Assert.ThrowsAsync<StartupException>(() => services.GetServices<IHostedService>().OfType<BridgeRole>().Single().StartAsync(default));
        Assert.Contains("set Bridge:Upstream", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABridgeOnlyHostRunsTheBridgeAndItsStatusAndBuildsNoKernel()
    {
        using var store = new TempStore();
        await using var services = store.Services([HostRole.Bridge]);

        var roles = services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        Assert.Equal([typeof(BridgeRole), typeof(StatusReporter)], roles);
        Assert.Null(services.GetService<TradingKernel>());
    }

    [Fact]
    public async Task TheServerStartsItsRolesInOrder()
    {
        using var store = new TempStore();
        await using var services = store.Services(HostRoles.Server);

        var roles = services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        Assert.Equal([typeof(EngineRole), typeof(GatewayRole), typeof(EventLogRole), typeof(BridgeRole), typeof(PressPasses), typeof(WebRole), typeof(ThroneRole), typeof(BotRole),
            typeof(StatusReporter)], roles);
    }
}

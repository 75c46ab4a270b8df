using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Engine.Signals;
using Bitten.Gateway;
using Bitten.Gateway.Market;
using Bitten.Persistence;
using Bitten.Simulation.Ea;
using Bitten.Telegram;
using Bitten.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bitten.Host.Configuration;

/// <summary>
/// Every option section, bound from appsettings.json, BITTEN_ environment variables and --Section:Key=value
/// (later sources win), and validated before anything starts. The host gets each section as IOptions; commands that
/// start no host (user, db, stop, sim-ea) load them all at once through the same registration.
/// </summary>
public sealed class Settings
{
    public required ZmqOptions Zmq { get; init; }

    public required BridgeOptions Bridge { get; init; }

    public required MarketOptions Market { get; init; }

    public required KernelOptions Kernel { get; init; }

    public required SimulatedEaOptions SimEa { get; init; }

    public required StatusOptions Status { get; init; }

    public required EliteGuardOptions EliteGuard { get; init; }

    public required StorageOptions Storage { get; init; }

    public required CheckpointOptions Checkpoint { get; init; }

    public required UsersOptions Users { get; init; }

    public required ProgressionOptions Progression { get; init; }

    public required ExecutionOptions Execution { get; init; }

    public required WebOptions Web { get; init; }

    public required TelegramOptions Telegram { get; init; }

    /// <summary>The account a backtest trades (section <c>Backtest</c>).</summary>
    public required Bitten.Simulation.Replay.BacktestOptions Backtest { get; init; }

    /// <summary>The configuration sources every command reads, in the order where later ones win.</summary>
    public static IConfigurationRoot Configuration(string[] configArgs) => new ConfigurationBuilder()
        .SetBasePath(Directory.GetCurrentDirectory())
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables("BITTEN_")
        .AddCommandLine(configArgs)
        .Build();

    /// <summary>Binds and validates every section; a bad value is a <see cref="ConfigurationException"/> naming each problem.</summary>
    public static Settings Load(string[] configArgs)
    {
        using var services = new ServiceCollection().AddBittenOptions(Configuration(configArgs)).BuildServiceProvider();
        ConfigurationException.Check(() => services.GetRequiredService<IStartupValidator>().Validate());
        return services.GetRequiredService<Settings>();
    }

    internal static Settings From(IServiceProvider services) => new()
    {
        Zmq = Get<ZmqOptions>(services),
        Bridge = Get<BridgeOptions>(services),
        Market = Get<MarketOptions>(services),
        Kernel = Get<KernelOptions>(services),
        SimEa = Get<SimulatedEaOptions>(services),
        Status = Get<StatusOptions>(services),
        EliteGuard = Get<EliteGuardOptions>(services),
        Storage = Get<StorageOptions>(services),
        Checkpoint = Get<CheckpointOptions>(services),
        Users = Get<UsersOptions>(services),
        Progression = Get<ProgressionOptions>(services),
        Execution = Get<ExecutionOptions>(services),
        Web = Get<WebOptions>(services),
        Telegram = Get<TelegramOptions>(services),
        Backtest = Get<Bitten.Simulation.Replay.BacktestOptions>(services),
    };

    private static T Get<T>(IServiceProvider services)
        where T : class => services.GetRequiredService<IOptions<T>>().Value;
}

using Bitten.Engine.Kernel;
using Bitten.Engine.Market;
using Bitten.Gateway;
using Bitten.Gateway.Market;
using Bitten.Persistence;
using Bitten.Simulation.Ea;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Bitten.Cli.Hosting;

/// <summary>
/// Every option section, bound from appsettings.json, BITTEN_ environment variables and --Section:Key=value
/// (later sources win), and validated before anything starts.
/// </summary>
public sealed class Settings
{
    public required ZmqOptions Zmq { get; init; }

    public required BridgeOptions Bridge { get; init; }

    public required MarketOptions Market { get; init; }

    public required KernelOptions Kernel { get; init; }

    public required SimulatedEaOptions SimEa { get; init; }

    public required StatusOptions Status { get; init; }

    public required Bitten.Engine.Signals.EliteGuardOptions EliteGuard { get; init; }

    public required StorageOptions Storage { get; init; }

    public required Bitten.Engine.Execution.ExecutionOptions Execution { get; init; }

    public required Bitten.Web.WebOptions Web { get; init; }

    public required Bitten.Simulation.Replay.BacktestOptions Backtest { get; init; }

    public static Settings Load(string[] configArgs)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("BITTEN_")
            .AddCommandLine(configArgs)
            .Build();
        Settings settings;
        try
        {
            settings = new Settings
            {
                Zmq = Bind<ZmqOptions>(configuration, ZmqOptions.Section),
                Bridge = Bind<BridgeOptions>(configuration, BridgeOptions.Section),
                Market = Bind<MarketOptions>(configuration, MarketOptions.Section),
                Kernel = Bind<KernelOptions>(configuration, KernelOptions.Section),
                SimEa = Bind<SimulatedEaOptions>(configuration, SimulatedEaOptions.Section),
                Status = Bind<StatusOptions>(configuration, StatusOptions.Section),
                EliteGuard = Bind<Bitten.Engine.Signals.EliteGuardOptions>(configuration, Bitten.Engine.Signals.EliteGuardOptions.Section),
                Storage = Bind<StorageOptions>(configuration, StorageOptions.Section),
                Execution = Bind<Bitten.Engine.Execution.ExecutionOptions>(configuration, Bitten.Engine.Execution.ExecutionOptions.Section),
                Web = Bind<Bitten.Web.WebOptions>(configuration, Bitten.Web.WebOptions.Section),
                Backtest = Bind<Bitten.Simulation.Replay.BacktestOptions>(configuration, Bitten.Simulation.Replay.BacktestOptions.Section),
            };
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException($"bad configuration value: {e.InnerException?.Message ?? e.Message}");
        }

        var errors = settings.Zmq.Validate().Concat(settings.Bridge.Validate()).Concat(settings.Market.Validate())
            .Concat(settings.SimEa.Validate()).Concat(settings.Status.Validate()).Concat(settings.EliteGuard.Validate())
            .Concat(settings.Storage.Validate()).Concat(settings.Execution.Validate()).Concat(settings.Web.Validate()).Concat(settings.Backtest.Validate()).ToList();
        if (settings.Kernel.InboxCapacity < 16)
        {
            errors.Add("Kernel:InboxCapacity must be at least 16");
        }

        if (settings.Kernel.ClockIntervalMilliseconds < 10)
        {
            errors.Add("Kernel:ClockIntervalMilliseconds must be at least 10");
        }

        return errors.Count == 0 ? settings : throw new UsageException("invalid configuration:\n  " + string.Join("\n  ", errors));
    }

    public static ILoggerFactory CreateLogging() => LoggerFactory.Create(builder => builder
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.UseUtcTimestamp = true;
        })
        .SetMinimumLevel(LogLevel.Information));

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        return options;
    }
}

/// <summary>The live status line (section <c>Status</c>).</summary>
public sealed class StatusOptions
{
    public const string Section = "Status";

    public double IntervalSeconds { get; set; } = 2;

    public IEnumerable<string> Validate()
    {
        if (!(IntervalSeconds >= 0.1))
        {
            yield return "Status:IntervalSeconds must be at least 0.1";
        }
    }
}

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
/// Registers every options class bound from its section (a key the class does not have is an error, so a typo is not
/// silently ignored) and validated on start by the class's own <c>Validate()</c>.
/// </summary>
public static class OptionsRegistration
{
    public static IServiceCollection AddBittenOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        Add<ZmqOptions>(services, configuration, ZmqOptions.Section, o => o.Validate());
        Add<BridgeOptions>(services, configuration, BridgeOptions.Section, o => o.Validate());
        Add<MarketOptions>(services, configuration, MarketOptions.Section, o => o.Validate());
        Add<KernelOptions>(services, configuration, KernelOptions.Section, ValidateKernel);
        Add<SimulatedEaOptions>(services, configuration, SimulatedEaOptions.Section, o => o.Validate());
        Add<StatusOptions>(services, configuration, StatusOptions.Section, o => o.Validate());
        Add<EliteGuardOptions>(services, configuration, EliteGuardOptions.Section, o => o.Validate());
        Add<StorageOptions>(services, configuration, StorageOptions.Section, o => o.Validate());
        Add<CheckpointOptions>(services, configuration, CheckpointOptions.Section, o => o.Validate());
        Add<UsersOptions>(services, configuration, UsersOptions.Section, o => o.Validate());
        Add<ProgressionOptions>(services, configuration, ProgressionOptions.Section, o => o.Validate());
        Add<ExecutionOptions>(services, configuration, ExecutionOptions.Section, o => o.Validate());
        Add<WebOptions>(services, configuration, WebOptions.Section, o => o.Validate());
        Add<ThroneOptions>(services, configuration, ThroneOptions.Section, o => o.Validate());
        Add<TelegramOptions>(services, configuration, TelegramOptions.Section, o => o.Validate());
        Add<Bitten.Simulation.Replay.BacktestOptions>(services, configuration, Bitten.Simulation.Replay.BacktestOptions.Section, o => o.Validate());
        services.AddSingleton(Settings.From);
        return services;
    }

    // KernelOptions (in the engine) has no Validate of its own: its limits are the host's to check.
    private static IEnumerable<string> ValidateKernel(KernelOptions options)
    {
        if (options.InboxCapacity < 16)
        {
            yield return "Kernel:InboxCapacity must be at least 16";
        }

        if (options.ClockIntervalMilliseconds < 10)
        {
            yield return "Kernel:ClockIntervalMilliseconds must be at least 10";
        }
    }

    private static void Add<T>(IServiceCollection services, IConfiguration configuration, string section, Func<T, IEnumerable<string>> validate)
        where T : class
    {
        services.AddOptions<T>()
            .Configure(options =>
            {
                try
                {
                    configuration.GetSection(section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
                }
                catch (InvalidOperationException e)
                {
                    // A value that is not a number, or a key the section does not have: reported like any invalid value.
                    throw new OptionsValidationException(Options.DefaultName, typeof(T),
                        [$"bad configuration value: {e.Message}"]);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ValidatedBy<T>(validate));
    }

    /// <summary>The options framework's validation hook around an options class's own <c>Validate()</c>.</summary>
    private sealed class ValidatedBy<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var errors = validate(options).ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

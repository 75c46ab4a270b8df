using Bitten.Host.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bitten.Host;

/// <summary>
/// Builds the Generic Host for a set of roles: configuration from appsettings.json, BITTEN_ environment variables and
/// --Section:Key=value (later wins), every options section validated on start, logging from the <c>Logging</c>
/// section in the single-line console format, Ctrl-C and SIGTERM as a clean stop.
/// </summary>
public static class BittenHost
{
    public static IHost Build(string[] configArgs, IEnumerable<HostRole> roles, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(configArgs);
        // Defaults off: they would read every environment variable without the BITTEN_ prefix and add providers we do not use.
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.AddConfiguration(Settings.Configuration(configArgs));
        ConfigureLogging(builder.Logging, builder.Configuration);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddBittenOptions(builder.Configuration);
        builder.Services.AddBitten(new HostRoles(roles), output);
        return builder.Build();
    }

    /// <summary>
    /// Checks every option (a bad value is a <see cref="ConfigurationException"/> before anything is opened), then
    /// builds every role's components, which opens the store (a <see cref="StartupException"/> when it cannot). Nothing
    /// has started yet either way, so a failure here needs no stop.
    /// </summary>
    public static void Prepare(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        ConfigurationException.Check(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        _ = host.Services.GetServices<IHostedService>().ToList();
    }

    /// <summary>Prepares the host, then starts each role in order; a role that cannot start is a <see cref="StartupException"/>.</summary>
    public static async Task StartAsync(IHost host, CancellationToken cancellationToken)
    {
        Prepare(host);
        await host.StartAsync(cancellationToken);
    }

    /// <summary>The host's log level and filters from the <c>Logging</c> section; one line per entry, UTC time first.</summary>
    public static void ConfigureLogging(ILoggingBuilder logging, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        logging.ClearProviders();
        // A role that cannot start says why in one sentence (StartupException, printed by the CLI); the host's own
        // "failed to start" entry would repeat it with a stack trace. The Logging section can still turn it back on.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        logging.AddConfiguration(configuration.GetSection("Logging"));
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.UseUtcTimestamp = true;
        });
    }

    /// <summary>Logging for a command that starts no host (sim-ea), configured the same way.</summary>
    public static ILoggerFactory CreateLogging(string[] configArgs) =>
        LoggerFactory.Create(logging => ConfigureLogging(logging, Settings.Configuration(configArgs)));
}

using System.ComponentModel;
using Bitten.Cli.Hosting;
using Bitten.Host;
using Bitten.Host.Status;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary><c>bitten run</c>: the whole system; with no configuration, on the embedded default.</summary>
public sealed class RunCommand : AsyncCommand<RunCommand.Options>
{
    public sealed class Options : CommandSettings
    {
        [CommandOption("--no-sim")]
        [Description("Without the simulated EA: wait for real EAs.")]
        public bool NoSim { get; init; }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        IEnumerable<HostRole> roles = settings.NoSim ? HostRoles.Server : [.. HostRoles.Server, HostRole.SimulatedEa];
        return HostRun.RunAsync(BittenHost.Build(Overrides.Of(context).Args, roles, Console.Out),
            services => RunReport.Started(services, simulated: !settings.NoSim), RunReport.StoppedAsync);
    }
}

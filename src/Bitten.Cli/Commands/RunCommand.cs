using System.ComponentModel;
using Bitten.Cli.Hosting;
using Bitten.Host;
using Bitten.Host.Status;
using Spectre.Console;
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

        [CommandOption("--roles <LIST>")]
        [Description("Only these roles, comma-separated: bridge, engine, gateway, web, throne, bot, collector, sim-ea (default: all, and "
            + "sim-ea unless --no-sim). The bridge, web, throne and bot run apart from the engine: an engine without the bridge subscribes to "
            + "Bridge:Upstream; a web or bot without the engine is an edge to the engine's web at Web:Upstream, a throne one to Throne:Upstream.")]
        public string? Roles { get; init; }

        public override ValidationResult Validate()
        {
            if (Roles is null)
            {
                return ValidationResult.Success();
            }

            if (NoSim)
            {
                return ValidationResult.Error("--no-sim and --roles do not go together: --roles runs only what it lists (add sim-ea for the simulated EA)");
            }

            return HostRoles.Parse(Roles).Error is { } error ? ValidationResult.Error(error) : ValidationResult.Success();
        }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        IEnumerable<HostRole> roles = settings.Roles is not null
            ? HostRoles.Names.Select(n => n.Role).Where(HostRoles.Parse(settings.Roles).Roles!.Has).ToList()
            : settings.NoSim ? HostRoles.Server : [.. HostRoles.Server, HostRole.SimulatedEa];
        var simulated = roles.Contains(HostRole.SimulatedEa);
        return HostRun.RunAsync(BittenHost.Build(Overrides.Of(context).Args, roles, Console.Out),
            services => RunReport.Started(services, simulated), RunReport.StoppedAsync);
    }
}

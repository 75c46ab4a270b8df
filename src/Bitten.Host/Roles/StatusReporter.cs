using Bitten.Host.Configuration;
using Bitten.Host.Status;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bitten.Host.Roles;

/// <summary>Prints the live status line every <c>Status:IntervalSeconds</c> until the host stops.</summary>
public sealed class StatusReporter(StatusLine status, IOptions<StatusOptions> options, TimeProvider clock, HostOutput output) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.IntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            output.Out.WriteLine(status.Next());
        }
    }
}

using Bitten.Host;
using Microsoft.Extensions.Hosting;

namespace Bitten.Cli.Hosting;

/// <summary>A command that runs the host until Ctrl-C or SIGTERM: what it prints once started, once stopped, and on a failed start.</summary>
public static class HostRun
{
    /// <remarks>
    /// A bad option throws (exit 2 with its reasons); a role that cannot start is exit 1 with what to change, after
    /// stopping what had started. The host is disposed asynchronously: its components close that way.
    /// </remarks>
    public static async Task<int> RunAsync(IHost host, Func<IServiceProvider, string> started, Func<IServiceProvider, Task<string>> stopped)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(started);
        ArgumentNullException.ThrowIfNull(stopped);
        try
        {
            try
            {
                BittenHost.Prepare(host);
            }
            catch (StartupException e)
            {
                // Nothing started: the store could not be opened.
                Console.Error.WriteLine($"bitten: {e.Message}");
                return 1;
            }

            try
            {
                await host.StartAsync(CancellationToken.None);
            }
            catch (StartupException e)
            {
                Console.Error.WriteLine($"bitten: {e.Message}");
                await host.StopAsync(CancellationToken.None);
                return 1;
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C (or SIGTERM) while starting: a clean stop, not a crash. What already runs stops as on any exit.
                await host.StopAsync(CancellationToken.None);
                Console.WriteLine("Stopped while starting.");
                return 0;
            }

            Console.WriteLine(started(host.Services));
            await host.WaitForShutdownAsync(CancellationToken.None);
            Console.WriteLine(await stopped(host.Services));
            return 0;
        }
        finally
        {
            await ((IAsyncDisposable)host).DisposeAsync();
        }
    }
}

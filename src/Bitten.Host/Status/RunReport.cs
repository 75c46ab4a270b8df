using Bitten.Engine.Execution;
using Bitten.Engine.Kernel;
using Bitten.Engine.Signals;
using Bitten.Gateway.Execution;
using Bitten.Gateway.Market;
using Bitten.Gateway.Signals;
using Bitten.Host.Roles;
using Bitten.Simulation.Ea;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bitten.Host.Status;

/// <summary>What <c>bitten run</c> says once everything is up, and once it has stopped: ports, then the run's totals.</summary>
public static class RunReport
{
    public static string Started(IServiceProvider services, bool simulated)
    {
        ArgumentNullException.ThrowIfNull(services);
        var bridge = services.GetRequiredService<MarketBridge>();
        var gateway = services.GetRequiredService<EaGateway>();
        var publisher = services.GetRequiredService<SignalPublisher>();
        var roles = services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
        var web = roles.OfType<WebRole>().Single().Urls.First().TrimEnd('/');
        var throne = roles.OfType<ThroneRole>().Single().Urls.FirstOrDefault()?.TrimEnd('/');
        var uuid = services.GetRequiredService<IOptions<SimulatedEaOptions>>().Value.Uuid;
        return $"BITTEN running. EA ports: market in {bridge.MarketInPort}, commands {gateway.CommandPort}, confirmations {gateway.ConfirmPort}; " +
            $"validated market data out on {bridge.MarketOutPort}; signals on {publisher.Port}; web {web}. {(simulated ? $"Simulated EA {uuid} replaying bundled real ticks." : "Waiting for EAs.")} Ctrl-C stops." +
            Environment.NewLine + Pages(web, throne);
    }

    /// <summary>Where to look, one address a line: what a new user opens first.</summary>
    public static string Pages(string web, string? throne) => string.Join(Environment.NewLine,
        $"  Home             {web}/",
        $"  Tracking         {web}/tracking",
        $"  Analysis         {web}/analysis",
        $"  Performance      {web}/performance",
        $"  API reference    {web}/scalar  (OpenAPI {web}/openapi/v1.json, metrics {web}/metrics)",
        throne is null ? "  Commander Throne off (Throne:Enabled=false)" : $"  Commander Throne {throne}/  (ADMIN)");

    /// <summary>The totals, asked of the kernel after the host stopped and before it is disposed.</summary>
    public static async Task<string> StoppedAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var bridge = services.GetRequiredService<MarketBridge>();
        var status = services.GetRequiredService<StatusLine>();
        var kernel = services.GetRequiredService<TradingKernel>();
        var desk = services.GetRequiredService<ExecutionDesk>();
        var signals = services.GetRequiredService<SignalPipeline>();
        var outcomes = services.GetRequiredService<OutcomeLog>();
        var execution = await kernel.AskAsync(() => desk.Counts);
        return $"Stopped. Bridge: {bridge.Stats.Received} received, {bridge.Stats.Published} published, rejected: {status.Rejects()}. " +
            $"Bars closed: M1 {kernel.Candles.ClosedM1}, M5 {kernel.Candles.ClosedM5}, M15 {kernel.Candles.ClosedM15}. " +
            $"Signals: {signals.Guard.Raised} raised, {outcomes.Wins} won, {outcomes.Losses} lost, {signals.Tracker.OpenCount} open. " +
            $"Execution: {execution.Missions} missions, {execution.FiresSent} fires ({execution.Refused} refused), {execution.Filled} filled, " +
            $"{execution.Failed} failed, {execution.Closed} closed, {execution.OpenPositions} open.";
    }
}

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
        var roles = services.GetRequiredService<HostRoles>();
        var hosted = services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
        var parts = new List<string>();
        var bridge = roles.Has(HostRole.Bridge) ? services.GetRequiredService<MarketBridge>() : null;
        var gateway = roles.Has(HostRole.Gateway) ? services.GetRequiredService<EaGateway>() : null;
        if (bridge is not null || gateway is not null)
        {
            var ports = new List<string>();
            if (bridge is not null)
            {
                ports.Add($"market in {bridge.MarketInPort}");
            }

            if (gateway is not null)
            {
                ports.Add($"commands {gateway.CommandPort}, confirmations {gateway.ConfirmPort}");
            }

            parts.Add("EA ports: " + string.Join(", ", ports));
        }

        if (bridge is not null)
        {
            parts.Add($"validated market data out on {bridge.MarketOutPort}");
        }
        else if (roles.Has(HostRole.Engine))
        {
            parts.Add($"market data from {services.GetRequiredService<IOptions<BridgeOptions>>().Value.Upstream}");
        }

        if (roles.Has(HostRole.Engine))
        {
            parts.Add($"signals on {services.GetRequiredService<SignalPublisher>().Port}");
        }

        var web = hosted.OfType<WebRole>().SingleOrDefault()?.Urls.First().TrimEnd('/');
        if (web is not null)
        {
            parts.Add(roles.Has(HostRole.Engine)
                ? $"web {web}"
                : $"web {web} (an edge: every request goes to the engine's web at {services.GetRequiredService<IOptions<Bitten.Web.WebOptions>>().Value.Upstream})");
        }

        if (roles.Has(HostRole.Throne) && !roles.Has(HostRole.Engine))
        {
            parts.Add($"Throne edge: every request goes to the engine's Throne at {services.GetRequiredService<IOptions<Bitten.Web.ThroneOptions>>().Value.Upstream}");
        }

        if (roles.Has(HostRole.Bot) && !roles.Has(HostRole.Engine))
        {
            parts.Add(services.GetRequiredService<IOptions<Bitten.Telegram.TelegramOptions>>().Value.EffectiveMode == Bitten.Telegram.TelegramMode.Off
                ? "bot idle (no Telegram:BotToken)"
                : $"bot edge: Telegram's updates to the engine's web at {services.GetRequiredService<IOptions<Bitten.Web.WebOptions>>().Value.Upstream}, "
                    + "its stored messages to Telegram");
        }

        var uuid = services.GetRequiredService<IOptions<SimulatedEaOptions>>().Value.Uuid;
        var waiting = simulated ? $"Simulated EA {uuid} replaying bundled real ticks." : gateway is not null || bridge is not null ? "Waiting for EAs." : "";
        var line = $"BITTEN running. {string.Join("; ", parts)}. {waiting} Roles: {roles}. Ctrl-C stops.".Replace("  ", " ", StringComparison.Ordinal);
        var throne = hosted.OfType<ThroneRole>().SingleOrDefault();
        return web is not null
            ? line + Environment.NewLine + Pages(web, throne is null ? null : throne.Urls.FirstOrDefault()?.TrimEnd('/') ?? "")
            : throne?.Urls.FirstOrDefault() is { } throneUrl ? line + Environment.NewLine + $"  Commander Throne {throneUrl.TrimEnd('/')}/  (ADMIN)" : line;
    }

    /// <summary>Where to look, one address a line: what a new user opens first.</summary>
    public static string Pages(string web, string? throne) => string.Join(Environment.NewLine,
        $"  Home             {web}/",
        $"  Tracking         {web}/tracking",
        $"  Analysis         {web}/analysis",
        $"  Performance      {web}/performance",
        $"  API reference    {web}/scalar  (OpenAPI {web}/openapi/v1.json, metrics {web}/metrics)",
        throne is null ? "  Commander Throne not in this process's roles"
            : throne.Length == 0 ? "  Commander Throne off (Throne:Enabled=false)" : $"  Commander Throne {throne}/  (ADMIN)");

    /// <summary>The totals, asked of the kernel after the host stopped and before it is disposed.</summary>
    public static async Task<string> StoppedAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var roles = services.GetRequiredService<HostRoles>();
        var parts = new List<string>();
        if (roles.Has(HostRole.Bridge))
        {
            var bridge = services.GetRequiredService<MarketBridge>();
            parts.Add($"Bridge: {bridge.Stats.Received} received, {bridge.Stats.Published} published, rejected: {services.GetRequiredService<StatusLine>().Rejects()}.");
        }

        if (roles.Has(HostRole.Engine))
        {
            var kernel = services.GetRequiredService<TradingKernel>();
            var desk = services.GetRequiredService<ExecutionDesk>();
            var signals = services.GetRequiredService<SignalPipeline>();
            var outcomes = services.GetRequiredService<OutcomeLog>();
            var execution = await kernel.AskAsync(() => desk.Counts);
            parts.Add($"Bars closed: M1 {kernel.Candles.ClosedM1}, M5 {kernel.Candles.ClosedM5}, M15 {kernel.Candles.ClosedM15}.");
            parts.Add($"Signals: {signals.Guard.Raised} raised, {outcomes.Wins} won, {outcomes.Losses} lost, {signals.Tracker.OpenCount} open.");
            parts.Add($"Execution: {execution.Missions} missions, {execution.FiresSent} fires ({execution.Refused} refused), {execution.Filled} filled, " +
                $"{execution.Failed} failed, {execution.Closed} closed, {execution.OpenPositions} open.");
        }

        return "Stopped. " + string.Join(" ", parts);
    }
}

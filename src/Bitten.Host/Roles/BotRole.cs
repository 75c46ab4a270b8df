using Bitten.Host.Execution;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bitten.Host.Roles;

/// <summary>
/// The Telegram bot, started when a bot token is configured (Telegram:Mode not off), idle otherwise. Beside the engine
/// its alerts hear every recorded event from start; with the bot role its link to Telegram runs (here, or as a bot
/// edge). Stopping turns the events already handed over into stored messages, then lets the sender finish the message
/// in flight.
/// </summary>
/// <remarks>The events are looked up only when the alerts run here: a bot edge has no engine, so no <see cref="EveryEvent"/>.</remarks>
public sealed class BotRole(BotSite site, IServiceProvider services) : IHostedService
{
    private Task _alerts = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (site.Alerts is { } alerts)
        {
            services.GetRequiredService<EveryEvent>().Attach(alerts);
            // Never cancelled: stopping completes its channel, so the events already handed over still become messages.
            _alerts = alerts.RunAsync(CancellationToken.None);
        }

        site.Bot?.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (site.Alerts is { } alerts)
        {
            services.GetRequiredService<EveryEvent>().Attach(null);
            alerts.Complete();
            await _alerts;
        }

        if (site.Bot is { } bot)
        {
            await bot.StopAsync();
        }
    }
}

using Bitten.Host.Execution;
using Bitten.Telegram;
using Microsoft.Extensions.Hosting;

namespace Bitten.Host.Roles;

/// <summary>
/// The Telegram bot, as its own role: started when a bot token is configured (Telegram:Mode not off), idle otherwise.
/// Its alerts hear every recorded event from its start; stopping lets the sender finish the message in flight.
/// </summary>
public sealed class BotRole(BotSite site, EveryEvent everyEvent) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (site.Bot is { } bot)
        {
            everyEvent.Attach(site.Alerts);
            bot.Start();
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (site.Bot is { } bot)
        {
            everyEvent.Attach(null);
            await bot.StopAsync();
        }
    }
}

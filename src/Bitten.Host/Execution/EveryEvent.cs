using Bitten.Domain.Events;
using Bitten.Engine.Execution;

namespace Bitten.Host.Execution;

/// <summary>
/// Everyone who hears each recorded event after it is recorded, in order: the web's read models, then the bot's alerts
/// once the bot runs (attached at its start, so a host without Telegram pays nothing).
/// </summary>
public sealed class EveryEvent(IExecutionObserver web) : IExecutionObserver
{
    private volatile IExecutionObserver? _bot;

    /// <summary>Who hears every event after the web: the bot's alerts while it runs (a test's listener in a host without one).</summary>
    public void Attach(IExecutionObserver? bot) => _bot = bot;

    public void OnEvent(TradingEvent e)
    {
        web.OnEvent(e);
        _bot?.OnEvent(e);
    }
}

using Bitten.Telegram.Outbox;

namespace Bitten.Telegram.Tests;

/// <summary>An outbox, its sender on a <see cref="JumpingClock"/> and the real client against a <see cref="BotApiTestServer"/>.</summary>
public sealed class OutboxRig : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    private OutboxRig(BotApiTestServer server, IOutboxStore store, JumpingClock clock, TimeSpan? storePoll)
    {
        Server = server;
        Clock = clock;
        Outbox = new BotOutbox(store, clock);
        Sender = new OutboxSender(Outbox, new TelegramBotApi(server.Client()), FloodGate.From(server.Options), clock, storePoll: storePoll);
    }

    public BotApiTestServer Server { get; }

    public JumpingClock Clock { get; }

    public BotOutbox Outbox { get; }

    public OutboxSender Sender { get; }

    public static async Task<OutboxRig> StartAsync(IOutboxStore? store = null, BotApiTestServer? server = null, JumpingClock? clock = null,
        TimeSpan? storePoll = null)
    {
        clock ??= new JumpingClock();
        return new OutboxRig(server ?? await BotApiTestServer.StartAsync(clock), store ?? new MemoryOutboxStore(), clock, storePoll);
    }

    public void Run() => _running = Task.Run(() => Sender.RunAsync(_stop.Token));

    /// <summary>Stops the sender and waits for it: the send in flight is finished and marked when this returns.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_running is { } running)
        {
            await running.WaitAsync(Timeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}

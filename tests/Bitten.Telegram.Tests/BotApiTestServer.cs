using Bitten.Simulation.Telegram;
using Bitten.Telegram.Outbox;
using Telegram.Bot;

namespace Bitten.Telegram.Tests;

/// <summary>
/// The simulated Bot API (<see cref="SimulatedBotApi"/>, shared with <c>bitten bench telegram</c>) for the Telegram
/// tests, with the real Telegram.Bot client pointed at it.
/// </summary>
public sealed class BotApiTestServer : SimulatedBotApi
{
    private readonly List<HttpClient> _http = [];

    private BotApiTestServer(TimeProvider? clock)
        : base(TestToken, clock)
    {
    }

    public static async Task<BotApiTestServer> StartAsync(TimeProvider? clock = null)
    {
        var server = new BotApiTestServer(clock);
        await server.StartServerAsync();
        return server;
    }

    /// <summary>The options the bot would run with against this server.</summary>
    public TelegramOptions Options => new() { BotToken = Token, ApiBaseUrl = BaseUrl };

    /// <summary>A real <see cref="TelegramBotClient"/> for this server, made as the bot makes its own.</summary>
    public TelegramBotClient Client()
    {
        var http = new HttpClient();
        _http.Add(http);
        return TelegramBotApi.CreateClient(Options, http);
    }

    public new async ValueTask DisposeAsync()
    {
        _http.ForEach(h => h.Dispose());
        await base.DisposeAsync();
    }
}

using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Bitten.Telegram.Outbox;

/// <summary>The real <see cref="IBotApi"/>: sendMessage in HTML parse mode with the inline keyboard, through Telegram.Bot.</summary>
public sealed class TelegramBotApi : IBotApi
{
    private readonly ITelegramBotClient _client;

    public TelegramBotApi(ITelegramBotClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>
    /// A client for <see cref="TelegramOptions.ApiBaseUrl"/>. Its own 429 retries are off: they would wait on the wall
    /// clock inside one call, unseen by the <see cref="FloodGate"/>, while the sender's pause holds every chat back.
    /// </summary>
    public static TelegramBotClient CreateClient(TelegramOptions options, HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.BotToken);
        var baseUrl = options.ApiBaseUrl == TelegramOptions.DefaultApiBaseUrl ? null : options.ApiBaseUrl;
        return new TelegramBotClient(new TelegramBotClientOptions(options.BotToken, baseUrl) { RetryThreshold = 0 }, httpClient);
    }

    public async Task<long> SendAsync(BotMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            var sent = await _client.SendMessage(message.ChatId, message.Text, ParseMode.Html, replyMarkup: Keyboard(message.Buttons),
                cancellationToken: cancellationToken);
            return sent.MessageId;
        }
        catch (ApiRequestException e)
        {
            throw new BotApiException(e.ErrorCode, e.Message, e.Parameters?.RetryAfter, e);
        }
        catch (RequestException e)
        {
            throw new BotApiException(null, e.Message, null, e);
        }
    }

    /// <summary>The rows of buttons as Telegram's inline keyboard; none without buttons.</summary>
    /// <exception cref="ArgumentException">A button with none of callback data, Mini App URL or link.</exception>
    public static InlineKeyboardMarkup? Keyboard(IReadOnlyList<IReadOnlyList<BotButton>>? rows) =>
        rows is null || rows.Count == 0 ? null : new InlineKeyboardMarkup(rows.Select(row => row.Select(Button)));

    private static InlineKeyboardButton Button(BotButton button) => button switch
    {
        { CallbackData: { } data } => InlineKeyboardButton.WithCallbackData(button.Text, data),
        { WebAppUrl: { } url } => InlineKeyboardButton.WithWebApp(button.Text, new WebAppInfo(url)),
        { Url: { } url } => InlineKeyboardButton.WithUrl(button.Text, url),
        _ => throw new ArgumentException($"button '{button.Text}' has no callback data, Mini App URL or link", nameof(button)),
    };
}

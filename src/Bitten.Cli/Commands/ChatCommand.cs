using System.ComponentModel;
using Bitten.Cli.Hosting;
using Bitten.Host;
using Bitten.Host.Execution;
using Bitten.Telegram;
using Bitten.Telegram.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary>
/// <c>bitten chat --telegram-id N</c>: the Telegram bot's commands in the terminal, as that user in a private chat. It runs
/// the engine and the event log in-process on the configured store (the embedded default unless told otherwise), so
/// give it a store no running server writes to. The event and signal ports bind to free ones unless configured, and the
/// logs show warnings only, so the chat stays readable.
/// </summary>
public sealed class ChatCommand : AsyncCommand<UserOptions>
{
    private static readonly string[] Quiet = ["--Zmq:EventPort=0", "--Zmq:EventInPort=0", "--Zmq:SignalPort=0", "--Logging:LogLevel:Default=Warning"];

    public override async Task<int> ExecuteAsync(CommandContext context, UserOptions settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var telegramId = Users.TelegramId(settings.TelegramId);
        var host = BittenHost.Build([.. Quiet, .. Overrides.Of(context).Args], [HostRole.Engine, HostRole.EventLog], Console.Error);
        try
        {
            try
            {
                await BittenHost.StartAsync(host, cancellationToken);
            }
            catch (StartupException e)
            {
                Console.Error.WriteLine($"bitten: {e.Message}");
                await host.StopAsync(CancellationToken.None);
                return 1;
            }

            var bot = new BotCommands(BotServicesFactory.Create(host.Services, new PrintedOutbox(Console.Out)),
                host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("bot"));
            Console.Error.WriteLine($"chatting as telegram id {telegramId}: type /help, press a button with !DATA (e.g. !fire:M123), end with Ctrl-D");
            await TerminalChat.RunAsync(bot, telegramId, Console.In, Console.Out, cancellationToken);
            await host.StopAsync(CancellationToken.None);
            return 0;
        }
        finally
        {
            await ((IAsyncDisposable)host).DisposeAsync();
        }
    }

    /// <summary>What the bot would send to other chats (a /broadcast), printed with its key instead.</summary>
    private sealed class PrintedOutbox(TextWriter output) : IBotOutbox
    {
        private readonly HashSet<string> _keys = [];

        public bool Enqueue(string key, BotMessage message)
        {
            lock (_keys)
            {
                if (!_keys.Add(key))
                {
                    return false;
                }

                output.WriteLine($"[outbox {key} → chat {message.ChatId}] {TerminalChat.Render(message)}");
                return true;
            }
        }
    }
}

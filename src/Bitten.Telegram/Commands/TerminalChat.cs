namespace Bitten.Telegram.Commands;

/// <summary>
/// The bot in a terminal: each line read is a message from one Telegram id in its private chat (a line starting
/// <c>!</c> is a button press, <c>!fire:M123</c>), answered by the same <see cref="BotCommands"/> as Telegram. Replies
/// print as plain text, each button as <c>[FIRE → fire:M123]</c>.
/// </summary>
public static class TerminalChat
{
    public static async Task RunAsync(BotCommands bot, long telegramId, TextReader input, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bot);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        while (!ct.IsCancellationRequested && await input.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith('!'))
            {
                var answer = await bot.OnCallbackAsync(new IncomingCallback(telegramId, telegramId, line[1..].Trim()), ct);
                if (answer.Toast.Length > 0)
                {
                    await output.WriteLineAsync($"({answer.Toast})");
                }

                await PrintAsync(answer.Messages, output);
            }
            else
            {
                await PrintAsync(await bot.OnMessageAsync(new IncomingMessage(telegramId, telegramId, true, line), ct), output);
            }
        }
    }

    /// <summary>A message as the terminal shows it: its text without markup, then one line per row of buttons.</summary>
    public static string Render(BotMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = BotHtml.ToPlainText(message.Text);
        foreach (var row in message.Buttons ?? [])
        {
            text += "\n" + string.Join(" ", row.Select(b => $"[{b.Text} → {b.CallbackData ?? b.WebAppUrl ?? b.Url}]"));
        }

        return text;
    }

    private static async Task PrintAsync(IReadOnlyList<BotMessage> messages, TextWriter output)
    {
        foreach (var message in messages)
        {
            await output.WriteLineAsync(Render(message));
        }
    }
}

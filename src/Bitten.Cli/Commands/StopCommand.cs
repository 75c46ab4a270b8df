using System.ComponentModel;
using System.Net.Http.Headers;
using System.Text;
using Bitten.Cli.Hosting;
using Bitten.Host.Configuration;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary>Where the running server is and the admin token to reach it with.</summary>
public class ServerOptions : CommandSettings
{
    [CommandOption("--url <URL>")]
    [Description("The server's web address (default from Web:BindHost and Web:Port).")]
    public string? Url { get; init; }

    [CommandOption("--token <TOKEN>")]
    [Description("An ADMIN API token (or BITTEN_API_TOKEN; see `bitten user token`).")]
    public string? Token { get; init; }
}

/// <summary>
/// <c>bitten stop --soft|--hard</c>: the emergency stop of a running server, through its API (the server owns the
/// state; the CLI must not reach around it). The admin token comes from --token or BITTEN_API_TOKEN, never from a
/// file in the repository.
/// </summary>
public sealed class StopCommand : AsyncCommand<StopCommand.Options>
{
    public sealed class Options : ServerOptions
    {
        [CommandOption("--soft")]
        [Description("No new fires.")]
        public bool Soft { get; init; }

        [CommandOption("--hard")]
        [Description("No new fires, and close every open position.")]
        public bool Hard { get; init; }
    }

    public override Task<int> ExecuteAsync(CommandContext context, Options settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Soft == settings.Hard)
        {
            throw new UsageException("usage: bitten stop --soft|--hard [--url http://127.0.0.1:8888] [--token T]  (SOFT: no new fires; HARD: also close every position)");
        }

        return EmergencyStop.SendAsync(context, settings, settings.Hard ? "HARD" : "SOFT");
    }
}

/// <summary><c>bitten resume</c>: lifts the emergency stop.</summary>
public sealed class ResumeCommand : AsyncCommand<ServerOptions>
{
    public override Task<int> ExecuteAsync(CommandContext context, ServerOptions settings, CancellationToken cancellationToken) =>
        EmergencyStop.SendAsync(context, settings, "NONE");
}

internal static class EmergencyStop
{
    public static async Task<int> SendAsync(CommandContext context, ServerOptions options, string mode)
    {
        var token = options.Token ?? Environment.GetEnvironmentVariable("BITTEN_API_TOKEN");
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new UsageException("an ADMIN API token is needed: --token T or BITTEN_API_TOKEN (see `bitten user token`)");
        }

        var settings = Settings.Load(Overrides.Of(context).Args);
        var baseUrl = options.Url ?? $"http://{settings.Web.BindHost}:{settings.Web.Port}";
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var address))
        {
            throw new UsageException($"--url takes an address such as http://127.0.0.1:8888, not '{baseUrl}'");
        }

        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.PostAsync(new Uri("/api/emergency-stop", UriKind.Relative),
                new StringContent($$"""{"mode":"{{mode}}"}""", Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"bitten: the server refused ({(int)response.StatusCode}): {body}");
                return 1;
            }

            Console.WriteLine(mode == "NONE" ? "Resumed: fires are allowed again." : $"Emergency stop {mode} is in force{(mode == "HARD" ? "; every open position is being closed" : "")}.");
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"bitten: no server at {baseUrl} ({e.Message}); is `bitten run` running?");
            return 1;
        }
    }
}

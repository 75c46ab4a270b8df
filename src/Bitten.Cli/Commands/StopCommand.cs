using System.Net.Http.Headers;
using System.Text;
using Bitten.Cli.Hosting;

namespace Bitten.Cli.Commands;

/// <summary>
/// <c>bitten stop --soft|--hard</c> and <c>bitten resume</c>: the emergency stop of a running server, through its API
/// (the server owns the state; the CLI must not reach around it). The admin token comes from --token or
/// BITTEN_API_TOKEN, never from a file in the repository.
/// </summary>
public static class StopCommand
{
    public static async Task<int> RunAsync(string[] args, bool resume)
    {
        var commandLine = new CommandLine(args, "soft", "hard");
        var soft = commandLine.Has("soft");
        var hard = commandLine.Has("hard");
        var token = commandLine.Value("token") ?? Environment.GetEnvironmentVariable("BITTEN_API_TOKEN");
        var url = commandLine.Value("url");
        commandLine.RejectUnknown();
        if (!resume && soft == hard)
        {
            throw new UsageException("usage: bitten stop --soft|--hard [--url http://127.0.0.1:8888] [--token T]  (SOFT: no new fires; HARD: also close every position)");
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            throw new UsageException("an ADMIN API token is needed: --token T or BITTEN_API_TOKEN (see `bitten user token`)");
        }

        var settings = Settings.Load(commandLine.ConfigArgs);
        var baseUrl = url ?? $"http://{settings.Web.BindHost}:{settings.Web.Port}";
        var mode = resume ? "NONE" : hard ? "HARD" : "SOFT";
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(10) };
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

            Console.WriteLine(resume ? "Resumed: fires are allowed again." : $"Emergency stop {mode} is in force{(hard ? "; every open position is being closed" : "")}.");
            return 0;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"bitten: no server at {baseUrl} ({e.Message}); is `bitten run` running?");
            return 1;
        }
    }
}

using System.Globalization;
using System.Text;

namespace Bitten.EndToEnd.Tests;

/// <summary>Signals posted to a running server's /api/signals, as an admin injects them.</summary>
internal static class InjectedSignals
{
    private static int s_sequence;

    /// <summary>
    /// BUY EURUSD signals whose stop sits above the 2014 EURUSD price: each fire fills at the paper broker and its stop
    /// is hit on the next quote, so slots keep filling and emptying — fires, fills and closes in flight all the time.
    /// </summary>
    public static async Task PostStoppedOutBuysAsync(HttpClient http, int count)
    {
        ArgumentNullException.ThrowIfNull(http);
        for (var i = 0; i < count; i++)
        {
            // Unique ids even for signals posted within one millisecond, from any test.
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + Interlocked.Increment(ref s_sequence);
            var json = string.Create(CultureInfo.InvariantCulture, $$"""
                {"signal_id":"ELITE_RAPID_BB_SCALP_EURUSD_{{now}}","symbol":"EURUSD","direction":"BUY","entry_price":2.05,"sl":2.0,"tp":2.1,
                 "stop_pips":500,"target_pips":500,"risk_reward":1,"confidence":85,"pattern_type":"BB_SCALP","signal_class":"RAPID",
                 "citadel_score":7,"session":"LONDON","timestamp":{{now}},"expires_at":{{now + 1_800_000}}}
                """);
            using var response = await http.PostAsync(new Uri("/api/signals", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }
}

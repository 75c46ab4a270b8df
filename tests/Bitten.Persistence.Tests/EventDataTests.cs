using Bitten.Persistence.Events;

namespace Bitten.Persistence.Tests;

/// <summary>The packed form of an event's data: exactly reversible, smaller, and safe for any input.</summary>
public sealed class EventDataTests
{
    [Theory]
    [InlineData("""{"mission_id":"M1","signal_id":"ELITE_RAPID_EURUSD_1","user_id":"42"}""")]
    [InlineData("""{"fire_id":"F42-1","mission_id":"M1","signal_id":"S1","user_id":"42","symbol":"EURUSD","direction":"BUY","lot_size":0.12,"execution_mode":"AUTO","sl_price":1.083,"tp_price":1.086}""")]
    [InlineData("""{"message":"a \"user_id\": inside, and \\\"symbol\":","x\"fire_id":1}""")]
    [InlineData("""{"user_id":{"user_id":[{"symbol":"\u0001"}]}}""")]
    [InlineData("""{}""")]
    [InlineData("""{"unknown_key":"value","pips":-10.5}""")]
    [InlineData("""{"ticket" :1, "volume": 2}""")]
    public void PackThenUnpackIsTheIdentity(string json)
    {
        Assert.Equal(json, EventData.Unpack(EventData.Pack(json)));
    }

    [Fact]
    public void EveryKeyBecomesOneCharacterAndPlainJsonIsLeftAlone()
    {
        foreach (var key in EventData.Keys)
        {
            var json = $$"""{"{{key}}":1}""";
            Assert.Equal($"{{{EventData.TokenFor(key)}1}}", EventData.Pack(json));
            Assert.Equal(json, EventData.Unpack(EventData.Pack(json)));
        }

        // A row stored before packing has no control characters: it reads back as it is.
        Assert.Equal("""{"user_id":"42"}""", EventData.Unpack("""{"user_id":"42"}"""));
        Assert.Equal(28, EventData.Keys.Distinct().Count());
        Assert.DoesNotContain(EventData.Keys.Select(EventData.TokenFor), c => c is '\t' or '\n' or '\r' or '\0');
    }

    [Fact]
    public void ARawControlCharacterIsEscapedNeverTakenForAToken()
    {
        // Not valid JSON (a raw control character in a string), but it must not read back as a key.
        var packed = EventData.Pack("{\"note\":\"a\u0001b\"}");
        Assert.Equal("{\"note\":\"a\\u0001b\"}", EventData.Unpack(packed));
    }

    [Fact]
    public void AWorkingDaysEventsShrinkByAQuarterToAHalf()
    {
        string[] day =
        [
            """{"mission_id":"ELITE_RAPID_BB_SCALP_EURUSD_1795334644842_U1","signal_id":"ELITE_RAPID_BB_SCALP_EURUSD_1795334644842","user_id":"1"}""",
            """{"fire_id":"F1-1795334643379","mission_id":"ELITE_RAPID_BB_SCALP_EURUSD_1795334644842_U1","signal_id":"ELITE_RAPID_BB_SCALP_EURUSD_1795334644842","user_id":"1","symbol":"EURUSD","direction":"BUY","lot_size":0.09,"execution_mode":"AUTO","sl_price":2,"tp_price":2.1}""",
            """{"user_id":"1","reason":"closed","fire_id":"F1-1795334504328","message":"slot released: closed (1/10 used)"}""",
        ];
        var plain = day.Sum(d => d.Length);
        var packed = day.Sum(d => EventData.Pack(d).Length);
        Assert.InRange((double)packed / plain, 0.5, 0.8);
    }
}

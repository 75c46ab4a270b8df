namespace Bitten.Wire.Tests.EaContract;

/// <summary>
/// The MT5 EA (ea/BITTEN_Bridge.mq5) cannot be compiled or run here, so it is held to the protocol by reading it:
/// every message it sends and command it handles, with every field name and JSON kind, must be what Bitten.Wire — the
/// code the server parses with and the simulated EA writes with — writes for that message, and what docs/protocol.md
/// documents; the document must in turn list every field Bitten.Wire writes, with its kind and whether the parser
/// requires it. How each side is read is in <see cref="MqlSource"/>, <see cref="WireContract"/> and
/// <see cref="ProtocolDocument"/>; the mutations below show that each kind of drift is caught.
/// </summary>
public class EaSourceContractTests
{
    private static readonly string Root = Bitten.Testing.Checkout.Root;
    private static readonly string Ea = File.ReadAllText(Path.Combine(Root, "ea", "BITTEN_Bridge.mq5"));
    private static readonly string Protocol = File.ReadAllText(Path.Combine(Root, "docs", "protocol.md"));

    [Fact]
    public void TheEaTheProtocolDocumentAndBittenWireAgree()
    {
        var problems = EaContractCheck.Problems(Ea, Protocol);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void TheReadingOfTheEaSeesItsMessagesCommandsAndNestedFields()
    {
        var ea = new MqlSource(Ea);

        Assert.Empty(ea.Problems);
        Assert.Equal(10, ea.Messages.Count);
        var hello = Assert.Single(ea.Messages, m => m.Type == "HELLO");
        Assert.Equal("g_dealer", hello.Socket);
        foreach (var nested in new[] { "positions", "open_price", "symbols", "stops_level", "recent_fire_ids", "equity", "type" })
        {
            Assert.Contains(nested, hello.Fields.Keys);
        }

        var fire = Assert.Single(ea.Commands, c => c.Type == "fire");
        Assert.Equal(FieldKind.Number, fire.Fields["sl"]);
        Assert.Equal(FieldKind.String, fire.Fields["fire_id"]);
        Assert.Equal(FieldKind.String, ea.DispatchReads["target_uuid"]);
        Assert.Equal(["close_all", "close_ticket", "fire", "ping"], ea.Commands.Select(c => c.Type).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string, string, string> Mutations() => new()
    {
        // file, text in it, what it becomes, what the check must then say
        { "ea", "JStr(\"fire_id\", fireId) + JStr(\"user_uuid\", InpUuid)", "JStr(\"fireid\", fireId) + JStr(\"user_uuid\", InpUuid)", "\"fireid\"" },
        { "ea", "JGetNum(cmd, \"lot\", lot)", "JGetNum(cmd, \"lots\", lot)", "\"lots\"" },
        { "ea", "JGetNum(cmd, \"sl\", sl)", "JGetStr(cmd, \"sl\", sl)", "\"sl\" of `fire` as String" },
        { "ea", "JNum(\"close_price\"", "JStr(\"close_price\"", "\"close_price\" in `close_confirmation` as String" },
        { "ea", "+ JInt(\"stops_level\", SymbolInfoInteger(s, SYMBOL_TRADE_STOPS_LEVEL))", "", "\"stops_level\"" },
        { "ea", "JBegin(\"pong\")", "JBegin(\"Pong\")", "`Pong`" },
        { "ea", "type == \"ping\") HandlePing(", "type == \"pings\") HandlePing(", "`ping`" },
        { "ea", "Send(g_confirm, JEnd(m));\n  }\nvoid SendCloseConfirmation", "Send(g_market, JEnd(m));\n  }\nvoid SendCloseConfirmation", "`confirmation` on g_market" },
        { "doc", "| `stops_level` |", "| `stop_level` |", "\"stops_level\"" },
        { "doc", "| `close_price` | number |", "| `close_price` | string |", "\"close_price\"" },
        { "doc", "| `ping_id` | string | yes |", "| `ping_id` | string | no |", "\"ping_id\"" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void EachKindOfDriftIsCaught(string file, string text, string replacement, string expected)
    {
        var ea = Ea.ReplaceLineEndings("\n");
        var doc = Protocol.ReplaceLineEndings("\n");
        var mutated = (file == "ea" ? ea : doc).Replace(text, replacement, StringComparison.Ordinal);
        Assert.NotEqual(file == "ea" ? ea : doc, mutated); // the mutation applies: the text is still in the file

        var problems = file == "ea" ? EaContractCheck.Problems(mutated, doc) : EaContractCheck.Problems(ea, mutated);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

}

using System.Text;
using Bitten.Wire.Ea;

namespace Bitten.Wire.Tests.EaContract;

/// <summary>
/// Holds three descriptions of the EA protocol to each other and returns every disagreement: what Bitten.Wire writes
/// and parses (<see cref="WireContract"/>, the simulated EA's own code), what docs/protocol.md says
/// (<see cref="ProtocolDocument"/>), and what ea/BITTEN_Bridge.mq5 sends and reads (<see cref="MqlSource"/>).
/// </summary>
public static class EaContractCheck
{
    private static readonly Dictionary<string, int> SocketPorts = new(StringComparer.Ordinal)
    {
        ["g_market"] = 5556,
        ["g_dealer"] = 5555,
        ["g_confirm"] = 5558,
    };

    public static List<string> Problems(string eaSource, string protocolMarkdown)
    {
        var problems = new List<string>();
        var ea = new MqlSource(eaSource);
        var doc = new ProtocolDocument(protocolMarkdown);
        problems.AddRange(ea.Problems.Select(p => $"EA: {p}"));
        problems.AddRange(doc.Problems.Select(p => $"protocol.md: {p}"));

        var messages = WireContract.Messages();
        var commands = WireContract.Commands();
        var sections = doc.Sections.ToDictionary(s => s.Type, StringComparer.Ordinal);

        if (!WireContract.Fields(WireContract.Refusal()).Keys.ToHashSet().SetEquals(WireContract.Fields(messages["confirmation"]).Keys))
        {
            problems.Add("Bitten.Wire: a failed confirmation and a successful one carry different fields");
        }

        // The document against Bitten.Wire, message by message and field by field.
        foreach (var (type, sample) in messages)
        {
            CheckDocumented(type, sample, toServer: true, WireContract.PortOf(type), WireContract.MessageAccepted);
        }

        foreach (var (type, sample) in commands)
        {
            CheckDocumented(type, sample, toServer: false, 5555, WireContract.CommandAccepted);
        }

        foreach (var section in doc.Sections.Where(s => !(s.ToServer ? messages : commands).ContainsKey(s.Type)))
        {
            problems.Add($"protocol.md documents `{section.Type}`, which Bitten.Wire does not write");
        }

        // The EA's messages against Bitten.Wire's (and so the document's).
        foreach (var group in ea.Messages.GroupBy(m => m.Type).Where(g => g.Count() > 1))
        {
            problems.Add($"EA builds `{group.Key}` in {string.Join(" and ", group.Select(m => m.Function))}: one function per message type");
        }

        foreach (var type in messages.Keys.Where(t => ea.Messages.All(m => m.Type != t)))
        {
            problems.Add($"EA never sends `{type}`, which the simulated EA sends");
        }

        foreach (var message in ea.Messages)
        {
            if (EaMessageTypes.Parse(Encoding.UTF8.GetBytes(message.Type)) == EaMessageType.Unknown)
            {
                problems.Add($"EA sends `{message.Type}` ({message.Function}), a type the server's parser does not know");
            }

            if (!messages.TryGetValue(message.Type, out var sample))
            {
                problems.Add($"EA sends `{message.Type}` ({message.Function}), which Bitten.Wire never writes");
                continue;
            }

            if (message.Socket is null || !SocketPorts.TryGetValue(message.Socket, out var port) || port != WireContract.PortOf(message.Type))
            {
                problems.Add($"EA sends `{message.Type}` on {message.Socket ?? "no socket"}; it belongs on port {WireContract.PortOf(message.Type)}");
            }

            var wire = WireContract.Fields(sample);
            foreach (var (key, kind) in message.Fields)
            {
                if (!wire.TryGetValue(key, out var wireKind))
                {
                    problems.Add($"EA writes \"{key}\" in `{message.Type}`, a field Bitten.Wire does not write there");
                }
                else if (wireKind != kind)
                {
                    problems.Add($"EA writes \"{key}\" in `{message.Type}` as {kind}; Bitten.Wire writes {wireKind}");
                }

                if (!sections.TryGetValue(message.Type, out var section) || !section.Fields.ContainsKey(key))
                {
                    problems.Add($"EA writes \"{key}\" in `{message.Type}`, which protocol.md does not document there");
                }
            }

            foreach (var key in wire.Keys.Where(k => !message.Fields.ContainsKey(k)))
            {
                problems.Add($"EA leaves \"{key}\" out of `{message.Type}`; the simulated EA writes it");
            }
        }

        // The EA's commands against Bitten.Wire's.
        foreach (var type in commands.Keys.Where(t => ea.Commands.All(c => c.Type != t)))
        {
            problems.Add($"EA does not handle `{type}`");
        }

        var commandFields = commands.Values.SelectMany(c => WireContract.Fields(c)).GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First().Value);
        foreach (var (key, kind) in ea.DispatchReads)
        {
            CheckRead(key, kind, commandFields, "any command");
        }

        foreach (var command in ea.Commands)
        {
            if (!commands.TryGetValue(command.Type, out var sample))
            {
                problems.Add($"EA handles `{command.Type}`, a command Bitten.Wire never writes");
                continue;
            }

            var wire = WireContract.Fields(sample);
            foreach (var (key, kind) in command.Fields)
            {
                CheckRead(key, kind, wire, $"`{command.Type}`");
                if (!sections.TryGetValue(command.Type, out var section) || !section.Fields.ContainsKey(key))
                {
                    problems.Add($"EA reads \"{key}\" of `{command.Type}`, which protocol.md does not document there");
                }
            }

            foreach (var key in wire.Keys.Where(k => !command.Fields.ContainsKey(k) && !ea.DispatchReads.ContainsKey(k)))
            {
                problems.Add($"EA never reads \"{key}\" of `{command.Type}`, which the server sends");
            }
        }

        return problems;

        void CheckRead(string key, FieldKind kind, Dictionary<string, FieldKind> wire, string where)
        {
            if (!wire.TryGetValue(key, out var wireKind))
            {
                problems.Add($"EA reads \"{key}\" of {where}, a field Bitten.Wire does not write there");
            }
            else if (kind != FieldKind.Any && kind != wireKind)
            {
                problems.Add($"EA reads \"{key}\" of {where} as {kind}; Bitten.Wire writes {wireKind}");
            }
        }

        void CheckDocumented(string type, byte[] sample, bool toServer, int port, Func<byte[], bool> accepts)
        {
            if (!sections.TryGetValue(type, out var section))
            {
                problems.Add($"protocol.md has no section for `{type}`");
                return;
            }

            if (section.ToServer != toServer || section.Port != port)
            {
                problems.Add($"protocol.md puts `{type}` {(section.ToServer ? "EA → server" : "server → EA")} on port {section.Port}; it is "
                    + $"{(toServer ? "EA → server" : "server → EA")} on {port}");
            }

            var wire = WireContract.Fields(sample);
            var required = WireContract.Required(sample, accepts);
            foreach (var (key, kind) in wire)
            {
                if (!section.Fields.TryGetValue(key, out var documented))
                {
                    problems.Add($"protocol.md leaves \"{key}\" out of `{type}`");
                    continue;
                }

                if (documented.Kind != kind)
                {
                    problems.Add($"protocol.md says \"{key}\" of `{type}` is {documented.Kind}; Bitten.Wire writes {kind}");
                }

                if (documented.Required != required.Contains(key))
                {
                    problems.Add($"protocol.md says \"{key}\" of `{type}` is {(documented.Required ? "" : "not ")}required; the parser "
                        + $"{(required.Contains(key) ? "refuses" : "accepts")} `{type}` without it");
                }
            }

            foreach (var key in section.Fields.Keys.Where(k => !wire.ContainsKey(k)))
            {
                problems.Add($"protocol.md documents \"{key}\" in `{type}`; Bitten.Wire does not write it");
            }
        }
    }
}
